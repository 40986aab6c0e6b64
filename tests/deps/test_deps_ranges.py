"""Ranges resolved to what a fresh install gets: node-semver's grammar for npm, PEP 440 for PyPI."""

from __future__ import annotations

import pytest

from auditor.deps.ranges import resolve_range

NPM = ["0.2.5", "0.3.0", "1.2.3", "3.10.1", "4.17.4", "4.17.21", "4.18.0-beta.1", "5.0.0"]


@pytest.mark.parametrize(("spec", "expected"), [
    ("^4.17.4", "4.17.21"), ("~4.17.4", "4.17.21"), ("4.x", "4.17.21"), ("4", "4.17.21"), ("*", "5.0.0"),
    (">=3 <5", "4.17.21"), (">= 3.0.0 < 5", "4.17.21"), ("^0.2.1", "0.2.5"), ("3.10.1 || ^5", "5.0.0"),
    ("1.2 - 4.17", "4.17.21"), ("1.2.3 - 4.17.4", "4.17.4"), ("<4", "3.10.1"), (">4.17", "5.0.0"),
    ("<=4.17", "4.17.21"), ("=4.17.4", "4.17.4"), ("v4.17.4", "4.17.4"), ("^4.17.22", None),
    ("latest", None), ("file:../x", None), ("npm:other@1", None),
])
def test_npm_ranges(spec: str, expected: str | None):
    assert resolve_range("npm", spec, NPM) == expected


@pytest.mark.parametrize(("spec", "expected"), [
    (">=2.0,<3", "2.5"), ("~=2.1", "2.5"), ("==2.*", "2.5"), ("*", "3.0"), ("", None), ("not a spec", None),
    (">=2 ; python_version > '3'", "3.0"),
])
def test_pypi_specifiers_skip_prereleases(spec: str, expected: str | None):
    assert resolve_range("pypi", spec, ["1.0", "2.1", "2.5", "2.6rc1", "3.0"]) == expected


def test_ecosystems_without_a_resolver_resolve_nothing():
    assert resolve_range("rubygems", "~> 7.1", ["7.1.0"]) is None

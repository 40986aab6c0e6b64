"""Version ordering per ecosystem: a wrong order is a missed or an invented vulnerability."""

from __future__ import annotations

import pytest

from auditor.deps.versions import compare


@pytest.mark.parametrize(
    "ecosystem, lower, higher",
    [
        ("pypi", "1.0rc1", "1.0"),
        ("pypi", "2.0", "2.0.post1"),
        ("pypi", "1.9", "1.10"),
        ("npm", "1.0.0-alpha", "1.0.0"),
        ("npm", "1.0.0-alpha.1", "1.0.0-alpha.beta"),
        ("npm", "1.0.0-beta.2", "1.0.0-beta.11"),
        ("npm", "4.17.20", "4.17.21"),
        ("go", "v0.0.0-20200101000000-abcdefabcdef", "v0.1.0"),
        ("go", "v1.2.3", "v1.10.0"),
        ("crates.io", "0.9.9", "0.10.0"),
        ("maven", "1.0-alpha-1", "1.0"),
        ("maven", "1.0-SNAPSHOT", "1.0"),
        ("maven", "1.0-rc1", "1.0-SNAPSHOT"),
        ("maven", "1.0", "1.0-sp1"),
        ("maven", "2.12.7", "2.12.7.1"),
        ("maven", "1.0a1", "1.0-beta1"),
        ("rubygems", "1.0.a", "1.0"),
        ("rubygems", "6.1.7.3", "6.1.7.10"),
        ("rubygems", "1.0.0.beta2", "1.0.0.rc1"),
        ("packagist", "1.0.0-beta1", "1.0.0"),
        ("packagist", "5.4.9", "5.4.10"),
        ("packagist", "2.0.0-beta3", "v2.0.0-RC1"),
    ],
)
def test_order(ecosystem, lower, higher):
    assert compare(ecosystem, lower, higher) == -1
    assert compare(ecosystem, higher, lower) == 1


@pytest.mark.parametrize(
    "ecosystem, a, b",
    [("maven", "1.0.Final", "1.0"), ("maven", "1.0.0", "1"), ("rubygems", "1.0.0", "1.0"),
     ("packagist", "1.0", "1.0.0"), ("npm", "1.2.3+build.5", "1.2.3"), ("pypi", "1.0", "1.0.0")],
)
def test_equal(ecosystem, a, b):
    assert compare(ecosystem, a, b) == 0


def test_unparseable_is_unknown_not_ordered():
    assert compare("npm", "latest", "1.0.0") is None
    assert compare("pypi", "not a version", "1.0") is None

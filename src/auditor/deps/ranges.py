"""Resolving a version range to the version a fresh install would get, for dependencies no
lockfile pins (`"lodash": "^4.17.4"` in a package.json alone, `flask>=2.0` in a
requirements.txt): the highest published, non-yanked release the range allows.

That is what `npm install` / `pip install` would pick today, so its advisories are the ones
that matter for a new install; an older install may differ, which is why findings and the
run's summary say the version was resolved, not read. npm ranges follow node-semver's
grammar (`^ ~ x * || hyphen`, comparators), PyPI ranges are PEP 440 specifiers. Other
ecosystems are not resolved: their ranges stay unchecked, and are listed as such.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

Version = tuple[int, int, int]
Test = Callable[[Version], bool]

_PARTIAL = re.compile(r"^[v=]?\s*(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$")
_RELEASE = re.compile(r"^v?(\d+)\.(\d+)\.(\d+)(?:\+[0-9A-Za-z.-]+)?$")
_COMPARATOR = re.compile(r"^(\^|~>?|>=|<=|>|<|=)?\s*(.+)$")


def _partial(text: str) -> tuple[list[int | None], bool] | None:
    """[major, minor, patch] with None for a missing or wildcard part, and whether a
    pre-release tag was given; None when `text` is not a version at all."""
    m = _PARTIAL.match(text.strip())
    if not m:
        return None
    parts: list[int | None] = []
    for group in m.group(1, 2, 3):
        parts.append(None if group is None or group in "xX*" or (parts and parts[-1] is None) else int(group))
    return parts, m.group(4) is not None


def _floor(parts: list[int | None]) -> Version:
    return (parts[0] or 0, parts[1] or 0, parts[2] or 0)


def _bump(parts: list[int | None]) -> Version:
    """The first version above every version the partial `parts` covers: 1.2 -> 1.3.0."""
    major, minor, _ = parts
    if major is None:
        return (1 << 62, 0, 0)
    if minor is None:
        return (major + 1, 0, 0)
    return (major, minor + 1, 0)


def _caret(parts: list[int | None]) -> Version:
    """The exclusive upper bound of ^parts: the left-most non-zero part is fixed."""
    major, minor, patch = parts
    if major is None:
        return (1 << 62, 0, 0)
    if major > 0 or minor is None:
        return (major + 1, 0, 0)
    if minor > 0 or patch is None:
        return (0, minor + 1, 0)
    return (0, 0, patch + 1)


def _comparator(token: str) -> list[Test] | None:
    m = _COMPARATOR.match(token)
    if not m:
        return None
    op, rest = m.group(1) or "", m.group(2)
    parsed = _partial(rest)
    if parsed is None:
        return None
    parts, _ = parsed
    low = _floor(parts)
    exact = None not in parts
    if op == "^":
        high = _caret(parts)
        return [lambda v: v >= low, lambda v: v < high]
    if op in ("~", "~>"):
        high = _bump(parts if parts[1] is not None else [parts[0], None, None])
        return [lambda v: v >= low, lambda v: v < high]
    if op == ">=":
        return [lambda v: v >= low]
    if op == ">":
        above = low if exact else _bump(parts)
        return [lambda v: v > above] if exact else [lambda v: v >= above]
    if op == "<":
        return [lambda v: v < low]
    if op == "<=":
        high = _bump(parts)
        return [lambda v: v <= low] if exact else [lambda v: v < high]
    if exact:
        return [lambda v: v == low]
    high = _bump(parts)
    return [lambda v: v >= low, lambda v: v < high]  # an x-range: 1.2.x, 1, *


def npm_range(spec: str) -> list[list[Test]] | None:
    """The alternatives (`||`) of an npm range, each a list of tests that must all pass;
    None when the spec is not a semver range (a tag, a URL, an alias)."""
    alternatives: list[list[Test]] = []
    for alternative in spec.split("||"):
        text = re.sub(r"(\^|~>?|>=|<=|>|<|=)\s+", r"\1", alternative.strip())
        tests: list[Test] = []
        hyphen = re.fullmatch(r"(\S+)\s+-\s+(\S+)", text)
        if hyphen:
            low, high = _partial(hyphen.group(1)), _partial(hyphen.group(2))
            if low is None or high is None:
                return None
            floor = _floor(low[0])
            ceiling_parts = high[0]
            if None in ceiling_parts:
                ceiling = _bump(ceiling_parts)
                tests = [lambda v, f=floor: v >= f, lambda v, c=ceiling: v < c]
            else:
                ceiling = _floor(ceiling_parts)
                tests = [lambda v, f=floor: v >= f, lambda v, c=ceiling: v <= c]
        else:
            for token in text.split() or ["*"]:
                found = _comparator(token)
                if found is None:
                    return None
                tests += found
        alternatives.append(tests)
    return alternatives


def _npm_highest(spec: str, versions: Iterable[str]) -> str | None:
    alternatives = npm_range(spec)
    if alternatives is None:
        return None
    best: tuple[Version, str] | None = None
    for text in versions:
        m = _RELEASE.match(text)
        if not m:
            continue  # pre-releases are only installed when asked for by name
        key = (int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if any(all(test(key) for test in tests) for tests in alternatives) and (best is None or key > best[0]):
            best = (key, text)
    return best[1] if best else None


def _pypi_highest(spec: str, versions: Iterable[str]) -> str | None:
    from packaging.specifiers import InvalidSpecifier, SpecifierSet
    from packaging.version import InvalidVersion
    from packaging.version import Version as Pep440

    text = spec.split(";")[0].strip()
    try:
        allowed = SpecifierSet("" if text == "*" else text)
    except InvalidSpecifier:
        return None
    best: tuple[Pep440, str] | None = None
    for text in versions:
        try:
            key = Pep440(text)
        except InvalidVersion:
            continue
        if not key.is_prerelease and key in allowed and (best is None or key > best[0]):
            best = (key, text)
    return best[1] if best else None


RESOLVERS: dict[str, Callable[[str, Iterable[str]], str | None]] = {"npm": _npm_highest, "pypi": _pypi_highest}


def resolve_range(ecosystem: str, spec: str | None, versions: Iterable[str]) -> str | None:
    """The highest of `versions` that `spec` allows, or None (no resolver for the
    ecosystem, a spec that is not a range, or no published version in range)."""
    resolver = RESOLVERS.get(ecosystem)
    if resolver is None or not spec or not spec.strip():
        return None
    try:
        return resolver(spec.strip(), versions)
    except (ValueError, TypeError):
        return None

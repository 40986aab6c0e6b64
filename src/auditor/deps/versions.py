"""Version ordering per ecosystem, for matching advisories' affected ranges ourselves
(offline OSV databases) and for picking the fixed version that applies.

Each ecosystem orders versions its own way and getting it wrong means a missed or an
invented vulnerability: PyPI is PEP 440 (`packaging`), npm/crates/Go are SemVer 2.0
(pre-releases sort before the release; build metadata is ignored), Maven follows
ComparableVersion (qualifiers alpha < beta < milestone < rc < snapshot < release < sp),
RubyGems follows Gem::Version (a letter segment makes a pre-release), Packagist follows
Composer/PHP version_compare (dev < alpha < beta < RC < release < patch).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cmp_to_key, lru_cache
from typing import Any

from packaging.version import InvalidVersion, Version

# -- SemVer (npm, crates.io, Go, NuGet) ----------------------------------------------------
_SEMVER = re.compile(
    r"^\s*[v=]?\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:\.(\d+))?"
    r"(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?\s*$"
)


def semver_key(text: str) -> tuple[Any, ...] | None:
    """SemVer 2.0 precedence. Missing minor/patch count as 0 (npm's loose "1.2"); a fourth
    numeric part is kept for NuGet. Pre-release identifiers: numeric < alphanumeric, and a
    shorter list sorts first when it is a prefix of the other."""
    m = _SEMVER.match(text)
    if not m:
        return None
    nums = tuple(int(g) if g else 0 for g in m.group(1, 2, 3, 4))
    pre = m.group(5)
    if pre is None:
        return (*nums, (1,))
    idents = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in pre.split("."))
    return (*nums, (0, idents))


# -- PEP 440 (PyPI) --------------------------------------------------------------------------
def pep440_key(text: str) -> Version | None:
    try:
        return Version(text)
    except InvalidVersion:
        return None


# -- RubyGems ----------------------------------------------------------------------------------
_GEM_SEGMENT = re.compile(r"[0-9]+|[a-z]+", re.I)
_GEM_VALID = re.compile(r"^\s*[0-9]+(?:\.[0-9a-zA-Z]+)*(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?\s*$")


def _gem_segments(text: str) -> list[int | str] | None:
    if not _GEM_VALID.match(text):
        return None
    text = text.strip().replace("-", ".pre.")  # Gem::Version treats "1.0-x" as "1.0.pre.x"
    segs: list[int | str] = [int(s) if s.isdigit() else s for s in _GEM_SEGMENT.findall(text)]
    # canonical segments: trailing zeros dropped from the release part and the pre-release part
    cut = next((i for i, s in enumerate(segs) if isinstance(s, str)), len(segs))
    release, pre = segs[:cut], segs[cut:]
    while release and release[-1] == 0:
        release.pop()
    while pre and pre[-1] == 0:
        pre.pop()
    return release + pre


def _gem_cmp(a: list[int | str], b: list[int | str]) -> int:
    for i in range(max(len(a), len(b))):
        x = a[i] if i < len(a) else 0
        y = b[i] if i < len(b) else 0
        if x == y:
            continue
        if isinstance(x, str) and isinstance(y, int):
            return -1
        if isinstance(x, int) and isinstance(y, str):
            return 1
        return -1 if x < y else 1  # type: ignore[operator]
    return 0


# -- Maven ComparableVersion ---------------------------------------------------------------------
_MAVEN_QUALIFIERS = ["alpha", "beta", "milestone", "rc", "snapshot", "", "sp"]
_MAVEN_ALIASES = {"ga": "", "final": "", "release": "", "cr": "rc"}
_RELEASE_INDEX = _MAVEN_QUALIFIERS.index("")


def _maven_items(text: str) -> list[Any]:
    """Parse into nested lists: '.' separates items, '-' (and a digit/letter switch) opens a
    sub-list, as ComparableVersion does; trailing null items (0, "", ga...) are trimmed."""
    text = text.strip().lower()
    root: list[Any] = []
    stack = [root]
    token = ""

    def flush(next_is_digit: bool | None) -> None:
        nonlocal token
        cur = stack[-1]
        if token.isdigit():
            cur.append(int(token))
        else:
            word = _MAVEN_ALIASES.get(token, token)
            if len(word) == 1 and next_is_digit:
                word = {"a": "alpha", "b": "beta", "m": "milestone"}.get(word, word)
            cur.append(("q", word))
        token = ""

    for ch in text:
        if ch == ".":
            flush(None)
        elif ch == "-":
            flush(None)
            sub: list[Any] = []
            stack[-1].append(sub)
            stack.append(sub)
        else:
            if token and token[-1].isdigit() != ch.isdigit():
                flush(ch.isdigit())
                sub = []
                stack[-1].append(sub)
                stack.append(sub)
            token += ch
    flush(None)
    _maven_trim(root)
    return root


def _maven_is_null(item: Any) -> bool:
    return item == 0 or item == ("q", "") or (isinstance(item, list) and not item)


def _maven_trim(items: list[Any]) -> None:
    for item in items:
        if isinstance(item, list):
            _maven_trim(item)
    while items and _maven_is_null(items[-1]):
        items.pop()


def _qualifier_rank(word: str) -> tuple[int, str]:
    if word in _MAVEN_QUALIFIERS:
        return (_MAVEN_QUALIFIERS.index(word), "")
    return (len(_MAVEN_QUALIFIERS), word)


def _maven_item_cmp(a: Any, b: Any) -> int:
    if a is None and b is None:
        return 0
    if a is None:
        return -_maven_item_cmp(b, None)
    if isinstance(a, int):
        if b is None:
            return 0 if a == 0 else 1
        if isinstance(b, int):
            return (a > b) - (a < b)
        return 1  # numbers are newer than qualifiers and sub-lists
    if isinstance(a, tuple):
        ra = _qualifier_rank(a[1])
        if b is None:
            rb = (_RELEASE_INDEX, "")
        elif isinstance(b, tuple):
            rb = _qualifier_rank(b[1])
        elif isinstance(b, int):
            return -1
        else:
            return -1  # a qualifier is older than a sub-list
        return (ra > rb) - (ra < rb)
    # a is a list
    if b is None:
        return _maven_item_cmp(a[0], None) if a else 0
    if isinstance(b, int):
        return -1
    if isinstance(b, tuple):
        return 1
    return _maven_list_cmp(a, b)


def _maven_list_cmp(a: list[Any], b: list[Any]) -> int:
    for i in range(max(len(a), len(b))):
        c = _maven_item_cmp(a[i] if i < len(a) else None, b[i] if i < len(b) else None)
        if c:
            return c
    return 0


# -- Composer / PHP version_compare ------------------------------------------------------------------
_PHP_SPECIAL = {"dev": 0, "alpha": 1, "a": 1, "beta": 2, "b": 2, "rc": 3, "#": 4, "pl": 5, "p": 5}
_PHP_SPLIT = re.compile(r"(?<=\d)(?=[a-z])|(?<=[a-z])(?=\d)|[-_+.]+", re.I)
_PHP_VALID = re.compile(r"^\s*v?\d[\w.+-]*\s*$", re.I)


def _php_parts(text: str) -> list[str] | None:
    if not _PHP_VALID.match(text):
        return None
    parts = [p.lower() for p in _PHP_SPLIT.split(text.strip().lstrip("vV")) if p]
    numeric = 0
    while numeric < len(parts) and parts[numeric].isdigit():
        numeric += 1
    # Composer normalizes releases to four numbers (1.2 == 1.2.0.0); pad before any suffix.
    head = parts[:numeric][:4] + ["0"] * max(0, 4 - numeric)
    return head + parts[numeric:]


def _php_rank(part: str | None) -> tuple[int, int]:
    if part is None:
        return (_PHP_SPECIAL["#"], 0)
    if part.isdigit():
        return (_PHP_SPECIAL["#"], int(part))
    return (_PHP_SPECIAL.get(part, -1), 0)


def _php_cmp(a: list[str], b: list[str]) -> int:
    for i in range(max(len(a), len(b))):
        x, y = _php_rank(a[i] if i < len(a) else None), _php_rank(b[i] if i < len(b) else None)
        if x != y:
            return -1 if x < y else 1
    return 0


# -- dispatch ---------------------------------------------------------------------------------------
def _cmp_keyed(parse: Callable[[str], Any], cmp: Callable[[Any, Any], int]) -> Callable[[str], Any]:
    wrapped = cmp_to_key(cmp)

    def key(text: str) -> Any:
        parsed = parse(text)
        return None if parsed is None else wrapped(parsed)

    return key


def _maven_parse(text: str) -> list[Any] | None:
    return _maven_items(text) if text.strip() else None


_KEYS: dict[str, Callable[[str], Any]] = {
    "pypi": pep440_key,
    "npm": semver_key,
    "crates.io": semver_key,
    "go": semver_key,
    "nuget": semver_key,
    "rubygems": _cmp_keyed(_gem_segments, _gem_cmp),
    "maven": _cmp_keyed(_maven_parse, _maven_list_cmp),
    "packagist": _cmp_keyed(_php_parts, _php_cmp),
}


@lru_cache(maxsize=65536)
def version_key(ecosystem: str, text: str) -> Any:
    """A sort key ordering `text` as `ecosystem` does, or None when it is not a version
    there (callers then treat the comparison as unknown, never as "not affected")."""
    key = _KEYS.get(ecosystem, pep440_key)
    try:
        return key(text)
    except (ValueError, TypeError, IndexError):
        return None


def compare(ecosystem: str, a: str, b: str) -> int | None:
    """-1, 0 or 1 as `a` sorts before, with or after `b`; None when either is unparseable."""
    ka, kb = version_key(ecosystem, a), version_key(ecosystem, b)
    if ka is None or kb is None:
        return None
    return (ka > kb) - (ka < kb)

"""Load the secret detectors from patterns.yaml (data, not code) and compile them once.

`PatternSet.candidates(text)` is the keyword prefilter: one lower-casing of the text and a
substring test per distinct keyword decide which regexes run at all, so a file without
`ghp_` never pays for the GitHub regex. Bad data is an error naming the file and detector.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from auditor.datafiles import DataFileError, load_yaml, parse_yaml
from auditor.errors import AuditorError
from auditor.findings import Severity
from auditor.secrets.validators import VALIDATORS

SOURCE = "auditor/secrets/patterns.yaml"
FILE_KINDS = frozenset({"dotenv", "properties", "yaml", "shell", "ini", "json", "docs", "code", "other"})
_FIELDS = {"id", "name", "provider", "rule", "keywords", "regex", "group", "entropy", "severity",
           "validator", "verify", "pair", "needs_pair", "files", "generic", "kind", "names", "min_length"}
# Python's re finds a literal prefix (`ghp_`) with a fast substring search, but not when the
# regex opens with a lookbehind: then it tries the lookbehind at every position (~90x
# slower). The loader moves a leading `(?<![class])` out of the regex into a one-character
# check the detector runs on each match's start.
_LEADING_LOOKBEHIND = re.compile(r"^(\(\?[aiLmsux]+\))?\(\?<!(\[(?:\\.|[^\]\\])+\])\)")
# For `kind: assignment`: the secret word(s) must end the name, optionally followed by the
# name's closing quote or bracket and a type annotation (`api_key: str = "..."`).
_NAME_SUFFIX = r"""["']?\]?\s*(?::\s*[A-Za-z][\w\[\]|.<>]{0,30}\s*)?$"""


@dataclass(frozen=True)
class SecretPattern:
    """One detector. `order` is its position in the file: on overlapping matches the
    earlier (more specific) detector wins.

    `kind` is `regex` (the regex finds the secret) or `assignment` (the shared assignment
    syntax finds `name = "value"`; `regex` then matches the end of the text before the
    operator and `key_regex` a bare config key)."""

    id: str
    name: str
    provider: str
    rule: str
    regex: re.Pattern[str]
    keywords: tuple[str, ...]
    severity: Severity
    group: int | str = 1
    entropy: float = 0.0
    validator: str | None = None
    verify: str | None = None
    pair: str | None = None
    needs_pair: str | None = None
    files: frozenset[str] = frozenset()
    generic: bool = False
    order: int = 0
    kind: str = "regex"
    key_regex: re.Pattern[str] | None = None
    min_length: int = 0
    not_after: re.Pattern[str] | None = None  # the leading lookbehind, as a 1-char check

    def boundary_ok(self, text: str, start: int) -> bool:
        """The character before a match must not be one the regex's lookbehind forbade."""
        return self.not_after is None or start == 0 or not self.not_after.match(text, start - 1)


@dataclass(frozen=True)
class AssignmentSyntax:
    """Where `kind: assignment` detectors look: quoted literals anywhere, bare values in
    config files only."""

    quoted: re.Pattern[str]
    unquoted: re.Pattern[str]
    config_files: frozenset[str]


@dataclass
class PatternSet:
    patterns: tuple[SecretPattern, ...]
    syntax: AssignmentSyntax | None = None
    _by_keyword: dict[str, list[int]] = field(default_factory=dict, repr=False)
    _always: list[int] = field(default_factory=list, repr=False)
    _keywords: tuple[str, ...] = field(default=(), repr=False)

    def __post_init__(self) -> None:
        for i, p in enumerate(self.patterns):
            if not p.keywords:
                self._always.append(i)
            for kw in p.keywords:
                self._by_keyword.setdefault(kw, []).append(i)
        # Shortest first: a short keyword is likelier to occur, and `any` stops at the first.
        self._keywords = tuple(sorted(self._by_keyword, key=len))

    def might_hold_secret(self, text: str) -> bool:
        """The cheap test that runs before any detector on a short text (a finding's snippet
        or message): substring tests that stop at the first keyword found (a regex
        alternation of them all is ~10x slower in Python's re), then the few keyword-less
        detectors' own regexes. False means no detector could match."""
        lowered = text.lower()
        if any(kw in lowered for kw in self._keywords):
            return True
        return any(self.patterns[i].regex.search(text) for i in self._always)

    def candidates(self, text: str) -> list[SecretPattern]:
        """The detectors worth running on `text`, in priority order."""
        lowered = text.lower()
        chosen = set(self._always)
        for kw, idx in self._by_keyword.items():
            if kw in lowered:
                chosen.update(idx)
        return [self.patterns[i] for i in sorted(chosen)]


def _fail(where: str, problem: str) -> AuditorError:
    return AuditorError(f"{where}: {problem}")


def parse_pattern(data: Any, order: int, source: str = SOURCE) -> SecretPattern:
    """Build one SecretPattern, or raise AuditorError naming the file and detector."""
    if not isinstance(data, dict):
        raise _fail(source, f"detector #{order + 1} must be a mapping")
    pid = data.get("id")
    where = f"{source}: detector {pid or '#' + str(order + 1)}"
    kind = data.get("kind", "regex")
    if kind not in ("regex", "assignment"):
        raise _fail(where, f"unknown kind {kind!r} (regex or assignment)")
    for key in ("id", "name", "provider", "rule", "regex" if kind == "regex" else "names", "severity"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise _fail(where, f"missing {key}")
    unknown = set(data) - _FIELDS
    if unknown:
        raise _fail(where, f"unknown field(s) {', '.join(sorted(unknown))}")
    key_regex = not_after = None
    try:
        if kind == "assignment":
            regex = re.compile(f"(?i)(?P<name>(?:{data['names']})){_NAME_SUFFIX}")
            key_regex = re.compile(f"(?i)(?P<name>(?:{data['names']}))$")
        else:
            source_rx = data["regex"]
            lead = _LEADING_LOOKBEHIND.match(source_rx)
            if lead:
                not_after = re.compile(lead.group(2))
                source_rx = (lead.group(1) or "") + source_rx[lead.end():]
            regex = re.compile(source_rx)
    except re.error as exc:
        raise _fail(where, f"bad regex ({exc})") from None
    try:
        severity = Severity.parse(data["severity"])
    except ValueError as exc:
        raise _fail(where, str(exc)) from None
    keywords = data.get("keywords") or []
    if not isinstance(keywords, list) or not all(isinstance(k, str) and k for k in keywords):
        raise _fail(where, "keywords must be a list of strings")
    if any(k != k.lower() for k in keywords):
        raise _fail(where, "keywords must be lower-case (they are matched on lower-cased text)")
    validator = data.get("validator")
    if validator is not None and validator not in VALIDATORS:
        raise _fail(where, f"unknown validator {validator!r}")
    files = frozenset(data.get("files") or ())
    if files - FILE_KINDS:
        raise _fail(where, f"unknown file kind(s) {sorted(files - FILE_KINDS)}")
    group = data.get("group", 1 if regex.groups else 0)
    if kind == "regex" and isinstance(group, int) and group > regex.groups:
        raise _fail(where, f"group {group} but the regex has {regex.groups}")
    try:
        entropy = float(data.get("entropy", 0))
    except (TypeError, ValueError):
        raise _fail(where, "entropy must be a number") from None
    return SecretPattern(
        id=pid, name=data["name"], provider=data["provider"], rule=data["rule"], regex=regex,
        keywords=tuple(keywords), severity=severity, group=group, entropy=entropy,
        validator=validator, verify=data.get("verify"), pair=data.get("pair"),
        needs_pair=data.get("needs_pair"), files=files, generic=bool(data.get("generic", False)),
        order=order, kind=kind, key_regex=key_regex, min_length=int(data.get("min_length", 0)),
        not_after=not_after,
    )


def parse_patterns(text: str, source: str = SOURCE) -> PatternSet:
    try:
        data = parse_yaml(text, source)
    except DataFileError as exc:
        raise _fail(source, str(exc).split(": ", 1)[-1]) from None
    return patterns_from_data(data, source)


def patterns_from_data(data: Any, source: str = SOURCE) -> PatternSet:
    """Validate and compile the parsed content of a patterns file."""
    if not isinstance(data, dict) or not isinstance(data.get("patterns"), list):
        raise _fail(source, "expected a mapping with a 'patterns' list")
    patterns = tuple(parse_pattern(item, i, source) for i, item in enumerate(data["patterns"]))
    syntax = _parse_syntax(data.get("assignment_syntax"), source)
    if syntax is None and any(p.kind == "assignment" for p in patterns):
        raise _fail(source, "assignment detectors need an assignment_syntax section")
    ids = [p.id for p in patterns]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise _fail(source, f"duplicate detector id(s) {', '.join(dupes)}")
    return PatternSet(patterns, syntax)


def _parse_syntax(data: Any, source: str) -> AssignmentSyntax | None:
    if data is None:
        return None
    where = f"{source}: assignment_syntax"
    if not isinstance(data, dict) or not all(isinstance(data.get(k), str) for k in ("quoted", "unquoted")):
        raise _fail(where, "needs 'quoted' and 'unquoted' regexes")
    try:
        quoted, unquoted = re.compile(data["quoted"]), re.compile(data["unquoted"])
    except re.error as exc:
        raise _fail(where, f"bad regex ({exc})") from None
    if "value" not in quoted.groupindex or not {"key", "value"} <= set(unquoted.groupindex):
        raise _fail(where, "'quoted' needs a (?P<value>) group, 'unquoted' (?P<key>) and (?P<value>)")
    files = frozenset(data.get("config_files") or ())
    if files - FILE_KINDS:
        raise _fail(where, f"unknown file kind(s) {sorted(files - FILE_KINDS)}")
    return AssignmentSyntax(quoted, unquoted, files)


@lru_cache(maxsize=1)
def load_patterns() -> PatternSet:
    """The shipped detectors, compiled once per process."""
    path = Path(__file__).parent / "patterns.yaml"
    try:
        return patterns_from_data(load_yaml(path, SOURCE))
    except DataFileError as exc:
        raise _fail(SOURCE, str(exc).split(": ", 1)[-1]) from None

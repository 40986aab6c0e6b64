"""Load and validate the rule files shipped in `auditor/kb/rules/**.yaml`.

A rule file holds either one rule mapping or `rules: [ ... ]`. Validation is strict: a
missing field, an unknown category or severity, a malformed id or a duplicate id is an
error naming the file, so a broken rule can never ship silently (the test suite loads all).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from auditor.datafiles import DataFileError, load_yaml, parse_yaml
from auditor.findings import CATEGORIES, Severity
from auditor.fsutil import UnreadableFile, read_text_strict
from auditor.kb.model import EXAMPLE_LANGUAGES, Applies, Rule, RuleExample, VersionRange

RULE_ID = re.compile(r"^[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)+$")
CWE_ID = re.compile(r"^CWE-\d+$")
OWASP_ID = re.compile(r"^A\d\d:20\d\d$")
REQUIRED = ("id", "title", "category", "cwe", "owasp", "severity", "applies", "guidance", "examples")
RULE_FILE_LIMIT = 2_000_000  # a rule file is a few KB; a larger one is not a rule file
KNOWN = set(REQUIRED) | {"detectors", "references", "paths"}
APPLIES_KEYS = {"frameworks", "any_library", "all_libraries", "languages", "unless_libraries", "versions"}


class RuleError(ValueError):
    """A rule file is malformed; the message starts with the file name."""


def _str_list(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise RuleError(f"{where}: expected a list of non-empty strings")
    return tuple(v.strip() for v in value)


def parse_rule(data: Any, source: str) -> Rule:
    """Build a Rule from one YAML mapping, or raise RuleError naming `source` and the rule."""
    if not isinstance(data, dict):
        raise RuleError(f"{source}: a rule must be a mapping")
    rid = data.get("id", "<no id>")
    where = f"{source}: rule {rid}"
    missing = [k for k in REQUIRED if k not in data or data[k] in (None, "", [])]
    if missing:
        raise RuleError(f"{where}: missing {', '.join(missing)}")
    unknown = set(data) - KNOWN
    if unknown:
        raise RuleError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    if not isinstance(rid, str) or not RULE_ID.match(rid):
        raise RuleError(f"{where}: id must be dotted lower-case words like express.sql.parameterize")
    if data["category"] not in CATEGORIES:
        raise RuleError(f"{where}: unknown category {data['category']!r}")
    try:
        severity = Severity.parse(str(data["severity"]))
    except ValueError as exc:
        raise RuleError(f"{where}: {exc}") from None
    cwe = _str_list(data["cwe"], f"{where}: cwe")
    bad_cwe = [c for c in cwe if not CWE_ID.match(c)]
    if bad_cwe:
        raise RuleError(f"{where}: cwe entries must look like CWE-89, got {bad_cwe}")
    if not OWASP_ID.match(str(data["owasp"])):
        raise RuleError(f"{where}: owasp must look like A03:2021")

    applies_raw = data["applies"]
    if not isinstance(applies_raw, dict) or not applies_raw:
        raise RuleError(f"{where}: applies must be a non-empty mapping")
    if set(applies_raw) - APPLIES_KEYS:
        raise RuleError(f"{where}: unknown applies key(s) {sorted(set(applies_raw) - APPLIES_KEYS)}")
    versions_raw = applies_raw.get("versions") or {}
    if not isinstance(versions_raw, dict):
        raise RuleError(f"{where}: applies.versions must map component id to a range")
    applies = Applies(
        frameworks=_str_list(applies_raw.get("frameworks"), f"{where}: applies.frameworks"),
        any_library=_str_list(applies_raw.get("any_library"), f"{where}: applies.any_library"),
        all_libraries=_str_list(applies_raw.get("all_libraries"), f"{where}: applies.all_libraries"),
        languages=_str_list(applies_raw.get("languages"), f"{where}: applies.languages"),
        unless_libraries=_str_list(applies_raw.get("unless_libraries"), f"{where}: applies.unless_libraries"),
        versions=tuple(VersionRange(str(k), str(v)) for k, v in versions_raw.items()),
    )

    guidance = _str_list(data["guidance"], f"{where}: guidance")
    examples_raw = data["examples"]
    if isinstance(examples_raw, dict):
        examples_raw = [examples_raw]
    if not isinstance(examples_raw, list):
        raise RuleError(f"{where}: examples must be a mapping or a list of mappings")
    examples = []
    for ex in examples_raw:
        if not isinstance(ex, dict) or not all(isinstance(ex.get(k), str) and ex[k].strip() for k in ("language", "bad", "good")):
            raise RuleError(f"{where}: each example needs language, bad and good")
        if ex["language"] not in EXAMPLE_LANGUAGES:
            raise RuleError(f"{where}: unknown example language {ex['language']!r}")
        if set(ex) - {"language", "bad", "good", "file"}:
            raise RuleError(f"{where}: unknown example field(s) {sorted(set(ex) - {'language', 'bad', 'good', 'file'})}")
        examples.append(RuleExample(ex["language"], ex["bad"], ex["good"], str(ex.get("file") or "")))

    return Rule(
        id=rid,
        title=str(data["title"]).strip(),
        category=data["category"],
        cwe=cwe,
        owasp=str(data["owasp"]),
        severity=severity,
        applies=applies,
        guidance=guidance,
        examples=tuple(examples),
        detectors=_str_list(data.get("detectors"), f"{where}: detectors"),
        references=_str_list(data.get("references"), f"{where}: references"),
        paths=_str_list(data.get("paths"), f"{where}: paths"),
        source=source,
    )


def parse_rule_file(text: str, source: str) -> list[Rule]:
    try:
        data = parse_yaml(text, source)
    except DataFileError as exc:
        raise RuleError(str(exc)) from None
    return parse_rule_data(data, source)


def parse_rule_data(data: Any, source: str) -> list[Rule]:
    """Rules from a rule file's parsed content (one mapping, or `rules: [...]`)."""
    if isinstance(data, dict) and "rules" in data:
        items = data["rules"]
        if not isinstance(items, list):
            raise RuleError(f"{source}: 'rules' must be a list")
    else:
        items = [data]
    return [parse_rule(item, source) for item in items]


def rules_dir() -> Path:
    return Path(__file__).parent / "rules"


def load_rules_from(directory: Path, cached: bool = False) -> tuple[Rule, ...]:
    """Every rule under `directory`, sorted by id; duplicate ids are an error. `cached`
    reads the YAML through the data-file cache (for the shipped rules)."""
    rules: dict[str, Rule] = {}
    for path in sorted(directory.rglob("*.yaml")):
        source = path.relative_to(directory).as_posix()
        if cached:
            try:
                loaded = parse_rule_data(load_yaml(path, source), source)
            except DataFileError as exc:
                raise RuleError(str(exc)) from None
        else:
            try:
                text = read_text_strict(path, RULE_FILE_LIMIT)
            except UnreadableFile as exc:
                raise RuleError(f"{source}: {exc}") from None
            loaded = parse_rule_file(text, source)
        for rule in loaded:
            if rule.id in rules:
                raise RuleError(f"{source}: duplicate rule id {rule.id} (also in {rules[rule.id].source})")
            rules[rule.id] = rule
    return tuple(rules[k] for k in sorted(rules))


@lru_cache(maxsize=1)
def load_rules() -> tuple[Rule, ...]:
    """The shipped rules, loaded once per process (hooks and the MCP server reuse them).
    The YAML comes through auditor.datafiles' JSON cache; validation runs every time."""
    return load_rules_from(rules_dir(), cached=True)


def rules_by_id() -> dict[str, Rule]:
    return {r.id: r for r in load_rules()}

"""The detector data loads strictly, the prefilter skips regexes whose keywords are absent,
and the secrets rules pass the same bad/good self-test as scan rules."""

from __future__ import annotations

import pytest

from auditor.errors import AuditorError
from auditor.kb.load import load_rules_from, rules_dir
from auditor.secrets.detect import find_secrets, scan_text
from auditor.secrets.patterns import load_patterns, parse_patterns

PATTERNS = load_patterns()
SECRET_RULES = load_rules_from(rules_dir() / "secrets")


def test_every_detector_names_a_secrets_rule():
    rule_ids = {r.id for r in SECRET_RULES}
    assert {p.rule for p in PATTERNS.patterns} <= rule_ids
    assert all(r.category == "hardcoded-secret" for r in SECRET_RULES)
    assert len(PATTERNS.patterns) >= 40


@pytest.mark.parametrize("rule", SECRET_RULES, ids=lambda r: r.id)
def test_rule_examples_bad_flagged_good_clean(rule):
    for ex in rule.examples:
        bad = [f for f in find_secrets(ex.filename, ex.bad) if f.rule_id == rule.id]
        assert bad, f"{rule.id}: bad {ex.language} example not flagged"
        good = [f for f in find_secrets(ex.filename, ex.good) if f.severity >= 2]
        assert not good, f"{rule.id}: good {ex.language} example flagged: {[f.message for f in good]}"


def test_prefilter_runs_only_detectors_whose_keywords_occur():
    ids = {p.id for p in PATTERNS.candidates("x = 1\n")}
    assert "github-classic-pat" not in ids and "stripe-secret-key" not in ids
    ids = {p.id for p in PATTERNS.candidates("token = 'GHP_...'")}
    assert "github-classic-pat" in ids  # keywords match case-insensitively


def test_leading_lookbehind_is_kept_as_a_boundary_check():
    gh = next(p for p in PATTERNS.patterns if p.id == "github-classic-pat")
    assert not gh.regex.pattern.startswith("(?<!") and gh.not_after is not None
    token = "ghp_" + "aB3" * 12
    assert scan_text("a.py", f'x = "x{token}"\n') == []  # glued to a word: not a token


BASE = "patterns:\n  - id: t\n    name: T\n    provider: p\n    rule: secrets.x\n    severity: high\n"


@pytest.mark.parametrize("extra, problem", [
    ("    regex: '(unclosed'\n", "bad regex"),
    ("    regex: 'a(b)'\n    validator: nope\n", "unknown validator"),
    ("    regex: 'a(b)'\n    keywords: [ABC]\n", "lower-case"),
    ("    regex: 'a(b)'\n    colour: red\n", "unknown field"),
    ("    regex: 'a(b)'\n    group: 3\n", "group 3"),
    ("    kind: assignment\n    names: 'x'\n", "assignment_syntax"),
])
def test_bad_detector_data_is_rejected_naming_file_and_detector(extra, problem):
    with pytest.raises(AuditorError) as exc:
        parse_patterns(BASE + extra, "patterns.yaml")
    assert str(exc.value).startswith("patterns.yaml") and problem in str(exc.value)
    if problem != "assignment_syntax":
        assert "detector t" in str(exc.value)


def test_not_yaml_is_rejected():
    with pytest.raises(AuditorError, match="patterns.yaml: not valid YAML"):
        parse_patterns("patterns: [unclosed\n", "patterns.yaml")

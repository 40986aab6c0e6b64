"""Self-test of the Python rules against the Python checks alone (the same contract as
tests/scan/test_rule_examples.py, runnable while other areas' rules are in flux), plus the
rule chosen for a file scanned without a stack."""

from __future__ import annotations

import pytest
from python_scan_helpers import python_rules, scan

from auditor.kb.select import applies_to
from auditor.scan.languages import parse
from auditor.scan.registry import known_detectors
from auditor.stack.model import StackComponent, SubProject

RULES = python_rules()
DETECTED = [r for r in RULES if r.detectors]


def stack_for(rule) -> SubProject:
    project = SubProject(path=".")
    a = rule.applies
    for fw in a.frameworks[:1]:
        project.add(StackComponent(fw, "framework"))
    for lib in (*a.any_library[:1], *a.all_libraries):
        project.add(StackComponent(lib, "library"))
    for lang in a.languages or rule.languages:
        project.add(StackComponent(lang, "language"))
    return project


def test_python_rules_are_many_and_detected():
    assert len(RULES) >= 60
    assert len(DETECTED) / len(RULES) > 0.9
    missing = sorted({d for r in RULES for d in r.detectors if d not in known_detectors()})
    assert not missing


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_examples_parse_and_guidance_is_tight(rule):
    for ex in rule.examples:
        for code in (ex.bad, ex.good):
            assert not parse(ex.language, code).root_node.has_error
    assert 1 <= len(rule.guidance) <= 5
    assert all(len(g) <= 220 for g in rule.guidance), [g for g in rule.guidance if len(g) > 220]
    assert applies_to(rule.applies, stack_for(rule))


@pytest.mark.parametrize("rule", DETECTED, ids=lambda r: r.id)
def test_bad_flagged_good_clean_with_stack(rule):
    for ex in rule.examples:
        bad = [f for f in scan(ex.bad, ex.filename, stack_for(rule)) if f.category == rule.category]
        assert bad, f"{rule.id}: bad example not flagged"
        good = [f for f in scan(ex.good, ex.filename, stack_for(rule)) if f.category == rule.category and f.severity >= 2]
        assert not good, [(f.rule_id, f.line, f.message) for f in good]


@pytest.mark.parametrize("rule", DETECTED, ids=lambda r: r.id)
def test_bad_flagged_without_stack(rule):
    """A file scanned alone: still flagged, with the same category."""
    for ex in rule.examples:
        bad = [f for f in scan(ex.bad, ex.filename) if f.category == rule.category]
        assert bad, f"{rule.id}: bad example not flagged without a stack"

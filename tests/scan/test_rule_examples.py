"""The rule self-test (DESIGN.md): for every rule that names detectors, its bad example is
flagged by one of them and its good example by none."""

from __future__ import annotations

import pytest

from auditor.kb.load import load_rules
from auditor.scan.engine import Scanner
from auditor.scan.registry import known_detectors
from auditor.stack.model import StackComponent, SubProject

RULES = load_rules()
DETECTED = [r for r in RULES if r.detectors]
SCANNER = Scanner(rules=RULES, secrets=False)


def stack_for(rule) -> SubProject:
    """A sub-project that satisfies the rule's `applies` (so stack-aware checks fire)."""
    project = SubProject(path=".")
    a = rule.applies
    for fw in a.frameworks[:1]:
        project.add(StackComponent(fw, "framework"))
    for lib in (*a.any_library[:1], *a.all_libraries):
        project.add(StackComponent(lib, "library"))
    for lang in a.languages or rule.languages:
        project.add(StackComponent(lang, "language"))
    return project


def hits(rule, code: str, filename: str) -> list:
    src_findings = SCANNER.scan_source(filename, code, project=stack_for(rule))
    return [f for f in src_findings if f.rule_id in {rule.id} or f.category == rule.category]


def test_every_named_detector_exists():
    missing = sorted({(r.id, d) for r in RULES for d in r.detectors if d not in known_detectors()})
    assert not missing, f"rules name detectors no check provides: {missing}"


@pytest.mark.parametrize("rule", DETECTED, ids=lambda r: r.id)
def test_bad_example_flagged_good_example_clean(rule):
    for ex in rule.examples:
        bad = hits(rule, ex.bad, ex.filename)
        assert bad, f"{rule.id}: bad example ({ex.filename}) not flagged by {rule.detectors}"
        good = [f for f in hits(rule, ex.good, ex.filename) if f.severity >= 2]
        assert not good, f"{rule.id}: good example flagged: {[(f.rule_id, f.line, f.message) for f in good]}"

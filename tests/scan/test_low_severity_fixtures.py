"""Annotated fixtures of mechanisms that report at low severity: the shared fixture test lets
an `ok:` line carry a low finding (a hardening note), so for these the safe lines are held to
no finding of the rule at all."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_annotated_fixtures import ROOT, RULES, SCANNER, annotations, fixture_stack

LOW_FIXTURES = ["javascript/jwt_long_lifetime.js", "javascript/sqlite_raw_access.js"]


@pytest.mark.parametrize("rel", LOW_FIXTURES)
def test_safe_lines_carry_no_low_finding(rel: str):
    path: Path = ROOT / rel
    text = path.read_text(encoding="utf-8")
    findings = SCANNER.scan_source(rel, text, project=fixture_stack(text))
    for kind, rule_id, line in annotations(text):
        rule = RULES[rule_id]
        on_line = [f for f in findings if f.line <= line <= f.end_line and (f.rule_id == rule_id or f.category == rule.category)]
        if kind == "ok":
            assert not on_line, f"{rel}:{line}: expected no {rule_id} finding, got {[(f.rule_id, f.severity) for f in on_line]}"
        else:
            assert on_line, f"{rel}:{line}: expected {rule_id}"

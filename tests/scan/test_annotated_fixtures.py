"""Annotated fixtures (DESIGN.md style): under tests/fixtures/scan/, a comment
`ruleid: <rule-id>` on the line before a flagged line, `ok: <rule-id>` before a clean one
(after `#`, `//`, `--` or `<!--`). The file reads as its own specification.

A line expected for a rule passes when a finding on it carries that rule id or, when the
engine reported it under a sibling rule, the rule's category (the same flaw). An `ok:` line
fails on any finding at medium or above of that rule or category.

The fixture's stack comes from a `stack:` comment on the first lines (`# stack: django drf`),
else from nothing (as when a single file is scanned on its own)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from auditor.kb.load import rules_by_id
from auditor.scan.engine import Scanner
from auditor.stack.model import StackComponent, SubProject

ROOT = Path(__file__).parent.parent / "fixtures" / "scan"
FILES = sorted(p for p in ROOT.rglob("*") if p.is_file() and not p.name.endswith(".md"))
ANNOTATION = re.compile(r"(?:#|//|--|<!--|/\*)\s*(ruleid|ok):\s*([a-z0-9.\-]+)")
STACK = re.compile(r"(?:#|//|--|<!--|/\*)\s*stack:\s*([a-z0-9 .\-]+)")
RULES = rules_by_id()
SCANNER = Scanner(secrets=False)


def annotations(text: str) -> list[tuple[str, str, int]]:
    """(kind, rule_id, 1-based line the annotation speaks about)."""
    out = []
    lines = text.splitlines()
    for i, line in enumerate(lines):
        for m in ANNOTATION.finditer(line):
            target = i + 2
            # several annotations may stack above one line
            while target - 1 < len(lines) and ANNOTATION.search(lines[target - 1]) and not ANNOTATION.sub("", lines[target - 1]).strip(" #/-*<>!"):
                target += 1
            out.append((m.group(1), m.group(2), target))
    return out


def fixture_stack(text: str) -> SubProject | None:
    for line in text.splitlines()[:5]:
        m = STACK.search(line)
        if m:
            project = SubProject(path=".")
            for cid in m.group(1).split():
                project.add(StackComponent(cid, "library"))
            return project
    return None


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_fixture(path: Path):
    text = path.read_text(encoding="utf-8")
    notes = annotations(text)
    assert notes, f"{path.name} has no ruleid:/ok: annotations"
    rel = path.relative_to(ROOT).as_posix()
    findings = SCANNER.scan_source(rel, text, project=fixture_stack(text))
    problems = []
    for kind, rule_id, line in notes:
        rule = RULES.get(rule_id)
        assert rule is not None, f"{rel}: annotation names unknown rule {rule_id}"
        on_line = [f for f in findings if f.line <= line <= f.end_line and not f.suppressed]
        matching = [f for f in on_line if f.rule_id == rule_id or f.category == rule.category]
        if kind == "ruleid" and not matching:
            problems.append(f"line {line}: expected {rule_id}, got {[f.rule_id for f in on_line]}")
        if kind == "ok" and [f for f in matching if f.severity >= 2]:
            problems.append(f"line {line}: expected clean for {rule_id}, got {[f.rule_id for f in matching]}")
    assert not problems, f"{rel}:\n" + "\n".join(problems)

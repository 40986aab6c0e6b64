"""Annotated multi-file fixtures: each folder two levels under tests/fixtures/projects/
(`<mechanism>/vulnerable`, `<mechanism>/fixed`) is scanned as one project, so flows that
cross files (a handler calling a service, a package, a model) are followed through the
project index, with the stack `auditor scan` would detect there. The `ruleid:`/`ok:` comments mean what they mean in the one-file fixtures
(see test_annotated_fixtures.py); every mechanism has a vulnerable twin and a fixed one."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_annotated_fixtures import RULES, annotations

from auditor.scan.engine import Scanner
from auditor.stack.detect import detect_stack

ROOT = Path(__file__).parent.parent / "fixtures" / "projects"
PROJECTS = sorted(p for p in ROOT.glob("*/*") if p.is_dir())


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_project_fixture(project: Path):
    # As `auditor scan` does: the stack found in the folder (versions from lockfiles) is known.
    scanner = Scanner(stack=detect_stack(project), secrets=False, summary_cache=False)
    findings = scanner.scan_tree(project, jobs=1).findings
    problems = []
    noted = 0
    for path in sorted(p for p in project.rglob("*") if p.is_file()):
        rel = path.relative_to(project).as_posix()
        for kind, rule_id, line in annotations(path.read_text(encoding="utf-8")):
            noted += 1
            rule = RULES.get(rule_id)
            assert rule is not None, f"{rel}: annotation names unknown rule {rule_id}"
            on_line = [f for f in findings if f.path == rel and f.line <= line <= f.end_line and not f.suppressed]
            matching = [f for f in on_line if f.rule_id == rule_id or f.category == rule.category]
            if kind == "ruleid" and not matching:
                problems.append(f"{rel}:{line}: expected {rule_id}, got {[f.rule_id for f in on_line]}")
            if kind == "ok" and [f for f in matching if f.severity >= 2]:
                problems.append(f"{rel}:{line}: expected clean for {rule_id}, got {[f.rule_id for f in matching]}")
    assert noted, f"{project.name} has no ruleid:/ok: annotations"
    assert not problems, "\n".join(problems)


def test_every_vulnerable_project_has_a_fixed_twin():
    for project in PROJECTS:
        twin = project.parent / ("fixed" if project.name == "vulnerable" else "vulnerable")
        assert twin.is_dir(), f"{project} has no twin {twin.name}"

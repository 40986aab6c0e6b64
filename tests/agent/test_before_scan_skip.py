"""The hook skips scanning an edit's "before" text only when that cannot change the answer:
`all_new` must agree with the full fingerprint comparison."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.agent import check
from auditor.agent.check import all_new, introduced_findings, reportable
from auditor.agent.edits import FileEdit
from auditor.scan.engine import Scanner

from .conftest import APP, BAD_QUERY, SAFE_QUERY

MOVED = APP.replace("    uid = request.args.get(\"id\")\n", "") .replace(
    "    db = sqlite3.connect", "    uid = request.args.get(\"id\")\n    db = sqlite3.connect")
BAD = APP.replace(SAFE_QUERY, BAD_QUERY)
EDITS = [
    ("vulnerable line added", APP, BAD),
    ("vulnerable line already there, code moved", BAD, BAD.replace("import sqlite3\n", "import sqlite3\nimport os\n")),
    ("whitespace changed on the vulnerable line", BAD, BAD.replace(BAD_QUERY, BAD_QUERY.replace(" + ", "  +  "))),
    ("the source moved into the flow", MOVED.replace(SAFE_QUERY, BAD_QUERY), BAD),
    ("a secret added", APP, APP + 'AWS_KEY = "AKIAIOSFODNN7EXAMPLF"\n'),
]


def _full_comparison(scanner: Scanner, before: str, after: str) -> list[str]:
    known = {f.fingerprint for f in scanner.scan_source("app.py", before)}
    return sorted(f.fingerprint for f in reportable(scanner.scan_source("app.py", after)) if f.fingerprint not in known)


@pytest.mark.parametrize(("name", "before", "after"), EDITS, ids=[e[0] for e in EDITS])
def test_the_hook_reports_what_the_full_comparison_reports(project: Path, name: str, before: str, after: str):
    scanner = Scanner(stack=check.project_stack(project, ["app.py"]))
    edit = FileEdit(path=project / "app.py", before=before, after=after)
    got = sorted(f.fingerprint for f in introduced_findings(project, [edit], scanner=scanner, deps=False))
    assert got == _full_comparison(scanner, before, after)


def test_before_is_not_scanned_when_every_flagged_line_is_new(project: Path, monkeypatch):
    scanner = Scanner(stack=check.project_stack(project, ["app.py"]))
    scanned: list[str] = []
    real = scanner.scan_source
    monkeypatch.setattr(scanner, "scan_source", lambda rel, text: scanned.append(text) or real(rel, text))
    edit = FileEdit(path=project / "app.py", before=APP, after=BAD)
    assert [f.rule_id for f in introduced_findings(project, [edit], scanner=scanner, deps=False)]
    assert scanned == [BAD]


def test_a_flagged_line_that_was_already_there_needs_the_before_scan(project: Path):
    findings = reportable(Scanner(stack=check.project_stack(project, ["app.py"])).scan_source("app.py", BAD))
    assert findings and not all_new("app.py", findings, BAD)
    assert all_new("app.py", findings, APP)
    # a finding hashed from something other than its line (a redacted secret) is never assumed new
    assert not all_new("app.py", [*findings, findings[0].__class__(**{**vars(findings[0]), "fingerprint_basis": "x"})], APP)

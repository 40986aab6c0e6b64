"""A weak validator guarding two redirects is reported once, on its comparison, with the
route it fails to guard in the trace (the finding is made while scanning the route file)."""

from __future__ import annotations

from pathlib import Path

from auditor.scan.engine import Scanner
from auditor.stack.detect import detect_stack

PROJECT = Path(__file__).parent.parent / "fixtures" / "projects" / "js-weak-allowlist-helper"


def test_weak_validator_reported_once_at_its_comparison():
    root = PROJECT / "vulnerable"
    findings = Scanner(stack=detect_stack(root), secrets=False, summary_cache=False).scan_tree(root, jobs=1).findings
    at_guard = [f for f in findings if f.path == "lib/urls.ts"]
    assert [(f.line, f.category) for f in at_guard] == [(8, "open-redirect")]
    assert at_guard[0].trace and at_guard[0].trace[0][0] == "routes/outbound.ts"


def test_sound_validator_not_reported():
    root = PROJECT / "fixed"
    findings = Scanner(stack=detect_stack(root), secrets=False, summary_cache=False).scan_tree(root, jobs=1).findings
    assert not [f for f in findings if f.category == "open-redirect"]

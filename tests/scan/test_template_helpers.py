"""Shell-running helpers handed to templates are reported as such, at the rule's severity,
in Python (Flask), JavaScript (Express) and Java (Spring MVC)."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.findings import Severity
from auditor.scan.engine import Scanner

FIXTURES = Path(__file__).parent.parent / "fixtures" / "scan"


@pytest.mark.parametrize(("rel", "lines"), [
    ("python/flask/template_helpers.py", {13, 18, 26}),
    ("javascript/express_template_helpers.js", {11, 16}),
    ("java/TemplateHelpersController.java", {29, 46}),
])
def test_helpers_callable_from_templates(rel: str, lines: set[int]) -> None:
    path = FIXTURES / rel
    findings = Scanner(secrets=False, summary_cache=False).scan_source(path.name, path.read_text(encoding="utf-8"))
    helpers = {f.line for f in findings if f.category == "command-injection" and f.severity == Severity.CRITICAL
               and "template" in f.message}
    assert helpers == lines

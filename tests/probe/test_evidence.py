"""Evidence: the request as sent, the canary marked, credentials and secrets redacted; rule ids
are the scanner's; reports render (JSON contract fields, SARIF, HTML escaped)."""

from __future__ import annotations

import json

from auditor.kb.load import rules_by_id
from auditor.probe.engine import ProbeRun
from auditor.probe.evidence import evidence
from auditor.probe.interface import Confirmation, Exchange, InjectionPoint, Param, Route
from auditor.probe.results import to_result
from auditor.probe.rules import rule_for
from auditor.report import render
from auditor.report.html import render_html

AWS = "AKIA" + "Z3Q4R5T6Y7U8I9O0"  # split so the repo's own secret scan does not flag the test


def _confirmation() -> tuple[Confirmation, Route]:
    route = Route("GET", "/hello", [Param("name", "query")], "code", "app.py", 12, "flask", "python")
    ex = Exchange("GET", "http://127.0.0.1:5000/hello?name=%3Caudx1%20x%3D1%3E",
                  {"authorization": "Bearer abcdefghijklmnop", "cookie": "session=topsecretvalue; q=<audx1 x=1>"},
                  "", 200, [("content-type", "text/html")],
                  f"<html>key {AWS} Hello <audx1 x=1></html>", 0.01)
    point = InjectionPoint(route, route.params[0])
    c = Confirmation("xss", "xss", "reflected XSS: name (query)", ex, "<audx1 x=1>", point, "/hello", "GET")
    return c, route


def test_evidence_marks_canary_and_redacts_credentials():
    c, _ = _confirmation()
    ev = evidence(c)
    assert ev["status"] == 200 and ev["canary"] == "<audx1 x=1>"
    assert ">>><audx1 x=1><<<" in ev["response_excerpt"]
    assert "abcdefghijklmnop" not in ev["request"] and "topsecretvalue" not in ev["request"]
    assert "q=<audx1 x=1>" in ev["request"]  # the injected cookie stays readable
    assert AWS not in ev["response_excerpt"]


def test_finding_contract_and_reports():
    c, route = _confirmation()
    run = ProbeRun("http://127.0.0.1:5000", routes=[route], confirmations=[c])
    result = to_result(run)
    data = json.loads(render(result, "json"))["findings"][0]
    assert data["rule_id"] == "flask.xss.autoescape" and data["confirmed"] is True
    assert (data["endpoint"], data["method"], data["parameter"]) == ("/hello", "GET", "name (query)")
    assert set(data["evidence"]) == {"request", "status", "response_excerpt", "canary"}
    assert data["path"] == "app.py" and data["line"] == 12
    sarif = json.loads(render(result, "sarif"))
    assert sarif["runs"][0]["results"][0]["properties"]["confirmed"] is True
    page = render_html(result, run.base_url, [("GET", "http://127.0.0.1:5000/hello?name=<x>", 200)])
    assert "<mark>&lt;audx1 x=1&gt;</mark>" in page and "<audx1" not in page and "<x>" not in page
    assert "Every request sent (1)" in page


def test_rule_ids_follow_framework_then_language():
    rules = rules_by_id()
    assert rule_for(rules, "sql-injection", "django", "python").id == "django.orm.raw-sql"
    assert rule_for(rules, "command-injection", "flask", "python").id == "py.command.no-shell"
    assert rule_for(rules, "security-misconfiguration", "express", "javascript", "headers").id == "express.headers.helmet"
    assert rule_for(rules, "code-injection", "flask", "python", "template").id == "flask.ssti.render-template-string"
    # a framework's rule that names the finding beats a language rule whose id has the more specific
    # word (Django's missing headers are its security middleware's, not py.headers.csp-unsafe's)
    assert rule_for(rules, "security-misconfiguration", "django", "python", "headers").id == \
        "django.config.security-middleware"

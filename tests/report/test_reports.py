from __future__ import annotations

import json

from auditor.findings import ScanResult, Severity
from auditor.report import exit_code, render

FINDING_KEYS = {"rule_id", "category", "severity", "cwe", "path", "line", "column", "end_line",
                "message", "fingerprint", "snippet"}


def result_with(*findings) -> ScanResult:
    return ScanResult(findings=list(findings), files=2, seconds=0.25)


def test_json_matches_the_contract(make_finding):
    dep = make_finding(rule_id="deps.registry.exists", category="hallucinated-dependency", severity=Severity.HIGH,
                       path="package.json", extra={"package": "reqeusts", "ecosystem": "npm", "version": None})
    data = json.loads(render(result_with(make_finding(), dep), "json"))
    assert set(data) == {"version", "findings", "stats"}
    assert data["stats"]["files"] == 2 and data["stats"]["seconds"] == 0.25
    first = data["findings"][0]
    assert FINDING_KEYS <= set(first)
    assert first["severity"] == "critical" and first["cwe"] == ["CWE-89"]
    assert data["findings"][1]["package"] == "reqeusts" and data["findings"][1]["ecosystem"] == "npm"


def test_suppressed_and_baselined_are_counted_not_listed(make_finding):
    quiet = make_finding(line=9, snippet="other")
    quiet.suppressed, quiet.suppression_reason = True, "validated upstream"
    known = make_finding(line=12, snippet="known")
    known.baselined = True
    res = result_with(make_finding(), quiet, known)
    data = json.loads(render(res, "json"))
    assert len(data["findings"]) == 1
    assert data["stats"]["suppressed"] == 1 and data["stats"]["baselined"] == 1
    shown = json.loads(render(res, "json", show_suppressed=True))
    assert len(shown["findings"]) == 3
    text = render(res, "text")
    assert "1 finding (1 critical)" in text and "1 suppressed" in text and "1 in baseline" in text


def test_text_groups_by_file_with_message_and_code(make_finding):
    out = render(result_with(make_finding(), make_finding(path="a.py", line=1, rule_id="x.y", category="xss",
                                                           severity=Severity.MEDIUM)), "text")
    lines = out.splitlines()
    assert lines[0] == "a.py"  # files sorted
    assert "express.sql.parameterize" in out and "SQL built from request data" in out
    assert "> pool.query(`SELECT ${id}`)" in out
    assert "2 findings (1 critical, 1 medium) in 2 files" in out


def test_sarif_structure(make_finding):
    quiet = make_finding(line=9, snippet="other")
    quiet.suppressed = True
    doc = json.loads(render(result_with(make_finding(), quiet), "sarif"))
    assert doc["version"] == "2.1.0"
    run = doc["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["express.sql.parameterize"]
    rule = rules[0]
    assert "external/cwe/cwe-89" in rule["properties"]["tags"]
    assert rule["help"]["text"].startswith("- ")
    assert float(rule["properties"]["security-severity"]) >= 9
    res = run["results"][0]
    assert res["ruleId"] == "express.sql.parameterize" and res["ruleIndex"] == 0 and res["level"] == "error"
    loc = res["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"] == {"uri": "src/app.js", "uriBaseId": "%SRCROOT%"}
    assert loc["region"]["startLine"] == 3
    assert res["partialFingerprints"]["auditorFingerprint/v1"]
    assert run["results"][1]["suppressions"][0]["kind"] == "inSource"


def test_exit_code_respects_fail_on_and_ignores_suppressed(make_finding):
    medium = make_finding(severity=Severity.MEDIUM)
    assert exit_code(result_with(medium), Severity.HIGH) == 0
    assert exit_code(result_with(medium), Severity.MEDIUM) == 1
    crit = make_finding()
    crit.suppressed = True
    assert exit_code(result_with(crit), Severity.LOW) == 0

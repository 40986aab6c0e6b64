"""A scan's findings marked confirmed / not-reproduced / not-reachable from a probe run."""

from __future__ import annotations

import json

import pytest

from auditor.errors import AuditorError
from auditor.probe.confirm import annotate, load_scan
from auditor.probe.engine import ProbeRun
from auditor.probe.interface import Confirmation, Exchange, InjectionPoint, Param, Route
from auditor.probe.results import to_result


def _static(category, line, path="app.py"):
    return {"rule_id": "flask.sql.parameterize", "category": category, "severity": "high", "cwe": ["CWE-89"],
            "path": path, "line": line, "column": 1, "end_line": line, "message": "m", "fingerprint": f"f{line}",
            "snippet": "s"}


def test_verdicts(tmp_path):
    item = Route("GET", "/item", [Param("id", "query")], "code", "app.py", 10, "flask", "python")
    other = Route("GET", "/other", [], "code", "app.py", 40, "flask", "python")
    ex = Exchange("GET", "http://127.0.0.1:1/item?id=1", {}, "", 200, [], "x", 0.0)
    c = Confirmation("sql-injection", "sqli", "SQL injection", ex, "1' AND", InjectionPoint(item, item.params[0]),
                     "/item", "GET")
    run = ProbeRun("http://127.0.0.1:1", routes=[item, other], confirmations=[c])
    report = tmp_path / "scan.json"
    report.write_text(json.dumps({"findings": [_static("sql-injection", 12), _static("sql-injection", 42),
                                               _static("xss", 200), _static("xss", 3, "lib.py")]}))
    result = annotate(load_scan(report), run, to_result(run))
    states = [(f.line, f.extra["probe"], f.extra["confirmed"]) for f in result.findings[:4]]
    assert states == [(12, "confirmed", True), (42, "not-reproduced", False), (200, "not-reachable", False),
                      (3, "not-reachable", False)]
    assert len(result.findings) == 4  # the probe's own finding matched the static one


def test_bad_scan_report(tmp_path):
    bad = tmp_path / "scan.json"
    bad.write_text("[1, 2]")
    with pytest.raises(AuditorError, match="scan.json: not an `auditor scan"):
        load_scan(bad)

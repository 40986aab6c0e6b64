"""Static findings checked against a probe run: each is `confirmed` (the probe reproduced the
same category at a route handled in that file, near that line), `not-reproduced` (a route
handled there was probed without confirming it) or `not-reachable` (no probed route is
handled there)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from auditor.errors import AuditorError
from auditor.findings import Finding, ScanResult, Severity
from auditor.probe.engine import ProbeRun
from auditor.probe.static import handlers_at


def load_scan(path: Path) -> list[dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        findings = data["findings"]
        assert isinstance(findings, list)
    except (OSError, ValueError, KeyError, TypeError, AssertionError):
        raise AuditorError(f"{path}: not an `auditor scan --format json` report") from None
    return findings


def verdict(finding: dict[str, Any], run: ProbeRun) -> tuple[str, dict[str, Any] | None]:
    keys = [r.key for r in handlers_at(run.routes, finding.get("path", ""), int(finding.get("line") or 0))]
    if not keys:
        return "not-reachable", None
    nearest = keys[0]
    for c in run.confirmations:
        if c.category == finding.get("category") and (c.method, c.endpoint) == nearest:
            return "confirmed", {"endpoint": c.endpoint, "method": c.method,
                                 "parameter": c.point.label if c.point else None}
    return "not-reproduced", None


def annotate(static: list[dict[str, Any]], run: ProbeRun, probe: ScanResult) -> ScanResult:
    """The static findings, each with `confirmed` and `probe` (the verdict), followed by the
    probe's own findings that no static finding matched."""
    out: list[Finding] = []
    matched: set[tuple[str, str, str]] = set()
    for item in static:
        state, where = verdict(item, run)
        known = {"rule_id", "category", "severity", "cwe", "path", "line", "column", "end_line", "message",
                 "fingerprint", "snippet"}
        extra = {k: v for k, v in item.items() if k not in known}
        extra.update(confirmed=state == "confirmed", probe=state)
        if where:
            extra.update(where)
            matched.add((item["category"], where["method"], where["endpoint"]))
        out.append(Finding(item["rule_id"], item["category"], Severity.parse(item["severity"]), list(item.get("cwe", [])),
                           item["path"], int(item["line"]), int(item.get("column", 0)), int(item.get("end_line", 0)),
                           item["message"], item.get("snippet", ""), item.get("fingerprint", ""), extra))
    out += [f for f in probe.findings
            if (f.category, f.extra.get("method"), f.extra.get("endpoint")) not in matched]
    return ScanResult(findings=out, files=probe.files, seconds=probe.seconds, unchecked=probe.unchecked)

"""`--format json`: `{"version", "findings": [...], "stats": {"files", "seconds", ...}}`."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from auditor import __version__
from auditor.findings import ScanResult, redact_text
from auditor.report.escape import unicode_clean


def report_dict(result: ScanResult, show_suppressed: bool = False) -> dict[str, Any]:
    findings = []
    for f in result.findings:
        hidden = f.suppressed or f.baselined
        if hidden and not show_suppressed:
            continue
        item = f.to_dict()
        if f.suppressed:
            item["suppressed"] = True
            item["suppression_reason"] = redact_text(f.path, f.suppression_reason or "") or None
        if f.baselined:
            item["baselined"] = True
        findings.append(item)
    by_severity = Counter(f.severity.label for f in result.active)
    return {
        "version": __version__,
        "findings": findings,
        "stats": {
            "files": result.files,
            "seconds": round(result.seconds, 3),
            "findings": len(result.active),
            "by_severity": {k: by_severity.get(k, 0) for k in ("critical", "high", "medium", "low")},
            "suppressed": len(result.suppressed),
            "baselined": len(result.baselined),
            "skipped": [{"path": p, "reason": r} for p, r in result.skipped],
            "unchecked": [u.to_dict() for u in result.unchecked],
        },
    }


def render_json(result: ScanResult, show_suppressed: bool = False) -> str:
    return json.dumps(unicode_clean(report_dict(result, show_suppressed)), indent=2)

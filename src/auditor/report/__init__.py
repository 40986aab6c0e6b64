"""Renderers for findings: text for people, JSON and SARIF 2.1.0 as contracts (DESIGN.md).

Every checking command (scan, secrets, deps) ends in `write_report` and `exit_code`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from auditor.findings import ScanResult, Severity
from auditor.fsutil import atomic_write

FORMATS = ("text", "json", "sarif")


def render(result: ScanResult, format: str, show_suppressed: bool = False, color: bool = False) -> str:
    """The report as a string in `format` (text, json or sarif)."""
    if format == "json":
        from auditor.report.json import render_json

        return render_json(result, show_suppressed=show_suppressed)
    if format == "sarif":
        from auditor.report.sarif import render_sarif

        return render_sarif(result)
    if format == "text":
        from auditor.report.text import render_text

        return render_text(result, show_suppressed=show_suppressed, color=color)
    raise ValueError(f"unknown report format {format!r}")


def write_report(result: ScanResult, format: str, output: Path | None, show_suppressed: bool = False) -> None:
    """Print the report, or write it atomically to `output` (findings hold paths relative to
    the scanned root already)."""
    color = output is None and format == "text" and sys.stdout.isatty()
    text = render(result, format, show_suppressed=show_suppressed, color=color)
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    else:
        atomic_write(output, text if text.endswith("\n") else text + "\n")
        if format != "text":
            sys.stderr.write(f"auditor: wrote {output} ({len(result.active)} findings)\n")


def exit_code(result: ScanResult, fail_on: Severity) -> int:
    """0 when no unsuppressed, non-baselined finding is at or above `fail_on`, else 1."""
    return 1 if any(f.severity >= fail_on for f in result.active) else 0

"""Renderers for findings: text for people, JSON and SARIF 2.1.0 as contracts (DESIGN.md).

Every checking command (scan, secrets, deps) ends in `write_report` and `exit_code`.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from auditor.errors import AuditorError
from auditor.findings import ScanResult, Severity
from auditor.fsutil import UnreadableFile, atomic_write, read_bytes

FORMATS = ("text", "json", "sarif")
# How an earlier report of ours begins (JSON, SARIF) or sums up (text): only such a file,
# or an empty one, may be replaced by `--output`.
_OWN_REPORT = (
    re.compile(r'\A\{\s*"version": "[^"]*",\s*"findings": \['),
    re.compile(r'\A\{\s*"\$schema": "[^"]*sarif[^"]*",\s*"version": "2\.1\.0",\s*"runs": \[\s*\{\s*"tool": \{\s*'
               r'"driver": \{\s*"name": "auditor"'),
    re.compile(r"^\d+ findings? (?:\([^)\n]*\) )?in \d+ files?, \d+\.\d\ds", re.MULTILINE),
)
MAX_REPORT_PEEK = 4_000_000


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


def check_output_path(output: Path | None) -> None:
    """Refuse (AuditorError, exit 2) an `--output` that would replace a file of the user's:
    `scan -o app.js app.js` must not overwrite the code it scans. A new file, an empty one
    or an earlier auditor report may be written. Commands call this before they start, and
    `write_report` again before writing."""
    if output is None or not output.is_file():
        return
    try:
        head = read_bytes(output, MAX_REPORT_PEEK + 1, head=True)
    except UnreadableFile as exc:
        raise AuditorError(f"{output}: {exc}") from None
    if not head.strip():
        return
    text = head.decode("utf-8", "replace")
    if len(head) <= MAX_REPORT_PEEK and any(p.search(text) for p in _OWN_REPORT):
        return
    raise AuditorError(f"{output}: exists and is not an auditor report; refusing to overwrite it "
                       "(it may be a scanned file): choose another --output or remove it first")


def write_report(result: ScanResult, format: str, output: Path | None, show_suppressed: bool = False) -> None:
    """Print the report, or write it atomically to `output` (findings hold paths relative to
    the scanned root already). A new report file gets the permissions the umask allows (see
    atomic_write); a replaced one keeps its own."""
    color = output is None and format == "text" and sys.stdout.isatty()
    text = render(result, format, show_suppressed=show_suppressed, color=color)
    if output is None:
        try:
            sys.stdout.write(text if text.endswith("\n") else text + "\n")
            sys.stdout.flush()
        except BrokenPipeError:
            # The reader left (`| head`): not findings, so not exit 1 (Click's default).
            # Point stdout at /dev/null so the interpreter's final flush stays quiet.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise AuditorError("stdout: closed before the whole report was written (broken pipe)") from None
    else:
        check_output_path(output)
        atomic_write(output, text if text.endswith("\n") else text + "\n")
        if format != "text":
            sys.stderr.write(f"auditor: wrote {output} ({len(result.active)} findings)\n")


def exit_code(result: ScanResult, fail_on: Severity) -> int:
    """0 when no unsuppressed, non-baselined finding is at or above `fail_on`, else 1."""
    return 1 if any(f.severity >= fail_on for f in result.active) else 0

"""`auditor secrets [PATH] [--history] [--verify]`: scan the tree (and optionally every
commit's added lines), optionally ask providers whether keys are live, report redacted."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from auditor.findings import Finding, ScanResult, Severity
from auditor.progress import LazyProgress
from auditor.report import check_output_path, exit_code, write_report


def run_secrets(root: Path, history: bool, verify: bool, format: str, output: Path | None,
                fail_on: Severity) -> int:
    """Returns the exit code: 1 when a finding is at or above `fail_on`, else 0."""
    from auditor.secrets.scanner import scan_tree, to_report_findings

    check_output_path(output)
    start = time.perf_counter()
    root = root.resolve()
    base, paths = (root, None) if root.is_dir() else (root.parent, [root.name])
    skipped: list[tuple[str, str]] = []
    with LazyProgress("secrets") as progress:
        files, count = scan_tree(base, paths, on_progress=progress.update, skipped=skipped)
    if history:
        from auditor.secrets.history import count_commits, scan_history

        total = count_commits(base)
        with LazyProgress("history") as progress:
            files += scan_history(base, on_commit=lambda n: progress.update(n, max(n, total)))
    if verify:
        from auditor.secrets.verify.runner import verify_matches

        counts = verify_matches([m for fs in files for m in fs.matches])
        checked = sum(counts.values())
        if checked:
            sys.stderr.write(f"auditor: verified {checked} secret(s): {counts['live']} live, "
                             f"{counts['revoked']} revoked, {counts['unknown']} unknown\n")
    findings: list[Finding] = to_report_findings(files)
    findings.sort(key=lambda f: (f.path, f.line, f.column, f.rule_id, str(f.extra.get("commit") or "")))
    result = ScanResult(findings=findings, files=count, seconds=time.perf_counter() - start,
                        skipped=skipped)
    write_report(result, format, output)
    return exit_code(result, fail_on)

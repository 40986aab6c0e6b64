"""`auditor deps`: detect manifests and lockfiles, check every dependency, report.

A lookup that could not be answered (registry or OSV unreachable) is listed as unchecked in
every report format ("unknown, not verified safe") rather than as one finding per package:
an outage is not a flaw, must not fail everybody's build, and must not pass as "no risk".
A look-alike of a popular package whose age could not be checked stays a finding.
"""

from __future__ import annotations

import sys
from pathlib import Path

from auditor.deps.interface import UNKNOWN
from auditor.findings import Finding, ScanResult, Severity, Unchecked


def run_deps(root: Path, offline: bool, osv_db: Path | None, format: str, output: Path | None,
             fail_on: Severity) -> int:
    """Check the dependencies of the project at `root` (a directory, or one manifest file)."""
    from auditor.deps.audit import audit_dependencies
    from auditor.deps.config import DepsConfig
    from auditor.progress import LazyProgress
    from auditor.report import check_output_path, exit_code, write_report
    from auditor.stack.detect import detect_stack

    check_output_path(output)  # refuse to overwrite a user's file before any lookup is made
    root = root.resolve()
    only: str | None = None
    if root.is_file():
        only, root = root.name, root.parent
    stack = detect_stack(root)
    # A manifest that cannot be read or parsed leaves its dependencies unchecked: the rest are
    # still checked and reported, and the run ends with exit 2 (unreadable input), never 0.
    problems = [p for p in stack.problems if only is None or p.path == only]
    for problem in problems:
        sys.stderr.write(f"auditor: {problem.path}: {problem.problem}; its dependencies were not checked\n")
    dependencies = [d for p in stack.projects for d in p.dependencies if only is None or d.path == only]
    manifests = {d.path for d in dependencies}

    with LazyProgress("checking dependencies") as progress:
        audit = audit_dependencies(root, dependencies, config=DepsConfig.from_env(), offline=offline,
                                   osv_db=osv_db, progress=progress.update)
    findings, unchecked = split_unchecked(audit.findings)
    skipped = [*audit.skipped, *((p.path, p.problem) for p in problems)]
    result = ScanResult(findings=findings, files=len(manifests), seconds=audit.seconds, skipped=skipped,
                        unchecked=unchecked)
    write_report(result, format, output)
    if audit.resolved_ranges:
        sys.stderr.write(
            f"auditor: {audit.resolved_ranges} dependenc{'y' if audit.resolved_ranges == 1 else 'ies'} without a "
            "lockfile checked for advisories at the newest version the range allows (what a fresh install gets; "
            "add a lockfile to check what is installed)\n"
        )
    if unchecked and format != "text":
        sys.stderr.write(
            f"auditor: {len(unchecked)} lookup(s) could not be answered: unknown, not verified safe "
            f"({'offline: run online once to fill the cache' if offline else 'registry or OSV unreachable'})\n"
        )
    decisive = ScanResult(findings=[f for f in findings if f.extra.get("status") != UNKNOWN])
    return 2 if problems else exit_code(decisive, fail_on)


def split_unchecked(findings: list[Finding]) -> tuple[list[Finding], list[Unchecked]]:
    """Existence and advisory lookups that failed become Unchecked entries; everything else
    (including an unverified look-alike of a popular package) stays a finding."""
    from auditor.deps.findings import TYPOSQUAT, VULNERABLE

    kept: list[Finding] = []
    unchecked: list[Unchecked] = []
    for f in findings:
        if f.extra.get("status") == UNKNOWN and f.rule_id != TYPOSQUAT:
            version = f.extra.get("version")
            subject = f"{f.extra.get('package')}{'@' + version if version else ''} ({f.extra.get('ecosystem')})"
            check = "vulnerabilities" if f.rule_id == VULNERABLE else "exists"
            reason = str(f.extra.get("reason") or "lookup failed")
            unchecked.append(Unchecked(f.path, subject, check, reason))
        else:
            kept.append(f)
    return kept, unchecked

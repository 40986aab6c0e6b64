"""`auditor deps`: detect manifests and lockfiles, check every dependency, report.

Lookups that could not be answered are findings with `status: unknown` so that every
report shows them; they never decide the exit code on their own (an outage of a registry
must not fail everybody's build, nor pass as "no risk").
"""

from __future__ import annotations

import sys
from pathlib import Path

from auditor.findings import Severity
from auditor.scan.engine import ScanResult


def run_deps(root: Path, offline: bool, osv_db: Path | None, format: str, output: Path | None,
             fail_on: Severity) -> int:
    """Check the dependencies of the project at `root` (a directory, or one manifest file)."""
    from auditor.deps.audit import audit_dependencies
    from auditor.deps.config import DepsConfig
    from auditor.progress import LazyProgress
    from auditor.report import exit_code, write_report
    from auditor.stack.detect import detect_stack

    root = root.resolve()
    only: str | None = None
    if root.is_file():
        only, root = root.name, root.parent
    stack = detect_stack(root)
    for problem in stack.problems:
        sys.stderr.write(f"auditor: warning: {problem.path}: {problem.problem}\n")
    dependencies = [d for p in stack.projects for d in p.dependencies if only is None or d.path == only]
    manifests = {d.path for d in dependencies}

    with LazyProgress("checking dependencies") as progress:
        audit = audit_dependencies(root, dependencies, config=DepsConfig.from_env(), offline=offline,
                                   osv_db=osv_db, progress=progress.update)
    result = ScanResult(findings=audit.findings, files=len(manifests), seconds=audit.seconds, skipped=audit.skipped)
    write_report(result, format, output, root)
    if audit.unknown:
        sys.stderr.write(
            f"auditor: {audit.unknown} lookup(s) could not be answered and are reported as unknown "
            f"({'offline: run online once to fill the cache' if offline else 'registry or OSV unreachable'})\n"
        )
    decisive = ScanResult(findings=[f for f in audit.findings if f.extra.get("status") != "unknown"])
    return exit_code(decisive, fail_on)

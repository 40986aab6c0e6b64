"""`auditor scan`: resolve targets, detect the stack, scan, filter (diff, baseline), report."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from auditor.errors import AuditorError
from auditor.findings import Severity
from auditor.progress import LazyProgress
from auditor.report import check_output_path, exit_code, write_report
from auditor.scan.baseline import DEFAULT_NAME, apply_baseline, load_baseline
from auditor.scan.baseline import write_baseline as save_baseline
from auditor.scan.engine import Scanner
from auditor.stack.detect_for import detect_stack_for


def scan_root(targets: list[Path]) -> Path:
    """The directory findings are reported relative to: the one directory given, else the
    current directory when every file is under it, else the nearest folder holding them all."""
    if len(targets) == 1 and targets[0].is_dir():
        return targets[0].resolve()
    cwd = Path.cwd().resolve()
    if all(t.resolve().is_relative_to(cwd) for t in targets):
        return cwd
    folders = [t.resolve() if t.resolve().is_dir() else t.resolve().parent for t in targets]
    return Path(os.path.commonpath(folders))  # the nearest folder holding every target


def _relative_files(root: Path, targets: list[Path]) -> list[str] | None:
    """Relative paths to scan, or None for 'the whole root'."""
    from auditor.fsutil import walk_files

    if len(targets) == 1 and targets[0].resolve() == root:
        return None
    rels: list[str] = []
    for t in targets:
        full = t.resolve()
        if full.is_dir():
            sub = full.relative_to(root).as_posix()
            rels.extend(f"{sub}/{r}" if sub != "." else r for r in walk_files(full))
        else:
            rels.append(full.relative_to(root).as_posix())
    return list(dict.fromkeys(rels))


def _check_baseline_target(path: Path) -> None:
    """`--write-baseline --baseline FILE` replaces FILE: only when it is a baseline already
    (or empty, or new), never a source file given there by mistake."""
    if not path.is_file() or path.stat().st_size == 0:
        return
    try:
        load_baseline(path)
    except AuditorError:
        raise AuditorError(f"{path}: exists and is not an auditor baseline; refusing to overwrite it") from None


def run_scan(paths: list[Path], format: str, output: Path | None, fail_on: Severity, diff: str | None,
             baseline: Path | None, write_baseline: bool, secrets: bool, show_suppressed: bool,
             jobs: int | None = None, library: bool = False) -> int:
    for p in paths:
        if not p.exists():
            raise AuditorError(f"{p}: no such file or directory")
    check_output_path(output)  # before the scan, not after minutes of it
    root = scan_root(paths)
    files = _relative_files(root, paths)
    baseline_path = baseline or (root / DEFAULT_NAME)
    if write_baseline:
        _check_baseline_target(baseline_path)

    changes = None
    if diff:
        from auditor.scan.gitdiff import changed_lines

        changes = changed_lines(root, diff)
        if files is None:
            from auditor.fsutil import walk_files

            files = list(walk_files(root))
        files = [f for f in files if f in changes]

    stack = detect_stack_for(root, files)
    scanner = Scanner(stack=stack, secrets=secrets, root=root, library=library)
    with LazyProgress("scanning") as progress:
        result = scanner.scan_tree(root, files, on_progress=progress.update, jobs=jobs or os.cpu_count() or 1)

    if changes is not None:
        result.findings = [
            f for f in result.findings
            if f.path in changes and (changes[f.path] is None or any(
                ln in changes[f.path] for ln in range(f.line, f.end_line + 1)))  # type: ignore[operator]
        ]

    if write_baseline:
        n = save_baseline(baseline_path, result.findings)
        sys.stderr.write(f"auditor: wrote {n} finding fingerprints to {baseline_path}\n")
        return 0
    if baseline is not None and not baseline.exists():
        raise AuditorError(f"{baseline}: no such baseline file")
    if baseline_path.exists():
        apply_baseline(result.findings, load_baseline(baseline_path))

    write_report(result, format, output, show_suppressed=show_suppressed)
    return exit_code(result, fail_on)


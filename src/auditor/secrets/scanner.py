"""Scanning many files: a tree on disk (`scan_tree`) and, in history.py, git commits.

Results stay as FileSecrets (the text and the raw matches) until the end, so `--verify`
can run between detection and reporting; `to_report_findings` then redacts everything."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from auditor.findings import Finding
from auditor.secrets.detect import SecretMatch, scan_text, to_findings

MAX_FILE_BYTES = 2_000_000


@dataclass
class FileSecrets:
    """The matches in one file (or in one commit's added lines of one file). For history,
    `line_map[i]` is the real line number of line i+1 of `text` in that commit."""

    path: str
    text: str = field(repr=False)
    matches: list[SecretMatch]
    commit: str | None = None
    line_map: list[int] | None = None


def scan_tree(root: Path, paths: Iterable[str] | None = None,
              on_progress: Callable[[int, int], None] | None = None,
              skipped: list[tuple[str, str]] | None = None) -> tuple[list[FileSecrets], int]:
    """Scan `paths` (relative to root; default: every file git would track, without
    dependency and build folders). Returns the files with matches and the number of files
    read. Files not read (oversized, binary, a FIFO or device) are added to `skipped` as
    (path, reason) when it is given."""
    from auditor.fsutil import read_files, walk_files

    rels = list(paths) if paths is not None else list(walk_files(root))
    found: list[FileSecrets] = []
    read = 0
    for rel, text in read_files(root, rels, MAX_FILE_BYTES, on_progress, skipped):
        read += 1
        matches = scan_text(rel, text)
        if matches:
            found.append(FileSecrets(rel, text, matches))
    return found, read


def to_report_findings(files: Iterable[FileSecrets]) -> list[Finding]:
    """Redacted Findings for every match, with inline `auditor: ignore` comments applied
    and, for history, the commit and the real line numbers."""
    from auditor.findings import assign_occurrences
    from auditor.suppress import apply_suppressions

    out: list[Finding] = []
    for fs in files:
        extra = {"commit": fs.commit} if fs.commit else None
        findings = to_findings(fs.path, fs.text, fs.matches, extra=extra)
        apply_suppressions(findings, fs.text.splitlines())
        if fs.line_map is not None:
            for f in findings:
                f.line = fs.line_map[min(f.line, len(fs.line_map)) - 1]
                f.end_line = max(f.line, fs.line_map[min(f.end_line, len(fs.line_map)) - 1])
        out.extend(findings)
    assign_occurrences(out)
    return out

"""`--history`: secrets in the lines every commit added, read from one `git log -p`
stream (git computes the diffs; no commit is checked out).

Each (commit, file) gets the text of its added lines, scanned like a file; line numbers
map back to the file as it was in that commit."""

from __future__ import annotations

import codecs
import re
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

from auditor.errors import AuditorError
from auditor.secrets.detect import scan_text
from auditor.secrets.scanner import FileSecrets

_HUNK = re.compile(rb"^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@")
MAX_ADDED_BYTES = 2_000_000
COMMIT_MARK = b"\x00commit "


def _git(root: Path, *args: str) -> list[str]:
    return ["git", "-C", str(root), "-c", "core.quotePath=false", *args]


def count_commits(root: Path) -> int:
    proc = subprocess.run(_git(root, "rev-list", "--all", "--count"), capture_output=True, text=True)
    return int(proc.stdout.strip() or 0) if proc.returncode == 0 else 0


def _path_of(header: bytes) -> str | None:
    """`+++ b/src/app.py` -> `src/app.py`; None for `/dev/null` (a deletion). Names git
    still quotes (control characters, quotes) are unescaped."""
    raw = header[4:].rstrip(b"\r\n")
    if raw.startswith(b'"') and raw.endswith(b'"'):
        raw = codecs.escape_decode(raw[1:-1])[0]
    name = raw.decode("utf-8", "surrogateescape")  # as the tree walk decodes names
    if name == "/dev/null":
        return None
    return name[2:] if name.startswith("b/") else name


def added_blocks(root: Path, on_commit: Callable[[int], None] | None = None) -> Iterator[tuple[str, str, list[str], list[int]]]:
    """(commit, path, added lines, their line numbers) for every file every commit touched,
    over all refs. Merge commits show no diff of their own (git's default), so lines are
    attributed to the commit that first introduced them."""
    cmd = _git(root, "log", "--all", "-p", "-U0", "--no-color", "--no-ext-diff", "--no-renames",
               "--no-textconv", "--format=%x00commit %H")
    try:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except OSError as exc:
        raise AuditorError(f"{root}: cannot run git ({exc.strerror or exc})") from None
    assert proc.stdout is not None
    commit, path = "", None
    lines: list[str] = []
    numbers: list[int] = []
    size = 0
    next_line = 0
    in_header = False
    commits = 0

    def flush() -> Iterator[tuple[str, str, list[str], list[int]]]:
        if path is not None and lines:
            yield commit, path, list(lines), list(numbers)

    for raw in proc.stdout:
        if raw.startswith(COMMIT_MARK):
            yield from flush()
            commit, path, lines, numbers, size = raw[len(COMMIT_MARK):].strip().decode(), None, [], [], 0
            commits += 1
            if on_commit is not None:
                on_commit(commits)
            continue
        if raw.startswith(b"diff --git "):
            yield from flush()
            path, lines, numbers, size, in_header = None, [], [], 0, True
            continue
        if in_header:
            if raw.startswith(b"+++ "):
                path = _path_of(raw)
                continue
            if not raw.startswith(b"@@"):
                continue
            in_header = False
        if raw.startswith(b"@@"):
            m = _HUNK.match(raw)
            next_line = int(m.group(1)) if m else 0
            continue
        if raw.startswith(b"+") and path is not None and size < MAX_ADDED_BYTES:
            text = raw[1:].rstrip(b"\r\n").decode("utf-8", "replace")
            lines.append(text)
            numbers.append(next_line)
            next_line += 1
            size += len(raw)
    yield from flush()
    proc.stdout.close()
    err = proc.stderr.read().decode("utf-8", "replace").strip() if proc.stderr else ""
    if proc.wait() != 0:
        first = err.splitlines()[0] if err else f"git log exited with {proc.returncode}"
        raise AuditorError(f"{root}: cannot read git history ({first})")


def scan_history(root: Path, on_commit: Callable[[int], None] | None = None) -> list[FileSecrets]:
    """Secrets in the added lines of every commit, with commit and real line numbers."""
    if not (root / ".git").exists():
        probe = subprocess.run(_git(root, "rev-parse", "--git-dir"), capture_output=True)
        if probe.returncode != 0:
            raise AuditorError(f"{root}: not a git repository (--history needs one)")
    found: list[FileSecrets] = []
    for commit, path, lines, numbers in added_blocks(root, on_commit):
        text = "\n".join(lines)
        matches = scan_text(path, text)
        if matches:
            found.append(FileSecrets(path, text, matches, commit=commit, line_map=numbers))
    return found

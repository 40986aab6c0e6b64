"""`scan --diff REF`: which lines changed since a git ref (working tree included), so that
only findings on those lines are reported. New untracked files count as wholly changed."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from auditor.errors import AuditorError

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
ALL_LINES = None  # marker: the whole file is new


def _git(root: Path, *args: str) -> str:
    try:
        proc = subprocess.run(["git", "-C", str(root), *args], capture_output=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise AuditorError(f"{root}: cannot run git ({exc})") from None
    if proc.returncode != 0:
        msg = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise AuditorError(f"{root}: git {' '.join(args[:2])} failed: {msg[-1] if msg else 'unknown error'}")
    return proc.stdout.decode("utf-8", "surrogateescape")


def changed_lines(root: Path, ref: str) -> dict[str, set[int] | None]:
    """Relative path -> changed 1-based line numbers (None: every line) since `ref`."""
    if ref.startswith("-"):  # git would take it as an option (`--output=...` writes a file)
        raise AuditorError(f"--diff {ref!r}: a git ref cannot start with '-'")
    _git(root, "rev-parse", "--show-prefix")  # fails clearly outside a git work tree
    try:
        _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except AuditorError:  # --quiet: git says nothing, so say which ref
        raise AuditorError(f"{root}: --diff {ref!r}: no such commit, branch or tag in this repository") from None
    out = _git(root, "diff", "--no-color", "--no-ext-diff", "-U0", "--relative", ref, "--", ".")
    changes: dict[str, set[int] | None] = {}
    current: str | None = None
    for line in out.splitlines():
        if line.startswith("+++ "):
            target = line[4:].strip()
            current = None if target == "/dev/null" else target[2:] if target.startswith("b/") else target
            if current is not None:
                changes.setdefault(current, set())
        elif current is not None and line.startswith("@@"):
            m = _HUNK.match(line)
            if m:
                start, count = int(m.group(1)), int(m.group(2) or "1")
                bucket = changes[current]
                if bucket is not None:
                    bucket.update(range(start, start + count))
    untracked = _git(root, "ls-files", "--others", "--exclude-standard", "-z", "--", ".")
    for rel in untracked.split("\0"):
        if rel:
            changes[rel] = ALL_LINES
    return changes

"""The Stop-event check (Claude Code, Codex): when the agent ends its turn, check every file
that changed in the working tree since the turn began (edits made through the shell too),
compared with git HEAD, plus the dependencies and secrets they added. A high finding left
blocks the stop once; `stop_hook_active` (the agent is already continuing because of a stop
hook) lets it stop, so the check never loops.

The turn's start is recorded by the same command on UserPromptSubmit (a time stamp in the
cache folder, keyed by project and session). Without it, "changed" means "differs from git".
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import time
from pathlib import Path

from auditor.agent.edits import FileEdit, git_head_text
from auditor.cachedir import cache_dir
from auditor.findings import Finding, Severity
from auditor.fsutil import read_text, walk_files

BLOCK_AT = Severity.HIGH


def _marker(root: Path, session: str) -> Path:
    key = hashlib.sha256(f"{root.resolve()}\0{session}".encode()).hexdigest()[:24]
    return cache_dir() / "turns" / f"{key}.json"


def record_turn_start(root: Path, session: str, now: float | None = None) -> None:
    """Remember when the agent's turn began (UserPromptSubmit)."""
    from auditor.fsutil import atomic_write

    atomic_write(_marker(root, session), json.dumps({"root": str(root), "started": now or time.time()}))


def turn_start(root: Path, session: str) -> float | None:
    try:
        return float(json.loads(_marker(root, session).read_text(encoding="utf-8"))["started"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def git_changed_files(root: Path) -> list[str] | None:
    """Files that differ from HEAD or are untracked (not ignored), relative to root; None
    outside a git work tree."""
    try:
        proc = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "-z", "--untracked-files=all", "."],
                              capture_output=True, timeout=15)
        prefix = subprocess.run(["git", "-C", str(root), "rev-parse", "--show-prefix"],
                                capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if proc.returncode != 0:
        return None
    below = prefix.stdout.strip()
    out: list[str] = []
    entries = proc.stdout.decode("utf-8", "surrogateescape").split("\0")
    skip_next = False
    for entry in entries:
        if skip_next:  # the "from" path of a rename
            skip_next = False
            continue
        if len(entry) < 4:
            continue
        status, path = entry[:2], entry[3:]
        if status[0] in "RC":
            skip_next = True
        if "D" in status or not path.startswith(below):
            continue
        out.append(path[len(below):])
    return out


def changed_since(root: Path, started: float | None) -> list[str]:
    """Files changed during the turn: modified at or after `started` (when known), else
    every file git sees as changed."""
    if started is None:
        return git_changed_files(root) or []
    out = []
    for rel in walk_files(root):
        try:
            if os.stat(root / rel).st_mtime >= started - 1.0:  # coarse file-system clocks
                out.append(rel)
        except OSError:
            continue
    return out


def stop_findings(root: Path, session: str, offline: bool = False) -> list[Finding]:
    """High findings the turn left in the files it changed."""
    from auditor.agent.check import introduced_findings  # the scanner: not needed to record a turn's start

    edits = []
    for rel in changed_since(root, turn_start(root, session)):
        full = root / rel
        after = read_text(full)
        if after is not None:
            edits.append(FileEdit(full, git_head_text(full), after))
    return [f for f in introduced_findings(root, edits, offline=offline) if f.severity >= BLOCK_AT]

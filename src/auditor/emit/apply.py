"""`auditor init`: choose the writers, plan every file change, show or apply them.

Planning reads but never writes, so --dry-run and --check see exactly what a real run would
write. Applying first checks that every target can be written, so a read-only file or folder
stops the run before any file changed; each write is atomic (temp file + rename)."""

from __future__ import annotations

import dataclasses
import difflib
import os
from collections.abc import Sequence
from pathlib import Path

from auditor.emit.agents import AgentsWriter
from auditor.emit.amazonq import AmazonQWriter
from auditor.emit.claude import ClaudeWriter
from auditor.emit.cline import ClineWriter
from auditor.emit.content import build_content
from auditor.emit.continue_ import ContinueWriter
from auditor.emit.copilot import CopilotWriter
from auditor.emit.cursor import CursorWriter
from auditor.emit.gemini import GeminiWriter
from auditor.emit.interface import FileChange, Writer
from auditor.emit.junie import JunieWriter
from auditor.emit.kiro import KiroWriter
from auditor.emit.windsurf import WindsurfWriter
from auditor.errors import AuditorError
from auditor.fsutil import atomic_write
from auditor.stack.model import Stack

WRITERS: tuple[type[Writer], ...] = (
    AgentsWriter, ClaudeWriter, CursorWriter, CopilotWriter, GeminiWriter, WindsurfWriter,
    ClineWriter, KiroWriter, JunieWriter, AmazonQWriter, ContinueWriter,
)
ALWAYS = "agents"  # AGENTS.md is read by most assistants, so it is written by default


def list_writers() -> list[Writer]:
    return [cls() for cls in WRITERS]


def select_writers(root: Path, tools: str | None) -> list[Writer]:
    """`tools` None: AGENTS.md plus every assistant the repo shows signs of using; "all": every
    format; else a comma-separated list of tool ids (unknown ids are an error)."""
    writers = list_writers()
    if tools is None:
        return [w for w in writers if w.tool == ALWAYS or w.in_use(root)]
    wanted = [t.strip().lower() for t in tools.split(",") if t.strip()]
    if wanted == ["all"]:
        return writers
    known = {w.tool for w in writers}
    unknown = [t for t in wanted if t not in known]
    if unknown or not wanted:
        raise AuditorError(
            f"--tools: unknown tool {', '.join(map(repr, unknown)) or '(none given)'} "
            f"(known: {', '.join(sorted(known))}, or all)"
        )
    return [w for w in writers if w.tool in wanted]


def plan_init(root: Path, stack: Stack, tools: str | None) -> list[FileChange]:
    """Every file change `init` would make for `stack`, sorted by path.

    A target reached through a symlink is edited where it really is, and only when that is
    inside the project: `CLAUDE.md -> AGENTS.md` updates AGENTS.md (whose one block then
    serves both assistants); `CLAUDE.md` or `.cursor/rules` pointing outside the tree is an
    error, so init never writes outside the project or replaces the user's symlink."""
    content = build_content(stack)
    changes: dict[Path, FileChange] = {}
    for writer in select_writers(root, tools):
        for change in writer.plan(root, content):
            change = in_project(root, change)
            changes.setdefault(change.path, change)  # a shared target: the first writer's block
    return [changes[p] for p in sorted(changes)]


def in_project(root: Path, change: FileChange) -> FileChange:
    """`change` aimed at the real file its path leads to (through any symlinks), which must be
    inside `root`; AuditorError (exit 2) otherwise."""
    real_root = root.resolve()
    rel = change.path.relative_to(root)
    try:
        real = change.path.resolve()
    except (OSError, RuntimeError) as exc:  # a symlink loop
        raise AuditorError(f"{rel.as_posix()}: cannot follow its symlinks ({exc}); nothing was written") from None
    if not real.is_relative_to(real_root):
        raise AuditorError(
            f"{rel.as_posix()}: leads outside the project (to {real}) through a symlink; auditor writes only "
            "inside the project: make it a regular file or point it inside the project; nothing was written"
        )
    real_rel = real.relative_to(real_root)
    return change if real_rel == rel else dataclasses.replace(change, path=root / real_rel)


def _nearest_existing(path: Path) -> Path:
    for candidate in (path, *path.parents):
        if candidate.exists():
            return candidate
    return Path(path.anchor or ".")


def _check_writable(change: FileChange) -> None:
    """Raise before anything is written when a target (or the folder it goes in) is read-only."""
    path = change.path
    if path.exists() and not os.access(path, os.W_OK) and not change.remove:
        raise AuditorError(f"{path}: read-only; nothing was written")
    folder = _nearest_existing(path.parent)
    if not folder.is_dir():
        raise AuditorError(f"{folder}: not a directory, cannot create {path}; nothing was written")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise AuditorError(f"{folder}: read-only folder, cannot write {path.name}; nothing was written")


def apply_changes(changes: Sequence[FileChange]) -> None:
    """Write (or remove) every changed file; check them all first so a run that cannot
    complete changes nothing."""
    todo = [c for c in changes if c.changed]
    for change in todo:
        _check_writable(change)
    for change in todo:
        if change.remove:
            try:
                change.path.unlink()
            except FileNotFoundError:
                pass
            except OSError as exc:
                raise AuditorError(f"{change.path}: cannot remove ({exc.strerror or exc})") from None
        else:
            atomic_write(change.path, change.after)


def render_diff(changes: Sequence[FileChange], root: Path) -> str:
    """A unified diff of the changes, with paths relative to `root`."""
    out: list[str] = []
    for change in changes:
        if not change.changed:
            continue
        rel = change.path.relative_to(root).as_posix()
        old = "/dev/null" if change.before is None else f"a/{rel}"
        new = "/dev/null" if change.remove else f"b/{rel}"
        diff = difflib.unified_diff(
            (change.before or "").splitlines(keepends=True),
            ("" if change.remove else change.after).splitlines(keepends=True),
            fromfile=old, tofile=new,
        )
        for line in diff:
            out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)

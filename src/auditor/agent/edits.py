"""What an agent's edit did to a file: its text before and after.

Hooks run after the edit, so the file on disk is the "after". The "before" is rebuilt from
what the tool was given (the replaced strings, the patch hunks), which is exact and costs no
extra read; when the tool wrote a whole file we fall back to the git HEAD version, and with
no history at all the file counts as new (everything in it is reported).
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from auditor.fsutil import read_text


@dataclass
class FileEdit:
    """One file an edit touched. `before` None means a new file; `after` None means the
    file could not be read after the edit (deleted or binary): nothing to check."""

    path: Path  # absolute
    before: str | None
    after: str | None


@dataclass(frozen=True)
class Replacement:
    """`old` was replaced by `new` (once, or everywhere with `replace_all`)."""

    old: str
    new: str
    replace_all: bool = False


def undo_replacements(after: str, replacements: list[Replacement]) -> str | None:
    """The text before `replacements` were applied in order, or None when one of them cannot
    be found in the result (the file changed again since, or the payload is partial)."""
    text = after
    for r in reversed(replacements):
        if not r.new:
            return None  # a pure deletion leaves no anchor to put the old text back at
        old, new = r.old, r.new
        if new not in text and new.endswith("\n") and old.endswith("\n"):
            old, new = old[:-1], new[:-1]  # a patch hunk at a last line with no newline
        if not new or new not in text:
            return None
        text = text.replace(new, old) if r.replace_all else text.replace(new, old, 1)
    return text


def git_head_text(path: Path) -> str | None:
    """The file's content at HEAD, or None (untracked, not a git work tree, no git)."""
    try:
        top = subprocess.run(["git", "-C", str(path.parent), "rev-parse", "--show-toplevel"],
                             capture_output=True, text=True, timeout=5)
        if top.returncode != 0:
            return None
        rel = path.resolve().relative_to(Path(top.stdout.strip()).resolve()).as_posix()
        shown = subprocess.run(["git", "-C", top.stdout.strip(), "show", f"HEAD:{rel}"],
                               capture_output=True, timeout=5)
    except (OSError, ValueError, subprocess.TimeoutExpired):
        return None
    if shown.returncode != 0 or b"\0" in shown.stdout[:8192]:
        return None
    return shown.stdout.decode("utf-8", "replace")


def edit_from_replacements(path: Path, replacements: list[Replacement], after_hint: str | None = None) -> FileEdit:
    """An edit made by string replacement (Claude Edit/MultiEdit, Gemini replace, Cline
    SEARCH/REPLACE): undo the replacements on the file as it is now."""
    after = read_text(path)
    if after is None:
        after = after_hint
    if after is None:
        return FileEdit(path, None, None)
    before = undo_replacements(after, replacements)
    if before is None:
        before = git_head_text(path)
    return FileEdit(path, before, after)


def edit_from_write(path: Path, content: str | None, original: str | None = None) -> FileEdit:
    """A whole-file write. `original` is the previous content when the agent reports it."""
    after = read_text(path)
    if after is None:
        after = content
    before = original if original is not None else git_head_text(path)
    return FileEdit(path, before, after)


# -- Codex apply_patch ------------------------------------------------------------------------
PATCH_FILE = re.compile(r"^\*\*\* (Add|Update|Delete) File: (.+?)\s*$")
PATCH_MOVE = re.compile(r"^\*\*\* Move to: (.+?)\s*$")


@dataclass
class PatchedFile:
    action: str  # Add | Update | Delete
    path: str
    hunks: list[Replacement]


def parse_apply_patch(text: str) -> list[PatchedFile]:
    """Files in a Codex `*** Begin Patch` envelope. Update hunks become replacements of their
    old lines (context and `-`) by their new lines (context and `+`)."""
    files: list[PatchedFile] = []
    current: PatchedFile | None = None
    old: list[str] = []
    new: list[str] = []

    def flush() -> None:
        if current is not None and (old or new) and old != new:
            current.hunks.append(Replacement("".join(old), "".join(new)))
        old.clear()
        new.clear()

    for line in text.splitlines():
        header = PATCH_FILE.match(line)
        if header:
            flush()
            current = PatchedFile(header.group(1), header.group(2).strip(), [])
            files.append(current)
            continue
        if current is None:
            continue
        move = PATCH_MOVE.match(line)
        if move:
            current.path = move.group(1).strip()
        elif line.startswith("@@") or line.startswith("*** End"):
            flush()
        elif current.action == "Update" and line[:1] in (" ", "-", "+"):
            body = line[1:] + "\n"
            if line[0] in (" ", "-"):
                old.append(body)
            if line[0] in (" ", "+"):
                new.append(body)
        elif current.action == "Update" and line == "":
            old.append("\n")
            new.append("\n")
    flush()
    return files


# -- Cline replace_in_file ----------------------------------------------------------------------
SEARCH_MARK = re.compile(r"^(?:-{3,} SEARCH|<{3,} SEARCH)\s*$")
DIVIDER = re.compile(r"^={3,}\s*$")
REPLACE_MARK = re.compile(r"^(?:\+{3,} REPLACE|>{3,} REPLACE)\s*$")


def parse_search_replace(diff: str) -> list[Replacement]:
    """Cline's SEARCH/REPLACE blocks (`------- SEARCH` / `=======` / `+++++++ REPLACE`, or the
    older `<<<<<<< SEARCH` / `>>>>>>> REPLACE` markers)."""
    out: list[Replacement] = []
    state = None
    old: list[str] = []
    new: list[str] = []
    for line in diff.splitlines(keepends=True):
        bare = line.rstrip("\r\n")
        if SEARCH_MARK.match(bare):
            state, old, new = "search", [], []
        elif state == "search" and DIVIDER.match(bare):
            state = "replace"
        elif state == "replace" and REPLACE_MARK.match(bare):
            out.append(Replacement("".join(old), "".join(new)))
            state = None
        elif state == "search":
            old.append(line)
        elif state == "replace":
            new.append(line)
    return out

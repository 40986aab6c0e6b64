"""Walking a project tree and writing user files safely.

Walking: the files git would track (tracked + untracked-not-ignored) when the root is in a
git work tree, else a plain walk; both skip dependency, virtualenv and build folders.
Writing: atomic (temp file in the same folder + os.replace), so a crash or a full disk never
leaves a half-written user file.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from auditor.errors import AuditorError

SKIP_DIRS: frozenset[str] = frozenset(
    {
        ".git", ".hg", ".svn", "node_modules", ".venv", "venv", "env", ".env", "__pycache__",
        ".tox", ".nox", ".mypy_cache", ".pytest_cache", ".ruff_cache", "site-packages",
        "vendor", "bower_components", "dist", "build", "out", "target", ".next", ".nuxt",
        ".svelte-kit", ".gradle", ".idea", ".vscode", "coverage", ".terraform", ".cache",
        ".parcel-cache", ".turbo", ".angular", ".eggs", "bin", "obj", "tmp", "log",
    }
)


def _git_files(root: Path) -> list[str] | None:
    """Relative paths git knows about below `root` (None when not a git work tree)."""
    try:
        proc = subprocess.run(
            ["git", "-C", str(root), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            capture_output=True,
            timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if proc.returncode != 0:
        return None
    return [p for p in proc.stdout.decode("utf-8", "surrogateescape").split("\0") if p]


def walk_files(root: Path, skip_dirs: frozenset[str] = SKIP_DIRS) -> Iterator[str]:
    """Yield paths of regular files below `root`, relative, with forward slashes, sorted.

    Git-ignored files are left out when `root` is inside a git work tree; dependency and
    build folders (SKIP_DIRS) are left out always."""
    root = root.resolve()
    listed = _git_files(root) if _inside_git(root) else None
    if listed is not None:
        for rel in sorted(listed):
            parts = rel.split("/")
            if any(p in skip_dirs for p in parts[:-1]):
                continue
            if (root / rel).is_file() and not (root / rel).is_symlink():
                yield rel
        return
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in skip_dirs and not os.path.islink(os.path.join(dirpath, d)))
        rel_dir = os.path.relpath(dirpath, root)
        for name in sorted(filenames):
            full = os.path.join(dirpath, name)
            if os.path.islink(full):
                continue
            yield name if rel_dir == "." else f"{rel_dir}/{name}".replace(os.sep, "/")


def _inside_git(root: Path) -> bool:
    for parent in [root, *root.parents]:
        if (parent / ".git").exists():
            return True
    return False


def read_text(path: Path, limit: int = 2_000_000) -> str | None:
    """Read a text file leniently; None for binary or oversized files (callers skip them)."""
    try:
        with path.open("rb") as fh:
            data = fh.read(limit + 1)
    except OSError:
        return None
    if len(data) > limit or b"\0" in data[:8192]:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def read_files(root: Path, rels: list[str], limit: int,
               on_progress: Callable[[int, int], None] | None = None,
               skipped: list[tuple[str, str]] | None = None) -> Iterator[tuple[str, str]]:
    """(relative path, text) for each of `rels` under `root` that is a readable text file of
    at most `limit` bytes, reporting progress per file. Oversized and unreadable files are
    recorded in `skipped` (path, reason) when given; binary files are passed over silently."""
    for n, rel in enumerate(rels, start=1):
        if on_progress is not None:
            on_progress(n, len(rels))
        full = root / rel
        try:
            if full.stat().st_size > limit:
                if skipped is not None:
                    skipped.append((rel, f"larger than {limit / 1_000_000:g} MB"))
                continue
        except OSError as exc:
            if skipped is not None:
                skipped.append((rel, f"unreadable ({exc.strerror})"))
            continue
        text = read_text(full, limit)
        if text is not None:
            yield rel, text


def atomic_write(path: Path, text: str) -> None:
    """Write `text` to `path` atomically, keeping the file's permissions when it exists.

    Raises AuditorError (exit 2) with the path when the target cannot be written; no
    temporary file is left behind."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        mode = path.stat().st_mode & 0o7777 if path.exists() else None
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".auditor-tmp", dir=path.parent)
    except OSError as exc:
        raise AuditorError(f"{path}: cannot write ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except OSError as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise AuditorError(f"{path}: cannot write ({exc.strerror or exc})") from None

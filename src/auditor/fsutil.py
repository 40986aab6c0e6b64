"""Walking a project tree and writing user files safely.

Walking: the files git would track (tracked + untracked-not-ignored) when the root is in a
git work tree, else a plain walk; both skip dependency, virtualenv and build folders.
Writing: atomic (temp file in the same folder + os.replace), so a crash or a full disk never
leaves a half-written user file.
"""

from __future__ import annotations

import os
import stat
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

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
    """Yield paths of the files below `root` (never symlinks: a link may lead out of the tree),
    relative, with forward slashes, sorted.

    Git-ignored files are left out when `root` is inside a git work tree; dependency and
    build folders (SKIP_DIRS) are left out always. A root that git itself ignores was named
    on purpose (a checkout under an ignored scratch folder): it is walked in full, not
    reported as empty."""
    root = root.resolve()
    listed = _git_files(root) if _inside_git(root) and not _git_ignored(root) else None
    if listed is not None:
        for rel in sorted(listed):
            parts = rel.split("/")
            if any(p in skip_dirs for p in parts[:-1]):
                continue
            full = root / rel
            # Not a symlink, not a folder: regular files, and FIFOs or sockets that read_files
            # then lists as skipped (with why) rather than dropping without a word.
            if os.path.lexists(full) and not full.is_symlink() and not full.is_dir():
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


def _git_ignored(root: Path) -> bool:
    """True when git ignores `root` itself (so `ls-files` would list nothing below it)."""
    try:
        proc = subprocess.run(["git", "-C", str(root), "check-ignore", "-q", "."], capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return proc.returncode == 0


def _inside_git(root: Path) -> bool:
    for parent in [root, *root.parents]:
        if (parent / ".git").exists():
            return True
    return False


class UnreadableFile(Exception):
    """A file auditor will not or cannot read; the message is the one-line reason (without
    the path: callers name the file in their own terms)."""


_KINDS = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a directory"),
)


def _size_text(limit: int) -> str:
    return f"{limit / 1_000_000:g} MB" if limit >= 1_000_000 else f"{limit:,} bytes"


def open_regular(path: Path) -> BinaryIO:
    """`path` opened for reading, when it is a regular file: THE way auditor opens a file.

    The file is opened non-blocking and checked with fstat on the open descriptor (no race
    with a swap between check and open): a FIFO, device or socket (directly or through a
    symlink, e.g. to /dev/zero) is refused before any read, so it can neither block nor feed
    an endless stream. Raises UnreadableFile."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise UnreadableFile(f"cannot read ({exc.strerror or exc})") from None
    except ValueError:  # a NUL byte in the name (a `-r base\x00.txt` include)
        raise UnreadableFile("the file name holds a NUL byte") from None
    try:
        mode = os.fstat(fd).st_mode
    except OSError as exc:
        os.close(fd)
        raise UnreadableFile(f"cannot read ({exc.strerror or exc})") from None
    if not stat.S_ISREG(mode):
        os.close(fd)
        kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
        raise UnreadableFile(f"{kind}, not a regular file; not read")
    return os.fdopen(fd, "rb")


def read_bytes(path: Path, limit: int, head: bool = False) -> bytes:
    """The bytes of a regular file (see open_regular) of at most `limit` bytes; at most
    `limit` + 1 bytes are ever read. `head`: the first `limit` bytes of a larger file instead
    of refusing it. Raises UnreadableFile."""
    with open_regular(path) as fh:
        try:
            if os.fstat(fh.fileno()).st_size > limit and not head:
                raise UnreadableFile(f"larger than {_size_text(limit)}")
            data = fh.read(limit + 1)
        except OSError as exc:
            raise UnreadableFile(f"cannot read ({exc.strerror or exc})") from None
    if len(data) > limit:
        if head:
            return data[:limit]
        raise UnreadableFile(f"larger than {_size_text(limit)}")  # grew while we read it
    return data


_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"),
)
# Control bytes that do not occur in text (tab, newlines, form feed and ESC do).
_BINARY_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27)) + b"\x7f"


def _bom(data: bytes) -> tuple[str, int] | None:
    for mark, codec in _BOMS:
        if data.startswith(mark):
            return codec, len(mark)
    return None


def looks_binary(data: bytes) -> bool:
    """Binary: more than 5% of the first 8 KB are control bytes that text never holds, with at
    least one NUL. A stray NUL in a .env file keeps it text (its secrets are still found);
    UTF-16/32 with a BOM is text too."""
    if _bom(data) is not None:
        return False
    sample = data[:8192]
    if b"\0" not in sample:
        return False
    controls = len(sample) - len(sample.translate(None, _BINARY_BYTES))
    return controls > len(sample) * 0.05


def decode_text(data: bytes, strict: bool = False) -> str:
    """Text from bytes: a BOM (UTF-8, UTF-16, UTF-32) decides the codec; else UTF-8. Not
    valid in that codec: UnicodeDecodeError when `strict` (a file we will parse or rewrite
    exactly), else latin-1 (every byte maps to a character, so pattern checks still run)."""
    found = _bom(data)
    codec, skip = found if found is not None else ("utf-8", 0)
    try:
        return data[skip:].decode(codec)
    except UnicodeDecodeError:
        if strict:
            raise
        return data[skip:].decode("latin-1")


def read_text_strict(path: Path, limit: int) -> str:
    """The text of a file auditor parses (a manifest, a baseline): a regular file within
    `limit`, decoded exactly (BOM-aware UTF-8/16/32). Raises UnreadableFile with the reason."""
    data = read_bytes(path, limit)
    try:
        return decode_text(data, strict=True)
    except UnicodeDecodeError as exc:
        raise UnreadableFile(f"not UTF-8 text (byte {exc.start})") from None


def read_text(path: Path, limit: int = 2_000_000) -> str | None:
    """Read a text file leniently; None for binary, oversized or unreadable files (callers
    that can do without the file skip it)."""
    try:
        data = read_bytes(path, limit)
    except UnreadableFile:
        return None
    return None if looks_binary(data) else decode_text(data)


# Formats that are binary by design: reading them as text finds nothing, and listing each
# image of a repository as "skipped" would bury the skips that matter.
BINARY_SUFFIXES: frozenset[str] = frozenset({
    ".png", ".jpg", ".jpeg", ".gif", ".bmp", ".ico", ".webp", ".tif", ".tiff", ".psd", ".pdf",
    ".zip", ".gz", ".tgz", ".bz2", ".xz", ".7z", ".rar", ".tar", ".jar", ".war", ".class", ".pyc",
    ".so", ".dll", ".dylib", ".exe", ".o", ".a", ".woff", ".woff2", ".ttf", ".otf", ".eot",
    ".mp3", ".mp4", ".wav", ".ogg", ".webm", ".mov", ".avi", ".sqlite", ".sqlite3", ".db", ".wasm",
    ".icns", ".avif", ".heic", ".zst", ".br", ".lz4", ".whl", ".egg", ".nupkg", ".gem", ".deb", ".rpm",
    ".apk", ".dmg", ".iso", ".pkl", ".pickle", ".npy", ".npz", ".parquet", ".mo",
})


def read_files(root: Path, rels: list[str], limit: int,
               on_progress: Callable[[int, int], None] | None = None,
               skipped: list[tuple[str, str]] | None = None) -> Iterator[tuple[str, str]]:
    """(relative path, text) for each of `rels` under `root` that is a readable text file of
    at most `limit` bytes, reporting progress per file. Every file not read is recorded in
    `skipped` (path, reason) when given: oversized, unreadable, not a regular file (a FIFO, a
    device), or binary; only files binary by their very format (images, archives) are passed
    over without a word."""
    for n, rel in enumerate(rels, start=1):
        if on_progress is not None:
            on_progress(n, len(rels))
        try:
            data = read_bytes(root / rel, limit)
        except UnreadableFile as exc:
            if skipped is not None:
                skipped.append((rel, str(exc)))
            continue
        if looks_binary(data):
            name = rel.rpartition("/")[2].lower()
            if skipped is not None and os.path.splitext(name)[1] not in BINARY_SUFFIXES and name != ".ds_store":
                skipped.append((rel, "binary content (NUL and control bytes); not scanned"))
            continue
        yield rel, decode_text(data)


def current_umask() -> int:
    """The process umask. Read from /proc where it is shown, since the portable way (set it,
    then put it back) changes it for a moment under every other thread."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _is_special(path: Path) -> bool:
    """A character device or FIFO (following symlinks, as opening it would)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)


def atomic_write(path: Path, text: str) -> None:
    """Write `text` to `path` atomically. An existing file keeps its permissions; a new one
    gets 0o666 less the umask, as a shell redirect or an editor would give it (the temporary
    file mkstemp makes is 0600, which would otherwise hide a new AGENTS.md from the team).

    Raises AuditorError (exit 2) with the path when the target cannot be written; no
    temporary file is left behind."""
    path = Path(path)
    if _is_special(path):
        # A device or FIFO (`-o /dev/null`, `-o /dev/stdout`): renaming over it would swap the
        # device node for a plain file, so it is written through, as a shell redirect would.
        try:
            with open(path, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
        except OSError as exc:
            raise AuditorError(f"{path}: cannot write ({exc.strerror or exc})") from None
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        mode = path.stat().st_mode & 0o7777 if path.exists() else 0o666 & ~current_umask()
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".auditor-tmp", dir=path.parent)
    except OSError as exc:
        raise AuditorError(f"{path}: cannot write ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except OSError as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise AuditorError(f"{path}: cannot write ({exc.strerror or exc})") from None

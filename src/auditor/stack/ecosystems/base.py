"""What every ecosystem parser shares: its result records, its error, line lookup and
the reading of a version out of a requirement as written.

A parser turns one file's text into a `ParsedFile`: the dependencies it declares (manifest)
or pins (lockfile), plus components the file shows on its own (a csproj's web SDK, a
Maven parent's Spring Boot version). It never runs package code and never touches the
network; files it needs besides its own (a `-r` include, a parent pom, a version catalog)
come through `ParseContext`, which keeps reads inside the scanned root.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from auditor.fsutil import UnreadableFile, read_text_strict
from auditor.stack.model import Dependency, StackComponent

# Lockfiles can be large (a monorepo's package-lock.json reaches tens of MB); manifests not.
MANIFEST_LIMIT = 4_000_000
LOCKFILE_LIMIT = 64_000_000


class ManifestError(ValueError):
    """A file that cannot be read or parsed; the message is the one-line reason."""


@dataclass
class LockIndex:
    """Resolved versions from a lockfile, for filling in the versions of direct deps.

    `scoped` maps a workspace directory relative to the lockfile ("." for the lockfile's own
    directory) to package name -> version: workspaces of one npm/pnpm lockfile resolve the
    same name differently. `by_spec` maps "name@spec" -> version where the lockfile is keyed
    by the requirement as written (yarn)."""

    scoped: dict[str, dict[str, str]] = field(default_factory=dict)
    by_spec: dict[str, str] = field(default_factory=dict)

    def resolve(self, name: str, spec: str | None, workspace: str = ".") -> str | None:
        if spec is not None:
            hit = self.by_spec.get(f"{name}@{spec}")
            if hit:
                return hit
        for scope in (workspace, "."):
            hit = self.scoped.get(scope, {}).get(name)
            if hit:
                return hit
        return None

    def pin(self, name: str, version: str, workspace: str = ".") -> None:
        self.scoped.setdefault(workspace, {}).setdefault(name, version)


@dataclass
class ParsedFile:
    """One manifest or lockfile, parsed.

    `dependencies` are direct for a manifest; for a lockfile they are every locked package
    (direct=False until the manifest's list says otherwise). `components` are what the file
    shows beyond its package names. `extra_files` are other files read on the way (a `-r`
    include) so they count as manifests of the sub-project."""

    dependencies: list[Dependency] = field(default_factory=list)
    components: list[StackComponent] = field(default_factory=list)
    lock: LockIndex | None = None
    extra_files: list[str] = field(default_factory=list)
    relevant: bool = True  # False: the file turned out not to be a manifest (setup.cfg of flake8 only)


class ParseContext:
    """Reads files other than the one being parsed, only inside the scanned root."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def resolve(self, rel: str) -> str | None:
        """Normalize `rel` (relative to the root); None when it leaves the root."""
        parts: list[str] = []
        for part in rel.replace("\\", "/").split("/"):
            if part in ("", "."):
                continue
            if part == "..":
                if not parts:
                    return None
                parts.pop()
            else:
                parts.append(part)
        return "/".join(parts)

    def exists(self, rel: str) -> bool:
        norm = self.resolve(rel) if "\0" not in rel else None
        return norm is not None and (self.root / norm).is_file()

    def read(self, rel: str, limit: int = MANIFEST_LIMIT) -> str:
        """The text of `rel`, or ManifestError with a one-line reason."""
        if "\0" in rel:
            raise ManifestError("the file name holds a NUL byte")
        norm = self.resolve(rel)
        if norm is None:
            raise ManifestError(f"{rel} is outside the project")
        full = self.root / norm
        try:
            real = full.resolve()
        except (OSError, RuntimeError):  # a symlink loop
            raise ManifestError(f"{rel}: a symlink that cannot be followed") from None
        if not real.is_relative_to(self.root):
            raise ManifestError(f"{rel} is a symlink to outside the project")
        return read_file(full, limit)


def read_file(path: Path, limit: int = MANIFEST_LIMIT) -> str:
    """A manifest's text through the one guarded reader (regular files only, size cap,
    BOM-aware decoding); anything else is a ManifestError with the reason."""
    try:
        return read_text_strict(path, limit)
    except UnreadableFile as exc:
        raise ManifestError(str(exc)) from None


class LineIndex:
    """Offset -> 1-based line, for parsers whose parser (json, tomllib) forgets lines.

    Parsers look up where a declaration is by searching its text forward from the previous
    hit, so lookups mostly move forward: those count newlines from the last answer (one
    pass over the file in all); a lookup backwards counts from the start."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._offset = 0
        self._line = 1

    def line_at(self, offset: int) -> int:
        if offset < self._offset:
            self._offset, self._line = 0, 1
        self._line += self.text.count("\n", self._offset, offset)
        self._offset = offset
        return self._line

    def find(self, needle: str, start: int = 0, end: int | None = None) -> int:
        """Offset of `needle` at or after `start` (-1 when absent)."""
        return self.text.find(needle, start, len(self.text) if end is None else end)

    def line_of(self, needle: str, start: int = 0, end: int | None = None) -> int:
        """Line of the first `needle` at or after `start`, 0 when absent."""
        pos = self.find(needle, start, end)
        return self.line_at(pos) if pos >= 0 else 0


_VERSION = re.compile(r"v?(\d+(?:\.\d+)*(?:[-.+]?[A-Za-z][A-Za-z0-9.\-+]*)?)")
_NOT_A_VERSION = ("file:", "link:", "git", "http:", "https:", "workspace:", "portal:", "github:", "npm:", "patch:")


def version_from_spec(spec: str | None) -> str | None:
    """The version a requirement names, for a component's version when no lockfile pins one:
    `^4.18.2` -> 4.18.2, `~> 7.1` -> 7.1, `>=2.0,<3` -> 2.0. A spec that only bounds from
    above, a wildcard or a URL says nothing useful: None."""
    if not spec:
        return None
    s = spec.strip().strip("\"'")
    if not s or s in ("*", "latest", "next", "x") or s.startswith(_NOT_A_VERSION):
        return None
    s = s.split(",")[0].split("||")[0].strip().lstrip("[(")
    if s.startswith(("<", "!=")):
        return None
    s = s.lstrip("=^~>! ")
    m = _VERSION.match(s)
    if not m:
        return None
    version = m.group(1).rstrip(".-+")
    return version if version else None


_EXACT_SEMVER = re.compile(r"^v?\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.\-+]+)?$")


def is_exact_semver(spec: str) -> bool:
    """`1.2.3` or `1.2.3-beta.1` (npm, composer: a plain version pins exactly)."""
    return bool(_EXACT_SEMVER.match(spec.strip().lstrip("=").strip()))

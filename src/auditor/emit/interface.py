"""The small abstract writer every assistant format implements, and the FileChange record.

A writer never touches disk: it reads what exists and returns FileChanges; `emit.apply` decides
whether to show them (--dry-run), compare them (--check) or write them. That split is what
makes --check and --dry-run exact: they see the very text a real run would write."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from auditor.emit.content import RuleContent


@dataclass(frozen=True)
class FileChange:
    """One file `init` would create, update or remove. `before` is None when the file does not
    exist; `remove` marks a file auditor generated earlier that the current stack no longer
    needs (only ever files carrying auditor's generated marker)."""

    path: Path
    before: str | None
    after: str
    changed: bool
    remove: bool = False


class Writer(ABC):
    """One assistant format. Subclasses set `tool` (the id used by --tools), `describe` (a
    one-liner for --list-tools) and `signs` (paths whose presence shows the repo uses the tool)."""

    tool: ClassVar[str]
    describe: ClassVar[str]
    signs: ClassVar[tuple[str, ...]] = ()

    def in_use(self, root: Path) -> bool:
        """True when the repository shows signs of using this assistant."""
        return any((root / sign).exists() for sign in self.signs)

    @abstractmethod
    def plan(self, root: Path, content: RuleContent) -> list[FileChange]:
        """The changes that bring this format's files up to date with `content`."""

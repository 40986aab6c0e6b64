"""JetBrains Junie: a marked block with every rule in .junie/guidelines.md (no path scoping)."""

from __future__ import annotations

from pathlib import Path

from auditor.emit.block import Surroundings, block_change
from auditor.emit.content import RuleContent
from auditor.emit.interface import FileChange, Writer

MAX_CHARS = 16_000  # no documented limit; the file is read on every task


class JunieWriter(Writer):
    tool = "junie"
    describe = ".junie/guidelines.md block with every rule"
    signs = (".junie",)

    def plan(self, root: Path, content: RuleContent) -> list[FileChange]:
        def render(around: Surroundings) -> str:
            return content.full(MAX_CHARS)

        return [block_change(root / ".junie" / "guidelines.md", render)]

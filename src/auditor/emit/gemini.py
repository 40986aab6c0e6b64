"""Gemini CLI / Code Assist: a marked block with every rule in GEMINI.md (no path scoping)."""

from __future__ import annotations

from pathlib import Path

from auditor.emit.block import Surroundings, block_change
from auditor.emit.content import RuleContent
from auditor.emit.interface import FileChange, Writer

# Gemini documents no limit; the whole file is loaded into every request, so stay modest.
MAX_CHARS = 32_000


class GeminiWriter(Writer):
    tool = "gemini"
    describe = "GEMINI.md block with every rule"
    signs = ("GEMINI.md", ".gemini")

    def plan(self, root: Path, content: RuleContent) -> list[FileChange]:
        def render(around: Surroundings) -> str:
            return content.full(MAX_CHARS)

        return [block_change(root / "GEMINI.md", render)]

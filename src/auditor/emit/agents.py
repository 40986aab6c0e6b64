"""AGENTS.md: a marked block with every rule (no path scoping in this format). Read by Codex,
Cursor, Copilot's agent, Windsurf, Cline, Junie, Amp and others.

Codex stops reading project docs at 32 KiB (`project_doc_max_bytes`), counted in bytes over
the whole file, so the block is sized in bytes against the user's text around it."""

from __future__ import annotations

from pathlib import Path

from auditor.emit.block import Surroundings, block_change, overhead
from auditor.emit.content import RuleContent
from auditor.emit.interface import FileChange, Writer
from auditor.kb.rank import Measure, utf8_bytes

MAX_BYTES = 32 * 1024


def crlf_bytes(text: str) -> int:
    """Bytes once every \\n is written as \\r\\n."""
    return utf8_bytes(text) + text.count("\n")


class AgentsWriter(Writer):
    tool = "agents"
    describe = "AGENTS.md block with every rule, <= 32 KiB (Codex, and most other agents)"
    signs = ("AGENTS.md",)

    def plan(self, root: Path, content: RuleContent) -> list[FileChange]:
        def render(around: Surroundings) -> str:
            measure: Measure = crlf_bytes if around.newline == "\r\n" else utf8_bytes
            room = MAX_BYTES - utf8_bytes(around.before + around.after) - overhead(measure)
            return content.full(room, measure)

        return [block_change(root / "AGENTS.md", render)]

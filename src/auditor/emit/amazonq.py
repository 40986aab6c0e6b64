"""Amazon Q Developer: project rules are plain markdown files in .amazonq/rules/, all used as
context for every chat in the project (no frontmatter, no path scoping), so auditor writes one
file with every rule."""

from __future__ import annotations

from pathlib import Path

from auditor.emit.content import RuleContent
from auditor.emit.files import owned_change, stale_owned, with_note
from auditor.emit.interface import FileChange, Writer

MAX_CHARS = 16_000  # no documented limit; every file in the folder is always in context
FILE = ".amazonq/rules/auditor-security.md"


class AmazonQWriter(Writer):
    tool = "amazonq"
    describe = ".amazonq/rules/auditor-security.md with every rule"
    signs = (".amazonq",)

    def plan(self, root: Path, content: RuleContent) -> list[FileChange]:
        fixed = len(with_note("", ""))
        change = owned_change(root / FILE, with_note("", content.full(MAX_CHARS - fixed)))
        return [change, *stale_owned((root / FILE).parent, ".md", [change.path])]

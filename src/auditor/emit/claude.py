"""Claude Code: a marked block in CLAUDE.md (always loaded) and path-scoped files in
.claude/rules/ with `paths:` frontmatter (loaded when Claude works on matching files).

Claude Code's guidance is to keep CLAUDE.md under 200 lines, so the block is sized in lines
against what the user already has there; the full guidance lives in the scoped files."""

from __future__ import annotations

from pathlib import Path

from auditor.emit.block import Surroundings, block_change, overhead
from auditor.emit.content import RuleContent, Scope
from auditor.emit.files import frontmatter, yaml_list
from auditor.emit.interface import FileChange, Writer
from auditor.emit.scoped import ScopedLayout, plan_scoped, pointers
from auditor.kb.rank import lines

MAX_LINES = 200  # the always-loaded CLAUDE.md stays strictly under this
MAX_BLOCK_LINES = 120  # leave most of the room to the user even in an empty CLAUDE.md
LAYOUT = ScopedLayout(".claude/rules", ".md", scope_budget=16_000)


def memory_file(root: Path) -> Path:
    """CLAUDE.md at the root, or .claude/CLAUDE.md when that is the one the project has."""
    alt = root / ".claude" / "CLAUDE.md"
    return alt if not (root / "CLAUDE.md").exists() and alt.exists() else root / "CLAUDE.md"


def scope_front(scope: Scope) -> str:
    return frontmatter([("paths", yaml_list(scope.globs))])


class ClaudeWriter(Writer):
    tool = "claude"
    describe = "CLAUDE.md block (always loaded, < 200 lines) + .claude/rules/auditor-*.md with `paths:`"
    signs = ("CLAUDE.md", ".claude")

    def plan(self, root: Path, content: RuleContent) -> list[FileChange]:
        def render(around: Surroundings) -> str:
            room = MAX_LINES - 1 - lines(around.before) - lines(around.after) - overhead(lines)
            return content.always(pointers(content, LAYOUT), min(MAX_BLOCK_LINES, room), lines)

        return [block_change(memory_file(root), render), *plan_scoped(root, content, LAYOUT, scope_front)]

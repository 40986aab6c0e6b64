"""GitHub Copilot: a marked block at the top of .github/copilot-instructions.md (repository-wide)
and .github/instructions/auditor-*.instructions.md with `applyTo` (path-specific).

Copilot code review reads only the first 4,000 characters of an instructions file, so the
block goes first in the shared file and is sized to end within those 4,000 characters, and each
path-specific file is kept under 4,000 characters whole."""

from __future__ import annotations

from pathlib import Path

from auditor.emit.block import Surroundings, block_change, overhead
from auditor.emit.content import RuleContent, Scope
from auditor.emit.files import frontmatter, yaml_str
from auditor.emit.interface import FileChange, Writer
from auditor.emit.scoped import ScopedLayout, plan_scoped, pointers
from auditor.kb.rank import chars

MAX_CHARS = 4_000
LAYOUT = ScopedLayout(".github/instructions", ".instructions.md", scope_budget=MAX_CHARS)


def scope_front(scope: Scope) -> str:
    return frontmatter([
        ("description", yaml_str(f"Security rules for {scope.label} (auditor)")),
        ("applyTo", yaml_str(",".join(scope.globs))),
    ])


class CopilotWriter(Writer):
    tool = "copilot"
    describe = ".github/copilot-instructions.md block (first 4,000 chars) + .github/instructions/*.instructions.md"
    signs = (".github/copilot-instructions.md", ".github/instructions")

    def plan(self, root: Path, content: RuleContent) -> list[FileChange]:
        def render(around: Surroundings) -> str:
            room = MAX_CHARS - chars(around.before) - overhead(chars)
            return content.always(pointers(content, LAYOUT), room, chars)

        shared = block_change(root / ".github" / "copilot-instructions.md", render, placement="start")
        return [shared, *plan_scoped(root, content, LAYOUT, scope_front)]

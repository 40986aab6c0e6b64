"""Windsurf (Cascade): workspace rules in .windsurf/rules/*.md with `trigger` (always_on |
glob | model_decision | manual) and `globs`; or, for projects still on the legacy single
file, a marked block in .windsurfrules.

Limits: 6,000 characters per rules file in Windsurf's original rules system (the legacy file
and the global rules still have it; workspace rule files now allow 12,000). Every file auditor
writes for Windsurf stays within 6,000 characters, which satisfies both. `globs` is written as a
YAML list: the one form both Windsurf and Devin's CLI (which reads .windsurf/rules) load."""

from __future__ import annotations

from pathlib import Path

from auditor.emit.block import Surroundings, block_change, overhead
from auditor.emit.content import RuleContent, Scope
from auditor.emit.files import frontmatter, yaml_list, yaml_str
from auditor.emit.interface import FileChange, Writer
from auditor.emit.scoped import ScopedLayout, plan_scoped
from auditor.kb.rank import chars

MAX_CHARS = 6_000
LAYOUT = ScopedLayout(".windsurf/rules", ".md", scope_budget=MAX_CHARS, core_budget=MAX_CHARS)
LEGACY = ".windsurfrules"
CORE_FRONT = frontmatter([("trigger", "always_on")])


def scope_front(scope: Scope) -> str:
    return frontmatter([
        ("trigger", "glob"),
        ("description", yaml_str(f"Security rules for {scope.label} (auditor)")),
        ("globs", yaml_list(scope.globs)),
    ])


def uses_legacy(root: Path) -> bool:
    """The project keeps its Windsurf rules in the legacy .windsurfrules file only. Writing
    .windsurf/rules as well would load every rule twice."""
    return (root / LEGACY).is_file() and not (root / ".windsurf" / "rules").exists()


class WindsurfWriter(Writer):
    tool = "windsurf"
    describe = ".windsurf/rules/auditor-*.md (trigger always_on / glob), or a block in a legacy .windsurfrules"
    signs = (".windsurf", LEGACY)

    def plan(self, root: Path, content: RuleContent) -> list[FileChange]:
        if uses_legacy(root):
            def render(around: Surroundings) -> str:
                room = MAX_CHARS - chars(around.before + around.after) - overhead(chars)
                return content.full(room, chars)

            return [block_change(root / LEGACY, render)]
        return plan_scoped(root, content, LAYOUT, scope_front, CORE_FRONT)

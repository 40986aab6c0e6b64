"""Kiro: steering files in .kiro/steering/*.md with `inclusion: always | fileMatch | manual`;
fileMatch files name their files in `fileMatchPattern`.

Kiro matches `fileMatchPattern` as one glob or a list of globs; a comma-joined string is
taken literally and matches nothing, so several patterns are written as a YAML list."""

from __future__ import annotations

from pathlib import Path

from auditor.emit.content import RuleContent, Scope
from auditor.emit.files import frontmatter, yaml_str
from auditor.emit.interface import FileChange, Writer
from auditor.emit.scoped import ScopedLayout, plan_scoped

LAYOUT = ScopedLayout(".kiro/steering", ".md")
CORE_FRONT = frontmatter([("inclusion", "always")])


def scope_front(scope: Scope) -> str:
    globs = scope.globs
    pattern = yaml_str(globs[0]) if len(globs) == 1 else "[" + ", ".join(yaml_str(g) for g in globs) + "]"
    return frontmatter([("inclusion", "fileMatch"), ("fileMatchPattern", pattern)])


class KiroWriter(Writer):
    tool = "kiro"
    describe = ".kiro/steering/auditor-*.md (inclusion always / fileMatch with fileMatchPattern)"
    signs = (".kiro",)

    def plan(self, root: Path, content: RuleContent) -> list[FileChange]:
        return plan_scoped(root, content, LAYOUT, scope_front, CORE_FRONT)

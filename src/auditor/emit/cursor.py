"""Cursor: project rules in .cursor/rules/*.mdc with `description`, `globs`, `alwaysApply`.

Cursor reads `globs` as a raw comma-separated string: quotes would become part of the
pattern and a space after a comma breaks matching, so globs are written bare, joined by ","
(and brace-free, see emit.content)."""

from __future__ import annotations

from pathlib import Path

from auditor.emit.content import RuleContent, Scope
from auditor.emit.files import frontmatter
from auditor.emit.interface import FileChange, Writer
from auditor.emit.scoped import ScopedLayout, plan_scoped

LAYOUT = ScopedLayout(".cursor/rules", ".mdc")
CORE_FRONT = frontmatter([
    ("description", "Security rules for this project's stack, always applied (auditor)"),
    ("globs", ""),
    ("alwaysApply", "true"),
])


def scope_front(scope: Scope) -> str:
    return frontmatter([
        ("description", f"Security rules for {scope.label} (auditor)"),
        ("globs", ",".join(scope.globs)),
        ("alwaysApply", "false"),
    ])


class CursorWriter(Writer):
    tool = "cursor"
    describe = ".cursor/rules/auditor-*.mdc: an alwaysApply core rule + one rule per language, by globs"
    signs = (".cursor", ".cursorrules")

    def plan(self, root: Path, content: RuleContent) -> list[FileChange]:
        return plan_scoped(root, content, LAYOUT, scope_front, CORE_FRONT)

"""Continue: rules in .continue/rules/*.md with `name` (required), `description`, `globs`
(one pattern or a list) and `alwaysApply`. With `alwaysApply: false` and globs, a rule is
included when matching files are in context."""

from __future__ import annotations

from pathlib import Path

from auditor.emit.content import RuleContent, Scope
from auditor.emit.files import frontmatter, yaml_list, yaml_str
from auditor.emit.interface import FileChange, Writer
from auditor.emit.scoped import ScopedLayout, plan_scoped

LAYOUT = ScopedLayout(".continue/rules", ".md")
CORE_FRONT = frontmatter([
    ("name", yaml_str("Security rules (auditor)")),
    ("description", yaml_str("Security rules for this project's stack, always applied")),
    ("alwaysApply", "true"),
])


def scope_front(scope: Scope) -> str:
    return frontmatter([
        ("name", yaml_str(f"Security rules: {scope.label} (auditor)")),
        ("description", yaml_str(f"Security rules for {scope.label}")),
        ("globs", yaml_list(scope.globs)),
        ("alwaysApply", "false"),
    ])


class ContinueWriter(Writer):
    tool = "continue"
    describe = ".continue/rules/auditor-*.md (name, globs, alwaysApply)"
    signs = (".continue",)

    def plan(self, root: Path, content: RuleContent) -> list[FileChange]:
        return plan_scoped(root, content, LAYOUT, scope_front, CORE_FRONT)

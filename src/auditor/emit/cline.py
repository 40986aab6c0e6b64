"""Cline: markdown rules in the .clinerules/ folder; a file there with `paths:` frontmatter is
a conditional rule, loaded only when the task touches matching files. A project that still
has a single .clinerules *file* gets a marked block in it instead (a folder of the same name
cannot exist next to it)."""

from __future__ import annotations

from pathlib import Path

from auditor.emit.block import Surroundings, block_change
from auditor.emit.content import RuleContent, Scope
from auditor.emit.files import frontmatter, yaml_list
from auditor.emit.interface import FileChange, Writer
from auditor.emit.scoped import ScopedLayout, plan_scoped

LAYOUT = ScopedLayout(".clinerules", ".md")
SINGLE_FILE_CHARS = 16_000
# The core file has no frontmatter: Cline loads unconditioned rule files always.
CORE_FRONT = ""


def scope_front(scope: Scope) -> str:
    return frontmatter([("paths", yaml_list(scope.globs))])


class ClineWriter(Writer):
    tool = "cline"
    describe = ".clinerules/auditor-*.md (always-on core + `paths:` conditional rules), or a block in a .clinerules file"
    signs = (".clinerules",)

    def plan(self, root: Path, content: RuleContent) -> list[FileChange]:
        single = root / ".clinerules"
        if single.is_file():
            def render(around: Surroundings) -> str:
                return content.full(SINGLE_FILE_CHARS)

            return [block_change(single, render)]
        return plan_scoped(root, content, LAYOUT, scope_front, CORE_FRONT)

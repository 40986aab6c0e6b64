"""Shared by the formats that support path-scoped rule files: one file per scope, plus
(optionally) an always-loaded core file, plus removal of scope files no longer needed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from auditor.emit.content import RuleContent, Scope
from auditor.emit.files import OWNED_PREFIX, owned_change, stale_owned, with_note
from auditor.emit.interface import FileChange
from auditor.kb.rank import Measure, chars

CORE_KEY = "core"
# Always-loaded text costs context on every request: keep the core file short.
CORE_BUDGET = 6_000
SCOPE_BUDGET = 12_000


@dataclass(frozen=True)
class ScopedLayout:
    """Where a format keeps its rule files and how large one may be."""

    directory: str  # relative to the project root, forward slashes
    suffix: str  # ".md", ".mdc", ".instructions.md"
    scope_budget: int | None = SCOPE_BUDGET
    core_budget: int | None = CORE_BUDGET
    measure: Measure = chars

    def path(self, root: Path, key: str) -> Path:
        return root / self.directory / f"{OWNED_PREFIX}{key}{self.suffix}"

    def rel(self, key: str) -> str:
        return f"{self.directory}/{OWNED_PREFIX}{key}{self.suffix}"


def _fitted(front: str, render: Callable[[int | None], str], budget: int | None, measure: Measure) -> str:
    """Frontmatter + note + a body sized so that the whole file meets `budget`."""
    fixed = measure(with_note(front, ""))
    return with_note(front, render(None if budget is None else max(budget - fixed, 0)))


def pointers(content: RuleContent, layout: ScopedLayout) -> list[tuple[str, str]]:
    """(label, relative path) of each scope file, for the always-loaded part to name."""
    return [(scope.label, layout.rel(scope.key)) for scope in content.scopes]


def plan_scoped(
    root: Path,
    content: RuleContent,
    layout: ScopedLayout,
    scope_front: Callable[[Scope], str],
    core_front: str | None = None,
) -> list[FileChange]:
    """Scope files (and a core file when `core_front` is given), then removals of earlier
    auditor files in the same folder that this plan does not write."""
    changes: list[FileChange] = []
    if core_front is not None:
        text = _fitted(core_front, lambda b: content.always(pointers(content, layout), b, layout.measure),
                       layout.core_budget, layout.measure)
        changes.append(owned_change(layout.path(root, CORE_KEY), text))
    for scope in content.scopes:
        text = _fitted(scope_front(scope), lambda b, s=scope: content.scoped(s, b, layout.measure),
                       layout.scope_budget, layout.measure)
        changes.append(owned_change(layout.path(root, scope.key), text))
    changes += stale_owned(root / layout.directory, layout.suffix, [c.path for c in changes])
    return changes

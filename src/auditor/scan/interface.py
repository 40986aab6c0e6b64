"""What a check is and what it returns.

A check looks at one source file (already parsed once) and yields Hits: a detector id and
a place. The engine turns hits into Findings by looking up the rule that names the
detector (so a finding always carries a knowledge-base rule id, category and CWE).

Adding a check = adding a module under `auditor/scan/checks/` that defines `CHECKS`, a list
of Check instances; the engine discovers them, no registry to edit.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from tree_sitter import Node, Tree

from auditor.findings import Severity
from auditor.stack.model import SubProject


@dataclass
class SourceFile:
    """One file as the checks see it. `tree` is parsed lazily, once, by the engine."""

    path: str  # relative to the scanned root, forward slashes
    text: str
    language: str | None  # scan.languages id: python, javascript, typescript, tsx, ..., dotenv
    project: SubProject | None = None
    _tree: Tree | None = field(default=None, repr=False)
    # The project index (scan.project_index.ProjectIndex) when the scan knows its root:
    # checks follow calls into other files through it. None for a bare one-file scan.
    index: Any = field(default=None, repr=False, compare=False)
    # Library mode (`scan --library`): the parameters of the package's public API are input
    # (see scan.library). False in an ordinary scan.
    library: bool = field(default=False, compare=False)

    @property
    def tree(self) -> Tree | None:
        from auditor.scan.languages import GRAMMAR_LANGUAGES, parse

        if self._tree is None and self.language in GRAMMAR_LANGUAGES:
            self._tree = parse(self.language, self.text)
        return self._tree

    @cached_property
    def data(self) -> bytes:
        return self.text.encode("utf-8", "surrogatepass")

    @cached_property
    def lines(self) -> list[str]:
        return self.text.splitlines()

    def node_text(self, node: Node) -> str:
        return self.data[node.start_byte:node.end_byte].decode("utf-8", "replace")

    @cached_property
    def framework(self) -> str | None:
        """The web framework the file's imports show (see scan.framework_hint)."""
        from auditor.scan.framework_hint import framework_hint

        return framework_hint(self.language, self.text)

    def has(self, component_id: str) -> bool:
        """True when the file's sub-project uses `component_id` (False when unknown)."""
        return self.project is not None and component_id in self.project.ids()


@dataclass(frozen=True)
class Hit:
    """A detector firing at a place. Lines and columns are 1-based.

    `message` says what is wrong here and what to do instead (the rule title is used when
    empty). `rule_id` pins the rule when the check knows it (else the engine picks the
    best rule naming `detector` for the file's stack). `severity` lowers or raises the
    rule's severity for this hit (e.g. a weaker pattern); None keeps the rule's.
    `framework` is the web framework the check saw the file is written for (from its
    imports): it picks the rule when the file's stack does not name one (a file scanned alone)."""

    detector: str
    line: int
    column: int = 1
    end_line: int = 0
    message: str = ""
    rule_id: str | None = None
    severity: Severity | None = None
    path: str | None = None  # project checks may point at another file
    framework: str | None = None
    # How the input reached the sink: (path, line, note) steps from source to sink, when
    # the flow passes through other functions or files (JSON `trace`, SARIF `codeFlows`).
    trace: tuple[tuple[str, int, str], ...] = ()

    @classmethod
    def at(cls, detector: str, node: Node, message: str = "", **kw: object) -> Hit:
        """A hit spanning a tree-sitter node."""
        return cls(detector, node.start_point[0] + 1, node.start_point[1] + 1, node.end_point[0] + 1, message, **kw)  # type: ignore[arg-type]


class Check(ABC):
    """A per-file check. `languages` are scan.languages ids it runs on; `detectors` the ids
    it may emit (each must be named by some rule in the knowledge base)."""

    languages: frozenset[str] = frozenset()
    detectors: tuple[str, ...] = ()
    embedded: bool = False  # also runs on code embedded in another file kind (a view's Ruby)

    @abstractmethod
    def run(self, src: SourceFile) -> Iterable[Hit]:
        """Yield hits for `src`. Must not raise on odd input (ERROR nodes, empty files)."""


class ProjectCheck(ABC):
    """A check over a whole sub-project (e.g. an Express app with no helmet anywhere).
    Runs after the per-file pass with every parsed file of the sub-project."""

    detectors: tuple[str, ...] = ()

    @abstractmethod
    def run(self, project: SubProject, files: list[SourceFile]) -> Iterable[Hit]:
        """Yield hits; each must set `path` to the file it points at."""

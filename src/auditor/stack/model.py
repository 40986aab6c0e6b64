"""Records produced by stack detection and consumed by kb selection, scan and deps."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from auditor.report.escape import printable


def shown_path(path: str) -> str:
    """A path from the tree as text to print or write into a rules file. A directory name
    that is not UTF-8 arrives with surrogate escapes (no UTF-8 file or stream can hold them):
    its bytes are shown as `\\xNN`, and control characters escaped likewise. The Stack keeps
    the real path for reading files; this is only for showing it."""
    return printable(path)

# Component kinds. `language` and `framework` are special (DESIGN.md); the rest describe
# libraries that matter for security.
COMPONENT_KINDS: frozenset[str] = frozenset(
    {
        "language", "framework", "database", "orm", "auth", "session", "template",
        "http-client", "validation", "crypto", "security-middleware", "serialization",
        "xml", "library",
    }
)

# Ecosystem ids, shared with deps (OSV uses its own spelling; deps maps these).
ECOSYSTEMS: frozenset[str] = frozenset(
    {"npm", "pypi", "maven", "rubygems", "go", "packagist", "crates.io", "nuget"}
)


@dataclass(frozen=True)
class Dependency:
    """One package named by a manifest or lockfile, as written (no package code is run).

    `version` is the exact version when a lockfile or an `==` pin fixes it, else None;
    `spec` is the requirement as written (`^4.18.2`, `>=2,<3`). `line` is 1-based in `path`
    (0 when unknown) so findings can point at the manifest line."""

    name: str
    ecosystem: str
    path: str
    line: int = 0
    spec: str | None = None
    version: str | None = None
    direct: bool = True
    dev: bool = False


@dataclass(frozen=True)
class StackComponent:
    """Something a project uses: a language, framework or library, with the evidence."""

    id: str
    kind: str
    version: str | None = None
    evidence: str = ""  # path (relative to the scanned root) of the file that showed it

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "version": self.version, "evidence": self.evidence}


@dataclass
class SubProject:
    """One sub-project: the directory holding a manifest (monorepos have several)."""

    path: str  # relative to the scanned root, "." for the root itself, forward slashes
    manifests: list[str] = field(default_factory=list)
    components: list[StackComponent] = field(default_factory=list)
    dependencies: list[Dependency] = field(default_factory=list)

    def add(self, component: StackComponent) -> None:
        """Add a component once; a later sighting with a version fills in a missing one."""
        for i, existing in enumerate(self.components):
            if existing.id == component.id and existing.kind == component.kind:
                if existing.version is None and component.version is not None:
                    self.components[i] = component
                return
        self.components.append(component)

    def of_kind(self, kind: str) -> list[StackComponent]:
        return [c for c in self.components if c.kind == kind]

    @property
    def languages(self) -> set[str]:
        return {c.id for c in self.components if c.kind == "language"}

    @property
    def frameworks(self) -> set[str]:
        return {c.id for c in self.components if c.kind == "framework"}

    @property
    def libraries(self) -> set[str]:
        return {c.id for c in self.components if c.kind not in ("language", "framework")}

    def ids(self) -> set[str]:
        return {c.id for c in self.components}

    def version_of(self, component_id: str) -> str | None:
        for c in self.components:
            if c.id == component_id:
                return c.version
        return None

    def to_dict(self) -> dict[str, Any]:
        def pick(pred: Any) -> list[dict[str, Any]]:
            return [c.to_dict() for c in sorted(self.components, key=lambda c: c.id) if pred(c)]

        return {
            "path": self.path,
            "manifests": sorted(self.manifests),
            "languages": pick(lambda c: c.kind == "language"),
            "frameworks": pick(lambda c: c.kind == "framework"),
            "libraries": pick(lambda c: c.kind not in ("language", "framework")),
            "dependency_count": len(self.dependencies),
        }


@dataclass(frozen=True)
class DetectionProblem:
    """A manifest that could not be read or parsed: reported, skipped, detection goes on."""

    path: str
    problem: str

    def to_dict(self) -> dict[str, str]:
        return {"path": self.path, "problem": self.problem}


@dataclass
class Stack:
    """The result of detecting a whole tree: sub-projects plus the problems met on the way."""

    root: str
    projects: list[SubProject] = field(default_factory=list)
    problems: list[DetectionProblem] = field(default_factory=list)

    def merged(self) -> SubProject:
        """All sub-projects as one: what `rules`/`init` at the root select on."""
        merged = SubProject(path=".")
        for p in self.projects:
            merged.manifests.extend(p.manifests)
            merged.dependencies.extend(p.dependencies)
            for c in p.components:
                merged.add(c)
        return merged

    def project_for(self, rel_path: str) -> SubProject | None:
        """The deepest sub-project containing `rel_path` (forward slashes, relative)."""
        inside = [
            p for p in self.projects
            if p.path == "." or rel_path == p.path or rel_path.startswith(p.path + "/")
        ]
        return max(inside, key=lambda p: 0 if p.path == "." else len(p.path) + 1, default=None)

    def to_dict(self) -> dict[str, Any]:
        from auditor import __version__

        return {
            "version": __version__,
            "root": self.root,
            "projects": [p.to_dict() for p in self.projects],
            "problems": [e.to_dict() for e in self.problems],
        }

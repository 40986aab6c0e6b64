"""Stack detection: one walk over the tree, each manifest and lockfile parsed once, then
per sub-project: direct dependencies with lockfile versions, transitive ones, components.

Nothing here runs package code or touches the network. A file that cannot be read or parsed
becomes a DetectionProblem and detection goes on with the rest.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from auditor.errors import AuditorError
from auditor.fsutil import walk_files
from auditor.stack.catalog import Catalog, load_catalog, normalize_name
from auditor.stack.ecosystems import FileKind, classify
from auditor.stack.ecosystems.base import (
    LockIndex,
    ManifestError,
    ParseContext,
    ParsedFile,
    read_file,
    version_from_spec,
)
from auditor.stack.model import Dependency, DetectionProblem, Stack, StackComponent, SubProject
from auditor.stack.signatures import (
    NEXT_CONFIGS,
    file_signatures,
    imports_net_http,
    may_sign,
    nextjs_routers,
)

LANGUAGE_OF: dict[str, str] = {
    "npm": "javascript", "pypi": "python", "maven": "java", "rubygems": "ruby", "go": "go",
    "packagist": "php", "crates.io": "rust", "nuget": "csharp",
}
GO_WEB_FRAMEWORKS = frozenset({"gin", "echo"})
DEFINING = frozenset({"manage.py", "routes.rb", *NEXT_CONFIGS})


@dataclass
class _Parsed:
    rel: str
    kind: FileKind
    result: ParsedFile


@dataclass
class _Folder:
    """What the walk found in one sub-project directory."""

    parsed: list[_Parsed] = field(default_factory=list)


def detect_stack(root: Path) -> Stack:
    """Detect the stack of every sub-project below `root`.

    Raises AuditorError when `root` is missing or not a directory; every other problem is
    reported in `Stack.problems` and skipped."""
    root = Path(root)
    if not root.exists():
        raise AuditorError(f"{root}: no such file or directory")
    if not root.is_dir():
        raise AuditorError(f"{root}: not a directory")
    ctx = ParseContext(root)
    catalog = load_catalog()
    stack = Stack(root=str(root))
    folders: dict[str, _Folder] = {}
    files = list(walk_files(root))
    signature_files: list[str] = []
    go_files: list[str] = []
    for rel in files:
        found = classify(rel)
        if found is None:
            if may_sign(rel):
                signature_files.append(rel)
            elif rel.endswith(".go"):
                go_files.append(rel)
            continue
        kind, folder = found
        try:
            result = kind.load()(read_file(root / rel, kind.limit), rel, ctx)
        except ManifestError as exc:
            stack.problems.append(DetectionProblem(rel, str(exc)))
            continue
        except RecursionError:
            stack.problems.append(DetectionProblem(rel, "nested too deeply to parse"))
            continue
        except (TypeError, AttributeError, ValueError, KeyError, IndexError) as exc:
            # A shape no parser check anticipated: one file's problem, never a crash of the run.
            stack.problems.append(DetectionProblem(rel, f"unexpected structure, not parsed ({type(exc).__name__})"))
            continue
        if result.relevant:
            folders.setdefault(folder, _Folder()).parsed.append(_Parsed(rel, kind, result))

    projects = {path: _build(path, folder, folders, catalog) for path, folder in sorted(folders.items())}
    _apply_signatures(root, signature_files, projects)
    go_by_project: dict[str | None, list[str]] = {}
    for rel in go_files:
        go_by_project.setdefault(_owner(rel, projects), []).append(rel)
    for path, project in projects.items():
        if "nextjs" in project.frameworks:
            for component in nextjs_routers(path, files):
                project.add(component)
        if "go" in project.languages:
            _add_net_http(root, project, go_by_project.get(path, []))
    stack.projects = [projects[p] for p in sorted(projects, key=lambda p: (p != ".", p))]
    return stack


def _owner(rel: str, projects: dict[str, SubProject]) -> str | None:
    """The deepest sub-project directory containing `rel`."""
    folder = rel.rpartition("/")[0]
    while True:
        key = folder or "."
        if key in projects:
            return key
        if not folder:
            return None
        folder = folder.rpartition("/")[0]


def _lock_for(path: str, ecosystem: str, folders: dict[str, _Folder]) -> tuple[list[LockIndex], str]:
    """The lock indexes that resolve `path`'s packages, and `path` relative to the lockfile's
    folder (an npm/pnpm workspace resolves through the lockfile at the workspace root)."""
    here = [p.result.lock for p in folders[path].parsed if p.kind.ecosystem == ecosystem and p.result.lock]
    if here or ecosystem != "npm":
        return [lock for lock in here if lock is not None], "."
    parts = path.split("/") if path != "." else []
    for depth in range(len(parts) - 1, -1, -1):
        ancestor = "/".join(parts[:depth]) or "."
        folder = folders.get(ancestor)
        if folder is None:
            continue
        locks = [p.result.lock for p in folder.parsed if p.kind.ecosystem == "npm" and p.result.lock]
        if locks:
            return [lock for lock in locks if lock is not None], "/".join(parts[depth:])
    return [], "."


def _build(path: str, folder: _Folder, folders: dict[str, _Folder], catalog: Catalog) -> SubProject:
    project = SubProject(path=path)
    direct: dict[tuple[str, str, str, int], Dependency] = {}
    locked: list[Dependency] = []
    for item in folder.parsed:
        for rel in (item.rel, *item.result.extra_files):
            if rel not in project.manifests:
                project.manifests.append(rel)
        for component in item.result.components:
            project.add(component)
        if item.kind.role == "manifest":
            project.add(StackComponent(LANGUAGE_OF[item.kind.ecosystem], "language", None, item.rel))
            for dep in item.result.dependencies:
                key = (dep.ecosystem, dep.name, dep.path, dep.line)
                if key not in direct or (direct[key].dev and not dep.dev):
                    direct[key] = dep  # a file read alone and through -r: not dev wins
        else:
            locked.extend(item.result.dependencies)

    resolved: list[Dependency] = []
    locks_by_ecosystem: dict[str, tuple[list[LockIndex], str]] = {}
    for dep in direct.values():
        if dep.version is None:
            if dep.ecosystem not in locks_by_ecosystem:
                locks_by_ecosystem[dep.ecosystem] = _lock_for(path, dep.ecosystem, folders)
            locks, workspace = locks_by_ecosystem[dep.ecosystem]
            key = normalize_name(dep.ecosystem, dep.name)
            for lock in locks:
                version = lock.resolve(key, dep.spec, workspace) or lock.resolve(dep.name, dep.spec, workspace)
                if version:
                    dep = dataclasses.replace(dep, version=version)
                    break
        resolved.append(dep)
    direct_versions = {(d.ecosystem, normalize_name(d.ecosystem, d.name), d.version) for d in resolved}
    seen: set[tuple[str, str, str | None]] = set()
    for dep in locked:
        key = (dep.ecosystem, normalize_name(dep.ecosystem, dep.name), dep.version)
        if key in direct_versions or key in seen:
            continue
        seen.add(key)
        resolved.append(dataclasses.replace(dep, direct=False) if dep.direct else dep)
    project.dependencies = resolved

    for dep in resolved:
        if not dep.direct:
            continue
        version = _display_version(dep.version or version_from_spec(dep.spec))
        for entry, versioned in catalog.match(dep.ecosystem, dep.name):
            project.add(StackComponent(entry.id, entry.kind, version if versioned else None, dep.path))
            for implied in entry.implies:
                project.add(StackComponent(implied, catalog.kinds[implied], None, dep.path))
    _fill_versions_from_locks(project, catalog)
    _spring_security_version(project)
    return project


def _spring_security_version(project: SubProject) -> None:
    """spring-boot-starter-security carries Boot's version; the Spring Security it brings is
    the release train Boot pins: Boot 2.x -> Security 5.x, 3.x -> 6.x, 4.x -> 7.x, with the
    same minor (Boot 3.2 -> Security 6.2)."""
    boot = project.version_of("spring-boot")
    for i, c in enumerate(project.components):
        if c.id != "spring-security" or c.version is not None or not boot:
            continue
        parts = boot.split(".")
        if len(parts) >= 2 and parts[0].isdigit() and parts[1].isdigit() and int(parts[0]) >= 2:
            project.components[i] = dataclasses.replace(c, version=f"{int(parts[0]) + 3}.{parts[1]}")


def _display_version(version: str | None) -> str | None:
    if version and version[0] == "v" and version[1:2].isdigit():
        return version[1:]
    return version


def _fill_versions_from_locks(project: SubProject, catalog: Catalog) -> None:
    """Implied components (activerecord from rails) take the version their package is
    locked at, when a lockfile lists it."""
    missing = {c.id for c in project.components if c.version is None and c.kind != "language"}
    if not missing:
        return
    for dep in project.dependencies:
        if dep.direct or dep.version is None:
            continue
        for entry, versioned in catalog.match(dep.ecosystem, dep.name):
            if versioned and entry.id in missing:
                for i, c in enumerate(project.components):
                    if c.id == entry.id and c.version is None:
                        project.components[i] = dataclasses.replace(c, version=_display_version(dep.version))
                missing.discard(entry.id)


def _apply_signatures(root: Path, signature_files: list[str], projects: dict[str, SubProject]) -> None:
    # Files that define a project (manage.py, next.config.*, config/routes.rb) first, so the
    # evidence named is the same whatever order the walk gave.
    for rel in sorted(signature_files, key=lambda r: (r.rpartition("/")[2] not in DEFINING, r)):
        for sig in file_signatures(root, rel):
            home = sig.home
            if home is None:
                home = _owner(rel, projects)
                if home is None:  # settings.py with no enclosing project: the Django project above it
                    folder = rel.rpartition("/")[0]
                    home = folder.rpartition("/")[0] or "."
            project = projects.get(home)
            if project is None:
                project = projects[home] = SubProject(path=home)
            project.add(sig.component)


def _add_net_http(root: Path, project: SubProject, go_files: list[str]) -> None:
    """Go services without a web framework serve with net/http; so do handlers that import it."""
    evidence = imports_net_http(root, go_files)
    if evidence is None and not project.frameworks & GO_WEB_FRAMEWORKS:
        evidence = next((m for m in project.manifests if m.endswith("go.mod")), project.path)
    if evidence is not None:
        project.add(StackComponent("net-http", "library", None, evidence))

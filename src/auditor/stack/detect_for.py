"""Stack detection scoped to some files: the sub-projects that hold them, not the whole tree.
Shared by `auditor scan`, the agent hooks and the MCP server."""

from __future__ import annotations

from pathlib import Path

from auditor.stack.detect import detect_stack
from auditor.stack.ecosystems import classify
from auditor.stack.model import Stack


def nearest_project_dir(root: Path, directory: Path) -> Path | None:
    """The closest folder from `directory` up to `root` that holds a manifest (or Django's
    manage.py, which marks a project root even without one)."""
    current = directory
    while True:
        try:
            names = [p.name for p in current.iterdir() if p.is_file()]
        except OSError:
            names = []
        if any(n == "manage.py" or classify(n) is not None for n in names):
            return current
        if current == root or root not in current.parents:
            return None
        current = current.parent


def detect_stack_for(root: Path, files: list[str] | None) -> Stack:
    """The stack that scanning `files` (paths relative to `root`) needs. None means the whole
    tree: every sub-project below root. Otherwise only the sub-projects that hold those
    files are detected, so checking one file in a big monorepo (a hook's edit, `scan FILE`,
    MCP `scan_code`) stays fast. Sub-project paths stay relative to `root`."""
    if files is None:
        return detect_stack(root)
    stack = Stack(root=str(root))
    project_dirs: dict[Path, Path | None] = {}
    for rel in files:
        folder = (root / rel).parent
        if folder not in project_dirs:
            project_dirs[folder] = nearest_project_dir(root, folder)
    for found in sorted({d for d in project_dirs.values() if d is not None}):
        sub = detect_stack(found)
        prefix = found.relative_to(root).as_posix()
        for project in sub.projects:
            if prefix != ".":
                project.path = prefix if project.path == "." else f"{prefix}/{project.path}"
            if all(p.path != project.path for p in stack.projects):
                stack.projects.append(project)
        stack.problems.extend(sub.problems)
    return stack

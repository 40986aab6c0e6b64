"""`auditor detect` output: readable text per sub-project, or the JSON contract."""

from __future__ import annotations

import json

from auditor.report.escape import printable, unicode_clean
from auditor.stack.model import Stack, StackComponent, SubProject, shown_path

KIND_ORDER = (
    "database", "orm", "auth", "session", "security-middleware", "validation", "crypto",
    "template", "http-client", "serialization", "xml", "library",
)


def _named(c: StackComponent) -> str:
    return f"{c.id} {c.version}" if c.version else c.id


def _project_text(project: SubProject) -> list[str]:
    title = "(root)" if project.path == "." else shown_path(project.path)
    out = [title]
    manifests = ", ".join(shown_path(m) for m in sorted(project.manifests))
    out.append(f"  manifests:  {manifests or '(file signatures only)'}")
    languages = sorted(project.of_kind("language"), key=lambda c: c.id)
    out.append(f"  languages:  {', '.join(c.id for c in languages) or '-'}")
    frameworks = sorted(project.of_kind("framework"), key=lambda c: c.id)
    out.append(f"  frameworks: {', '.join(_named(c) for c in frameworks) or '-'}")
    kinds = [k for k in KIND_ORDER if project.of_kind(k)]
    kinds += sorted({c.kind for c in project.components} - set(KIND_ORDER) - {"language", "framework"})
    if kinds:
        out.append("  libraries:")
        width = max(len(k) for k in kinds) + 1
        for kind in kinds:
            names = ", ".join(_named(c) for c in sorted(project.of_kind(kind), key=lambda c: c.id))
            out.append(f"    {kind + ':':<{width}} {names}")
    direct = sum(1 for d in project.dependencies if d.direct)
    out.append(f"  dependencies: {direct} direct, {len(project.dependencies) - direct} transitive")
    return out


def render_text(stack: Stack) -> str:
    """Per sub-project: path, manifests, languages, frameworks, libraries by kind."""
    if not stack.projects:
        lines = [f"{stack.root}: no manifests or known project files found"]
    else:
        lines = []
        for project in stack.projects:
            if lines:
                lines.append("")
            lines.extend(_project_text(project))
    if stack.problems:
        lines.append("")
        lines.append("problems:")
        lines.extend(f"  {shown_path(p.path)}: {printable(p.problem)}" for p in stack.problems)
    return "\n".join(lines)


def render_json(stack: Stack) -> str:
    """The `detect --format json` contract: Stack.to_dict, pretty-printed."""
    return json.dumps(unicode_clean(stack.to_dict()), indent=2)

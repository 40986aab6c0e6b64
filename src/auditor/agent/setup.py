"""`auditor init` with --hooks, --mcp and --ci: the rules files (emit) plus the assistants'
hook and MCP settings and the CI workflow, planned together so --dry-run and --check see
every file, then applied atomically."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from auditor.agent.settings.plan import AGENTS, EXECUTABLES, agents_in_use, plan_agent_settings
from auditor.emit.interface import FileChange
from auditor.stack.model import Stack


def split_tools(root: Path, tools: str | None) -> tuple[str | None, list[str]]:
    """(`--tools` for the rules writers, assistants to configure). Codex reads AGENTS.md, so
    naming it asks the rules writers for `agents`."""
    if tools is None:
        return None, agents_in_use(root)
    names = [t.strip().lower() for t in tools.split(",") if t.strip()]
    if names == ["all"]:
        return "all", list(AGENTS)
    rule_names = [("agents" if t == "codex" else t) for t in names]
    return ",".join(dict.fromkeys(rule_names)), [t for t in names if t in AGENTS]


def plan_setup(root: Path, stack: Stack, tools: str | None, hooks: bool = False, mcp: bool = False,
               ci: str | None = None) -> list[FileChange]:
    """Every file `init` would create or change, sorted by path."""
    from auditor.emit.apply import plan_init

    rule_tools, agents = split_tools(root, tools)
    changes = {c.path: c for c in plan_init(root, stack, rule_tools)}
    if hooks or mcp:
        changes.update({c.path: c for c in plan_agent_settings(root, agents, hooks, mcp)})
    if ci:
        from auditor.agent.ci import plan_ci

        changes.update({c.path: c for c in plan_ci(root, ci)})
    return [changes[p] for p in sorted(changes)]


def apply_setup(changes: Sequence[FileChange], root: Path) -> None:
    """Write the changes (emit.apply: checked first, atomic each); hook scripts are made
    executable, as the assistants run them directly."""
    from auditor.emit.apply import apply_changes

    apply_changes(changes)
    for rel in EXECUTABLES:
        script = root / rel
        if any(c.path == script for c in changes) and script.exists():
            os.chmod(script, script.stat().st_mode | 0o755)

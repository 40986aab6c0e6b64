"""What auditor adds to each assistant's settings: hook commands and the MCP server entry.
Each function takes the parsed file and returns it with our entry added, or unchanged when an
entry of ours is already there (so a second run is a no-op, and an entry the user edited by
hand is left as they made it)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from auditor.agent.settings.jsonfile import child

MCP_COMMAND = {"command": "auditor", "args": ["mcp"]}


def hook_command(agent: str, event: str = "post") -> str:
    """`auditor-hook` is `auditor hook` without the CLI framework's start-up time."""
    return f"auditor-hook {agent}" + ("" if event == "post" else f" --event {event}")


def _same(found: Any, command: str) -> bool:
    """`auditor hook X` written by hand counts as our `auditor-hook X`."""
    return isinstance(found, str) and found.strip().replace("auditor hook ", "auditor-hook ", 1) == command


def _has_command(groups: list[Any], command: str) -> bool:
    for group in groups:
        if not isinstance(group, dict):
            continue
        if _same(group.get("command"), command):  # Cursor: flat entries
            return True
        hooks = group.get("hooks")
        if isinstance(hooks, list) and any(isinstance(h, dict) and _same(h.get("command"), command) for h in hooks):
            return True
    return False


def add_matcher_hooks(data: dict[str, Any], path: Path, events: list[tuple[str, str | None, str, int]]) -> dict[str, Any]:
    """Claude Code / Codex / Gemini shape: hooks.EVENT = [{matcher, hooks: [{type, command}]}].
    `events`: (event name, matcher or None, command, timeout)."""
    hooks = child(data, "hooks", dict, path)
    for event, matcher, command, timeout in events:
        groups = child(hooks, event, list, path)
        if _has_command(groups, command):
            continue
        group: dict[str, Any] = {"matcher": matcher} if matcher else {}
        group["hooks"] = [{"type": "command", "command": command, "timeout": timeout}]
        groups.append(group)
    return data


def add_cursor_hook(data: dict[str, Any], path: Path) -> dict[str, Any]:
    """.cursor/hooks.json: {version: 1, hooks: {postToolUse: [{command}]}}."""
    data.setdefault("version", 1)
    groups = child(child(data, "hooks", dict, path), "postToolUse", list, path)
    if not _has_command(groups, hook_command("cursor")):
        groups.append({"command": hook_command("cursor")})
    return data


def add_mcp_server(data: dict[str, Any], path: Path, key: str = "mcpServers", stdio_type: bool = False) -> dict[str, Any]:
    """{key: {auditor: {command, args}}} unless an `auditor` server is already configured."""
    servers = child(data, key, dict, path)
    if "auditor" not in servers:
        servers["auditor"] = ({"type": "stdio"} if stdio_type else {}) | MCP_COMMAND
    return data

"""Which settings files `init --hooks` / `init --mcp` write for each assistant, and what goes
in them. Assistants: the ones the repo shows signs of using, or those `--tools` names."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from auditor.agent.settings.entries import (
    MCP_COMMAND,
    add_cursor_hook,
    add_matcher_hooks,
    add_mcp_server,
    hook_command,
)
from auditor.agent.settings.files import JsonEdit, Member, codex_mcp_change, json_change, own_file_change
from auditor.emit.interface import FileChange

OWN_MARK = "auditor init --hooks"
CLINE_SCRIPT = f"""#!/bin/sh
# Security check of each Cline edit by auditor (written by `{OWN_MARK}`; safe to delete).
exec auditor-hook cline
"""
KIRO_HOOK = """{
  "enabled": true,
  "name": "auditor security check",
  "description": "After an edit, check the file with auditor (written by `auditor init --hooks`)",
  "version": "1.0.0",
  "when": {
    "type": "fileEdited",
    "patterns": ["**/*.py", "**/*.js", "**/*.jsx", "**/*.ts", "**/*.tsx", "**/*.java", "**/*.rb", "**/*.go", "**/*.php",
                 "**/package.json", "**/requirements*.txt", "**/pyproject.toml"]
  },
  "then": {
    "type": "askAgent",
    "prompt": "A file was just edited. Call the auditor MCP tool scan_code on it and fix every finding it reports before going on; explain_rule gives the full rule for a rule id."
  }
}
"""
SIGNS: dict[str, tuple[str, ...]] = {
    "claude": ("CLAUDE.md", ".claude", ".mcp.json"),
    "codex": (".codex",),
    "cursor": (".cursor", ".cursorrules"),
    "gemini": ("GEMINI.md", ".gemini"),
    "cline": (".clinerules",),
    "kiro": (".kiro",),
    "copilot": (".github/copilot-instructions.md", ".github/instructions", ".vscode/mcp.json"),
}
HOOK_TIMEOUT = 30
STOP_TIMEOUT = 60


@dataclass(frozen=True)
class JsonEntry:
    """An entry merged into the JSON file `rel`; `wanted` is what the user would add by hand."""

    rel: str
    edit: JsonEdit
    wanted: dict[str, Any]
    member: Member | None = None  # the same entry as one member, for files with comments


@dataclass(frozen=True)
class OwnFile:
    rel: str
    text: str


@dataclass(frozen=True)
class CodexToml:
    rel: str = ".codex/config.toml"


Entry = JsonEntry | OwnFile | CodexToml


def _claude_like(agent: str, matcher: str) -> JsonEntry:
    folder = ".claude/settings.json" if agent == "claude" else f".{agent}/hooks.json"
    return JsonEntry(folder, lambda data, path: add_matcher_hooks(data, path, [
        ("PostToolUse", matcher, hook_command(agent), HOOK_TIMEOUT),
        ("UserPromptSubmit", None, hook_command(agent, "prompt"), HOOK_TIMEOUT),
        ("Stop", None, hook_command(agent, "stop"), STOP_TIMEOUT),
    ]), {"hooks": {"PostToolUse": [{"matcher": matcher, "hooks": [{"type": "command", "command": hook_command(agent)}]}]}})


def _mcp(rel: str, key: str = "mcpServers", stdio_type: bool = False) -> JsonEntry:
    server = ({"type": "stdio"} if stdio_type else {}) | MCP_COMMAND
    return JsonEntry(rel, lambda data, path: add_mcp_server(data, path, key, stdio_type), {key: {"auditor": server}},
                     member=(key, "auditor", server))


HOOKS: dict[str, Entry] = {
    "claude": _claude_like("claude", "Write|Edit|MultiEdit"),
    "codex": _claude_like("codex", "apply_patch"),
    "cursor": JsonEntry(".cursor/hooks.json", add_cursor_hook,
                        {"version": 1, "hooks": {"postToolUse": [{"command": hook_command("cursor")}]}}),
    "gemini": JsonEntry(".gemini/settings.json", lambda data, path: add_matcher_hooks(data, path, [
        ("AfterTool", "write_file|replace", hook_command("gemini"), HOOK_TIMEOUT * 1000)]),
        {"hooks": {"AfterTool": [{"matcher": "write_file|replace", "hooks": [
            {"type": "command", "command": hook_command("gemini")}]}]}}),
    "cline": OwnFile(".clinerules/hooks/PostToolUse", CLINE_SCRIPT),
    "kiro": OwnFile(".kiro/hooks/auditor-security-check.kiro.hook", KIRO_HOOK),
}
MCP: dict[str, Entry] = {
    "claude": _mcp(".mcp.json"),
    "codex": CodexToml(),
    "cursor": _mcp(".cursor/mcp.json"),
    "gemini": _mcp(".gemini/settings.json"),
    "kiro": _mcp(".kiro/settings/mcp.json"),
    "copilot": _mcp(".vscode/mcp.json", "servers", stdio_type=True),
}
AGENTS = tuple(SIGNS)
EXECUTABLES = (".clinerules/hooks/PostToolUse",)


def agents_in_use(root: Path) -> list[str]:
    return [a for a, signs in SIGNS.items() if any((root / s).exists() for s in signs)]


def plan_agent_settings(root: Path, agents: list[str], hooks: bool, mcp: bool) -> list[FileChange]:
    """The settings changes for `agents`. Entries for one JSON file (Gemini keeps hooks and
    MCP servers in settings.json) are merged in one pass over it."""
    entries = [HOOKS[a] for a in agents if hooks and a in HOOKS] + [MCP[a] for a in agents if mcp and a in MCP]
    by_json: dict[str, list[JsonEntry]] = {}
    changes: list[FileChange] = []
    for entry in entries:
        if isinstance(entry, JsonEntry):
            by_json.setdefault(entry.rel, []).append(entry)
        elif isinstance(entry, OwnFile):
            changes.append(own_file_change(root / entry.rel, entry.text, OWN_MARK))
        else:
            changes.append(codex_mcp_change(root / entry.rel))
    for rel, group in by_json.items():
        members = [e.member for e in group if e.member is not None]
        changes.append(json_change(root / rel, _compose([e.edit for e in group]),
                                   {k: v for e in group for k, v in e.wanted.items()},
                                   members if len(members) == len(group) else None))
    return sorted(changes, key=lambda c: c.path)


def _compose(edits: list[JsonEdit]) -> JsonEdit:
    def run(data: dict[str, Any], path: Path) -> dict[str, Any]:
        for edit in edits:
            data = edit(data, path)
        return data

    return run

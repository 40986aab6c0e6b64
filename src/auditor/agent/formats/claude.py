"""Claude Code (and VS Code agent hooks, which read the same files and shape): PostToolUse on
Write|Edit|MultiEdit. `tool_input` holds `file_path` plus `content` (Write) or
`old_string`/`new_string` (Edit) or `edits` (MultiEdit). The answer blocks with a reason (the
model reads it) and adds the same findings as additional context."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from auditor.agent.edits import FileEdit, Replacement, edit_from_replacements, edit_from_write
from auditor.agent.formats.interface import (
    HookFormat,
    HookRequest,
    PayloadError,
    field_of,
    resolve,
    tool_call,
)

EDIT_TOOLS = ("Write", "Edit", "MultiEdit")


def replacement(item: dict[str, Any]) -> Replacement:
    old, new = item.get("old_string"), item.get("new_string")
    if not isinstance(old, str) or not isinstance(new, str):
        raise PayloadError("an edit needs old_string and new_string")
    return Replacement(old, new, bool(item.get("replace_all")))


def claude_edit(root_payload: dict[str, Any], tool: str, tool_input: dict[str, Any], project: Path) -> FileEdit:
    """The FileEdit for one Write/Edit/MultiEdit call."""
    path = field_of(tool_input, "file_path")
    if not path:
        raise PayloadError("tool_input.file_path is missing")
    full = resolve(project, path)
    original = field_of(root_payload, "tool_response", "originalFile")
    if tool == "Write":
        return edit_from_write(full, field_of(tool_input, "content"), original)
    if original is not None:
        return edit_from_write(full, None, original)
    if tool == "MultiEdit":
        items = tool_input.get("edits")
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise PayloadError("tool_input.edits must be a list of edits")
        return edit_from_replacements(full, [replacement(i) for i in items])
    return edit_from_replacements(full, [replacement(tool_input)])


def block_answer(event: str, feedback: str, summary: str) -> dict[str, Any]:
    """Claude Code's (and Codex's) shape: a block decision whose reason the model reads."""
    return {
        "decision": "block",
        "reason": feedback,
        "hookSpecificOutput": {"hookEventName": event, "additionalContext": summary},
    }


class ClaudeFormat(HookFormat):
    agent: ClassVar[str] = "claude"

    def request(self, payload: dict[str, Any]) -> HookRequest:
        call = tool_call(payload, ("cwd",))
        if call.tool not in EDIT_TOOLS:
            return HookRequest(call.root)
        return HookRequest(call.root, [claude_edit(payload, call.tool, call.arguments(), call.root)])

    def answer(self, feedback: str, summary: str) -> dict[str, Any]:
        return block_answer("PostToolUse", feedback, summary)

"""Gemini CLI: an AfterTool hook on `write_file|replace` in .gemini/settings.json. Tool input:
`file_path` plus `content` (write_file) or `old_string`/`new_string` (replace). The answer is
`hookSpecificOutput.additionalContext`, which Gemini appends to the tool result; no decision
is sent, because a deny would replace the result instead."""

from __future__ import annotations

from typing import Any, ClassVar

from auditor.agent.edits import Replacement, edit_from_replacements, edit_from_write
from auditor.agent.formats.interface import (
    HookFormat,
    HookRequest,
    PayloadError,
    field_of,
    resolve,
    tool_call,
)

EDIT_TOOLS = ("write_file", "replace")


class GeminiFormat(HookFormat):
    agent: ClassVar[str] = "gemini"
    clean: ClassVar[str] = "{}"

    def request(self, payload: dict[str, Any]) -> HookRequest:
        call = tool_call(payload, ("cwd",))
        root, tool = call.root, call.tool
        if tool not in EDIT_TOOLS:
            return HookRequest(root)
        tool_input = call.arguments()
        path = field_of(tool_input, "file_path") or field_of(tool_input, "absolute_path")
        if not path:
            raise PayloadError("tool_input.file_path is missing")
        full = resolve(root, path)
        if tool == "write_file":
            return HookRequest(root, [edit_from_write(full, field_of(tool_input, "content"))])
        old, new = field_of(tool_input, "old_string"), field_of(tool_input, "new_string")
        if old is None or new is None:
            raise PayloadError("replace needs old_string and new_string")
        many = (tool_input.get("expected_replacements") or 1) != 1
        return HookRequest(root, [edit_from_replacements(full, [Replacement(old, new, many)])])

    def answer(self, feedback: str, summary: str) -> dict[str, Any]:
        return {"hookSpecificOutput": {"hookEventName": "AfterTool", "additionalContext": feedback}}

"""Cursor: a `postToolUse` hook in .cursor/hooks.json. The payload names the tool and its
input (`file_path`/`path`, `content`/`contents`, or `old_string`/`new_string`) and the
workspace roots. The answer is `{"additional_context": ...}`, which Cursor drops whole above
10,000 characters, so it is cut (by whole findings) below that."""

from __future__ import annotations

from typing import Any, ClassVar

from auditor.agent.edits import Replacement, edit_from_replacements, edit_from_write
from auditor.agent.formats.interface import (
    HookFormat,
    HookRequest,
    field_of,
    resolve,
    tool_call,
)

CONTEXT_LIMIT = 10_000
READ_ONLY_TOOLS = ("Read", "Grep", "Glob", "LS", "Shell", "Terminal", "Task", "WebFetch", "WebSearch")


class CursorFormat(HookFormat):
    agent: ClassVar[str] = "cursor"
    clean: ClassVar[str] = "{}"
    max_chars: ClassVar[int | None] = CONTEXT_LIMIT - 500  # headroom for JSON escaping

    def request(self, payload: dict[str, Any]) -> HookRequest:
        call = tool_call(payload, ("workspace_roots", "cwd"))
        root, tool = call.root, call.tool
        if tool in READ_ONLY_TOOLS or tool.startswith("MCP:"):
            return HookRequest(root)
        tool_input = call.arguments()  # some versions send it as a JSON string
        path = field_of(tool_input, "file_path") or field_of(tool_input, "path") or field_of(tool_input, "target_file")
        if not path:
            return HookRequest(root)  # a tool that edits no file
        full = resolve(root, path)
        old, new = field_of(tool_input, "old_string"), field_of(tool_input, "new_string")
        if old is not None and new is not None:
            return HookRequest(root, [edit_from_replacements(full, [Replacement(old, new, bool(tool_input.get("replace_all")))])])
        content = field_of(tool_input, "content") or field_of(tool_input, "contents")
        return HookRequest(root, [edit_from_write(full, content)])

    def answer(self, feedback: str, summary: str) -> dict[str, Any]:
        return {"additional_context": feedback}

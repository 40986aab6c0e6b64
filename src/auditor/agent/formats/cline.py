"""Cline: an executable `.clinerules/hooks/PostToolUse`. The payload holds `workspaceRoots`
and `postToolUse: {toolName, parameters}`; `write_to_file` gives `path` and `content`,
`replace_in_file` gives `path` and SEARCH/REPLACE blocks in `diff`. The answer is
`{"cancel": false, "contextModification": ...}`: context for the model, never a cancel."""

from __future__ import annotations

from typing import Any, ClassVar

from auditor.agent.edits import edit_from_replacements, edit_from_write, parse_search_replace
from auditor.agent.formats.interface import (
    HookFormat,
    HookRequest,
    PayloadError,
    field_of,
    resolve,
    tool_call,
)

WRITE_TOOLS = ("write_to_file", "new_rule")
REPLACE_TOOLS = ("replace_in_file",)


class ClineFormat(HookFormat):
    agent: ClassVar[str] = "cline"
    clean: ClassVar[str] = '{"cancel": false}'  # Cline expects JSON from every hook run
    max_chars: ClassVar[int | None] = 45_000  # Cline keeps at most 50 KB of context per hook

    def request(self, payload: dict[str, Any]) -> HookRequest:
        call = tool_call(payload, ("workspaceRoots",), ("postToolUse", "toolName"), ("postToolUse", "parameters"))
        root, tool = call.root, call.tool
        if tool not in WRITE_TOOLS + REPLACE_TOOLS:
            return HookRequest(root)
        params = call.arguments("postToolUse.parameters")
        path = field_of(params, "path")
        if not path:
            raise PayloadError("postToolUse.parameters.path is missing")
        full = resolve(root, path)
        if tool in WRITE_TOOLS:
            return HookRequest(root, [edit_from_write(full, field_of(params, "content"))])
        diff = field_of(params, "diff")
        if diff is None:
            raise PayloadError("replace_in_file needs a diff")
        return HookRequest(root, [edit_from_replacements(full, parse_search_replace(diff))])

    def answer(self, feedback: str, summary: str) -> dict[str, Any]:
        return {"cancel": False, "contextModification": feedback}

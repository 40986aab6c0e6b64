"""Codex CLI: PostToolUse with `tool_name` `apply_patch`. The files come from the patch text in
`tool_input.command` (`*** Add File: path`, `*** Update File: path`, `*** Move to: path`).
Codex reads the same answer shape as Claude Code."""

from __future__ import annotations

from typing import Any, ClassVar

from auditor.agent.edits import FileEdit, edit_from_replacements, parse_apply_patch
from auditor.agent.formats.claude import block_answer
from auditor.agent.formats.interface import HookFormat, HookRequest, PayloadError, resolve, tool_call
from auditor.fsutil import read_text

PATCH_TOOLS = ("apply_patch",)


def patch_text(tool_input: Any) -> str:
    """The patch: `tool_input.command` as a string, or the argv list whose last item is it
    (`["apply_patch", "*** Begin Patch..."]`), or `tool_input.input`."""
    if isinstance(tool_input, str):
        return tool_input
    if not isinstance(tool_input, dict):
        raise PayloadError("tool_input must be an object")
    command = tool_input.get("command", tool_input.get("input"))
    if isinstance(command, list) and command and all(isinstance(c, str) for c in command):
        command = command[-1]
    if not isinstance(command, str) or "*** " not in command:
        raise PayloadError("tool_input.command holds no apply_patch text")
    return command


class CodexFormat(HookFormat):
    agent: ClassVar[str] = "codex"

    def request(self, payload: dict[str, Any]) -> HookRequest:
        call = tool_call(payload, ("cwd",))
        root = call.root
        if call.tool not in PATCH_TOOLS:
            return HookRequest(root)
        edits: list[FileEdit] = []
        for patched in parse_apply_patch(patch_text(call.input)):
            full = resolve(root, patched.path)
            if patched.action == "Delete":
                continue
            if patched.action == "Add":
                edits.append(FileEdit(full, None, read_text(full)))
            else:
                edits.append(edit_from_replacements(full, patched.hunks))
        return HookRequest(root, edits)

    def answer(self, feedback: str, summary: str) -> dict[str, Any]:
        return block_answer("PostToolUse", feedback, summary)

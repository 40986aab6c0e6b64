"""What every assistant's hook format provides: read its payload into the files the edit
touched, and answer in its own feedback shape. Adding an assistant is adding a module."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from auditor.agent.edits import FileEdit


class PayloadError(ValueError):
    """The hook payload is not what the assistant documents; the message says what is wrong."""


@dataclass
class HookRequest:
    """The project the agent works in and the edits one tool call made (empty when the
    tool was not a file edit: nothing to check)."""

    root: Path
    edits: list[FileEdit] = field(default_factory=list)


def field_of(data: Any, *keys: str, kind: type = str) -> Any:
    """`data[k1][k2]...` when every step exists and the value has type `kind`, else None."""
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data if isinstance(data, kind) else None


def resolve(root: Path, path: str) -> Path:
    """A payload's file path (absolute, or relative to the project) as an absolute path."""
    p = Path(path).expanduser()
    return p if p.is_absolute() else root / p


class HookFormat(ABC):
    """One assistant. `clean` is printed when an edit introduced nothing: what the assistant
    accepts as "no feedback" (empty, or an empty JSON object for those that parse stdout)."""

    agent: ClassVar[str]
    clean: ClassVar[str] = ""
    # Feedback is cut (by whole findings) to this: enough for a dozen findings, and within
    # what the assistants keep (Cursor drops additional_context above 10,000 characters).
    max_chars: ClassVar[int | None] = 9_500

    @abstractmethod
    def request(self, payload: dict[str, Any]) -> HookRequest:
        """The edits in a post-edit payload; raises PayloadError when the payload is malformed."""

    @abstractmethod
    def answer(self, feedback: str, summary: str) -> dict[str, Any]:
        """The JSON object that puts `feedback` in front of the model."""


@dataclass
class ToolCall:
    """The tool call a post-tool payload describes: where, which tool, with what input."""

    root: Path
    tool: str
    input: Any

    def arguments(self, where: str = "tool_input") -> dict[str, Any]:
        """The input as an object (a JSON string is accepted); PayloadError otherwise."""
        value = self.input
        if isinstance(value, str):
            import json

            try:
                value = json.loads(value)
            except ValueError:
                raise PayloadError(f"{where} is not JSON") from None
        if not isinstance(value, dict):
            raise PayloadError(f"{where} must be an object")
        return value


def tool_call(payload: dict[str, Any], root_keys: tuple[str, ...], tool_key: tuple[str, ...] = ("tool_name",),
              input_key: tuple[str, ...] = ("tool_input",)) -> ToolCall:
    """Read the common part of a post-tool payload; PayloadError when the tool name is missing."""
    root = root_of(payload, *root_keys)
    tool = field_of(payload, *tool_key)
    if not tool:
        raise PayloadError(f"missing {'.'.join(tool_key)}")
    return ToolCall(root, tool, field_of(payload, *input_key, kind=object))


def root_of(payload: dict[str, Any], *keys: str) -> Path:
    """The project root from the payload's working directory field (a string, or a list of
    workspace roots whose first entry is used); PayloadError when absent."""
    for key in keys:
        value = payload.get(key)
        if isinstance(value, list) and value and isinstance(value[0], str):
            value = value[0]
        if isinstance(value, str) and value:
            return Path(value).expanduser()
    raise PayloadError(f"missing {' or '.join(keys)}")

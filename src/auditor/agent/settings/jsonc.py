"""Settings files with comments (JSONC: VS Code's mcp.json, Gemini's settings.json often have
them). Parsing drops the comments, so such a file is never rewritten from parsed data; instead
one member is inserted into its text, next to the user's own, and everything else is kept
byte for byte. Only the simple, common case is handled: a member of a top-level object."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

INDENT = re.compile(r"^\n?([ \t]+)\S", re.MULTILINE)


def _tokens(text: str) -> Iterator[tuple[str, int, int]]:
    """("char", i, i + 1) for every character outside comments and strings; each string as
    one ("string", start, end) item, so keys can be read."""
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            yield ("string", i, j + 1)
            i = j + 1
        elif text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end < 0 else end
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
        else:
            yield ("char", i, i + 1)
            i += 1


def strip_comments(text: str) -> str:
    """The JSON in a JSONC text: comments removed, trailing commas dropped."""
    out: list[str] = []
    for _, start, end in _tokens(text):
        out.append(text[start:end])
    return re.sub(r",(\s*[}\]])", r"\1", "".join(out))


def parse_jsonc(text: str) -> Any:
    """Parse JSONC; ValueError when it is not JSON even without comments and trailing commas."""
    return json.loads(strip_comments(text))


def _object_at(text: str, key: str | None) -> tuple[int, bool] | None:
    """(index just after the `{` of the top-level object, or of the object under top-level
    `key`; whether that object is empty), or None when there is no such object."""
    depth = 0
    pending_key: str | None = None
    opened: int | None = None
    for kind, start, end in _tokens(text):
        if kind == "string":
            if depth == 1 and key is not None:
                pending_key = json.loads(text[start:end])
            if opened is not None:
                return opened, False
            continue
        c = text[start]
        if c.isspace():
            continue
        if opened is not None:
            return opened, c == "}"
        if c in "{[":
            depth += 1
            if (depth == 1 and key is None) or (depth == 2 and c == "{" and pending_key == key and key is not None):
                opened = end
        elif c in "}]":
            depth -= 1
        elif c == "," and depth == 1:
            pending_key = None
        elif c != ":" and depth == 1:
            pending_key = None
    return None


def insert_member(text: str, key: str, name: str, value: Any) -> str:
    """`text` with `"name": value` added to the object under top-level `key` (created when
    absent). ValueError when the file's shape does not allow it."""
    found = INDENT.search(text)
    unit = found.group(1) if found else "  "
    target = _object_at(text, key)
    if target is not None:
        at, empty = target
        member = f'\n{unit * 2}{json.dumps(name)}: {json.dumps(value)}'
        insert = member + (f"\n{unit}" if empty else ",")
    else:
        top = _object_at(text, None)
        if top is None:
            raise ValueError("no top-level object")
        at, empty = top
        inner = f"{{\n{unit * 2}{json.dumps(name)}: {json.dumps(value)}\n{unit}}}"
        insert = f"\n{unit}{json.dumps(key)}: {inner}" + ("\n" if empty else ",")
    result = text[:at] + insert + text[at:]
    data = parse_jsonc(result)
    if not isinstance(data, dict) or not isinstance(data.get(key), dict) or data[key].get(name) != value:
        raise ValueError("could not place the entry")
    return result

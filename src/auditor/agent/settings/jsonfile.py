"""Edit a user's JSON settings file: parse, add our entries, write it back in the file's own
indentation with every other key kept in order. A file with comments or trailing commas
(JSONC) is not rewritten: we would lose the comments, so we stop and say what to add."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from auditor.errors import InputError

INDENT = re.compile(r"^\n?([ \t]+)\S", re.MULTILINE)


def load_object(path: Path, text: str | None, wanted: dict[str, Any]) -> dict[str, Any]:
    """The file's top-level object ({} for a missing or empty file). InputError, naming the
    file and what to add by hand, when it is not plain JSON or not an object."""
    if text is None or not text.strip():
        return {}
    try:
        data = json.loads(text)
    except ValueError:
        hint = json.dumps(wanted, separators=(", ", ": "))
        raise InputError(str(path), f"not plain JSON (comments or trailing commas?); auditor will not rewrite "
                                    f"it: add {hint} by hand") from None
    if not isinstance(data, dict):
        raise InputError(str(path), "expected a JSON object at the top")
    return data


def dump_like(data: dict[str, Any], original: str | None) -> str:
    """`data` as JSON indented like `original` (two spaces for a new file), ending in a newline."""
    indent: int | str = 2
    if original:
        found = INDENT.search(original)
        if found:
            width = found.group(1)
            indent = len(width) if set(width) == {" "} else width
    return json.dumps(data, indent=indent, ensure_ascii=False) + "\n"


def child(data: dict[str, Any], key: str, kind: type, path: Path) -> Any:
    """`data[key]`, created empty when absent; InputError when it has another type."""
    value = data.setdefault(key, kind())
    if not isinstance(value, kind):
        raise InputError(str(path), f'"{key}" should be a{"n object" if kind is dict else " list"}')
    return value

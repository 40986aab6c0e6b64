"""Plan one settings file's change (never write): a JSON file edited in place, the Codex TOML
file edited with tomlkit (comments and layout kept), or a file of auditor's own."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from auditor.agent.settings.jsonfile import dump_like, load_object
from auditor.emit.interface import FileChange
from auditor.errors import InputError
from auditor.fsutil import read_text

JsonEdit = Callable[[dict[str, Any], Path], dict[str, Any]]


def _current(path: Path) -> str | None:
    if not path.exists():
        return None
    text = read_text(path)
    if text is None:
        raise InputError(str(path), "not a readable text file")
    return text


Member = tuple[str, str, Any]  # (top-level key, name, value): "servers": {"auditor": {...}}


def json_change(path: Path, edit: JsonEdit, wanted: dict[str, Any], members: list[Member] | None = None) -> FileChange:
    """The change `edit` makes to the JSON file at `path` (created when missing). A file with
    comments is edited as text instead when the change is only `members` (see jsonc.py)."""
    before = _current(path)
    try:
        data = load_object(path, before, wanted)
    except InputError:
        if members is None or before is None:
            raise
        return jsonc_change(path, before, members, wanted)
    after_data = edit(copy.deepcopy(data), path)
    if before is not None and after_data == data:
        return FileChange(path, before, before, False)
    after = dump_like(after_data, before)
    return FileChange(path, before, after, after != before)


def jsonc_change(path: Path, before: str, members: list[Member], wanted: dict[str, Any]) -> FileChange:
    """Insert each member the JSONC file lacks into its text; everything else stays as written."""
    from auditor.agent.settings.jsonc import insert_member, parse_jsonc

    by_hand = f"add {json.dumps(wanted)} by hand"
    try:
        data = parse_jsonc(before)
    except ValueError:
        raise InputError(str(path), f"not valid JSON; {by_hand}") from None
    if not isinstance(data, dict):
        raise InputError(str(path), "expected a JSON object at the top")
    text = before
    for key, name, value in members:
        if isinstance(data.get(key), dict) and name in data[key]:
            continue
        try:
            text = insert_member(text, key, name, value)
        except ValueError:
            raise InputError(str(path), f"has comments and a layout auditor will not edit; {by_hand}") from None
    return FileChange(path, before, text, text != before)


def codex_mcp_change(path: Path) -> FileChange:
    """.codex/config.toml: add [mcp_servers.auditor] unless it is there."""
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    before = _current(path)
    try:
        doc = tomlkit.parse(before or "")
    except TOMLKitError as exc:
        raise InputError(str(path), f"not valid TOML ({exc})") from None
    servers = doc.get("mcp_servers")
    if servers is None:
        servers = tomlkit.table(is_super_table=True)
        doc["mcp_servers"] = servers
    elif not isinstance(servers, dict):
        raise InputError(str(path), "mcp_servers should be a table")
    if "auditor" in servers:
        return FileChange(path, before, before or "", False)
    entry = tomlkit.table()
    entry["command"] = "auditor"
    entry["args"] = ["mcp"]
    servers["auditor"] = entry
    after = tomlkit.dumps(doc)
    return FileChange(path, before, after, after != before)


def own_file_change(path: Path, text: str, marker: str) -> FileChange:
    """A file auditor owns whole (recognised by `marker`); a file of the same name that
    auditor did not write is the user's and is never replaced."""
    before = _current(path)
    if before is not None and marker not in before:
        raise InputError(str(path), f"exists and was not written by auditor; add this by hand:\n{text}")
    return FileChange(path, before, text, before != text)


"""Rust: Cargo.toml and Cargo.lock (line-scanned: only registry packages count)."""

from __future__ import annotations

import re
import tomllib
from typing import Any

from auditor.stack.ecosystems.base import LineIndex, LockIndex, ManifestError, ParseContext, ParsedFile
from auditor.stack.model import Dependency, StackComponent

ECOSYSTEM = "crates.io"
TABLES = (("dependencies", False), ("dev-dependencies", True), ("build-dependencies", True))
_EXACT = re.compile(r"^\s*=\s*([0-9][0-9A-Za-z.+\-]*)\s*$")
_LOCK_STR = re.compile(r'^(name|version|source)\s*=\s*"([^"]*)"')


def _table_deps(out: ParsedFile, table: Any, where: str, path: str, lines: LineIndex, text: str, dev: bool) -> None:
    if not isinstance(table, dict):
        raise ManifestError(f"invalid Cargo.toml: [{where}] is not a table")
    header = re.search(rf"^\s*\[\s*{re.escape(where)}\s*\]", text, re.M)
    start = header.start() if header else 0
    for key, value in table.items():
        name, spec = key, value
        if isinstance(value, dict):
            if any(k in value for k in ("path", "git")) or value.get("workspace") is True:
                continue  # local, VCS, or declared (and counted) in the workspace table
            name = value.get("package", key)
            spec = value.get("version")
        if spec is not None and not isinstance(spec, str):
            raise ManifestError(f"invalid Cargo.toml: [{where}] {key}: version is not a string")
        own = lines.find(f"[{where}.{key}]")
        line = lines.line_at(own) if own >= 0 else 0
        if not line:
            for needle in (f"\n{key} ", f"\n{key}=", f'\n"{key}"'):
                pos = lines.find(needle, start)
                if pos >= 0:
                    line = lines.line_at(pos + 1)
                    break
        exact = _EXACT.match(spec) if spec else None
        out.dependencies.append(
            Dependency(name=name, ecosystem=ECOSYSTEM, path=path, line=line, spec=spec,
                       version=exact.group(1) if exact else None, dev=dev)
        )


def parse_cargo_toml(text: str, path: str, ctx: ParseContext) -> ParsedFile:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ManifestError(f"invalid TOML: {exc}") from None
    lines = LineIndex(text)
    out = ParsedFile()
    for table, dev in TABLES:
        if table in data:
            _table_deps(out, data[table], table, path, lines, text, dev)
    for target, body in (data.get("target") or {}).items():
        for table, dev in TABLES:
            if isinstance(body, dict) and table in body:
                _table_deps(out, body[table], f"target.{target}.{table}", path, lines, text, dev)
    workspace = data.get("workspace")
    if isinstance(workspace, dict) and "dependencies" in workspace:
        _table_deps(out, workspace["dependencies"], "workspace.dependencies", path, lines, text, False)
    out.components.append(StackComponent("rust", "language", None, path))
    return out


def parse_cargo_lock(text: str, path: str, ctx: ParseContext) -> ParsedFile:
    if text.strip() and "[[package]]" not in text:
        raise ManifestError("invalid Cargo.lock: no [[package]] entries")
    out = ParsedFile(lock=LockIndex())
    assert out.lock is not None
    current: dict[str, Any] = {}

    def flush() -> None:
        if current.get("name") and current.get("version") and current.get("source", "").startswith("registry+"):
            out.lock.pin(current["name"], current["version"])
            out.dependencies.append(
                Dependency(name=current["name"], ecosystem=ECOSYSTEM, path=path, line=current["line"],
                           version=current["version"], direct=False)
            )

    for lineno, line in enumerate(text.splitlines(), start=1):
        if line.startswith("[["):
            flush()
            current = {"line": lineno + 1}
            continue
        m = _LOCK_STR.match(line)
        if m and m.group(1) not in current:
            current[m.group(1)] = m.group(2)
            if m.group(1) == "name":
                current["line"] = lineno
    flush()
    return out

"""Go modules: go.mod. Every version there is exact (minimal version selection), and
`// indirect` marks modules the code does not import itself.

Versions are kept as Go writes them (`v1.10.0`): that is the module version's canonical
form; consumers that need bare semver strip the `v`.
"""

from __future__ import annotations

import re

from auditor.stack.ecosystems.base import ManifestError, ParseContext, ParsedFile
from auditor.stack.model import Dependency, StackComponent

ECOSYSTEM = "go"
_REQ = re.compile(r"^\s*(?:require\s+)?(\S+)\s+(v\S+)\s*(//.*)?$")
_DIRECTIVE = re.compile(r"^\s*(module|go|toolchain|require|replace|exclude|retract|godebug)\b")


def parse_go_mod(text: str, path: str, ctx: ParseContext) -> ParsedFile:
    out = ParsedFile()
    block = ""
    saw_module = False
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("//"):
            continue
        if block:
            if line == ")":
                block = ""
                continue
            if block == "require":
                _require(out, line, path, lineno)
            continue
        m = _DIRECTIVE.match(line)
        if not m:
            raise ManifestError(f"invalid go.mod: unknown directive on line {lineno}: {line[:40]!r}")
        directive = m.group(1)
        if line.endswith("("):
            block = directive
            continue
        if directive == "module":
            saw_module = True
        elif directive == "require":
            _require(out, line, path, lineno)
    if not saw_module:
        raise ManifestError("invalid go.mod: no module directive")
    out.components.append(StackComponent("go", "language", None, path))
    return out


def _require(out: ParsedFile, line: str, path: str, lineno: int) -> None:
    m = _REQ.match(line)
    if not m:
        raise ManifestError(f"invalid go.mod: bad require on line {lineno}: {line[:60]!r}")
    module, version, comment = m.group(1).strip('"'), m.group(2), m.group(3) or ""
    out.dependencies.append(
        Dependency(name=module, ecosystem=ECOSYSTEM, path=path, line=lineno, spec=version, version=version,
                   direct="indirect" not in comment)
    )

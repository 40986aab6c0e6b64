"""Whether a NestJS `@Body()` parameter reaches the handler with unknown properties stripped.

A DTO class type on a body parameter is a TypeScript type only: without a ValidationPipe
that whitelists (`whitelist: true`, with `forbidNonWhitelisted: true` to reject extras instead),
class-validator checks the declared properties and passes every other property through, so
`repo.save(dto)`, `{ ...dto }` or `Object.assign(user, dto)` write whatever fields the client
sent (`isAdmin`, `ownerId`). `forbidNonWhitelisted: true` only acts with `whitelist: true`
(class-validator runs its whitelist step, which then throws instead of stripping, only when
`whitelist` is set), so the option that counts is `whitelist: true`. The pipe can be global (`app.useGlobalPipes(...)` in main.ts, an
`APP_PIPE` provider in a module, or a project pipe class that passes the option), on the
controller or route (`@UsePipes(...)`) or on the parameter (`@Body(new ValidationPipe(...))`).
"""

from __future__ import annotations

import re

from tree_sitter import Node

from auditor.scan.checks.javascript.syntax import method_decorators, text
from auditor.scan.interface import SourceFile

_WHITELIST = re.compile(r"\bwhitelist\s*:\s*true\b")
_GLOBAL_PIPE = re.compile(r"\buseGlobalPipes\s*\(|\bAPP_PIPE\b")
_SETUP_FILES = ("main.ts", "module.ts", "pipe.ts", "main.js", "module.js", "pipe.js")


def _class_decorators(src: SourceFile, fn: Node) -> str:
    cls = fn.parent.parent if fn.parent is not None else None
    if cls is None:
        return ""
    holders = [cls] + ([cls.parent] if cls.parent is not None and cls.parent.type == "export_statement" else [])
    return " ".join(text(src, c) for h in holders for c in h.named_children if c.type == "decorator")


def _global_whitelist(src: SourceFile) -> bool | None:
    """A whitelisting pipe installed for the whole app; None when the project cannot be read
    (a file scanned on its own: the answer is unknown)."""
    if _GLOBAL_PIPE.search(src.text) and _WHITELIST.search(src.text):
        return True
    project = src.index
    if project is None:
        return None
    setup = whitelist = False
    for suffix in (".ts", ".js"):
        for rel in project.files_with(suffix):
            if not rel.endswith(_SETUP_FILES):
                continue
            other = project.source(rel)
            if other is None or not other.text:
                continue
            setup = setup or _GLOBAL_PIPE.search(other.text) is not None
            whitelist = whitelist or _WHITELIST.search(other.text) is not None
            if setup and whitelist:
                return True
    return False


def body_unfiltered(src: SourceFile, fn: Node, param: Node) -> bool:
    """True when the body parameter of a Nest handler keeps the client's extra properties:
    no whitelisting pipe on the parameter, the route, the controller or the app. Unknown
    (a one-file scan) counts as filtered, so a hook never reports what the project may fix."""
    if _WHITELIST.search(text(src, param)):
        return False
    if "UsePipes" in (decorators := method_decorators(src, fn) + " " + _class_decorators(src, fn)) and \
            _WHITELIST.search(decorators):
        return False
    return _global_whitelist(src) is False

"""SQL whose column names are the keys of an object the caller sent.

`js.pattern.columns-from-keys` (mass-assignment): an UPDATE/INSERT built by turning every key
of an object into a column (`Object.keys(updates).map(k => `${k} = ...`)`, `for (const k in
body)`), where the object is the request body or a parameter of the function that builds it.
Whoever fills the object picks the columns: `isAdmin`, `role`, `balance`. Reported where the
built statement runs (else where the columns are written). A fixed list of allowed columns
(`ALLOWED.includes(k)`, `.filter(...)` on the keys) is clean; a check of something else in the
same function (`validStatuses.includes(status)`) does not make the keys safe.

`js.pattern.sql-columns-from-request` (sql-injection): the same statement when the object is the
request body itself. The key is spliced into the SQL text, not bound: a key such as
`status = 'x', is_admin` rewrites the statement, whatever the values are bound to.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from tree_sitter import Node

from auditor.findings import Severity
from auditor.scan.checks.javascript.syntax import (
    JS_LANGUAGES,
    callee_parts,
    enclosing_function,
    index,
    params_of,
    text,
)
from auditor.scan.interface import Check, Hit, SourceFile
from auditor.scan.treeutil import find_all

DETECTOR = "js.pattern.columns-from-keys"
SQL_DETECTOR = "js.pattern.sql-columns-from-request"
_KEYS = re.compile(
    r"Object\s*\.\s*(?:keys|entries)\s*\(\s*([\w$.]+)\s*\)\s*\.\s*(?:map|forEach|reduce|flatMap)\s*\(\s*(?:\(\s*)?\[?\s*([\w$]+)"
    r"|for\s*\(\s*(?:const|let|var)\s+\[?\s*([\w$]+)[^)]*?\b(?:in\s+([\w$.]+)|of\s+Object\s*\.\s*(?:keys|entries)\s*\(\s*([\w$.]+)\s*\))")
_SQL_WRITE = re.compile(r"\bUPDATE\s+\w+\s+SET\b|\bINSERT\s+INTO\b", re.I)
# An allow-list names the keys: `.filter(` on them, `<list>.includes(k)` / `.has(k)` of the key, or an
# `allowed`/`whitelist` list.
_ALLOWLIST = re.compile(r"\ballowed\w*\b|\bwhitelist\w*\b|\bALLOWED\w*\b|\bpermitted\w*\b", re.I)
_RUNNERS = frozenset({"query", "execute", "exec", "run", "all", "raw", "$queryRawUnsafe", "$executeRawUnsafe",
                      "queryRawUnsafe", "executeRawUnsafe", "none", "one", "many", "any"})
_REQUEST = re.compile(r"^(?:req|request|ctx)\.(?:body|query)\b")


class ColumnsFromKeysCheck(Check):
    languages = JS_LANGUAGES
    detectors = (DETECTOR, SQL_DETECTOR)

    def run(self, src: SourceFile) -> Iterable[Hit]:
        if not _SQL_WRITE.search(src.text) or "Object" not in src.text and " in " not in src.text:
            return []
        idx = index(src)
        if idx is None:
            return []
        hits: list[Hit] = []
        for fn in idx.get("func"):
            if fn.type == "arrow_function" and fn.parent is not None and fn.parent.type == "arguments" \
                    and enclosing_function(fn.parent) is not None:
                continue  # a callback inside a function: judged with the function around it (a route
                # handler passed to `router.patch(...)` at the top level is judged itself)
            hits.extend(self._function(src, fn))
        return hits

    def _function(self, src: SourceFile, fn: Node) -> list[Hit]:
        body_node = fn.child_by_field_name("body")
        body = text(src, body_node)
        if not _SQL_WRITE.search(body) or _ALLOWLIST.search(body):
            return []
        params = {text(src, p).split(":")[0].strip("?! ") for p in params_of(fn)}
        decorated = {name for p in params_of(fn) for name in [text(src, p).split(":")[0].split()[-1].strip("?! ")]
                     if "@Body" in text(src, p)}
        for m in _KEYS.finditer(body):
            source = m.group(1) or m.group(4) or m.group(5)
            key = m.group(2) or m.group(3)
            if not source or not key:
                continue
            root = source.split(".")[0]
            if not (_REQUEST.match(source) or root in params or root in decorated):
                continue
            column = re.search(r"\$\{\s*" + re.escape(key) + r"\s*\}\s*[`'\"]?\s*=", body[m.end():])
            if column is None or _keys_checked(body, source, key):
                continue
            where = self._runner(src, fn, body_node.start_byte + m.end() + column.start()) if body_node else None
            line = where or (src.text.count("\n", 0, body_node.start_byte + m.end() + column.start()) + 1)
            from_request = bool(_REQUEST.match(source)) or root in decorated
            hits = [Hit(DETECTOR, line, message=f"The columns written are the keys of `{source}`: whoever fills it sets "
                        "any column (isAdmin, role, balance). Map an allow-list of columns to values instead.",
                        severity=None if from_request else Severity.MEDIUM)]
            if from_request:
                hits.append(Hit(SQL_DETECTOR, line, message=f"The keys of `{source}` are spliced into the SQL text as "
                                "column names: a key such as `status = 'x', is_admin` rewrites the statement even with "
                                "bound values. Take column names from a fixed allow-list."))
            return hits
        return []

    @staticmethod
    def _runner(src: SourceFile, fn: Node, after: int) -> int | None:
        """The line of the first database call after `after` in `fn` (where the statement runs): a
        runner method of a client (`db.query`, `pool.execute`), or a module's own `query(...)` /
        `execute(...)` helper called by its bare name."""
        body = fn.child_by_field_name("body")
        for call in find_all(src.language or "javascript", body, ("call_expression",)) if body is not None else []:
            parts = callee_parts(src, call)
            if call.start_byte > after and (len(parts) >= 2 and parts[-1] in _RUNNERS
                                            or parts in (["query"], ["execute"])):
                return call.start_point[0] + 1
        return None


def _keys_checked(body: str, source: str, key: str) -> bool:
    """The keys of `source` are filtered (`Object.keys(x).filter(`), or the key is tested for
    membership in a list or set (`COLUMNS.includes(k)`, `allowed.has(k)`, `k in ALLOWED`)."""
    k = re.escape(key)
    return bool(re.search(r"Object\s*\.\s*(?:keys|entries)\s*\(\s*" + re.escape(source) + r"\s*\)\s*\.\s*filter\s*\(", body)
                or re.search(r"\.\s*(?:includes|has|indexOf)\s*\(\s*" + k + r"\s*\)", body)
                or re.search(r"\b" + k + r"\s+in\s+[A-Z_$][\w$]*", body))


CHECKS = [ColumnsFromKeysCheck()]

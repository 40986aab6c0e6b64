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

`js.pattern.privilege-column-from-request` (mass-assignment): a raw UPDATE that sets a privilege
column (`role`, `is_admin`, `permissions`) to a value the request sends (`role = '${role}'`
with `role` from `req.body`), in the statement itself or in a fragment pushed to the list the
statement joins (`fields.push(`role = '${role}'`)` ... `SET ${fields.join(', ')}`), in a
handler that compares no role of the caller: any account makes itself an administrator.
Reported at the fragment.
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
PRIVILEGE_DETECTOR = "js.pattern.privilege-column-from-request"
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
    detectors = (DETECTOR, SQL_DETECTOR, PRIVILEGE_DETECTOR)

    def run(self, src: SourceFile) -> Iterable[Hit]:
        if not _SQL_WRITE.search(src.text):
            return []
        keys = "Object" in src.text or " in " in src.text
        privileged = _PRIVILEGE_SET.search(src.text) is not None
        if not (keys or privileged):
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
            if keys:
                hits.extend(self._function(src, fn))
            if privileged:
                hits.extend(_privilege_columns(src, fn))
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


# `role = '${role}'`, `is_admin = ${body.isAdmin}`: a privilege column set from a substitution.
_PRIVILEGE_SET = re.compile(r"(?i)\b(role|roles|user_?role|is_?admin|admin|is_?super_?user|is_?staff|permissions?|"
                            r"privileges?|access_?level)\s*=\s*['\"]?\$\{\s*([^}]+?)\s*\}")
# The handler compares the caller's role (an admin may set roles).
_ROLE_CHECKED = re.compile(r"\.role\s*[!=]==?|[!=]==?\s*[\w$.]*\.role\b|\bis_?admin\s*\(|\.is_?admin\b|\bhasRole\b|"
                           r"\brequire_?(?:Admin|Role)\w*|\bauthori[sz]e\w*\(", re.I)
_FROM_BODY = re.compile(r"(?:const|let|var)\s+(\{[^}]*\}|[A-Za-z_$][\w$]*)\s*=\s*(?:req|request|ctx)\.(?:body|query)\b")


def _privilege_columns(src: SourceFile, fn: Node) -> list[Hit]:
    """A raw UPDATE in `fn` that sets a privilege column from the request (see the module doc)."""
    body_node = fn.child_by_field_name("body")
    if body_node is None:
        return []
    body = text(src, body_node)
    caller = re.sub(r"\b(?:req|request|ctx)\s*\.\s*(?:body|query|params)(?:\s*\.\s*[\w$]+)*", "", body)
    if not re.search(r"(?i)\bUPDATE\b[^;]*?\bSET\b", body) or _ROLE_CHECKED.search(caller):
        return []
    names = {n for m in _FROM_BODY.finditer(body) for n in re.findall(r"[A-Za-z_$][\w$]*", m.group(1).split("=")[0].replace(":", " "))}
    lists = set(re.findall(r"(?i)\bSET\s+\$\{\s*([A-Za-z_$][\w$]*)\.join\(", body))
    for node in find_all(src.language or "javascript", body_node, ("template_string",)):
        fragment = text(src, node)
        m = _PRIVILEGE_SET.search(fragment)
        if m is None:
            continue
        value = m.group(2)
        if not (_REQUEST.match(value) or value.split(".")[0] in names):
            continue
        in_update = re.search(r"(?i)\bUPDATE\b[^;]*?\bSET\b", fragment) is not None
        call = node.parent.parent if node.parent is not None and node.parent.type == "arguments" else None
        pushed = call is not None and call.type == "call_expression" and \
            (callee_parts(src, call)[:1] or [""])[0] in lists and (callee_parts(src, call)[-1:] or [""])[0] in ("push", "unshift")
        if in_update or pushed:
            return [Hit.at(PRIVILEGE_DETECTOR, node, f"`{m.group(1)}` is set from the request (`{value}`) in an UPDATE, and "
                           "the handler checks no role of the caller: any account can make itself an administrator. "
                           "Leave privilege columns out of what a user may change, or allow them to admins only.")]
    return []


def _keys_checked(body: str, source: str, key: str) -> bool:
    """The keys of `source` are filtered (`Object.keys(x).filter(`), or the key is tested for
    membership in a list or set (`COLUMNS.includes(k)`, `allowed.has(k)`, `k in ALLOWED`)."""
    k = re.escape(key)
    return bool(re.search(r"Object\s*\.\s*(?:keys|entries)\s*\(\s*" + re.escape(source) + r"\s*\)\s*\.\s*filter\s*\(", body)
                or re.search(r"\.\s*(?:includes|has|indexOf)\s*\(\s*" + k + r"\s*\)", body)
                or re.search(r"\b" + k + r"\s+in\s+[A-Z_$][\w$]*", body))


CHECKS = [ColumnsFromKeysCheck()]

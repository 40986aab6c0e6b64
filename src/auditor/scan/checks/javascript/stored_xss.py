"""Stored XSS through a table: request values written to a table by one handler, read back by
another and printed into HTML unescaped.

`js.pattern.stored-xss-from-table` (xss, CWE-79): a handler reads rows from a table (`SELECT
username, message FROM comments`, run by `db.all`/`db.get`/`pool.query`) that the project writes
request values into with raw SQL (`INSERT INTO comments (...) VALUES ('${message}')`, `UPDATE
comments SET ...` with a substitution or bound values in a handler that reads `req.body`,
`req.query` or `req.params`), builds HTML from the rows' fields (`` `<li>${r.message}</li>` ``,
the rows by name or the parameter of a `rows.forEach(r => ...)`/`.map` callback) with no escaping
call around them, and sends it (`res.send`, `res.write`, `res.end`). Whatever one visitor wrote
runs in the browser of every visitor who reads the page. Reported at the send.

Values an escaping call wraps (`escapeHtml(r.message)`, `he.encode`, `DOMPurify.sanitize`) are
clean, and so are tables nobody writes from a request (a product catalogue seeded by SQL).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from tree_sitter import Node

from auditor.scan.checks.javascript.syntax import (
    JS_LANGUAGES,
    args_of,
    callee_parts,
    index,
    params_of,
    pattern_names,
    text,
    unwrap,
)
from auditor.scan.interface import Check, Hit, SourceFile
from auditor.scan.treeutil import find_all

DETECTOR = "js.pattern.stored-xss-from-table"
_WRITE = re.compile(r"(?is)\binsert\s+into\s+[`\"']?(\w+)|\bupdate\s+[`\"']?(\w+)[`\"']?\s+set\b")
_READ = re.compile(r"(?is)\bselect\b.*?\bfrom\s+[`\"']?(\w+)")
_REQUEST = re.compile(r"\b(?:req|request|ctx)\s*\.\s*(?:body|query|params|request\s*\.\s*body)\b")
_RUNNERS = frozenset({"query", "execute", "get", "all", "run", "each", "any", "many", "one", "oneOrNone", "manyOrNone"})
_ESCAPE = re.compile(r"(?i)escape|sanitize|encode|purify|xss\(|htmlspecialchars|\bhe\.")
_HTML = re.compile(r"<\s*/?\s*[a-zA-Z][\w-]*[^`]*?>")
_SEND = frozenset({"send", "write", "end"})
_NEEDLES = ("INSERT", "insert", "UPDATE", "update")


class StoredXssCheck(Check):
    languages = JS_LANGUAGES
    detectors = (DETECTOR,)

    def run(self, src: SourceFile) -> Iterable[Hit]:
        if not any(n in src.text for n in ("SELECT", "select")) or "<" not in src.text or ".send(" not in src.text \
                and ".write(" not in src.text:
            return []
        written = _written_tables(src)
        if not written:
            return []
        idx = index(src)
        if idx is None:
            return []
        hits: list[Hit] = []
        for call in idx.get("call"):
            parts = callee_parts(src, call)
            args = args_of(call)
            if len(parts) != 2 or parts[-1] not in _RUNNERS or not args:
                continue
            statement = unwrap(args[0])
            if statement is None or statement.type not in ("string", "template_string"):
                continue
            read = _READ.search(text(src, statement))
            if read is None or read.group(1).lower() not in written:
                continue
            hit = _printed(src, call, args, read.group(1))
            if hit is not None:
                hits.append(hit)
        return hits


def _written_tables(src: SourceFile) -> set[str]:
    """Tables a handler of the project writes request values into with raw SQL: this file's
    statements, then the other JS/TS files of the project that hold an INSERT or UPDATE."""
    texts = [src.text]
    project = src.index
    if project is not None:
        for rel in (*project.files_with(".js"), *project.files_with(".ts")):
            if rel == src.path:
                continue
            other = project.source(rel)
            if other is not None and other.text and any(n in other.text for n in _NEEDLES) and _REQUEST.search(other.text):
                texts.append(other.text)
    tables: set[str] = set()
    for body in texts:
        if not _REQUEST.search(body):
            continue
        for m in _WRITE.finditer(body):
            end = body.find(";", m.end())
            statement = body[m.start():end if end > 0 else m.end() + 400]
            if "${" in statement or "?" in statement or "$1" in statement or "+" in statement:
                tables.add((m.group(1) or m.group(2)).lower())
    return tables


def _printed(src: SourceFile, call: Node, args: list[Node], table: str) -> Hit | None:
    """The send of HTML built from the rows this read returns, in its callback (`(err, rows) =>`)
    or after it in the same function (`const result = await pool.query(...)`)."""
    scope: Node | None = None
    rows: set[str] = set()
    callback = unwrap(args[-1])
    if callback is not None and callback.type in ("arrow_function", "function_expression", "function"):
        params = params_of(callback)
        if len(params) >= 2:
            rows = {n for n, _ in pattern_names(src, params[1].child_by_field_name("pattern") or params[1])}
            scope = callback.child_by_field_name("body")
    else:
        holder = call.parent
        while holder is not None and holder.type in ("await_expression", "parenthesized_expression"):
            holder = holder.parent
        if holder is not None and holder.type == "variable_declarator":
            rows = {n for n, _ in pattern_names(src, holder.child_by_field_name("name"))}
            scope = holder.parent.parent if holder.parent is not None else None
    if scope is None or not rows:
        return None
    lang = src.language or "javascript"
    # the parameter of `rows.forEach(r => ...)` / `rows.map(r => ...)` / `result.rows.map(...)` holds a row
    for inner in find_all(lang, scope, ("call_expression",)):
        parts = callee_parts(src, inner)
        if len(parts) >= 2 and parts[0] in rows and parts[-1] in ("forEach", "map", "flatMap", "reduce"):
            fn = unwrap((args_of(inner) or [None])[0])
            if fn is not None and fn.type in ("arrow_function", "function_expression"):
                first = params_of(fn)
                if parts[-1] == "reduce" and len(first) >= 2:
                    first = first[1:]
                if first:
                    rows |= {n for n, _ in pattern_names(src, first[0].child_by_field_name("pattern") or first[0])}
    built = False
    for template in find_all(lang, scope, ("template_string",)):
        if not _HTML.search(text(src, template)):
            continue
        for sub in template.named_children:
            if sub.type != "template_substitution" or not sub.named_children:
                continue
            value = text(src, sub.named_children[0])
            root = re.match(r"[A-Za-z_$][\w$]*", value)
            if root and root.group(0) in rows and not _ESCAPE.search(value):
                built = True
                break
        if built:
            break
    if not built:
        return None
    for send in find_all(lang, scope, ("call_expression",)):
        parts = callee_parts(src, send)
        if len(parts) == 2 and parts[0] in ("res", "response", "reply") and parts[1] in _SEND:
            return Hit.at(DETECTOR, send, f"HTML built from rows of `{table}`, a table that request values are written "
                          "into, is sent without escaping them: a visitor's stored script runs for everyone who reads "
                          "the page. Escape each field (or render with an auto-escaping template).")
    return None


CHECKS = [StoredXssCheck()]

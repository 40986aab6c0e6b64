"""`py.pattern.client-role-decision`: an access decision taken on a value the client writes.

A branch on a privilege flag read from a cookie, a header or the request's parameters
(`if request.COOKIES.get("admin") == "1"`, `if request.cookies["role"] == "admin"`), or on a
cookie, header or parameter compared with an administrator's value
(`if request.META["HTTP_USER_AGENT"] == "site_admin"`, `if request.GET.get("action") == "admin"`),
directly or through a local that holds the read. The client sets all of them. A branch that only
rejects the request (403, abort, raise, a redirect to the login) is validation, not trust, and is
left alone; so is Flask's `session` (signed) and Django's `request.user` (the server's)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from tree_sitter import Node

from auditor.scan.checks.python.facts import text
from auditor.scan.interface import Check, Hit, SourceFile
from auditor.scan.treeutil import walk

_READ = (r"\brequest\.(?P<where>COOKIES|cookies|headers|META|GET|POST|args|form|values|query_params)"
         r"\s*(?:\.get\s*\(|\[)\s*['\"](?P<key>[\w-]+)['\"]")
_READ_RE = re.compile(_READ)
_PRIVILEGE_KEY = re.compile(r"^(?:x[-_])?(?:is[-_]?)?(?:admin|administrator|superuser|super[-_]?user|staff|root|role|"
                            r"roles|privilege|privileges|access[-_]?level|user[-_]?type|usertype|user[-_]?role|level|"
                            r"group|permission|permissions|auth|authenticated|logged[-_]?in|loggedin)$", re.I)
_ADMIN_VALUE = re.compile(r"""^(?:[rbuf]*)?['"][^'"\n]*\b(?:\w*admin\w*|root|superuser|staff)\b[^'"\n]*['"]$""", re.I)
_COMPARE_OPS = ("==", "!=", "in", "is")
_REJECTS = re.compile(r"\b(?:abort\s*\(\s*40[13]|HttpResponseForbidden|PermissionDenied|raise\b|status(?:_code)?\s*=\s*40[13]|"
                      r",\s*40[13]\b|redirect\s*\(\s*['\"][^'\"]*login)")
MESSAGE = ("Access decided on `{key}` from the request's {where}, which the client sets: anyone can send it. "
           "Decide on the server-side session (request.user, a signed session) or a verified token's claims.")


class ClientRoleCheck(Check):
    languages = frozenset({"python"})
    detectors = ("py.pattern.client-role-decision",)

    def run(self, src: SourceFile) -> Iterable[Hit]:
        if src.tree is None or "request." not in src.text:
            return []
        hits: list[Hit] = []
        for fn in walk(src.tree.root_node):
            if fn.type != "function_definition":
                continue
            body = fn.child_by_field_name("body")
            if body is None or "request." not in text(body):
                continue
            held = _held_reads(body)
            for node in walk(body):
                if node.type not in ("if_statement", "elif_clause"):
                    continue
                cond = node.child_by_field_name("condition")
                found = _decision(cond, held) if cond is not None else None
                if found is None:
                    continue
                branch = node.child_by_field_name("consequence")
                if branch is not None and _REJECTS.search(text(branch)[:400]):
                    continue
                where, key = found
                hits.append(Hit.at("py.pattern.client-role-decision", cond, MESSAGE.format(key=key, where=where)))
        return hits


# name -> every assignment to it in source order: (byte, the request read it holds, or None)
Held = dict[str, list[tuple[int, tuple[str, str] | None]]]


def _held_reads(body: Node) -> Held:
    """Locals bound to a request read (`ua = request.META["HTTP_USER_AGENT"]`), with every other
    assignment to the same name: what a condition sees is the last one before it."""
    out: Held = {}
    for node in walk(body):
        if node.type != "assignment":
            continue
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if left is None or right is None or left.type != "identifier":
            continue
        m = _READ_RE.match(text(right))
        read = (m.group("where"), m.group("key")) if m and m.end() >= len(text(right)) - 12 else None  # maybe `, default)`
        out.setdefault(text(left), []).append((node.start_byte, read))
    return out


def _decision(cond: Node, held: Held) -> tuple[str, str] | None:
    """(where, key) when the condition compares a client value in a way that grants access
    (a test for None is a presence check, not a grant)."""
    for cmp in [cond, *walk(cond)]:
        if cmp.type != "comparison_operator":
            continue
        ops = [text(c) for c in cmp.children if not c.is_named]
        if not any(op in _COMPARE_OPS or op.startswith(("not", "is")) for op in ops):
            continue
        sides = cmp.named_children
        if any(side.type == "none" for side in sides):
            continue
        for i, side in enumerate(sides):
            read = _read_of(side, held, cmp.start_byte)
            if read is None:
                continue
            where, key = read
            others = [s for j, s in enumerate(sides) if j != i]
            if _PRIVILEGE_KEY.match(key.removeprefix("HTTP_")) or any(_ADMIN_VALUE.match(text(o)) for o in others):
                return where, key
    return None


def _read_of(node: Node, held: Held, at: int) -> tuple[str, str] | None:
    if node.type == "identifier":
        before = [read for byte, read in held.get(text(node), []) if byte < at]
        return before[-1] if before else None
    m = _READ_RE.match(text(node))
    return (m.group("where"), m.group("key")) if m else None


CHECKS = [ClientRoleCheck()]

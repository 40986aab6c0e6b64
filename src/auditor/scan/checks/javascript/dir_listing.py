"""A directory listing written by hand: a route that answers the names of the files in a folder
the app also serves statically.

`js.pattern.directory-listing` (security-misconfiguration, CWE-548): a handler calls
`fs.readdir(dir, ...)` / `fs.readdirSync(dir)` / `fs.promises.readdir(dir)` on the folder that
`express.static(dir)` publishes (the same expression, directly or through a local declared from
it), in a route with no authentication in its chain or its body (a literal key compared with a
query or body value, `if (req.query.k !== 'lab') return res.sendStatus(403)`, is a password
written in the code, not a login), and answers (`res.send`,
`res.json`, `res.render`). Whoever reads the list finds every backup, upload and key file kept
there and fetches it from the static route. A listing of a folder the app does not serve, or one
behind a login, is clean.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from tree_sitter import Node

from auditor.scan.checks.javascript.syntax import (
    JS_LANGUAGES,
    args_of,
    callee_parts,
    enclosing_function,
    index,
    text,
    unwrap,
    without_comments,
)
from auditor.scan.interface import Check, Hit, SourceFile

DETECTOR = "js.pattern.directory-listing"
_STATIC = re.compile(r"\bexpress\s*\.\s*static\s*\(")
_READDIR = frozenset({"readdir", "readdirSync"})
_ANSWERS = re.compile(r"\b(?:res|response)\s*\.\s*(?:send|json|render|write|end)\s*\(")
_GUARDED = re.compile(r"\b(?:401|403)\b|req\.user\b|req\.session\b|isAuthenticated|requireAuth|requireLogin|ensureAuth|"
                      r"authenticate|verifyToken|requireAdmin|isAdmin", re.I)


# `if (req.query.k !== 'lab') return res.status(403)...;`: a constant key in the request.
_LITERAL_KEY = re.compile(r"""if\s*\(\s*(?:req|request)\s*\.\s*(?:query|body|params)\s*\.\s*[\w$]+\s*[!=]==?\s*['"`][^'"`]*['"`]\s*\)\s*"""
                          r"""(?:\{\s*)?return\b[^;]*;\s*\}?""")


def _norm(expr: str) -> str:
    return re.sub(r"\s+", "", expr).replace('"', "'").rstrip("/")


class DirectoryListingCheck(Check):
    languages = JS_LANGUAGES
    detectors = (DETECTOR,)

    def run(self, src: SourceFile) -> Iterable[Hit]:
        if "readdir" not in src.text or not _STATIC.search(src.text):
            return []
        idx = index(src)
        if idx is None:
            return []
        served: set[str] = set()
        declared: dict[str, str] = {}  # module-level and local `const dir = <expr>` (last wins)
        for decl in idx.get("decl"):
            name, value = decl.child_by_field_name("name"), decl.child_by_field_name("value")
            if name is not None and value is not None and name.type == "identifier":
                declared[text(src, name)] = _norm(text(src, value))
        calls = idx.get("call")
        for call in calls:
            parts = callee_parts(src, call)
            args = args_of(call)
            if parts[-2:] == ["express", "static"] and args:
                expr = _norm(text(src, args[0]))
                served.add(declared.get(expr, expr))
        if not served:
            return []
        hits: list[Hit] = []
        for call in calls:
            parts = callee_parts(src, call)
            args = args_of(call)
            if not parts or parts[-1] not in _READDIR or not args:
                continue
            fn = enclosing_function(call)
            while fn is not None and enclosing_function(fn) is not None:
                fn = enclosing_function(fn)  # the route handler around the readdir callback
            if fn is None:
                continue
            expr = _norm(text(src, unwrap(args[0]) or args[0]))
            expr = _local(src, fn, expr) or declared.get(expr, expr)
            if expr not in served:
                continue
            route = fn.parent.parent if fn.parent is not None and fn.parent.type == "arguments" else None
            chain = text(src, route)[: fn.start_byte - route.start_byte] if route is not None else ""
            body = _LITERAL_KEY.sub("", without_comments(text(src, fn)))
            if route is None or _GUARDED.search(chain) or _GUARDED.search(body) or not _ANSWERS.search(body):
                continue
            hits.append(Hit.at(DETECTOR, call, "This route lists the files of a folder the app serves statically: anyone "
                               "reads the names of every upload and backup there and downloads them. Remove the listing, "
                               "or put it behind authentication and list only what the caller may fetch."))
        return hits


def _local(src: SourceFile, fn: Node, name: str) -> str:
    """The normalised value a local of `fn` named `name` is declared with ("" when none)."""
    m = re.search(rf"(?:const|let|var)\s+{re.escape(name)}\s*=\s*([^;\n]+)", text(src, fn))
    return _norm(m.group(1)) if m else ""


CHECKS = [DirectoryListingCheck()]

"""Loops whose bound the client chooses.

`js.pattern.request-loop-bound` (missing-rate-limiting, CWE-606/CWE-770): a `for`/`while` loop
in a route handler whose condition compares the counter with a number taken from the request
(`for (let i = 0; i < (body.iterations || 1e6); i++)`, `while (n < req.query.count)`) with no
cap in the handler (`Math.min(n, MAX)`, `if (n > MAX) return`). One request can ask for a
billion iterations and hold the event loop, so a handful of them take the server down whatever
the rate limit. Loops over arrays (`i < items.length`) are bounded by what was sent and are not
reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from tree_sitter import Node

from auditor.scan.checks.javascript.syntax import JS_LANGUAGES, enclosing_function, text
from auditor.scan.interface import Check, Hit, SourceFile
from auditor.scan.treeutil import find_all

DETECTOR = "js.pattern.request-loop-bound"
_REQ = re.compile(r"\b(?:req|request|ctx|ctx\.request)\s*\.\s*(?:body|query|params)\b")
_DECL = re.compile(r"(?:const|let|var)\s+(\{[^}]*\}|[A-Za-z_$][\w$]*)\s*=\s*([^;\n]+)")
_LOOPS = ("for_statement", "while_statement", "do_statement")


class RequestLoopBoundCheck(Check):
    languages = JS_LANGUAGES
    detectors = (DETECTOR,)

    def run(self, src: SourceFile) -> Iterable[Hit]:
        if not ("for" in src.text or "while" in src.text) or not _REQ.search(src.text):
            return []
        root = src.tree.root_node if src.tree is not None else None
        if root is None:
            return []
        hits: list[Hit] = []
        for loop in find_all(src.language or "javascript", root, _LOOPS):
            cond = loop.child_by_field_name("condition")
            fn = enclosing_function(loop)
            if cond is None or fn is None:
                continue
            bound = _bound(src, cond)
            if not bound or ".length" in bound or "Math.min" in bound:
                continue
            names = _request_names(src, fn)
            used = [n for n in names if re.search(rf"(?<![\w$.]){re.escape(n)}\b", bound)]
            if not (_REQ.search(bound) or used):
                continue
            rest = text(src, fn).replace(text(src, cond), "")
            if any(_capped(rest, n) for n in used):
                continue
            hits.append(Hit.at(DETECTOR, loop, "Loop bound taken from the request with no cap: one request can "
                               "ask for any amount of work and block the event loop; clamp it (Math.min(n, MAX)) "
                               "or refuse values over a limit."))
        return hits


def _bound(src: SourceFile, cond: Node) -> str:
    """The side of `i < bound` / `bound > i` that is not the counter ("" for other conditions)."""
    node = cond
    while node.type in ("parenthesized_expression", "expression_statement") and node.named_children:
        node = node.named_children[0]
    if node.type != "binary_expression":
        return ""
    op = text(src, node.child_by_field_name("operator"))
    if op in ("<", "<="):
        return text(src, node.child_by_field_name("right"))
    if op in (">", ">="):
        return text(src, node.child_by_field_name("left"))
    return ""


def _request_names(src: SourceFile, fn: Node) -> set[str]:
    """Names the handler declares from request input (`const { iterations } = ctx.request.body`),
    and names declared from those; a value clamped on the way (`Math.min(n, MAX)`) is not."""
    names: set[str] = set()
    for m in _DECL.finditer(text(src, fn)):
        if "Math.min" in m.group(2):
            continue
        if _REQ.search(m.group(2)) or any(re.search(rf"(?<![\w$.]){re.escape(n)}\b", m.group(2)) for n in names):
            names.update(re.findall(r"[A-Za-z_$][\w$]*", m.group(1).replace(":", " ")))
    return names


def _capped(rest: str, name: str) -> bool:
    """Outside the loop's own condition, the handler clamps `name` (`Math.min(name, MAX)`) or
    compares it with a limit (`if (name > MAX) return`)."""
    n = re.escape(name)
    return re.search(rf"Math\.min\([^)]*(?<![\w$.]){n}\b|(?<![\w$.]){n}\s*>=?|<=?\s*{n}\b", rest) is not None


CHECKS = [RequestLoopBoundCheck()]

"""Small helpers over tree-sitter-go nodes, shared by the Go checks."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from tree_sitter import Node, Query, QueryCursor

from auditor.scan.interface import SourceFile
from auditor.scan.languages import grammar

FUNCTIONS = frozenset({"function_declaration", "method_declaration", "func_literal"})
HANDLER_PARAM_TYPES = ("*gin.Context", "echo.Context", "*http.Request", "*fiber.Ctx", "http.ResponseWriter")


def text(src: SourceFile, node: Node | None) -> str:
    return "" if node is None else src.node_text(node)


def walk(node: Node, stop: frozenset[str] = frozenset()) -> Iterator[Node]:
    """Descendants in source order; node types in `stop` are yielded but not entered."""
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        if n is not node and n.type in stop:
            continue
        stack.extend(reversed(n.children))


def callee(src: SourceFile, call: Node) -> tuple[str, str]:
    """(receiver text, method name) of a call: `db.Query` -> ("db", "Query"),
    `h.db.Where(...).First` -> ("h.db.Where(...)", "First"), `len` -> ("", "len")."""
    fn = call.child_by_field_name("function")
    if fn is None:
        return "", ""
    if fn.type == "selector_expression":
        return text(src, fn.child_by_field_name("operand")), text(src, fn.child_by_field_name("field"))
    return "", text(src, fn)


def arguments(call: Node) -> list[Node]:
    args = call.child_by_field_name("arguments")
    return [a for a in args.named_children if a.type != "comment"] if args is not None else []


def params(src: SourceFile, fn: Node) -> dict[str, str]:
    """Parameter name -> type text."""
    out: dict[str, str] = {}
    plist = fn.child_by_field_name("parameters")
    if plist is None:
        return out
    for decl in plist.named_children:
        typ = text(src, decl.child_by_field_name("type"))
        for c in decl.named_children:
            if c.type == "identifier":
                out[text(src, c)] = typ
    return out


def is_handler(src: SourceFile, fn: Node) -> bool:
    return any(t in HANDLER_PARAM_TYPES for t in params(src, fn).values())


def func_name(src: SourceFile, fn: Node) -> str:
    return text(src, fn.child_by_field_name("name"))


def enclosing_function(node: Node) -> Node | None:
    n = node.parent
    while n is not None and n.type not in FUNCTIONS:
        n = n.parent
    return n


@cache
def _query(language: str, types: tuple[str, ...]) -> Query:
    """One compiled query per (language, node types) per process."""
    return Query(grammar(language), " ".join(f"({t}) @n" for t in types))


def find_all(language: str, root: Node, types: tuple[str, ...]) -> list[Node]:
    """Every node of `types` under `root`, in source order, found in C by a tree-sitter
    query (a Python walk over every node of a large file costs far more)."""
    found = QueryCursor(_query(language, types)).captures(root).get("n", [])
    return sorted(found, key=lambda n: n.start_byte)

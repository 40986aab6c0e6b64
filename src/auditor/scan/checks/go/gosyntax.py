"""Small helpers over tree-sitter-go nodes, shared by the Go checks."""

from __future__ import annotations

from tree_sitter import Node

from auditor.scan.interface import SourceFile
from auditor.scan.treeutil import text

FUNCTIONS = frozenset({"function_declaration", "method_declaration", "func_literal"})
HANDLER_PARAM_TYPES = ("*gin.Context", "echo.Context", "*http.Request", "*fiber.Ctx", "http.ResponseWriter")


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

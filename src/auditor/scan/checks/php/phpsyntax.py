"""Small helpers over tree-sitter-php nodes, shared by the PHP checks."""

from __future__ import annotations

from tree_sitter import Node

from auditor.scan.interface import SourceFile
from auditor.scan.treeutil import text

FUNCTIONS = frozenset({"method_declaration", "function_definition", "anonymous_function", "arrow_function"})


def args(call: Node) -> list[Node]:
    """Argument expressions of a call (unwrapping `argument` nodes; named args kept whole)."""
    a = call.child_by_field_name("arguments")
    if a is None:
        a = next((c for c in call.named_children if c.type == "arguments"), None)
    if a is None:
        return []
    out = []
    for arg in a.named_children:
        if arg.type == "argument":
            inner = [c for c in arg.named_children if c.type != "name"]
            out.append(inner[-1] if inner else arg)
        elif arg.type != "comment":
            out.append(arg)
    return out


def call_name(src: SourceFile, node: Node) -> tuple[str, str, str]:
    """(kind, receiver text, name): ("func", "", "exec"), ("static", "DB", "select"),
    ("method", "$request", "input"); ("", "", "") for other nodes."""
    t = node.type
    if t == "function_call_expression":
        return "func", "", text(src, node.child_by_field_name("function"))
    if t == "scoped_call_expression":
        return "static", text(src, node.child_by_field_name("scope")), text(src, node.child_by_field_name("name"))
    if t in ("member_call_expression", "nullsafe_member_call_expression"):
        return "method", text(src, node.child_by_field_name("object")), text(src, node.child_by_field_name("name"))
    return "", "", ""


def params(src: SourceFile, fn: Node) -> dict[str, str]:
    """Parameter variable (with $) -> type text ('' when untyped)."""
    out: dict[str, str] = {}
    plist = fn.child_by_field_name("parameters")
    if plist is None:
        return out
    for p in plist.named_children:
        name = p.child_by_field_name("name")
        if name is not None:
            out[text(src, name)] = text(src, p.child_by_field_name("type")).lstrip("?")
    return out


def enclosing_class(node: Node) -> Node | None:
    n = node.parent
    while n is not None and n.type != "class_declaration":
        n = n.parent
    return n


def is_controller(src: SourceFile, cls: Node | None) -> bool:
    if cls is None:
        return False
    base = next((c for c in cls.named_children if c.type == "base_clause"), None)
    return "Controller" in text(src, base) or text(src, cls.child_by_field_name("name")).endswith("Controller")

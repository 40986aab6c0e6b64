"""Small helpers over tree-sitter-ruby nodes, shared by the Ruby checks."""

from __future__ import annotations

from tree_sitter import Node

from auditor.scan.interface import SourceFile
from auditor.scan.treeutil import text, walk

SCOPES: frozenset[str] = frozenset({"method", "singleton_method"})


def call_parts(src: SourceFile, node: Node) -> tuple[str, str, list[Node]]:
    """(method name, receiver text, argument nodes) of a `call` node."""
    method = node.child_by_field_name("method")
    receiver = node.child_by_field_name("receiver")
    args_node = node.child_by_field_name("arguments")
    args = [a for a in args_node.named_children if a.type != "comment"] if args_node is not None else []
    return text(src, method), text(src, receiver), args


def heredoc_body(start: Node) -> Node | None:
    """The body of the heredoc that `start` (a `heredoc_beginning`) opens.

    tree-sitter-ruby puts the body after the statement that holds `<<~SQL` (a sibling of
    that statement, or of the argument on the same line), so it is found by climbing to
    the first ancestor followed by heredoc bodies and taking the one in the same position
    as `start` among the heredocs opened there."""
    cur: Node | None = start
    while cur is not None:
        nxt = cur.next_named_sibling
        if nxt is not None and nxt.type == "heredoc_body":
            break
        cur = cur.parent
    if cur is None:
        return None
    index = sum(1 for n in walk(cur) if n.type == "heredoc_beginning" and n.start_byte < start.start_byte)
    body = cur.next_named_sibling
    while body is not None and body.type == "heredoc_body":
        if index == 0:
            return body
        index -= 1
        body = body.next_named_sibling
    return None


def keyword_value(src: SourceFile, args: list[Node], key: str) -> Node | None:
    """The value of `key: value` among call arguments (bare pairs or a trailing hash)."""
    for a in args:
        pairs = [a] if a.type == "pair" else (a.named_children if a.type == "hash" else [])
        for p in pairs:
            if p.type != "pair":
                continue
            k = p.child_by_field_name("key")
            kt = text(src, k).strip(":\"' ")
            if kt == key:
                return p.child_by_field_name("value")
    return None


def enclosing_class(node: Node) -> Node | None:
    n = node.parent
    while n is not None:
        if n.type == "class":
            return n
        n = n.parent
    return None


def class_name(src: SourceFile, cls: Node | None) -> str:
    """Fully qualified-ish name: enclosing `module` names joined with :: and the class."""
    if cls is None:
        return ""
    parts = [text(src, cls.child_by_field_name("name"))]
    n = cls.parent
    while n is not None:
        if n.type in ("module", "class"):
            parts.append(text(src, n.child_by_field_name("name")))
        n = n.parent
    return "::".join(reversed(parts))


def is_controller(src: SourceFile, cls: Node | None) -> bool:
    if cls is None:
        return False
    sup = text(src, cls.child_by_field_name("superclass"))
    return "Controller" in sup or text(src, cls.child_by_field_name("name")).endswith("Controller")


def has_error(src: SourceFile) -> bool:
    tree = src.tree
    return tree is None or tree.root_node.has_error or not src.text.strip()

"""Language-neutral helpers over tree-sitter nodes, shared by the check packages."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from tree_sitter import Node, Query, QueryCursor

from auditor.scan.interface import SourceFile
from auditor.scan.languages import grammar


def text(src: SourceFile, node: Node | None) -> str:
    """The source text of `node` ('' for None)."""
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


def names_any(src: SourceFile, node: Node, names: set[str]) -> bool:
    """Does an identifier in `node` (at any depth) spell one of `names`?"""
    return any(i.type == "identifier" and text(src, i) in names for i in walk(node))


@cache
def _query(language: str, types: tuple[str, ...]) -> Query:
    """One compiled query per (language, node types) per process."""
    return Query(grammar(language), " ".join(f"({t}) @n" for t in types))


def find_all(language: str, root: Node, types: tuple[str, ...]) -> list[Node]:
    """Every node of `types` under `root`, in source order, found in C by a tree-sitter
    query (a Python walk over every node of a large file costs far more)."""
    found = QueryCursor(_query(language, types)).captures(root).get("n", [])
    return sorted(found, key=lambda n: n.start_byte)


def find_within(language: str, scope: Node, types: tuple[str, ...], stop: frozenset[str]) -> list[Node]:
    """The nodes `walk(scope, stop)` yields whose type is in `types`, in the same order, found
    by a tree-sitter query instead of a Python walk over every node: a node below a `stop`
    node (between it and `scope`) is left out, as the walk does not enter those."""
    out = []
    for n in QueryCursor(_query(language, types)).captures(scope).get("n", []):
        p = n.parent
        while p is not None and p != scope:
            if p.type in stop:
                break
            p = p.parent
        else:
            out.append(n)
    # Pre-order: by start, and an enclosing node (ending later) before what it contains.
    return sorted(out, key=lambda n: (n.start_byte, -n.end_byte))

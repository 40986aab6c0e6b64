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


@cache
def _query(language: str, types: tuple[str, ...]) -> Query:
    """One compiled query per (language, node types) per process."""
    return Query(grammar(language), " ".join(f"({t}) @n" for t in types))


def find_all(language: str, root: Node, types: tuple[str, ...]) -> list[Node]:
    """Every node of `types` under `root`, in source order, found in C by a tree-sitter
    query (a Python walk over every node of a large file costs far more)."""
    found = QueryCursor(_query(language, types)).captures(root).get("n", [])
    return sorted(found, key=lambda n: n.start_byte)

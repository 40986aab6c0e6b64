"""One walk over a Python file's tree, shared by every Python check.

The engine runs each check on the same SourceFile in turn; the facts of the last file are
memoised (one entry, keyed by identity) so the tree is walked once per file, not once per
check, and nothing is kept once the next file comes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from tree_sitter import Node, Query, QueryCursor

from auditor.scan.interface import SourceFile


@dataclass
class FunctionDef:
    """A `def` with its decorators and the class it sits in (None at module level)."""

    node: Node
    decorators: list[Node]
    klass: Node | None

    @property
    def outer(self) -> Node:
        """The decorated_definition when there is one: its text includes the decorators."""
        parent = self.node.parent
        return parent if parent is not None and parent.type == "decorated_definition" else self.node

    @property
    def name(self) -> str:
        n = self.node.child_by_field_name("name")
        return n.text.decode("utf-8", "replace") if n is not None and n.text else ""


@dataclass
class PyFacts:
    imports: dict[str, str] = field(default_factory=dict)  # local name -> dotted origin
    # Names taken from the importing file's own package (`from . import query_db`): defined
    # in that package's __init__.py (or its modules).
    package_names: set[str] = field(default_factory=set)
    calls: list[Node] = field(default_factory=list)
    functions: list[FunctionDef] = field(default_factory=list)
    classes: list[Node] = field(default_factory=list)
    assignments: list[tuple[Node, str]] = field(default_factory=list)  # (assignment, scope)
    asserts: list[Node] = field(default_factory=list)
    comparisons: list[Node] = field(default_factory=list)
    ok: bool = True  # False for empty or ERROR-laden trees: checks stay silent
    _named: list[tuple[Node, str, str]] | None = None
    callees: dict[int, tuple[str, str]] = field(default_factory=dict)  # call node id -> callee()

    def named_calls(self) -> list[tuple[Node, str, str]]:
        """(call, resolved name, method) for every call, resolved once for all checks."""
        if self._named is None:
            self._named = [(c, *callee(c, self)) for c in self.calls]
        return self._named

    def resolve(self, dotted: str) -> str:
        """`sp.run` -> `subprocess.run` when `import subprocess as sp`."""
        head, _, rest = dotted.partition(".")
        origin = self.imports.get(head)
        if origin is None:
            return dotted
        return f"{origin}.{rest}" if rest else origin

    def imported(self, *prefixes: str) -> bool:
        return any(v == p or v.startswith(p + ".") for v in self.imports.values() for p in prefixes)


_LAST: list[tuple[SourceFile, PyFacts]] = []
_NODE_TYPES = ("call", "function_definition", "class_definition", "assignment", "augmented_assignment",
               "import_statement", "import_from_statement", "assert_statement", "comparison_operator")


@lru_cache(maxsize=1)
def _query() -> Query:
    """Compiled once per process."""
    from auditor.scan.languages import grammar

    return Query(grammar("python"), "[" + " ".join(f"({t})" for t in _NODE_TYPES) + "] @n")


def _QUERY_CURSOR() -> QueryCursor:  # noqa: N802 - reads like the cursor it returns
    return QueryCursor(_query())


def text(node: Node | None) -> str:
    if node is None or node.text is None:
        return ""
    return node.text.decode("utf-8", "replace")


def _in_fallback(node: Node) -> bool:
    """Is this import inside an `except` clause (the fallback of `try: import a`)?"""
    parent = node.parent
    while parent is not None and parent.type not in ("module", "function_definition", "class_definition"):
        if parent.type == "except_clause":
            return True
        parent = parent.parent
    return False


def _record_import(node: Node, facts: PyFacts, fallback: bool = False) -> None:
    """Bind the names an import statement brings in. A fallback import (in an `except`
    clause) does not replace a name the `try` imported: the first is what normally runs."""
    if fallback:
        seen = PyFacts()
        _record_import(node, seen)
        for name, origin in seen.imports.items():
            facts.imports.setdefault(name, origin)
        return
    if node.type == "import_statement":
        for child in node.named_children:
            if child.type == "dotted_name":
                name = text(child)
                facts.imports[name.split(".")[0]] = name.split(".")[0]
                facts.imports.setdefault(name, name)
            elif child.type == "aliased_import":
                facts.imports[text(child.child_by_field_name("alias"))] = text(child.child_by_field_name("name"))
        return
    raw_module = text(node.child_by_field_name("module_name"))
    module = raw_module.lstrip(".")
    if raw_module == ".":
        for child in node.children_by_field_name("name"):
            if child.type == "dotted_name":
                facts.package_names.add(text(child))
    for child in node.children_by_field_name("name"):
        if child.type == "dotted_name":
            facts.imports[text(child)] = f"{module}.{text(child)}" if module else text(child)
        elif child.type == "aliased_import":
            name = text(child.child_by_field_name("name"))
            facts.imports[text(child.child_by_field_name("alias"))] = f"{module}.{name}" if module else name


def _scope(node: Node) -> str:
    """module | class | function, for an assignment node."""
    parent = node.parent
    while parent is not None:
        if parent.type == "module":
            return "module"
        if parent.type == "class_definition":
            return "class"
        if parent.type in ("function_definition", "lambda"):
            return "function"
        parent = parent.parent
    return "module"


def collect(src: SourceFile, remember: bool = True) -> PyFacts:
    """The facts of `src`, walking its tree once (memoised for the file being scanned;
    `remember=False` for another file read through the project index, so the scanned
    file's memo stays)."""
    if _LAST and _LAST[0][0] is src:
        return _LAST[0][1]
    facts = PyFacts()
    tree = src.tree
    root = tree.root_node if tree is not None else None
    if root is None or root.has_error or not src.text.strip():
        facts.ok = False
    else:
        # One query run in C instead of a Python walk over every node (about 2x faster).
        # In document order: the captures come grouped in no fixed order, and a name imported
        # twice (`try: from a import X` / `except ImportError: from b import X`) must resolve
        # the same way on every run.
        for node in sorted(_QUERY_CURSOR().captures(root).get("n", ()), key=lambda n: n.start_byte):
            t = node.type
            if t == "call":
                facts.calls.append(node)
            elif t == "function_definition":
                parent = node.parent
                decorators = [c for c in parent.named_children if c.type == "decorator"] if parent is not None and parent.type == "decorated_definition" else []
                klass = None
                p = node.parent
                while p is not None:
                    if p.type == "class_definition":
                        klass = p
                        break
                    if p.type == "function_definition":
                        break
                    p = p.parent
                facts.functions.append(FunctionDef(node, decorators, klass))
            elif t == "class_definition":
                facts.classes.append(node)
            elif t in ("assignment", "augmented_assignment"):
                facts.assignments.append((node, _scope(node)))
            elif t in ("import_statement", "import_from_statement"):
                _record_import(node, facts, _in_fallback(node))
            elif t == "assert_statement":
                facts.asserts.append(node)
            elif t == "comparison_operator":
                facts.comparisons.append(node)
        facts.calls.sort(key=lambda n: n.start_byte)
        facts.functions.sort(key=lambda f: f.node.start_byte)
        facts.assignments.sort(key=lambda a: a[0].start_byte)
    if remember:
        _LAST[:] = [(src, facts)]
    return facts


def dotted(node: Node | None) -> str | None:
    """`a.b.c` for an identifier/attribute chain, else None (calls, subscripts in the chain)."""
    parts: list[str] = []
    while node is not None:
        if node.type == "identifier":
            parts.append(text(node))
            return ".".join(reversed(parts))
        if node.type != "attribute":
            return None
        parts.append(text(node.child_by_field_name("attribute")))
        node = node.child_by_field_name("object")
    return None


def callee(call: Node, facts: PyFacts) -> tuple[str, str]:
    """(resolved dotted name or "", method name) of a call: `subprocess.run`, `run`.
    Memoised per call node in `facts` (the checks ask about the same call several times)."""
    known = facts.callees.get(call.id)
    if known is None:
        known = facts.callees[call.id] = _callee(call, facts)
    return known


def _callee(call: Node, facts: PyFacts) -> tuple[str, str]:
    fn = call.child_by_field_name("function")
    if fn is None:
        return "", ""
    if fn.type == "identifier":
        name = text(fn)
        return facts.resolve(name), name
    if fn.type == "attribute":
        method = text(fn.child_by_field_name("attribute"))
        d = dotted(fn)
        return (facts.resolve(d) if d else ""), method
    return "", ""


def arguments(call: Node) -> tuple[list[Node], dict[str, Node]]:
    """Positional argument nodes and keyword arguments of a call (splats are positional)."""
    args = call.child_by_field_name("arguments")
    pos: list[Node] = []
    kws: dict[str, Node] = {}
    if args is None:
        return pos, kws
    if args.type == "generator_expression":
        return [args], kws
    for child in args.named_children:
        if child.type == "keyword_argument":
            name = child.child_by_field_name("name")
            value = child.child_by_field_name("value")
            if name is not None and value is not None:
                kws[text(name)] = value
        elif child.type != "comment":
            pos.append(child)
    return pos, kws


def is_literal(node: Node | None) -> bool:
    """A constant: plain strings (no interpolation), numbers, True/False/None, and tuples or
    lists of those."""
    if node is None:
        return True
    t = node.type
    if t == "string":
        return not any(c.type == "interpolation" for c in node.children)
    if t == "concatenated_string":
        return all(is_literal(c) for c in node.named_children)
    if t in ("integer", "float", "true", "false", "none"):
        return True
    if t in ("list", "tuple", "set"):
        return all(is_literal(c) for c in node.named_children)
    if t == "parenthesized_expression":
        return all(is_literal(c) for c in node.named_children)
    return False


def string_value(node: Node | None) -> str | None:
    """The content of a plain string literal (no interpolation), else None."""
    if node is None or node.type != "string" or any(c.type == "interpolation" for c in node.children):
        return None
    return "".join(text(c) for c in node.children if c.type == "string_content")


def decorator_call(dec: Node) -> Node | None:
    """The expression of `@x.y(...)` / `@x`: the call or the name."""
    for child in dec.named_children:
        if child.type != "comment":
            return child
    return None


def enclosing(node: Node, *types: str) -> Node | None:
    p = node.parent
    while p is not None:
        if p.type in types:
            return p
        p = p.parent
    return None

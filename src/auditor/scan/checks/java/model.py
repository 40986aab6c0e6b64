"""One index of a Java tree, shared by every Java check (see the package docstring).

A single compiled tree-sitter query collects classes, methods, calls, `new` expressions,
annotations, imports and fields; the index is cached on the SourceFile so the taint,
pattern and access-control checks pay for one traversal between them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache

from tree_sitter import Node, Query, QueryCursor

from auditor.scan.interface import SourceFile
from auditor.scan.languages import grammar

MAPPING_ANNOTATIONS: frozenset[str] = frozenset(
    {"RequestMapping", "GetMapping", "PostMapping", "PutMapping", "DeleteMapping", "PatchMapping"}
)
CONTROLLER_ANNOTATIONS: frozenset[str] = frozenset({"RestController", "Controller"})
_CACHE_KEY = "_java_model"


def walk(node: Node) -> Iterator[Node]:
    """Pre-order traversal without recursion (deeply nested code must not overflow)."""
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(reversed(n.children))


def text(src: SourceFile, node: Node | None) -> str:
    return "" if node is None else src.node_text(node)


def last_segment(name: str) -> str:
    return name.rsplit(".", 1)[-1]


def annotation_map(modifiers: Node | None) -> dict[str, Node]:
    """Simple annotation name -> annotation node, for a `modifiers` node."""
    out: dict[str, Node] = {}
    if modifiers is None:
        return out
    for child in modifiers.children:
        if child.type in ("annotation", "marker_annotation"):
            name = child.child_by_field_name("name")
            if name is not None and name.text is not None:
                out[last_segment(name.text.decode("utf-8", "replace"))] = child
    return out


def modifiers_of(node: Node) -> Node | None:
    for child in node.children:
        if child.type == "modifiers":
            return child
    return None


def string_value(node: Node | None) -> str | None:
    """The content of a string literal (escapes left as written), else None."""
    if node is None or node.type != "string_literal" or node.text is None:
        return None
    raw = node.text.decode("utf-8", "replace")
    if raw.startswith('"""'):
        return raw[3:-3]
    return raw[1:-1]


def annotation_strings(node: Node) -> list[str]:
    """Every string literal inside an annotation's arguments (value = ..., plain, arrays)."""
    return [s for n in walk(node) if (s := string_value(n)) is not None]


def annotation_arg(node: Node, key: str) -> Node | None:
    """The value node of `key = ...` in an annotation (`value` also matches a bare argument)."""
    args = node.child_by_field_name("arguments")
    if args is None:
        return None
    for child in args.named_children:
        if child.type == "element_value_pair":
            k = child.child_by_field_name("key")
            if k is not None and k.text is not None and k.text.decode() == key:
                return child.child_by_field_name("value")
        elif key == "value":
            return child
    return None


@dataclass
class ClassInfo:
    node: Node
    name: str
    annotations: dict[str, Node]

    @property
    def is_controller(self) -> bool:
        return bool(CONTROLLER_ANNOTATIONS.intersection(self.annotations))

    @property
    def is_rest(self) -> bool:
        return "RestController" in self.annotations or "ResponseBody" in self.annotations


@dataclass
class ParamInfo:
    node: Node
    name: str
    type: str  # as written, generics included
    annotations: dict[str, Node]

    @property
    def base_type(self) -> str:
        return last_segment(self.type.split("<", 1)[0].strip())


@dataclass
class MethodInfo:
    node: Node
    name: str
    annotations: dict[str, Node]
    params: list[ParamInfo]
    body: Node | None
    cls: ClassInfo | None

    @property
    def is_handler(self) -> bool:
        """A Spring MVC / WebFlux request handler (a mapping annotation on the method)."""
        return bool(MAPPING_ANNOTATIONS.intersection(self.annotations))

    @property
    def returns_body(self) -> bool:
        """The return value is the response body (not a view name)."""
        return "ResponseBody" in self.annotations or (self.cls is not None and self.cls.is_rest)

    def param(self, name: str) -> ParamInfo | None:
        for p in self.params:
            if p.name == name:
                return p
        return None


@dataclass
class JavaFile:
    """The shared index of one Java file."""

    src: SourceFile
    root: Node
    classes: list[ClassInfo] = field(default_factory=list)
    methods: list[MethodInfo] = field(default_factory=list)
    imports: list[str] = field(default_factory=list)
    calls: dict[str, list[Node]] = field(default_factory=dict)  # method name -> invocations
    news: dict[str, list[Node]] = field(default_factory=dict)  # simple type -> creations
    annotations: dict[str, list[Node]] = field(default_factory=dict)  # simple name -> nodes
    fields: list[Node] = field(default_factory=list)  # field declarations

    def calls_in(self, node: Node) -> list[Node]:
        """Every method invocation inside `node`, in source order."""
        lo, hi = node.start_byte, node.end_byte
        return sorted((c for cs in self.calls.values() for c in cs if lo <= c.start_byte and c.end_byte <= hi),
                      key=lambda n: n.start_byte)

    def text(self, node: Node | None) -> str:
        return text(self.src, node)

    def method_at(self, node: Node) -> MethodInfo | None:
        """The innermost method (or constructor) containing `node`."""
        best: MethodInfo | None = None
        for m in self.methods:
            if m.node.start_byte <= node.start_byte and node.end_byte <= m.node.end_byte:
                if best is None or m.node.start_byte >= best.node.start_byte:
                    best = m
        return best

    def class_at(self, node: Node) -> ClassInfo | None:
        best: ClassInfo | None = None
        for c in self.classes:
            if c.node.start_byte <= node.start_byte and node.end_byte <= c.node.end_byte:
                if best is None or c.node.start_byte >= best.node.start_byte:
                    best = c
        return best

    def imports_any(self, *prefixes: str) -> bool:
        return any(imp.startswith(p) for imp in self.imports for p in prefixes)


def _params(node: Node) -> list[ParamInfo]:
    params = node.child_by_field_name("parameters")
    out: list[ParamInfo] = []
    if params is None:
        return out
    for p in params.named_children:
        if p.type not in ("formal_parameter", "spread_parameter"):
            continue
        name = p.child_by_field_name("name")
        typ = p.child_by_field_name("type")
        if name is None:  # spread_parameter keeps its declarator as a child
            decl = next((c for c in p.named_children if c.type == "variable_declarator"), None)
            name = decl.child_by_field_name("name") if decl is not None else None
            typ = typ or next((c for c in p.named_children if c.type.endswith("type") or c.type == "type_identifier"), None)
        if name is None or name.text is None:
            continue
        out.append(ParamInfo(p, name.text.decode(), typ.text.decode() if typ is not None and typ.text else "",
                             annotation_map(modifiers_of(p))))
    return out


_INDEX_QUERY = """
[(class_declaration) (interface_declaration) (enum_declaration) (record_declaration)] @class
[(method_declaration) (constructor_declaration)] @method
(method_invocation) @call
(object_creation_expression) @new
[(annotation) (marker_annotation)] @ann
(import_declaration) @import
(field_declaration) @field
"""


@cache
def _index_query() -> Query:
    """Compiled once per process; the capture walk runs in C, far faster than a Python walk."""
    return Query(grammar("java"), _INDEX_QUERY)


def _by_position(nodes: list[Node]) -> list[Node]:
    return sorted(nodes, key=lambda n: n.start_byte)


def java_file(src: SourceFile) -> JavaFile | None:
    """The index for `src` (built once, cached on the SourceFile); None without a tree."""
    cached = src.__dict__.get(_CACHE_KEY)
    if cached is not None:
        return cached
    tree = src.tree
    if tree is None or not src.text.strip():
        return None
    jf = JavaFile(src, tree.root_node)
    caps = QueryCursor(_index_query()).captures(tree.root_node)
    for node in _by_position(caps.get("class", [])):
        jf.classes.append(ClassInfo(node, text(src, node.child_by_field_name("name")), annotation_map(modifiers_of(node))))
    for node in _by_position(caps.get("method", [])):
        jf.methods.append(MethodInfo(
            node, text(src, node.child_by_field_name("name")), annotation_map(modifiers_of(node)),
            _params(node), node.child_by_field_name("body"), jf.class_at(node),
        ))
    for node in _by_position(caps.get("call", [])):
        name = node.child_by_field_name("name")
        if name is not None and name.text is not None:
            jf.calls.setdefault(name.text.decode(), []).append(node)
    for node in _by_position(caps.get("new", [])):
        typ = node.child_by_field_name("type")
        if typ is not None and typ.text is not None:
            jf.news.setdefault(last_segment(typ.text.decode().split("<", 1)[0]), []).append(node)
    for node in _by_position(caps.get("ann", [])):
        name = node.child_by_field_name("name")
        if name is not None and name.text is not None:
            jf.annotations.setdefault(last_segment(name.text.decode()), []).append(node)
    for node in caps.get("import", []):
        jf.imports.append(text(src, node).removeprefix("import").removesuffix(";").replace("static ", "").strip())
    jf.fields = _by_position(caps.get("field", []))
    src.__dict__[_CACHE_KEY] = jf
    return jf


def call_args(node: Node) -> list[Node]:
    args = node.child_by_field_name("arguments")
    return [] if args is None else [a for a in args.named_children if a.type != "comment"]


def chain(node: Node) -> Iterator[Node]:
    """A call and the calls it is chained on: `a.b().c()` yields c-call, b-call."""
    cur: Node | None = node
    while cur is not None and cur.type == "method_invocation":
        yield cur
        cur = cur.child_by_field_name("object")


def outer_chain(node: Node) -> Node:
    """The outermost call of the fluent chain `node` is part of (`http.a().b()` from a)."""
    cur = node
    while cur.parent is not None and cur.parent.type == "method_invocation" and cur.parent.child_by_field_name("object") == cur:
        cur = cur.parent
    return cur

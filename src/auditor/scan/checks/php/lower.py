"""The PHP front-end of the dataflow core: lowers tree-sitter-php functions and methods
(and a file's top level) into the shared intermediate form (`scan.dataflow.ir`),
consulting the taint data in `flowdata.py`, and resolves calls to the project's own code:
`$this->m()`, `self::m()`, `Class::m()`, `$obj->m()` on an object whose class is known
(a typed parameter, a constructor-promoted or constructor-typed property, `new Class`),
and plain functions. Classes are found through `use` and the namespace, then composer.json's
PSR-4 `autoload` map; functions in this file and in files it `require`s/`include`s by a
literal path."""

from __future__ import annotations

import re

from tree_sitter import Node

from auditor.scan.checks.php import flowdata as fd
from auditor.scan.checks.php.phpsyntax import (
    FUNCTIONS,
    args,
    call_name,
    enclosing_class,
    is_controller,
    params,
)
from auditor.scan.dataflow import ir
from auditor.scan.dataflow.ir import CLEAN, DYNAMIC, INPUT, Expr, branch_span, join
from auditor.scan.dataflow.lowering import Lowering
from auditor.scan.dataflow.solver import Solver
from auditor.scan.interface import SourceFile
from auditor.scan.treeutil import find_within, text, walk

LITERALS = frozenset({"string", "integer", "float", "boolean", "null", "name", "qualified_name", "class_constant_access_expression",
                      "comment", "string_content", "nowdoc", "anonymous_function", "arrow_function"})
COMPARE = frozenset({"==", "===", "!=", "!==", "<", ">", "<=", ">=", "&&", "||", "and", "or", "instanceof", "<=>"})
CLEAN_CASTS = frozenset({"int", "integer", "float", "double", "bool", "boolean"})
SCALAR_TYPES = frozenset({"int", "float", "bool"})
CALLS = frozenset({"function_call_expression", "scoped_call_expression", "member_call_expression",
                   "nullsafe_member_call_expression", "object_creation_expression"})
INCLUDES = ("include_expression", "include_once_expression", "require_expression", "require_once_expression")
BRANCHES = frozenset({"if_statement", "while_statement"})
CASES = frozenset({"case_statement", "default_statement"})
SCOPE_STOP = FUNCTIONS | {"class_declaration", "ERROR"}
# The node types `_Lowerer.lower` acts on: found by one query per scope rather than a
# Python walk over every node (the bulk of the lowering's cost on large files).
STATEMENT_NODES = tuple(sorted({"assignment_expression", "augmented_assignment_expression", "if_statement",
                                "else_if_clause", "shell_command_expression", "echo_statement", "print_intrinsic",
                                "return_statement", *INCLUDES, *CALLS}))
FILE_NODES = tuple(sorted({*STATEMENT_NODES, *FUNCTIONS, "class_declaration", "namespace_use_clause"}))


def _is_request_type(typ: str) -> bool:
    return typ.endswith("Request") and typ not in ("ServerRequest",)


class _Lowerer(Lowering):
    literals = LITERALS

    def __init__(self, src: SourceFile, fn: Node, property_types: dict[str, str]) -> None:
        super().__init__()
        self.src = src
        self.requests: set[str] = {"$request"}
        self.classes: dict[str, str] = dict(property_types)  # `$x` / `$this->x` -> class name
        self.ctor_args: dict[str, tuple[Expr, ...]] = {}  # `$x = new C(...)`: the arguments
        self.controller = fn.type == "method_declaration" and is_controller(src, enclosing_class(fn))
        names: list[str] = []
        initial: list[int] = []
        for name, typ in (params(src, fn).items() if fn.type != "program" else ()):
            names.append(name)
            if _is_request_type(typ):
                self.requests.add(name)
                initial.append(CLEAN)
            elif typ in SCALAR_TYPES or (typ and typ[0].isupper() and typ not in ("string",)):
                initial.append(CLEAN)  # cast scalars and bound models carry no attacker string
                if typ and typ[0].isupper():
                    self.classes[name] = typ
            else:
                initial.append(INPUT if self.controller else DYNAMIC)  # controller action route parameter
        self.params, self.initial = tuple(names), tuple(initial)

    def is_request(self, node: Node | None) -> bool:
        if node is None:
            return False
        t = text(self.src, node)
        return t in self.requests or t in ("request()", "$this->request", "Request")

    # -- expressions -------------------------------------------------------------------------
    def lower_expr(self, node: Node, t: str, depth: int) -> Expr:
        if t == "variable_name":
            name = text(self.src, node)
            if name in fd.SUPERGLOBALS:
                return ir.Source()
            return ir.Var(name, CLEAN if name == "$this" else DYNAMIC)
        if t in CALLS:
            return self.call(node, depth)
        if t == "member_access_expression":
            obj = node.child_by_field_name("object")
            if self.is_request(obj):
                return ir.Source()
            if text(self.src, obj) == "$this":
                return ir.Var(text(self.src, node))  # a property: clean unless assigned (or a field)
            return self.expr(obj, depth + 1)
        if t == "binary_expression":
            op = node.child_by_field_name("operator")
            if op is not None and text(self.src, op) in COMPARE:
                return ir.Const()
        if t == "cast_expression":
            if text(self.src, node.child_by_field_name("type")).lower() in CLEAN_CASTS:
                return ir.Const()
            return self.expr(node.child_by_field_name("value"), depth + 1)
        if t == "conditional_expression":
            cond = text(self.src, node.child_by_field_name("condition"))
            if any(w in cond for w in fd.GUARD_WORDS):
                return ir.Const()
            return join([self.expr(node.child_by_field_name("body"), depth + 1),
                         self.expr(node.child_by_field_name("alternative"), depth + 1)])
        if t == "subscript_expression":
            kids = node.named_children
            return self.expr(kids[0], depth + 1) if kids else ir.Const()
        return join(self.expr(c, depth + 1) for c in node.named_children)

    def call(self, node: Node, depth: int) -> Expr:
        kind, recv, name = call_name(self.src, node)
        obj = node.child_by_field_name("object")
        if kind == "func":
            if name in fd.SANITIZER_FUNCS:
                return ir.Const()
            if name == "request":
                return ir.Source() if args(node) else ir.Const()
        elif kind == "static":
            if f"{recv}::{name}" in fd.SANITIZER_STATIC:
                return ir.Const()
            if recv in ("Request", "Input") and name in fd.REQUEST_METHODS | {"get"}:
                return ir.Source()
        elif kind == "method":
            if name in fd.SANITIZER_METHODS:
                return ir.Const()
            if self.is_request(obj):
                if name in fd.REQUEST_METHODS:
                    return ir.Source()
                if name in fd.REQUEST_CLEAN:
                    return ir.Const()
        lowered = [self.expr(a, depth + 1) for a in args(node)]
        parts = list(lowered)
        if obj is not None:
            parts.append(self.expr(obj, depth + 1))
        fallback = join(parts)
        line = node.start_point[0] + 1
        if kind == "func" and name and not name.startswith("$"):
            return ir.Call(name, "", tuple(lowered), fallback, line)
        if kind == "static":
            return ir.Call(name, recv, tuple(lowered), fallback, line, recv + "::")
        if kind == "method":
            cls = self._class_of(obj, depth)
            if cls is not None:
                hint, ctor = cls
                return ir.Call(name, recv, tuple(lowered), fallback, line, hint + "->", ctor)
        return fallback

    def _class_of(self, obj: Node | None, depth: int) -> tuple[str, tuple[Expr, ...]] | None:
        """The class of a method call's object, and its constructor arguments when built right there."""
        if obj is None:
            return None
        ot = text(self.src, obj)
        if ot == "$this":
            return "self", ()
        if obj.type == "parenthesized_expression" and obj.named_children:
            obj = obj.named_children[0]
        if obj.type == "object_creation_expression":
            cls = obj.named_children[0] if obj.named_children else None
            if cls is not None and cls.type in ("name", "qualified_name"):
                return text(self.src, cls), tuple(self.expr(a, depth + 1) for a in args(obj))
        found = self.classes.get(ot)
        return (found, self.ctor_args.get(ot, ())) if found else None

    # -- statements ------------------------------------------------------------------------
    def lower(self, body: Node, nodes: list[Node] | None = None) -> list[ir.Stmt]:
        """`nodes`: the statement nodes of this scope when the caller found them (`_scopes`)."""
        src = self.src
        for n in find_within("php", body, STATEMENT_NODES, SCOPE_STOP) if nodes is None else nodes:
            t = n.type
            if t in ("assignment_expression", "augmented_assignment_expression"):
                self.assign(n)
            elif t in ("if_statement", "else_if_clause"):
                cond = n.child_by_field_name("condition")
                if cond is not None and any(w in text(src, cond) for w in fd.GUARD_WORDS):
                    self.body.append(ir.Guard(tuple(text(src, v) for v in walk(cond) if v.type == "variable_name")))
            elif t == "shell_command_expression":
                self.sink("command", self.expr(n), DYNAMIC, False, n)
            elif t in ("echo_statement", "print_intrinsic"):
                self.sink("xss", self.expr(n), INPUT, False, n)
            elif t in INCLUDES:
                kids = n.named_children
                if kids:
                    self.sink("path", self.expr(kids[0]), INPUT, True, n)
            elif t == "return_statement":
                kids = n.named_children
                if kids:
                    value = self.expr(kids[0])
                    self.body.append(ir.Return(value, n.start_byte))
                    if self.controller and kids[0].type in ("encapsed_string", "binary_expression", "heredoc"):
                        self.sink("xss", value, INPUT, False, n)
            elif t == "object_creation_expression" and "HtmlString" in text(src, n.named_children[0] if n.named_children else None):
                a = args(n)
                if a:
                    self.sink("xss", self.expr(a[0]), DYNAMIC, False, n)
            elif t in CALLS:
                self.call_statement(n)
        return self.body

    def assign(self, n: Node) -> None:
        src = self.src
        left, right = n.child_by_field_name("left"), n.child_by_field_name("right")
        value = self.expr(right)
        names = [text(src, c) for c in left.named_children] if left is not None and left.type == "list_literal" \
            else [text(src, left)]
        augment = n.type == "augmented_assignment_expression"
        branch = branch_span(n, FUNCTIONS | {"program"}, BRANCHES, CASES)
        if branch is not None and (right is None or not set(names) & {text(src, i) for i in walk(right) if i.type == "variable_name"}):
            branch = None  # a re-assignment from something else replaces the value on every path
        self.body.append(ir.Assign(tuple(names), (value,) * len(names), augment, branch, n.start_byte))
        if right is not None and self.is_request(right):
            self.requests.update(names)
        if right is not None and right.type == "object_creation_expression" and len(names) == 1:
            cls = right.named_children[0] if right.named_children else None
            if cls is not None and cls.type in ("name", "qualified_name"):
                self.classes[names[0]] = text(src, cls)
                self.ctor_args[names[0]] = tuple(self.expr(a) for a in args(right))

    def call_statement(self, node: Node) -> None:
        src = self.src
        kind, recv, name = call_name(src, node)
        a = args(node)
        sunk = False
        for sink in _SINKS_BY_NAME.get(name, ()) if kind else ():
            if not _matches(sink, kind, recv, name) or sink.arg >= len(a):
                continue
            target = a[sink.arg]
            if name == "curl_setopt" and "CURLOPT_URL" not in text(src, a[1]):
                continue
            if sink.kind == "command" and target.type == "array_creation_expression":
                continue  # argv form: no shell
            if sink.kind == "deserialize" and len(a) > 1 and "allowed_classes" in text(src, a[1]) and "true" not in text(src, a[1]):
                continue
            kind_out = sink.kind
            if name == "file_get_contents" and ("url" in text(src, target).lower() or "http" in text(src, target)):
                kind_out = "ssrf"
            self.sink(kind_out, self.expr(target), sink.min_level, sink.kind in fd.GUARDABLE_KINDS, node)
            sunk = True
        if not sunk and node.type != "object_creation_expression":
            self.evaluate(self.expr(node), node)


def _sinks_by_name() -> dict[str, tuple[fd.Sink, ...]]:
    """The sinks a call named `name` may match (`_matches` decides), in table order."""
    out: dict[str, list[fd.Sink]] = {}
    for sink in fd.SINKS:
        for short in dict.fromkeys(n.rpartition("::")[2] for n in sink.names):
            out.setdefault(short, []).append(sink)
    return {k: tuple(v) for k, v in out.items()}


_SINKS_BY_NAME = _sinks_by_name()


def _scopes(root: Node, found: list[Node] | None = None) -> dict[int, list[Node]]:
    """The statement nodes of every scope of the file from one query: keyed by the id of the
    scope `lower` is given (the file's root, or a function's body), in `walk` order; nodes
    below a class body outside methods, or inside an ERROR node, belong to no scope."""
    out: dict[int, list[Node]] = {root.id: []}
    if found is None:
        found = find_within("php", root, STATEMENT_NODES, frozenset())
    for n in sorted(found, key=lambda n: (n.start_byte, -n.end_byte)):
        p = n.parent
        while p is not None and p.type not in SCOPE_STOP:
            p = p.parent
        if p is None:
            out[root.id].append(n)
        elif p.type in FUNCTIONS:
            body = p.child_by_field_name("body")
            if body is not None and body.start_byte <= n.start_byte and n.end_byte <= body.end_byte:
                out.setdefault(body.id, []).append(n)
    return out


def _matches(sink: fd.Sink, kind: str, recv: str, name: str) -> bool:
    if sink.call != kind:
        return False
    if kind == "static":
        return f"{recv.lstrip(chr(92))}::{name}" in sink.names or name in sink.names
    if name not in sink.names:
        return False
    return sink.receiver is None or bool(sink.receiver.search(recv))


def _class_name(src: SourceFile, node: Node) -> str:
    cls = enclosing_class(node)
    return text(src, cls.child_by_field_name("name")) if cls is not None else ""


def _constructor(src: SourceFile, cls: Node, methods: list[Node]) -> tuple[dict[str, int], dict[str, str]]:
    """A class's constructor: properties set from a parameter (promoted, or `$this->p = $p`)
    -> that parameter's position; and the class each object-typed property holds.
    `methods`: the file's method declarations (those inside `cls` are its own)."""
    fields: dict[str, int] = {}
    types: dict[str, str] = {}
    ctor = next((m for m in methods if cls.start_byte <= m.start_byte < cls.end_byte
                 and text(src, m.child_by_field_name("name")) == "__construct"), None)
    if ctor is None:
        return fields, types
    typed = params(src, ctor)
    names = list(typed)
    plist = ctor.child_by_field_name("parameters")
    for p in plist.named_children if plist is not None else ():
        var = text(src, p.child_by_field_name("name"))
        if p.type == "property_promotion_parameter" and var:
            prop = "$this->" + var.lstrip("$")
            typ = typed.get(var, "")
            if typ and typ[0].isupper() and not _is_request_type(typ):
                types[prop] = typ
            elif typ not in SCALAR_TYPES:
                fields[prop] = names.index(var)
    body = ctor.child_by_field_name("body")
    for n in walk(body) if body is not None else ():
        if n.type != "assignment_expression":
            continue
        left, right = n.child_by_field_name("left"), n.child_by_field_name("right")
        lt = text(src, left)
        if not lt.startswith("$this->") or right is None:
            continue
        rt = text(src, right)
        if rt in typed:
            typ = typed[rt]
            if typ and typ[0].isupper():
                types[lt] = typ
            elif typ not in SCALAR_TYPES:
                fields.setdefault(lt, names.index(rt))
    return fields, types


def lower_file(src: SourceFile) -> ir.Module:
    """The file's top level and each function and method, as functions of one module."""
    tree = src.tree
    if tree is None:
        return ir.Module(src.path, "php", [])
    root = tree.root_node
    # One query for every node type the lowering needs (each query is a pass over the tree).
    nodes: dict[str, list[Node]] = {}
    for n in find_within("php", root, FILE_NODES, frozenset()):
        nodes.setdefault(n.type, []).append(n)
    methods = nodes.get("method_declaration", [])
    ctors = {text(src, c.child_by_field_name("name")): _constructor(src, c, methods)
             for c in nodes.get("class_declaration", [])}
    scopes = _scopes(root, [n for t in STATEMENT_NODES for n in nodes.get(t, [])])
    top = _Lowerer(src, root, {})
    functions = [ir.Function("<top>", "", (), (), top.lower(root, scopes[root.id]), 1, summarise=False)]
    for n in sorted((n for t in FUNCTIONS for n in nodes.get(t, [])), key=lambda n: n.start_byte):
        body = n.child_by_field_name("body")
        if body is None or n.has_error:  # no findings from half-parsed code
            continue
        owner = _class_name(src, n) if n.type == "method_declaration" else ""
        name = text(src, n.child_by_field_name("name")) if n.type in ("method_declaration", "function_definition") else ""
        static = n.type == "method_declaration" and any(c.type == "static_modifier" for c in n.children)
        fields, types = ctors.get(owner, ({}, {})) if owner and not static and name != "__construct" else ({}, {})
        lw = _Lowerer(src, n, types)
        lw.lower(body, scopes.get(body.id, []))
        names = (*lw.params, *fields)
        initial = (*lw.initial, *(DYNAMIC,) * len(fields))
        key = f"{owner}{'::' if static else '->'}{name}" if owner else (name or f"<fn@{n.start_byte}>")
        functions.append(ir.Function(key, name, names, initial, lw.body, n.start_point[0] + 1, owner,
                                     summarise=bool(name), fields=tuple(fields.values())))
    return ir.Module(src.path, "php", functions, _facts(src, root, nodes))


def _facts(src: SourceFile, root: Node, nodes: dict[str, list[Node]]) -> dict[str, object]:
    namespace = ""
    uses: dict[str, str] = {}
    includes: list[str] = []
    for n in root.named_children:
        if n.type == "namespace_definition":
            namespace = text(src, n.child_by_field_name("name"))
    for clause in nodes.get("namespace_use_clause", []):
        names = [c for c in clause.named_children if c.type in ("qualified_name", "name")]
        if names:
            full = text(src, names[0]).lstrip("\\")
            alias = text(src, names[1]) if len(names) > 1 else full.rsplit("\\", 1)[-1]
            uses[alias] = full
    for inc in sorted((n for t in INCLUDES for n in nodes.get(t, [])), key=lambda n: n.start_byte):
        m = re.search(r"['\"]([^'\"$]+\.php)['\"]", text(src, inc))
        if m:
            includes.append(m.group(1).lstrip("/"))
    return {"namespace": namespace, "uses": uses, "includes": includes}


class PhpFrontend:
    """Resolves a PHP call to a method or function of the project (see the module docstring)."""

    language = "php"

    def resolve(self, solver: Solver, module: ir.Module, fn: ir.Function, call: ir.Call) -> tuple[ir.Module, ir.Function] | None:
        if not call.hint:
            return self._function(solver, module, call.name)
        cls, sep = (call.hint[:-2], call.hint[-2:])
        if cls in ("self", "static", "$this", "parent"):
            cls = fn.owner
            if call.hint.startswith("parent"):
                return None
        if not cls:
            return None
        short = cls.rsplit("\\", 1)[-1]
        target = self._class_module(solver, module, cls)
        if target is None:
            return None
        table = target.by_key()
        found = table.get(f"{short}{sep}{call.name}") or table.get(f"{short}{'->' if sep == '::' else '::'}{call.name}")
        return (target, found) if found is not None else None

    @staticmethod
    def _function(solver: Solver, module: ir.Module, name: str) -> tuple[ir.Module, ir.Function] | None:
        found = module.by_key().get(name)
        if found is not None:
            return module, found
        index, load = solver.index, solver.load
        if index is None or load is None:
            return None
        for spec in module.facts.get("includes", ()):
            rel = index.resolve_php_include(module.path, spec)
            other = load(rel) if rel is not None else None
            hit = other.by_key().get(name) if other is not None else None
            if hit is not None:
                return other, hit  # type: ignore[return-value]
        return None

    @staticmethod
    def _class_module(solver: Solver, module: ir.Module, cls: str) -> ir.Module | None:
        short = cls.rsplit("\\", 1)[-1]
        if any(f.owner == short for f in module.functions):
            return module
        index, load = solver.index, solver.load
        if index is None or load is None:
            return None
        if cls.startswith("\\"):
            fqcn = cls.lstrip("\\")
        else:
            head, _, rest = cls.partition("\\")
            uses = module.facts.get("uses", {})
            namespace = module.facts.get("namespace", "")
            if head in uses:
                fqcn = uses[head] + ("\\" + rest if rest else "")
            else:
                fqcn = f"{namespace}\\{cls}" if namespace else cls
        rel = index.resolve_php_class(module.path, fqcn)
        return load(rel) if rel is not None else None


FRONTEND = PhpFrontend()

"""The Go front-end of the dataflow core: lowers tree-sitter-go functions into the shared
intermediate form (`scan.dataflow.ir`), consulting the taint data in `flowdata.py`, and
resolves calls to functions of the same package (this file, the other files of its
folder) and of packages imported under the module path in go.mod."""

from __future__ import annotations

import re

from tree_sitter import Node

from auditor.scan.checks.go import flowdata as fd
from auditor.scan.checks.go.gosyntax import FUNCTIONS, arguments, callee, params
from auditor.scan.dataflow import ir
from auditor.scan.dataflow.ir import CLEAN, DYNAMIC, INPUT, Expr, branch_span, join
from auditor.scan.dataflow.lowering import Lowering
from auditor.scan.dataflow.solver import Solver
from auditor.scan.interface import SourceFile
from auditor.scan.treeutil import find_all, text, walk

LITERALS = frozenset({"interpreted_string_literal", "raw_string_literal", "int_literal", "float_literal",
                      "rune_literal", "true", "false", "nil", "iota", "imaginary_literal", "func_literal",
                      "type_identifier", "field_identifier", "package_identifier", "comment"})
STRINGY = ("string", "[]string", "[]byte", "any", "interface{}")
COMPARISONS = frozenset({"==", "!=", "<", ">", "<=", ">=", "&&", "||"})
REQUEST_NAMES = ("r", "req", "c", "ctx")
CLEAN_CALLS = ("Atoi", "ParseInt", "ParseUint", "Base", "EscapeString")
BUILTINS = frozenset({"len", "cap", "append", "make", "new", "copy", "delete", "panic", "recover", "print",
                      "println", "close", "min", "max", "clear", "string", "int", "int64", "float64", "byte"})
BRANCHES = frozenset({"if_statement"})
CASES = frozenset({"expression_case", "default_case", "type_case", "communication_case"})


class _Lowerer(Lowering):
    literals = LITERALS

    def __init__(self, src: SourceFile, fn: Node) -> None:
        super().__init__()
        self.src = src
        typed = params(src, fn)
        self.requests = {n for n, t in typed.items() if t == "*http.Request"}
        self.params = tuple(typed)
        self.initial = tuple(DYNAMIC if t in STRINGY else CLEAN for t in typed.values())

    # -- expressions -------------------------------------------------------------------------
    def lower_expr(self, node: Node, t: str, depth: int) -> Expr:
        if t == "identifier":
            return ir.Var(text(self.src, node))
        if t == "call_expression":
            return self.call(node, depth)
        if t == "selector_expression":
            if fd.SOURCE_SELECTOR.search(text(self.src, node)):
                operand = text(self.src, node.child_by_field_name("operand")).split(".")[0]
                if operand in self.requests or operand in REQUEST_NAMES:
                    return ir.Source()
            return self.expr(node.child_by_field_name("operand"), depth + 1)
        if t == "binary_expression":
            op = node.child_by_field_name("operator")
            if op is not None and op.type in COMPARISONS:
                return ir.Const()
        if t == "type_conversion_expression":
            return self.expr(node.child_by_field_name("operand"), depth + 1)
        if t == "keyed_element":
            kids = node.named_children
            return self.expr(kids[-1], depth + 1) if kids else ir.Const()
        return join(self.expr(c, depth + 1) for c in node.named_children)

    def call(self, node: Node, depth: int) -> Expr:
        recv, name = callee(self.src, node)
        qualified = f"{recv}.{name}" if recv else name
        if qualified in fd.SANITIZERS or name in CLEAN_CALLS:
            return ir.Const()
        fn = node.child_by_field_name("function")
        if fd.SOURCE_CALL.search(text(self.src, fn) + "("):
            return ir.Source()
        args = tuple(self.expr(a, depth + 1) for a in arguments(node))
        parts = list(args)
        if fn is not None and fn.type == "selector_expression":
            parts.append(self.expr(fn.child_by_field_name("operand"), depth + 1))
        fallback = join(parts)
        if name in BUILTINS and not recv:
            return fallback
        return ir.Call(name, recv, args, fallback, node.start_point[0] + 1)

    # -- statements ------------------------------------------------------------------------
    def lower(self, body: Node) -> list[ir.Stmt]:
        for n in walk(body, FUNCTIONS | {"ERROR"}):
            t = n.type
            if t in ("short_var_declaration", "assignment_statement", "var_spec", "range_clause"):
                self.assign(n)
            elif t == "if_statement":
                header = [c for c in (n.child_by_field_name("initializer"), n.child_by_field_name("condition")) if c]
                if any(w in text(self.src, c) for c in header for w in fd.GUARD_WORDS):
                    self.body.append(ir.Guard(tuple(text(self.src, i) for c in header for i in walk(c)
                                                    if i.type == "identifier")))
            elif t == "return_statement":
                self.body.append(ir.Return(join(self.expr(c) for c in n.named_children), n.start_byte))
            elif t == "call_expression":
                self.call_statement(n)
        return self.body

    def assign(self, n: Node) -> None:
        names, values = _assign_targets(self.src, n)
        exprs = [self.expr(v) for v in values]
        if len(values) == 1 and len(names) > 1:
            exprs = exprs * len(names)
        op = n.child_by_field_name("operator")
        augment = op is not None and text(self.src, op) == "+="
        pairs = [(name, exprs[i] if i < len(exprs) else ir.Const()) for i, name in enumerate(names) if name != "_"]
        if pairs:
            branch = branch_span(n, FUNCTIONS, BRANCHES, CASES)
            if branch is not None and not set(names) & _mentions(self.src, values, ("identifier",)):
                branch = None  # a re-assignment from something else replaces the value on every path
            self.body.append(ir.Assign(tuple(p[0] for p in pairs), tuple(p[1] for p in pairs), augment,
                                       branch, n.start_byte))

    def call_statement(self, node: Node) -> None:
        src = self.src
        recv, name = callee(src, node)
        args = arguments(node)
        if name in fd.BIND_METHODS or (name in fd.DECODE_METHODS and args):
            if name in fd.BIND_METHODS:
                value: Expr = ir.Source()
            else:
                value = join([self.expr(node.child_by_field_name("function")),
                               self.expr(args[0]) if name == "Unmarshal" else ir.Const()])
            targets = tuple(text(src, a.child_by_field_name("operand")) for a in args
                            if a.type == "unary_expression" and text(src, a).startswith("&"))
            if targets:
                self.body.append(ir.Assign(targets, (value,) * len(targets), augment=True))
            return
        if recv == "exec" and name in ("Command", "CommandContext"):
            argv = args[1:] if name == "CommandContext" else args
            if not argv:
                return
            if text(src, argv[0]).strip('"`') in fd.SHELLS and len(argv) >= 3:
                self.sink("command", join(self.expr(a) for a in argv[2:]), DYNAMIC, False, node)
            else:
                self.sink("command", self.expr(argv[0]), INPUT, False, node)
            return
        if name in ("Fprintf", "Fprint", "Fprintln") and recv == "fmt" and len(args) >= 2:
            if "<" in text(src, args[1]):
                self.sink("xss", join(self.expr(a) for a in args[2:]), INPUT, False, node)
            return
        sunk = False
        for sink in fd.SINKS:
            if not _sink_matches(sink, recv, name) or sink.arg >= len(args):
                continue
            target = args[sink.arg]
            if sink.kind == "sql" and (target.type in ("composite_literal", "unary_expression") or
                                       (sink.arg == 1 and args[0].type != "unary_expression" and name in ("Select", "Get"))):
                continue  # GORM struct/map conditions are bound; sqlx Select/Get take &dest first
            self.sink(sink.kind, self.expr(target), sink.min_level, sink.kind in fd.GUARDABLE_KINDS, node)
            sunk = True
        if not sunk:
            self.evaluate(self.expr(node), node)


def _mentions(src: SourceFile, nodes: list[Node], types: tuple[str, ...]) -> set[str]:
    return {text(src, i) for v in nodes for i in walk(v) if i.type in types}


def _assign_targets(src: SourceFile, node: Node) -> tuple[list[str], list[Node]]:
    if node.type in ("short_var_declaration", "assignment_statement"):
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        names = [text(src, c) for c in left.named_children] if left is not None else []
        values = list(right.named_children) if right is not None else []
        return names, values
    if node.type == "var_spec":
        names = [text(src, c) for c in node.children_by_field_name("name")]
        value = node.child_by_field_name("value")
        return names, list(value.named_children) if value is not None else []
    if node.type == "range_clause":
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        names = [text(src, c) for c in left.named_children] if left is not None else []
        return names, [right] if right is not None else []
    return [], []


def _sink_matches(sink: fd.Sink, recv: str, name: str) -> bool:
    if name not in sink.methods:
        return False
    if sink.receivers is None:
        return True
    return recv in sink.receivers or recv.rsplit(".", 1)[-1] in sink.receivers


def _receiver_type(src: SourceFile, fn: Node) -> str:
    recv = fn.child_by_field_name("receiver")
    if recv is None:
        return ""
    for n in walk(recv):
        if n.type == "type_identifier":
            return text(src, n)
    return ""


def lower_file(src: SourceFile) -> ir.Module:
    """Every function, method and closure of a Go file (half-parsed ones left out)."""
    functions: list[ir.Function] = []
    tree = src.tree
    imports: dict[str, str] = {}
    if tree is not None:
        for spec in find_all("go", tree.root_node, ("import_spec",)):
            path = text(src, spec.child_by_field_name("path")).strip('"`')
            alias = text(src, spec.child_by_field_name("name")) or path.rsplit("/", 1)[-1]
            imports[alias] = path
        for n in find_all("go", tree.root_node, tuple(sorted(FUNCTIONS))):
            body = n.child_by_field_name("body")
            if body is None or n.has_error:  # no findings from half-parsed code
                continue
            lw = _Lowerer(src, n)
            owner = _receiver_type(src, n)
            name = text(src, n.child_by_field_name("name")) if n.type != "func_literal" else ""
            key = f"{owner}.{name}" if owner else (name or f"<func@{n.start_byte}>")
            functions.append(ir.Function(key, name, lw.params, lw.initial, lw.lower(body), n.start_point[0] + 1,
                                         owner, summarise=bool(name)))
    return ir.Module(src.path, "go", functions, {"imports": imports})


def _defines(src_text: str, name: str) -> bool:
    return re.search(rf"\bfunc\s+(?:\([^)]*\)\s*)?{re.escape(name)}\s*[\[(]", src_text) is not None


class GoFrontend:
    """Resolves a Go call: a bare call to a function of the same package (this file first,
    then the other files of its folder); `pkg.Func` to a package imported under go.mod's
    module path; `x.Method` to the one method of that name in this file."""

    language = "go"

    def resolve(self, solver: Solver, module: ir.Module, fn: ir.Function, call: ir.Call) -> tuple[ir.Module, ir.Function] | None:
        if not call.receiver:
            return self._in_package(solver, module, call.name)
        imports = module.facts.get("imports", {})
        if call.receiver in imports:
            index, load = solver.index, solver.load
            if index is None or load is None:
                return None
            folder = index.resolve_go_import(module.path, imports[call.receiver])
            return self._in_folder(solver, folder, call.name, "") if folder is not None else None
        methods = [f for f in module.functions if f.name == call.name and f.owner]
        return (module, methods[0]) if len(methods) == 1 else None

    def _in_package(self, solver: Solver, module: ir.Module, name: str) -> tuple[ir.Module, ir.Function] | None:
        for f in module.functions:
            if f.name == name and not f.owner:
                return module, f
        if solver.index is None:
            return None
        return self._in_folder(solver, module.path.rpartition("/")[0], name, module.path)

    @staticmethod
    def _in_folder(solver: Solver, folder: str, name: str, skip: str) -> tuple[ir.Module, ir.Function] | None:
        index, load = solver.index, solver.load
        if index is None or load is None:
            return None
        for rel in index.folder_files(folder, ".go"):
            if rel == skip or rel.endswith("_test.go"):
                continue
            src = index.source(rel)
            if src is None or not _defines(src.text, name):
                continue
            other = load(rel)
            for f in other.functions if other is not None else ():
                if f.name == name and not f.owner:
                    return other, f
        return None


FRONTEND = GoFrontend()

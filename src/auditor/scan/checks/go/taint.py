"""Intra-procedural taint for Go handlers: request input (gin/echo/net/http/mux) flowing
through `:=`, `=`, `var`, binding into structs, `fmt.Sprintf`, `+` and `strings.Join`
into SQL, shell, HTML, redirects, file paths and outbound requests (`flowdata.py`).

One walk per function body in source order. Strength 2 is request input; 1 is a string
parameter of unknown origin (reported only for SQL, shell and HTML conversions, at low
severity, since a safe version has no dynamic string there at all)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from tree_sitter import Node

from auditor.findings import Severity
from auditor.scan.checks.go import flowdata as fd
from auditor.scan.checks.go.gosyntax import FUNCTIONS, arguments, callee, params
from auditor.scan.interface import Check, Hit, SourceFile
from auditor.scan.treeutil import find_all, text, walk

CLEAN, DYNAMIC, INPUT = 0, 1, 2
LITERALS = frozenset({"interpreted_string_literal", "raw_string_literal", "int_literal", "float_literal",
                      "rune_literal", "true", "false", "nil", "iota", "imaginary_literal", "func_literal",
                      "type_identifier", "field_identifier", "package_identifier", "comment"})
STRINGY = ("string", "[]string", "[]byte", "any", "interface{}")
COMPARISONS = frozenset({"==", "!=", "<", ">", "<=", ">=", "&&", "||"})
PREFILTER = tuple({m for s in fd.SINKS for m in s.methods} | {"exec.Command"})
MESSAGES = {
    "sql": "SQL built from {what}: use placeholders (`?`/`$1`) and pass values as arguments",
    "command": "Shell command built from {what}: run the program directly with separate arguments",
    "xss": "{what} reaches HTML unescaped: render with html/template and never convert input to template.HTML",
    "redirect": "Redirect target comes from {what}: allow only local paths or allow-listed hosts",
    "path": "File path comes from {what}: use filepath.Base, or os.Root / a filepath.Rel check under the base dir",
    "ssrf": "Outbound request URL comes from {what}: check the host against an allow-list first",
}


class Env:
    def __init__(self, fn_params: dict[str, str]) -> None:
        self.vars: dict[str, int] = {n: (DYNAMIC if t in STRINGY else CLEAN) for n, t in fn_params.items()}
        self.requests = {n for n, t in fn_params.items() if t in ("*http.Request",)}
        self.guarded: set[str] = set()


class Evaluator:
    def __init__(self, src: SourceFile, env: Env) -> None:
        self.src = src
        self.env = env

    def level(self, node: Node | None, guarded: bool = False, depth: int = 0) -> int:
        if node is None or depth > 40:
            return CLEAN
        t = node.type
        if t in LITERALS:
            return CLEAN
        if t == "identifier":
            name = text(self.src, node)
            if guarded and name in self.env.guarded:
                return CLEAN
            return self.env.vars.get(name, CLEAN)
        if t == "call_expression":
            return self._call(node, guarded, depth)
        if t == "selector_expression":
            if fd.SOURCE_SELECTOR.search(text(self.src, node)):
                operand = text(self.src, node.child_by_field_name("operand")).split(".")[0]
                if operand in self.env.requests or operand in ("r", "req", "c", "ctx"):
                    return INPUT
            return self.level(node.child_by_field_name("operand"), guarded, depth + 1)
        if t == "binary_expression":
            op = node.child_by_field_name("operator")
            if op is not None and op.type in COMPARISONS:
                return CLEAN
        if t == "type_conversion_expression":
            return self.level(node.child_by_field_name("operand"), guarded, depth + 1)
        if t == "keyed_element":
            kids = node.named_children
            return self.level(kids[-1], guarded, depth + 1) if kids else CLEAN
        return max((self.level(c, guarded, depth + 1) for c in node.named_children), default=CLEAN)

    def _call(self, node: Node, guarded: bool, depth: int) -> int:
        recv, name = callee(self.src, node)
        qualified = f"{recv}.{name}" if recv else name
        if qualified in fd.SANITIZERS or name in ("Atoi", "ParseInt", "ParseUint", "Base", "EscapeString"):
            return CLEAN
        fn_text = text(self.src, node.child_by_field_name("function"))
        if fd.SOURCE_CALL.search(fn_text + "("):
            return INPUT
        fn = node.child_by_field_name("function")
        parts = [self.level(a, guarded, depth + 1) for a in arguments(node)]
        if fn is not None and fn.type == "selector_expression":
            parts.append(self.level(fn.child_by_field_name("operand"), guarded, depth + 1))
        return max(parts, default=CLEAN)


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


def analyze_function(src: SourceFile, fn: Node) -> Iterator[Hit]:
    body = fn.child_by_field_name("body")
    if body is None:
        return
    env = Env(params(src, fn))
    ev = Evaluator(src, env)
    for n in walk(body, FUNCTIONS | {"ERROR"}):
        t = n.type
        if t in ("short_var_declaration", "assignment_statement", "var_spec", "range_clause"):
            names, values = _assign_targets(src, n)
            levels = [ev.level(v) for v in values]
            if len(values) == 1 and len(names) > 1:
                levels = levels * len(names)
            op = n.child_by_field_name("operator")
            for i, name in enumerate(names):
                lvl = levels[i] if i < len(levels) else CLEAN
                if op is not None and text(src, op) == "+=":
                    lvl = max(lvl, env.vars.get(name, CLEAN))
                if name != "_":
                    env.vars[name] = lvl
                    env.guarded.discard(name)
        elif t == "if_statement":
            header = [c for c in (n.child_by_field_name("initializer"), n.child_by_field_name("condition")) if c]
            if any(w in text(src, c) for c in header for w in fd.GUARD_WORDS):
                for c in header:
                    env.guarded.update(text(src, i) for i in walk(c) if i.type == "identifier")
        elif t == "call_expression":
            yield from _call(src, ev, n)


def _call(src: SourceFile, ev: Evaluator, node: Node) -> Iterator[Hit]:
    recv, name = callee(src, node)
    args = arguments(node)
    if name in fd.BIND_METHODS or (name in fd.DECODE_METHODS and args):
        source_level = INPUT if name in fd.BIND_METHODS else max(ev.level(node.child_by_field_name("function")),
                                                                   ev.level(args[0]) if name == "Unmarshal" else CLEAN)
        for a in args:
            if a.type == "unary_expression" and text(src, a).startswith("&"):
                target = text(src, a.child_by_field_name("operand"))
                ev.env.vars[target] = max(source_level, ev.env.vars.get(target, CLEAN))
        return
    if recv == "exec" and name in ("Command", "CommandContext"):
        argv = args[1:] if name == "CommandContext" else args
        if not argv:
            return
        prog = text(src, argv[0]).strip('"`')
        if prog in fd.SHELLS and len(argv) >= 3:
            lvl = max(ev.level(a) for a in argv[2:])
            if lvl >= DYNAMIC:
                yield _hit(node, "command", lvl)
        elif ev.level(argv[0]) >= INPUT:
            yield _hit(node, "command", INPUT)
        return
    if name in ("Fprintf", "Fprint", "Fprintln") and recv == "fmt" and len(args) >= 2:
        fmt_text = text(src, args[1])
        if "<" in fmt_text and max((ev.level(a) for a in args[2:]), default=CLEAN) >= INPUT:
            yield _hit(node, "xss", INPUT)
        return
    for sink in fd.SINKS:
        if not _sink_matches(sink, recv, name):
            continue
        if sink.arg >= len(args):
            continue
        target = args[sink.arg]
        if sink.kind == "sql" and (target.type in ("composite_literal", "unary_expression") or
                                   (sink.arg == 1 and args[0].type != "unary_expression" and name in ("Select", "Get"))):
            continue  # GORM struct/map conditions are bound; sqlx Select/Get take &dest first
        lvl = ev.level(target, guarded=sink.kind in fd.GUARDABLE_KINDS)
        if lvl >= sink.min_level:
            yield _hit(node, sink.kind, lvl)
            return


def _hit(node: Node, kind: str, lvl: int) -> Hit:
    what = "request input" if lvl >= INPUT else "a dynamic value"
    sev = None if lvl >= INPUT else (Severity.MEDIUM if kind == "xss" else Severity.LOW)
    msg = MESSAGES[kind].format(what=what)
    return Hit.at(f"go.taint.{kind}", node, msg[0].upper() + msg[1:], severity=sev)


class GoTaintCheck(Check):
    languages = frozenset({"go"})
    detectors = tuple(f"go.taint.{k}" for k in MESSAGES)

    def run(self, src: SourceFile) -> Iterable[Hit]:
        if not any(p in src.text for p in PREFILTER):
            return []
        tree = src.tree
        if tree is None:
            return []
        hits: list[Hit] = []
        for n in find_all("go", tree.root_node, tuple(sorted(FUNCTIONS))):
            if not n.has_error:  # no findings from half-parsed code
                hits.extend(analyze_function(src, n))
        return hits


CHECKS = [GoTaintCheck()]

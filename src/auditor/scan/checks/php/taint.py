"""Intra-procedural taint for PHP/Laravel: request input ($request->input(), request(),
route parameters of controller actions, superglobals) flowing through assignment,
`.`, interpolation and sprintf into SQL, shell, eval, unserialize, HTML responses,
redirects, file paths and outbound requests (`flowdata.py`).

Strength 2 is request input; 1 is a dynamic value of unknown origin (reported for SQL,
shell, eval and unserialize at low or medium severity)."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator

from tree_sitter import Node

from auditor.findings import Severity
from auditor.scan.checks.php import flowdata as fd
from auditor.scan.checks.php.phpsyntax import (
    FUNCTIONS,
    args,
    call_name,
    enclosing_class,
    is_controller,
    params,
)
from auditor.scan.interface import Check, Hit, SourceFile
from auditor.scan.treeutil import find_all, text, walk

CLEAN, DYNAMIC, INPUT = 0, 1, 2
LITERALS = frozenset({"string", "integer", "float", "boolean", "null", "name", "qualified_name", "class_constant_access_expression",
                      "comment", "string_content", "nowdoc", "anonymous_function", "arrow_function"})
COMPARE = frozenset({"==", "===", "!=", "!==", "<", ">", "<=", ">=", "&&", "||", "and", "or", "instanceof", "<=>"})
CLEAN_CASTS = frozenset({"int", "integer", "float", "double", "bool", "boolean"})
SCALAR_TYPES = frozenset({"int", "float", "bool"})
CALLS = frozenset({"function_call_expression", "scoped_call_expression", "member_call_expression",
                   "nullsafe_member_call_expression", "object_creation_expression"})
PREFILTER = ("DB::", "Raw", "query", "exec", "system", "passthru", "popen", "proc_open", "Process", "`", "eval",
             "assert", "call_user_func", "unserialize", "response", "redirect", "Redirect", "Storage", "file",
             "include", "require", "readfile", "unlink", "Http::", "curl_", "echo", "print", "HtmlString", "->get(",
             "->post(", "->request(", "return")
# A function is analyzed only when its text can contain a sink: most functions cannot,
# and skipping them keeps large files (generated protobuf classes, vendored code) cheap.
SINK_HINT = re.compile(
    rb"DB::|Raw\(|->(?:query|exec|prepare|multi_query|real_query)\(|mysqli_|pg_query|Process::|fromShellCommandline|"
    rb"\b(?:exec|shell_exec|system|passthru|popen|proc_open|pcntl_exec|eval|assert|create_function|call_user_func|"
    rb"call_user_func_array|unserialize|response|redirect|file_get_contents|fopen|readfile|unlink|file_put_contents|"
    rb"file|opendir|scandir|copy|rename|curl_init|curl_setopt)\s*\(|Redirect::|Storage::|->disk\(|\$disk|\$storage|"
    rb"File::|Http::|\$(?:this->)?(?:http|client|guzzle|httpClient)\b|\becho\b|\bprint\b|\binclude|\brequire|`|"
    rb"HtmlString|return\s*[\"'<]|return\s+\$\w+\s*\."
)
MESSAGES = {
    "sql": "SQL built from {what}: use bindings (`DB::select('... where id = ?', [$id])`, `whereRaw('x = ?', [$v])`)",
    "command": "Shell command built from {what}: pass an array to Process::run / proc_open, or escapeshellarg",
    "code": "{what} reaches eval/dynamic calls: map input to an allow-list of callables",
    "deserialize": "unserialize() on {what}: use json_decode, or unserialize($s, ['allowed_classes' => false])",
    "xss": "{what} is written to an HTML response unescaped: return a Blade view with {{ }} or JSON",
    "redirect": "Redirect target comes from {what}: redirect to named routes or check the host against an allow-list",
    "path": "File path comes from {what}: use basename() or look the file up by a record you own",
    "ssrf": "Outbound request URL comes from {what}: check the host against an allow-list first",
}


def _is_request_type(typ: str) -> bool:
    return typ.endswith("Request") and typ not in ("ServerRequest",)


class Env:
    def __init__(self, src: SourceFile, fn: Node) -> None:
        self.vars: dict[str, int] = {}
        self.requests: set[str] = {"$request"}
        controller = is_controller(src, enclosing_class(fn)) if fn.type == "method_declaration" else False
        for name, typ in params(src, fn).items():
            if _is_request_type(typ):
                self.requests.add(name)
                self.vars[name] = CLEAN
            elif typ in SCALAR_TYPES or (typ and typ[0].isupper() and typ not in ("string",)):
                self.vars[name] = CLEAN  # cast scalars and bound models carry no attacker string
            else:
                self.vars[name] = INPUT if controller else DYNAMIC  # controller action route parameter
        self.guarded: set[str] = set()


class Evaluator:
    def __init__(self, src: SourceFile, env: Env) -> None:
        self.src = src
        self.env = env

    def is_request(self, node: Node | None) -> bool:
        if node is None:
            return False
        t = text(self.src, node)
        return t in self.env.requests or t in ("request()", "$this->request", "Request")

    def level(self, node: Node | None, guarded: bool = False, depth: int = 0) -> int:
        if node is None or depth > 40:
            return CLEAN
        t = node.type
        if t in LITERALS:
            return CLEAN
        if t == "variable_name":
            name = text(self.src, node)
            if name in fd.SUPERGLOBALS:
                return INPUT
            if guarded and name in self.env.guarded:
                return CLEAN
            return self.env.vars.get(name, CLEAN if name == "$this" else DYNAMIC)
        if t in CALLS:
            return self._call(node, guarded, depth)
        if t == "member_access_expression":
            obj = node.child_by_field_name("object")
            if self.is_request(obj):
                return INPUT
            return self.level(obj, guarded, depth + 1)
        if t == "binary_expression":
            op = node.child_by_field_name("operator")
            if op is not None and text(self.src, op) in COMPARE:
                return CLEAN
        if t == "cast_expression":
            if text(self.src, node.child_by_field_name("type")).lower() in CLEAN_CASTS:
                return CLEAN
            return self.level(node.child_by_field_name("value"), guarded, depth + 1)
        if t == "conditional_expression":
            cond = text(self.src, node.child_by_field_name("condition"))
            if any(w in cond for w in fd.GUARD_WORDS):
                return CLEAN
            return max(self.level(node.child_by_field_name("body"), guarded, depth + 1),
                       self.level(node.child_by_field_name("alternative"), guarded, depth + 1))
        if t == "subscript_expression":
            kids = node.named_children
            return self.level(kids[0], guarded, depth + 1) if kids else CLEAN
        return max((self.level(c, guarded, depth + 1) for c in node.named_children), default=CLEAN)

    def _call(self, node: Node, guarded: bool, depth: int) -> int:
        kind, recv, name = call_name(self.src, node)
        if kind == "func":
            if name in fd.SANITIZER_FUNCS:
                return CLEAN
            if name == "request":
                return INPUT if args(node) else CLEAN
        elif kind == "static":
            if f"{recv}::{name}" in fd.SANITIZER_STATIC:
                return CLEAN
            if recv in ("Request", "Input") and name in fd.REQUEST_METHODS | {"get"}:
                return INPUT
        elif kind == "method":
            if name in fd.SANITIZER_METHODS:
                return CLEAN
            obj = node.child_by_field_name("object")
            if self.is_request(obj):
                if name in fd.REQUEST_METHODS:
                    return INPUT
                if name in fd.REQUEST_CLEAN:
                    return CLEAN
        parts = [self.level(a, guarded, depth + 1) for a in args(node)]
        obj = node.child_by_field_name("object")
        if obj is not None:
            parts.append(self.level(obj, guarded, depth + 1))
        return max(parts, default=CLEAN)


def _matches(sink: fd.Sink, kind: str, recv: str, name: str) -> bool:
    if sink.call != kind:
        return False
    if kind == "static":
        return f"{recv.lstrip(chr(92))}::{name}" in sink.names or name in sink.names
    if name not in sink.names:
        return False
    return sink.receiver is None or bool(sink.receiver.search(recv))


def _has_hint(hints: list[int], node: Node) -> bool:
    i = bisect_left(hints, node.start_byte)
    return i < len(hints) and hints[i] < node.end_byte


def analyze_function(src: SourceFile, fn: Node, hints: list[int] | None = None) -> Iterator[Hit]:
    """One function body, or the whole file's top level when `fn` is the program.
    `hints` are byte offsets of possible sinks in the file; bodies without one are skipped."""
    body = fn if fn.type == "program" else fn.child_by_field_name("body")
    if body is None or (hints is not None and not _has_hint(hints, body)):
        return
    env = Env(src, fn)
    ev = Evaluator(src, env)
    controller = fn.type == "method_declaration" and is_controller(src, enclosing_class(fn))
    for n in walk(body, FUNCTIONS | {"class_declaration", "ERROR"}):
        t = n.type
        if t in ("assignment_expression", "augmented_assignment_expression"):
            left, right = n.child_by_field_name("left"), n.child_by_field_name("right")
            lvl = ev.level(right)
            names = [text(src, c) for c in left.named_children] if left is not None and left.type == "list_literal" \
                else [text(src, left)]
            for name in names:
                if t == "augmented_assignment_expression":
                    lvl = max(lvl, env.vars.get(name, CLEAN))
                env.vars[name] = lvl
                env.guarded.discard(name)
                if right is not None and ev.is_request(right):
                    env.requests.add(name)
        elif t in ("if_statement", "else_if_clause"):
            cond = n.child_by_field_name("condition")
            if cond is not None and any(w in text(src, cond) for w in fd.GUARD_WORDS):
                env.guarded.update(text(src, v) for v in walk(cond) if v.type == "variable_name")
        elif t == "shell_command_expression":
            lvl = ev.level(n)
            if lvl:
                yield _hit(n, "command", lvl)
        elif t in ("echo_statement", "print_intrinsic"):
            if ev.level(n) >= INPUT:
                yield _hit(n, "xss", INPUT)
        elif t in ("include_expression", "include_once_expression", "require_expression", "require_once_expression"):
            kids = n.named_children
            if kids and ev.level(kids[0], guarded=True) >= INPUT:
                yield _hit(n, "path", INPUT)
        elif t == "return_statement" and controller:
            kids = n.named_children
            if kids and kids[0].type in ("encapsed_string", "binary_expression", "heredoc") and ev.level(kids[0]) >= INPUT:
                yield _hit(n, "xss", INPUT)
        elif t == "object_creation_expression" and "HtmlString" in text(src, n.named_children[0] if n.named_children else None):
            a = args(n)
            if a and ev.level(a[0]) >= DYNAMIC:
                yield _hit(n, "xss", ev.level(a[0]))
        elif t in CALLS:
            yield from _sinks(src, ev, n)


def _sinks(src: SourceFile, ev: Evaluator, node: Node) -> Iterator[Hit]:
    kind, recv, name = call_name(src, node)
    if not kind:
        return
    a = args(node)
    for sink in fd.SINKS:
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
        lvl = ev.level(target, guarded=sink.kind in fd.GUARDABLE_KINDS)
        if lvl >= sink.min_level:
            yield _hit(node, kind_out, lvl)
            return


def _hit(node: Node, kind: str, lvl: int) -> Hit:
    what = "request input" if lvl >= INPUT else "a dynamic value"
    sev = None if lvl >= INPUT else (Severity.MEDIUM if kind in ("xss", "deserialize") else Severity.LOW)
    msg = MESSAGES[kind].format(what=what)
    return Hit.at(f"php.taint.{kind}", node, msg[0].upper() + msg[1:], severity=sev)


class PhpTaintCheck(Check):
    languages = frozenset({"php"})
    detectors = tuple(f"php.taint.{k}" for k in MESSAGES)

    def run(self, src: SourceFile) -> Iterable[Hit]:
        if src.path.endswith(".blade.php") or not any(p in src.text for p in PREFILTER):
            return []
        tree = src.tree
        if tree is None:
            return []
        hints = [m.start() for m in SINK_HINT.finditer(src.data)]
        if not hints:
            return []
        hits: list[Hit] = list(analyze_function(src, tree.root_node, hints))
        for n in find_all("php", tree.root_node, tuple(sorted(FUNCTIONS))):
            if not n.has_error:  # no findings from half-parsed code
                hits.extend(analyze_function(src, n, hints))
        return hits


CHECKS = [PhpTaintCheck()]

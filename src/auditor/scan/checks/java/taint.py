"""Intra-procedural taint tracking for Java / Spring handlers, driven by `taint_spec`.

One pass over each method body, in source order: request-bound parameters and request
accessor calls are sources; assignments, string building (+, format, formatted,
StringBuilder.append, String.join), collection adds and getters on tainted objects
propagate; sanitizers (escaping, numeric parsing, basename) and guards (an `if` on an
allow-list / startsWith / matches test that throws or returns) clear taint; sinks fire
when a tainted value reaches the argument they care about.

Besides taint, each variable remembers the leading string literal of its value (its
"prefix"): `"redirect:/orders/" + id` is a local redirect, `"https://api.example.com/" + p`
keeps the host fixed, and HTML-looking literals mark an HTML response body.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from tree_sitter import Node

from auditor.findings import Severity
from auditor.scan.checks.java import taint_spec as spec
from auditor.scan.checks.java.model import (
    JavaFile,
    MethodInfo,
    call_args,
    java_file,
    string_value,
)
from auditor.scan.interface import Check, Hit, SourceFile

_HTML = re.compile(r"<\s*[a-zA-Z!/]")
_CONSTANT = re.compile(r"^[A-Z][A-Z0-9_]+$")
_TYPE_NAME = re.compile(r"^[A-Z]\w*$")
_SHELLS = frozenset({"sh", "bash", "/bin/sh", "/bin/bash", "zsh", "cmd", "cmd.exe", "powershell", "pwsh"})
_CUSTOM_SANITIZER = re.compile(r"(?i)saniti[sz]|escape|encode|safe|clean|allow|whitelist|quote")
_BOOLEAN_NAME = re.compile(r"^(?:is|has|can|should)[A-Z]")
_VALIDATING_NAME = re.compile(r"(?i)valid|allow|safe|trust|local(?!e)|permit|whitelist")
_SIMPLE_CONTEXT = re.compile(r"(\w+)\s*=\s*SimpleEvaluationContext\b")
_FIXED_HOST = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://[^/?#\s{}]+[/?#]")
_NUMERIC_CASTS = frozenset({"int", "long", "short", "byte", "double", "float", "boolean", "char"})
_EXITS = frozenset({"throw_statement", "return_statement", "continue_statement", "break_statement"})


# Sinks reported for plain String parameters of non-handler methods, and at what severity.
_PARAM_SEVERITY: dict[str, Severity] = {
    "java.taint.sql": Severity.MEDIUM, "java.taint.nosql": Severity.MEDIUM, "java.taint.command": Severity.MEDIUM,
    "java.taint.code": Severity.MEDIUM, "java.taint.path": Severity.LOW, "java.taint.ssrf": Severity.LOW,
}
_PARAM_SINK_HINTS: tuple[str, ...] = (
    "query", "Query", "execute", "update", "exec", "ProcessBuilder", "parseExpression", "eval", "Files.", "File(",
    "BasicQuery", "Document.parse", "getForObject", "exchange", "uri(", "openConnection", "batchUpdate", "sql(",
    "Resource(", "Paths.get", "Path.of",
)


def _exits(node: Node | None) -> bool:
    """True when a branch always leaves the current flow (throw / return ...)."""
    if node is None:
        return False
    if node.type in _EXITS:
        return True
    if node.type == "block":
        stmts = [c for c in node.named_children if c.type not in ("comment", "line_comment", "block_comment")]
        return bool(stmts) and _exits(stmts[-1])
    if node.type == "expression_statement":
        return False
    return False


class MethodFlow:
    """Taint state of one method while its body is walked in source order."""

    def __init__(self, jf: JavaFile, method: MethodInfo, hits: list[Hit]) -> None:
        self.jf = jf
        self.method = method
        self.hits = hits
        self.tainted: set[str] = set()
        self.prefix: dict[str, str] = {}  # variable -> leading literal of its value
        self.html: set[str] = set()  # variables whose value holds HTML markup
        self.requests: set[str] = set()  # variables holding the request object
        self.writers: set[str] = set()  # PrintWriter / OutputStream of the response
        # boolean locals holding a validation result -> the variables they validated:
        # `boolean local = url.startsWith("/") && !url.startsWith("//")` makes a later
        # `local ? url : "/"` or `if (!local) return ...` a guard on `url`.
        self.checks: dict[str, set[str]] = {}
        # Calls to plain methods (not static helpers) with request data in some argument:
        # (method name, argument count, tainted positions), resolved against methods of the
        # same file after the pass so a handler -> service -> sink chain keeps its severity.
        self.out_calls: list[tuple[str, int, frozenset[int]]] = []
        # The same calls made on an object (`userService.find(q)`), with the call node, for
        # following them into the class of another project file.
        self.out_sites: list[tuple[Node, str, str, int, frozenset[int]]] = []
        self.body_text = jf.text(method.body)
        for p in method.params:
            base = p.base_type
            if base in spec.REQUEST_TYPES:
                self.requests.add(p.name)
                continue
            if spec.VALIDATING_ANNOTATIONS.intersection(p.annotations) or base in spec.SAFE_PARAM_TYPES:
                continue
            bound = spec.SOURCE_ANNOTATIONS.intersection(p.annotations)
            implicit = method.is_handler and not p.annotations and base not in spec.FRAMEWORK_PARAM_TYPES
            if bound or implicit or base in ("MultipartFile", "Part", "FilePart"):
                self.tainted.add(p.name)

    # -- evaluation ----------------------------------------------------------------------
    def _is_request(self, node: Node | None) -> bool:
        if node is None or node.type != "identifier":
            return False
        name = self.jf.text(node)
        return name in self.requests or bool(spec.REQUEST_NAMES.match(name))

    def is_source(self, call: Node) -> bool:
        name = self.jf.text(call.child_by_field_name("name"))
        return name in spec.REQUEST_SOURCE_METHODS and self._is_request(call.child_by_field_name("object"))

    def tainted_expr(self, node: Node | None) -> bool:
        """Does the value of expression `node` carry request data?"""
        if node is None:
            return False
        t = node.type
        if t == "identifier":
            return self.jf.text(node) in self.tainted
        if t in ("string_literal", "decimal_integer_literal", "null_literal", "true", "false", "class_literal",
                 "lambda_expression", "method_reference", "instanceof_expression", "character_literal",
                 "hex_integer_literal", "decimal_floating_point_literal", "this", "field_access_constant"):
            return False
        if t == "binary_expression":
            op = node.child_by_field_name("operator")
            if op is not None and self.jf.text(op) != "+":
                return False
            return self.tainted_expr(node.child_by_field_name("left")) or self.tainted_expr(node.child_by_field_name("right"))
        if t == "parenthesized_expression":
            return any(self.tainted_expr(c) for c in node.named_children)
        if t == "cast_expression":
            if self.jf.text(node.child_by_field_name("type")) in _NUMERIC_CASTS:
                return False
            return self.tainted_expr(node.child_by_field_name("value"))
        if t == "ternary_expression":
            # A validating condition clears the values it tested, not whatever else a branch
            # holds: `local(a) ? a : "/"` is clean, `local(a) ? a : b` still carries b.
            cond = node.child_by_field_name("condition")
            validates = self._validates(cond)
            checked = self._names_in(cond) if cond is not None and validates else set()
            if validates and not checked:
                return False  # the tested value is an expression (a request getter): trust the test
            self.tainted -= checked
            try:
                return self.tainted_expr(node.child_by_field_name("consequence")) or self.tainted_expr(
                    node.child_by_field_name("alternative"))
            finally:
                self.tainted |= checked
        if t == "method_invocation":
            return self._call_tainted(node)
        if t == "object_creation_expression":
            return any(self.tainted_expr(a) for a in call_args(node))
        if t == "field_access":
            return self.tainted_expr(node.child_by_field_name("object"))
        if t == "array_access":
            return self.tainted_expr(node.child_by_field_name("array"))
        if t in ("array_creation_expression", "array_initializer"):
            return any(self.tainted_expr(c) for c in node.named_children)
        if t == "switch_expression":
            body = node.child_by_field_name("body")
            return body is not None and any(
                self.tainted_expr(e.named_children[0] if e.type == "expression_statement" and e.named_children else e)
                for rule in body.named_children if rule.type == "switch_rule"
                for e in rule.named_children if e.type != "switch_label")
        if t == "template_expression":
            return any(self.tainted_expr(c) for c in node.named_children)
        if t == "assignment_expression":
            return self.tainted_expr(node.child_by_field_name("right"))
        return False

    def _call_tainted(self, call: Node) -> bool:
        name = self.jf.text(call.child_by_field_name("name"))
        recv = call.child_by_field_name("object")
        recv_text = self.jf.text(recv)
        if self.is_source(call):
            return True
        short = recv_text.rsplit(".", 1)[-1]
        if name in spec.SANITIZER_METHODS or f"{short}.{name}" in spec.SANITIZER_CALLS:
            return False
        if name == "valueOf" and recv_text.endswith(("Direction", "Status", "Role", "Type", "Kind")):
            return False  # enum lookups reject anything outside the enum
        args = call_args(call)
        if recv is None or recv.type == "this":
            if _BOOLEAN_NAME.match(name) or _CUSTOM_SANITIZER.search(name):
                return False
            return any(self.tainted_expr(a) for a in args)
        if _CUSTOM_SANITIZER.search(name) and name not in ("encodeToString",):
            return False
        if recv.type == "identifier" and _CONSTANT.match(recv_text) and name in ("get", "getOrDefault", "valueOf"):
            return False  # lookups in constant tables: ALLOWED.get(key) yields a fixed value
        if self.tainted_expr(recv):
            return not _BOOLEAN_NAME.match(name)
        if recv.type in ("identifier", "scoped_identifier", "field_access") and _TYPE_NAME.match(short):
            return any(self.tainted_expr(a) for a in args)  # static helpers: String.format, Paths.get
        if name in spec.ARG_PROPAGATORS and not spec.OPAQUE_RECEIVER.search(short):
            return any(self.tainted_expr(a) for a in args)
        return False

    def prefix_of(self, node: Node | None) -> str | None:
        """The leading string literal of an expression's value, when known."""
        if node is None:
            return None
        t = node.type
        if t == "string_literal":
            return string_value(node)
        if t == "identifier":
            return self.prefix.get(self.jf.text(node))
        if t == "binary_expression":
            left = self.prefix_of(node.child_by_field_name("left"))
            if left is not None and node.child_by_field_name("left").type == "string_literal":  # type: ignore[union-attr]
                right = node.child_by_field_name("right")
                if right is not None and right.type == "string_literal":
                    return left + (string_value(right) or "")
            return left
        if t == "parenthesized_expression" and node.named_children:
            return self.prefix_of(node.named_children[0])
        if t == "method_invocation":
            name = self.jf.text(node.child_by_field_name("name"))
            args = call_args(node)
            recv = node.child_by_field_name("object")
            if name == "format" and args:
                return self.prefix_of(args[0])
            if name in ("formatted", "toString", "concat", "append", "trim", "build", "toUriString", "encode"):
                return self.prefix_of(recv)
            if name in ("fromHttpUrl", "fromUriString", "create", "fromPath", "newBuilder", "uri") and args:
                return self.prefix_of(args[0])
        if t == "object_creation_expression":
            args = call_args(node)
            if args:
                return self.prefix_of(args[0])
        return None

    def has_html(self, node: Node | None) -> bool:
        if node is None:
            return False
        if node.type == "identifier":
            return self.jf.text(node) in self.html
        if node.type == "string_literal":
            return bool(_HTML.search(string_value(node) or ""))
        return any(self.has_html(c) for c in node.named_children)

    def _validates(self, cond: Node | None) -> bool:
        """Does a condition test a value against an allow-list / pattern / prefix?"""
        if cond is None:
            return False
        for n in _iter(cond):
            if n.type == "identifier" and self.jf.text(n) in self.checks:
                return True
            if n.type == "method_invocation":
                # In a condition every call yields a boolean, so a name that says it
                # validates (isLocalUrl, safeRedirect, allowedHost) is a check.
                name = self.jf.text(n.child_by_field_name("name"))
                if self._open_test(n, name):
                    continue
                if name in spec.GUARD_METHODS or _VALIDATING_NAME.search(name):
                    return True
            if n.type == "binary_expression":
                op = n.child_by_field_name("operator")
                if op is not None and self.jf.text(op) in ("==", "!="):
                    if any(c.type == "string_literal" for c in n.named_children):
                        return True
        return False

    def _open_test(self, call: Node, name: str) -> bool:
        """A substring or prefix test of the tainted value itself that does not allow-list:
        `url.contains("example.com")`, `url.indexOf(...)`, `host.endsWith("example.com")`
        (evilexample.com), `url.startsWith("https://example.com")` (example.com.evil.net).
        Also a URL *syntax* check (commons-validator `UrlValidator.isValid`): internal hosts
        (169.254.169.254, 10.0.0.5, and localhost with ALLOW_LOCAL_URLS) are valid URLs."""
        if name == "isValid":
            obj = call.child_by_field_name("object")
            return obj is not None and bool(re.search(r"(?i)url_?validator", self.jf.text(obj)))
        if name not in ("contains", "indexOf", "endsWith", "startsWith"):
            return False
        obj = call.child_by_field_name("object")
        args = call_args(call)
        lit = string_value(args[0]) if args and args[0].type == "string_literal" else None
        if obj is None or obj.type != "identifier" or self.jf.text(obj) not in self.tainted or lit is None:
            return False
        if name in ("contains", "indexOf"):
            return lit not in ("..", "../", "..\\", "/", "\\", "%2e", "\u0000")
        if name == "endsWith":
            return not lit.startswith(".")
        return bool(spec.OPEN_ORIGIN.match(lit)) or lit == "/"

    def _names_in(self, node: Node) -> set[str]:
        """Tainted variables a condition looks at, directly or through a check flag."""
        names = {self.jf.text(n) for n in _iter(node) if n.type == "identifier"}
        for flag in names & self.checks.keys():
            names |= self.checks[flag]
        return names & self.tainted

    # -- statements --------------------------------------------------------------------
    def assign(self, name: str, value: Node | None, append: bool = False) -> None:
        tainted = self.tainted_expr(value)
        pre = self.prefix_of(value)
        html = self.has_html(value)
        if append:
            if tainted:
                self.tainted.add(name)
            if html:
                self.html.add(name)
            if name not in self.prefix and pre is not None:
                self.prefix[name] = pre
            return
        (self.tainted.add if tainted else self.tainted.discard)(name)
        (self.html.add if html else self.html.discard)(name)
        self.checks.pop(name, None)
        if value is not None and not tainted and value.type in ("binary_expression", "method_invocation",
                                                                "unary_expression", "parenthesized_expression"):
            validated = self._names_in(value)
            if validated and self._validates(value):
                self.checks[name] = validated
        if pre is None:
            self.prefix.pop(name, None)
        else:
            self.prefix[name] = pre
        if value is not None and value.type == "method_invocation":
            vname = self.jf.text(value.child_by_field_name("name"))
            if vname in ("getWriter", "getOutputStream"):
                self.writers.add(name)

    def visit(self, node: Node) -> None:
        t = node.type
        if t in ("class_body", "ERROR"):
            return  # nested classes are analysed as methods of their own
        if t == "local_variable_declaration":
            for decl in node.named_children:
                if decl.type == "variable_declarator":
                    value = decl.child_by_field_name("value")
                    if value is not None:
                        self.visit(value)
                    name = self.jf.text(decl.child_by_field_name("name"))
                    self.assign(name, value)
            return
        if t == "assignment_expression":
            right = node.child_by_field_name("right")
            if right is not None:
                self.visit(right)
            left = node.child_by_field_name("left")
            op = self.jf.text(node.child_by_field_name("operator"))
            if left is not None and left.type == "identifier":
                self.assign(self.jf.text(left), right, append=op == "+=")
            return
        if t == "enhanced_for_statement":
            value = node.child_by_field_name("value")
            if value is not None:
                self.visit(value)
                if self.tainted_expr(value):
                    self.tainted.add(self.jf.text(node.child_by_field_name("name")))
            body = node.child_by_field_name("body")
            if body is not None:
                self.visit(body)
            return
        if t == "if_statement":
            self._visit_if(node)
            return
        if t == "expression_statement" and node.named_children:
            expr = node.named_children[0]
            if expr.type == "method_invocation" and self.jf.text(expr.child_by_field_name("name")) in spec.ASSERT_METHODS:
                if self._validates(expr):
                    self.tainted -= self._names_in(expr)
                    return
        for child in node.named_children:
            self.visit(child)
        if t == "method_invocation":
            self.check_call(node)
        elif t == "object_creation_expression":
            self.check_new(node)
        elif t == "return_statement" and node.named_children:
            self.check_return(node.named_children[0])

    def _visit_if(self, node: Node) -> None:
        cond = node.child_by_field_name("condition")
        cons = node.child_by_field_name("consequence")
        alt = node.child_by_field_name("alternative")
        if cond is not None:
            self.visit(cond)
        guarded = self._names_in(cond) if cond is not None and self._validates(cond) else set()
        negated = cond is not None and "!" in self.jf.text(cond) or "== false" in self.jf.text(cond)
        if cons is not None:
            if guarded and not negated:
                saved = set(self.tainted)
                self.tainted -= guarded
                self.visit(cons)
                self.tainted |= saved & guarded
            else:
                self.visit(cons)
        if alt is not None:
            if guarded and negated:
                saved = set(self.tainted)
                self.tainted -= guarded
                self.visit(alt)
                self.tainted |= saved & guarded
            else:
                self.visit(alt)
        if guarded and _exits(cons):
            self.tainted -= guarded

    # -- sinks -------------------------------------------------------------------------
    def _hit(self, detector: str, node: Node, message: str, severity: Severity | None = None) -> None:
        self.hits.append(Hit.at(detector, node, message, severity=severity))

    def check_call(self, call: Node) -> None:
        name = self.jf.text(call.child_by_field_name("name"))
        recv = call.child_by_field_name("object")
        recv_text = re.sub(r"\s+", "", self.jf.text(recv))
        args = call_args(call)
        for sink in spec.METHOD_SINKS.get(name, ()):
            if sink.receiver is not None and not sink.receiver.search(recv_text):
                continue
            if sink.receiver_tainted:
                if self.tainted_expr(recv):
                    self._report(sink.detector, call, sink.message, recv)
                continue
            picked = args if sink.args is None else [args[i] for i in sink.args if i < len(args)]
            bad = next((a for a in picked if self.tainted_expr(a)), None)
            if bad is not None:
                self._report(sink.detector, call, sink.message, bad, args)
        if args and (recv is None or recv.type in ("identifier", "field_access", "this")) and \
                not _TYPE_NAME.match(recv_text.rsplit(".", 1)[-1] or "x"):
            tainted_at = frozenset(i for i, a in enumerate(args) if self.tainted_expr(a))
            if tainted_at:
                self.out_calls.append((name, len(args), tainted_at))
                if recv is not None:
                    self.out_sites.append((call, recv_text, name, len(args), tainted_at))
        # HTML written straight to the servlet response.
        if name in ("write", "print", "println", "printf", "append", "format") and args and (
                "getWriter()" in recv_text or "getOutputStream()" in recv_text or recv_text in self.writers):
            if any(self.tainted_expr(a) for a in args) and not re.search(
                    r'setContentType\(\s*"(?:application/json|text/plain)', self.body_text):
                self._hit("java.taint.xss", call, spec.XSS_MSG)
        if name in ("load", "loadAll", "loadAs") and args and spec.YAML_RECEIVER.search(recv_text) \
                and self.tainted_expr(args[0]) and not _safe_snakeyaml(self.jf):
            self._report("java.taint.deserialization", call, spec.YAML_MSG, args[0], args)
        if name == "body" and args and re.search(r"TEXT_HTML|text/html", recv_text) and self.tainted_expr(args[0]):
            self._hit("java.taint.xss", call, spec.XSS_MSG)
        if name == "setHeader" and len(args) == 2 and string_value(args[0]) in ("Location", "location") \
                and self.tainted_expr(args[1]) and not self._local_target(args[1]):
            self._hit("java.taint.redirect", call, spec.REDIRECT_MSG)
        # Mutating calls taint their receiver: sb.append(x), cmd.add(x), list.addAll(xs), and
        # through fluent chains (`sb.append("<p>").append(x)` stores x into sb as well).
        root = _chain_root(self.jf, recv) if name in spec.MUTATORS else None
        if root is not None:
            rname = self.jf.text(root)
            if any(self.tainted_expr(a) for a in args):
                self.tainted.add(rname)
            if any(self.has_html(a) for a in args):
                self.html.add(rname)

    def check_new(self, node: Node) -> None:
        typ = self.jf.text(node.child_by_field_name("type")).split("<", 1)[0].rsplit(".", 1)[-1]
        args = call_args(node)
        for sink in spec.NEW_SINKS.get(typ, ()):
            picked = args if sink.args is None else [args[i] for i in sink.args if i < len(args)]
            bad = next((a for a in picked if self.tainted_expr(a)), None)
            if bad is not None:
                if sink.detector == "java.taint.deserialization" and re.search(
                        r"setObjectInputFilter|ValidatingObjectInputStream|\.accept\(", self.body_text):
                    continue
                self._report(sink.detector, node, sink.message, bad, args)
        if typ == "ModelAndView" and args and self.tainted_expr(args[0]) and self.method.is_handler:
            self._view_or_redirect(node, args[0])

    def check_return(self, expr: Node) -> None:
        m = self.method
        if not (m.is_handler or (m.cls is not None and m.cls.is_controller)) or not self.tainted_expr(expr):
            return
        pre = self.prefix_of(expr) or ""
        if pre.startswith("redirect:"):
            self._view_or_redirect(expr, expr)
            return
        if m.returns_body:
            # Any annotation may declare the type (@GetMapping(produces = MediaType.TEXT_HTML_VALUE)
            # after @ResponseBody), so read them all, constants included, not only the first.
            produces = " ".join(self.jf.text(a) for a in m.annotations.values())
            if self.has_html(expr) or re.search(r"TEXT_HTML|text/html", produces):
                self._hit("java.taint.xss", expr, spec.XSS_MSG)
            return
        if m.is_handler and pre.startswith("forward:"):
            return
        rtype = self.jf.text(m.node.child_by_field_name("type"))
        if m.is_handler and rtype == "String" and m.cls is not None and m.cls.is_controller:
            self._hit("java.taint.view-name", expr,
                      "view name built from request data (template expression injection): return fixed view names")

    def _local_target(self, node: Node) -> bool:
        pre = (self.prefix_of(node) or "").removeprefix("redirect:")
        if len(pre) >= 2 and pre.startswith("/") and pre[1] not in "/\\":
            return True
        return bool(_FIXED_HOST.match(pre))

    def _restricted_spel(self) -> bool:
        """Every evaluation in this method runs in a SimpleEvaluationContext, Spring's own
        mitigation for untrusted SpEL (T(...), constructors and bean references fail)."""
        text = self.jf.src.text
        if "SimpleEvaluationContext" not in text or "StandardEvaluationContext" in self.body_text:
            return False
        contexts = set(_SIMPLE_CONTEXT.findall(text))
        evals = [c for c in self.jf.calls_in(self.method.body)  # type: ignore[arg-type]
                 if self.jf.text(c.child_by_field_name("name")) in ("getValue", "setValue")]
        # getValue() with no context (or a root object only) falls back to a standard context.
        return bool(evals) and all(
            (a := call_args(c)) and (self.jf.text(a[0]) in contexts or "SimpleEvaluationContext" in self.jf.text(a[0]))
            for c in evals)

    def _view_or_redirect(self, node: Node, value: Node) -> None:
        pre = self.prefix_of(value) or ""
        if pre.startswith("redirect:"):
            if not self._local_target(value):
                self._hit("java.taint.redirect", node, spec.REDIRECT_MSG)
        elif not pre.startswith("forward:"):
            self._hit("java.taint.view-name", node,
                      "view name built from request data (template expression injection): return fixed view names")

    def _report(self, detector: str, node: Node, message: str, value: Node | None,
                args: list[Node] | None = None) -> None:
        severity: Severity | None = None
        if detector == "java.taint.redirect" and value is not None and self._local_target(value):
            return
        if detector == "java.taint.ssrf" and value is not None and _FIXED_HOST.match(self.prefix_of(value) or ""):
            severity = Severity.LOW  # host fixed by the code; only the path/query is chosen
            message = "request data in the path of an outbound URL with a fixed host: encode it and allow-list values"
        if detector == "java.taint.code" and self._restricted_spel():
            severity = Severity.LOW
            message = ("request data parsed as SpEL, evaluated in a SimpleEvaluationContext (no types, constructors "
                       "or beans): still prefer a fixed set of operations")
        if detector == "java.taint.command" and args is not None and _argv_without_shell(self, args):
            severity = Severity.LOW
            message = "request data passed as an argument to a fixed program (argument injection): validate it"
        self._hit(detector, node, message, severity)


def _iter(node: Node) -> Iterable[Node]:
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(n.named_children)


def _chain_root(jf: JavaFile, recv: Node | None) -> Node | None:
    """The variable a mutator call writes into: `sb` for `sb.append(a)` and for
    `sb.append(a).append(b)`, since builder methods return the builder itself."""
    while recv is not None and recv.type == "method_invocation" and \
            jf.text(recv.child_by_field_name("name")) in spec.FLUENT_MUTATORS:
        recv = recv.child_by_field_name("object")
    return recv if recv is not None and recv.type == "identifier" else None


def _argv_without_shell(flow: MethodFlow, args: list[Node]) -> bool:
    """exec/ProcessBuilder given an argv whose program is a literal that is not a shell and
    whose first element is untainted: no shell parses the input."""
    items = args
    if len(args) == 1:
        a = args[0]
        if a.type in ("array_creation_expression",):
            init = next((c for c in a.named_children if c.type == "array_initializer"), None)
            items = init.named_children if init is not None else []
        elif a.type == "array_initializer":
            items = a.named_children
        elif a.type == "method_invocation" and flow.jf.text(a.child_by_field_name("name")) in ("of", "asList"):
            items = call_args(a)
        else:
            return False
    if len(items) < 2:
        return False
    program = string_value(items[0])
    return program is not None and program.rsplit("/", 1)[-1] not in _SHELLS and not flow.tainted_expr(items[0])


class JavaTaintCheck(Check):
    """Request data flowing into SQL, shell, files, URLs, redirects, HTML, views, deserializers."""

    languages = frozenset({"java"})
    detectors = ("java.taint.sql", "java.taint.nosql", "java.taint.command", "java.taint.code",
                 "java.taint.path", "java.taint.ssrf", "java.taint.redirect", "java.taint.xss",
                 "java.taint.deserialization", "java.taint.view-name", "java.taint.xpath", "java.taint.ldap",
                 "java.taint.trust-boundary", "java.taint.jndi")

    def run(self, src: SourceFile) -> Iterable[Hit]:
        if not any(h in src.text for h in spec.SOURCE_HINTS) and not any(h in src.text for h in _PARAM_SINK_HINTS):
            return []
        jf = java_file(src)
        if jf is None:
            return []
        hits: list[Hit] = []
        helpers: dict[tuple[str, int], list[MethodInfo]] = {}
        out_calls: set[tuple[str, int, frozenset[int]]] = set()
        out_sites: list[tuple[Node, str, str, int, frozenset[int]]] = []
        for method in jf.methods:
            if method.body is None:
                continue
            flow = MethodFlow(jf, method, hits)
            if not flow.tainted and not flow.requests and not any(
                    h in flow.body_text for h in ("getParameter", "getHeader", "getQueryString", "getCookies",
                                                  "getInputStream", "getReader", "queryParam", "pathVariable")):
                if self._parameter_flow(jf, method, hits):
                    helpers.setdefault((method.name, len(method.params)), []).append(method)
                continue
            flow.visit(method.body)
            out_calls.update(flow.out_calls)
            out_sites.extend(flow.out_sites)
        if helpers and out_calls:
            self._called_with_request_data(jf, helpers, out_calls, hits)
        if src.index is not None and out_sites:
            _follow_into_other_files(jf, out_sites, hits)
        return hits

    @staticmethod
    def _called_with_request_data(jf: JavaFile, helpers: dict[tuple[str, int], list[MethodInfo]],
                                  out_calls: set[tuple[str, int, frozenset[int]]], hits: list[Hit]) -> None:
        """A helper of this file that a handler calls with request data: re-run its flow with
        just those parameters tainted, and report what reaches a sink at the rule's own
        severity in place of the reduced parameter-only finding (one level deep, by name and
        arity, which is how controllers call their services in one file)."""
        for name, arity, positions in out_calls:
            for method in helpers.get((name, arity), ()):
                local: list[Hit] = []
                flow = MethodFlow(jf, method, local)
                flow.tainted.update(method.params[i].name for i in positions
                                    if method.params[i].base_type not in spec.SAFE_PARAM_TYPES)
                if not flow.tainted:
                    continue
                flow.visit(method.body)  # type: ignore[arg-type]
                for h in local:
                    hits[:] = [o for o in hits if (o.detector, o.line, o.column) != (h.detector, h.line, h.column)]
                    hits.append(Hit(h.detector, h.line, h.column, h.end_line,
                                    h.message + " (request data passed in by a handler)", severity=h.severity))

    @staticmethod
    def _parameter_flow(jf: JavaFile, method: MethodInfo, hits: list[Hit]) -> bool:
        """Outside handlers (DAOs, services, helpers) the request is out of sight: treat the
        method's String parameters as possibly request-borne and report what reaches a sink
        at reduced severity, since the caller may pass trusted values. Returns whether any
        sink was reached (the method is then worth re-checking for handler callers)."""
        params = [p.name for p in method.params if p.base_type in ("String", "CharSequence")]
        if not params or not any(s in jf.text(method.body) for s in _PARAM_SINK_HINTS):
            return False
        local: list[Hit] = []
        flow = MethodFlow(jf, method, local)
        flow.tainted.update(params)
        flow.visit(method.body)  # type: ignore[arg-type]
        for h in local:
            severity = _PARAM_SEVERITY.get(h.detector)
            if severity is not None:
                hits.append(Hit(h.detector, h.line, h.column, h.end_line,
                                h.message + " (value is a method parameter; bind or validate it)",
                                severity=min(severity, h.severity or severity)))
        return bool(local)


def _follow_into_other_files(jf: JavaFile, sites: list[tuple[Node, str, str, int, frozenset[int]]],
                             hits: list[Hit]) -> None:
    """`userService.find(q)` with request data, where `userService` is declared (field,
    parameter or local) as a type of another project file (an interface is followed to its
    `...Impl` class): run that method with the tainted parameters and report what reaches a
    sink at the call, with the step into the other file."""
    index = jf.src.index
    local = {(m.name, len(m.params)) for m in jf.methods}
    for call, recv_text, name, arity, positions in sites:
        if (name, arity) in local or not re.fullmatch(r"(?:this\.)?\w+", recv_text):
            continue
        var = recv_text.removeprefix("this.")
        m = re.search(rf"\b([A-Z]\w*)(?:<[^<>]*>)?\s+{re.escape(var)}\s*[;=,)]", jf.src.text)
        if m is None:
            continue
        for rel in _implementations(index, jf, m.group(1)):
            other = index.memo("java", rel, java_file)
            if other is None or not index.enter(rel):
                continue
            try:
                found = _run_with_tainted(other, name, arity, positions)
            finally:
                index.leave()
            step = (jf.src.path, call.start_point[0] + 1, f"request data passed to {name}() in {rel}")
            for h in found:
                hits.append(Hit.at(h.detector, call, f"{h.message} (inside {name}() in {rel})", severity=h.severity,
                                   trace=(step, (rel, h.line, h.message))))
            if found:
                break


def _implementations(index: object, jf: JavaFile, type_name: str) -> list[str]:
    rel = index.resolve_java_type(jf.src.path, type_name, jf.imports)  # type: ignore[attr-defined]
    if rel is None:
        return []
    impl = [r for r in index.java_files() if r.endswith(f"/{type_name}Impl.java")]  # type: ignore[attr-defined]
    return [rel, *impl]


def _run_with_tainted(other: JavaFile, name: str, arity: int, positions: frozenset[int]) -> list[Hit]:
    out: list[Hit] = []
    for method in other.methods:
        if method.name != name or len(method.params) != arity or method.body is None:
            continue
        flow = MethodFlow(other, method, out)
        flow.tainted.update(method.params[i].name for i in positions
                            if method.params[i].base_type not in spec.SAFE_PARAM_TYPES)
        if flow.tainted:
            flow.visit(method.body)
    return out


CHECKS = [JavaTaintCheck()]


def _safe_snakeyaml(jf: JavaFile) -> bool:
    """SafeConstructor in the file, or a SnakeYAML 2.x dependency pinned in the project."""
    if "SafeConstructor" in jf.src.text:
        return True
    project = jf.src.project
    for dep in project.dependencies if project is not None else ():
        if dep.name.endswith("snakeyaml") and (v := dep.version or dep.spec or "").strip("[( ")[:1].isdigit():
            return int(re.match(r"\d+", v.strip("[( ")).group()) >= 2  # type: ignore[union-attr]
    return False

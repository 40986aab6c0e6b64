"""Intra-procedural taint for Ruby: request input (params, cookies, request.*) flowing
through assignments and string building into SQL, shell, eval, HTML, redirects, file
paths, outbound requests and deserializers (tables in `flowdata.py`).

One walk per method body, in source order: assignments update the environment as they
are met, so a sink sees what was assigned above it. Taint has two strengths: 2 is
request input, 1 is a dynamic value of unknown origin (a method argument, a helper
call). Sinks that are dangerous with any dynamic string (SQL, shell, eval) report
strength 1 at low severity; a fix (bound parameters, argv form) leaves no dynamic string.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from tree_sitter import Node

from auditor.findings import Severity
from auditor.scan.checks.ruby import flowdata as fd
from auditor.scan.checks.ruby.rbsyntax import call_parts, heredoc_body, keyword_value
from auditor.scan.interface import Check, Hit, SourceFile
from auditor.scan.treeutil import find_all, text, walk

CLEAN, DYNAMIC, INPUT = 0, 1, 2
LITERALS = frozenset({"integer", "float", "simple_symbol", "symbol", "true", "false", "nil",
                      "constant", "scope_resolution", "self", "string_content", "hash_key_symbol",
                      "rational", "complex", "character", "regex", "comment", "delimited_symbol"})
STOP = frozenset({"method", "singleton_method", "class", "module", "ERROR"})
PREFILTER = tuple({m for s in fd.SINKS for m in s.methods} | {"`", "%x"})
MESSAGES = {
    "sql": "SQL built from {what}: pass values as bound parameters (`where(\"name = ?\", v)` or a hash)",
    "command": "Shell command built from {what}: pass an argv list (`system(\"cmd\", arg)`), never one string",
    "code": "{what} chooses code to run (eval/constantize/send/render inline): map input to an allow-list",
    "xss": "{what} is marked as safe HTML: let ERB escape it, or use `sanitize` with an allow-list",
    "redirect": "Redirect target comes from {what}: use `url_from(...)` or a path helper, keep allow_other_host off",
    "path": "File path comes from {what}: use `File.basename` or look the file up by id",
    "ssrf": "Outbound request URL comes from {what}: check the host against an allow-list first",
    "deserialize": "Deserializing {what}: use JSON.parse or YAML.safe_load, never Marshal/unsafe_load on input",
}


class Env:
    """Taint state of one scope: variable -> strength, plus variables a guard looked at.
    `from_params` holds the variables whose value is built from a method parameter (or an
    instance variable a constructor set from one): SQL or shell text interpolating them is
    an injection whenever a caller passes user data, so it is reported above `low`."""

    def __init__(self, params: Iterable[str] = (), param_ivars: Iterable[str] = ()) -> None:
        self.vars: dict[str, int] = {p: DYNAMIC for p in params}
        self.guarded: set[str] = set()
        self.from_params: set[str] = {*self.vars, *param_ivars}


def _method_params(src: SourceFile, scope: Node) -> list[str]:
    params = scope.child_by_field_name("parameters")
    if params is None:
        return []
    names = []
    for p in params.named_children:
        ident = p if p.type == "identifier" else p.child_by_field_name("name")
        if ident is not None:
            names.append(text(src, ident))
    return names


class Evaluator:
    def __init__(self, src: SourceFile, env: Env) -> None:
        self.src = src
        self.env = env

    def level(self, node: Node | None, guarded: bool = False, depth: int = 0) -> int:
        """Taint strength of an expression (max over the parts that flow into its value)."""
        if node is None or depth > 40:
            return CLEAN
        t = node.type
        if t in LITERALS:
            return CLEAN
        if t in ("identifier", "instance_variable", "class_variable", "global_variable"):
            name = text(self.src, node)
            if guarded and name in self.env.guarded:
                return CLEAN
            if name in self.env.vars:
                return self.env.vars[name]
            if name in fd.SOURCE_IDENTIFIERS:
                return INPUT
            return DYNAMIC
        if t == "element_reference":
            obj = node.child_by_field_name("object")
            if obj is not None and obj.type == "identifier" and text(self.src, obj) in fd.SOURCE_IDENTIFIERS:
                return INPUT
            return self.level(obj, guarded, depth + 1)
        if t == "call":
            return self._call_level(node, guarded, depth)
        if t == "binary":
            op = node.child_by_field_name("operator")
            if op is not None and op.type in ("==", "!=", "<", ">", "<=", ">=", "=~", "!~", "===", "<=>", "and", "or", "&&"):
                return CLEAN
        if t == "conditional":
            cond = node.child_by_field_name("condition")
            if cond is not None and self._is_guard(cond):
                return CLEAN
            return max(self.level(node.child_by_field_name("consequence"), guarded, depth + 1),
                       self.level(node.child_by_field_name("alternative"), guarded, depth + 1))
        if t == "heredoc_beginning":
            # `<<~SQL` stands for a body that the tree keeps after the statement.
            return self.level(heredoc_body(node), guarded, depth + 1)
        if t in ("string", "subshell", "heredoc_body", "string_array", "symbol_array", "bare_string"):
            return max((self.level(c, guarded, depth + 1) for c in node.named_children if c.type == "interpolation"), default=CLEAN)
        if t in ("block", "do_block", "lambda"):
            return CLEAN
        return max((self.level(c, guarded, depth + 1) for c in node.named_children), default=CLEAN)

    def _call_level(self, node: Node, guarded: bool, depth: int) -> int:
        method, receiver_text, args = call_parts(self.src, node)
        if method in fd.SANITIZER_METHODS or method.endswith("?"):
            return CLEAN
        if not receiver_text and (method.endswith("_path") or method.endswith("_url")):
            return CLEAN  # route helpers build URLs on this app's host
        if method in ("content_tag", "safe_join", "link_to", "button_to") or receiver_text.endswith("tag"):
            return CLEAN  # tag builders escape their content
        if receiver_text == "request" and method in fd.REQUEST_SOURCE_METHODS:
            return INPUT
        receiver = node.child_by_field_name("receiver")
        if method in fd.RECORD_LOOKUPS or _service_result(self.src, receiver):
            # A row looked up by input, or what a service object built from input computed,
            # is data of unknown origin, not the request string itself.
            parts = [self.level(receiver, guarded, depth + 1)] if receiver is not None else []
            parts.extend(self.level(a, guarded, depth + 1) for a in args)
            return min(max(parts, default=CLEAN), DYNAMIC)
        parts = [self.level(receiver, guarded, depth + 1)] if receiver is not None else []
        parts.extend(self.level(a, guarded, depth + 1) for a in args)
        return max(parts, default=CLEAN)

    def from_param(self, node: Node | None) -> bool:
        """Does the value of `node` include a method parameter (see `Env.from_params`)?"""
        if node is None or not self.env.from_params:
            return False
        return any(n.type in ("identifier", "instance_variable") and text(self.src, n) in self.env.from_params
                   for n in _value_nodes(node))

    def _is_guard(self, cond: Node) -> bool:
        ct = text(self.src, cond)
        return any(w in ct for w in fd.GUARD_WORDS if w != "==")


def _value_nodes(node: Node) -> Iterator[Node]:
    """The nodes of an expression, heredoc bodies included (`<<~SQL` keeps its text apart)."""
    for n in walk(node):
        yield n
        if n.type == "heredoc_beginning":
            body = heredoc_body(n)
            if body is not None:
                yield from walk(body)


def _service_result(src: SourceFile, receiver: Node | None) -> bool:
    """`Exporter.new(...)` as the receiver of a call: the call returns what the service
    computed (value wrappers such as Pathname or URI excepted)."""
    if receiver is None or receiver.type != "call":
        return False
    method, recv_text, _ = call_parts(src, receiver)
    return method == "new" and recv_text[:1].isupper() and recv_text not in fd.VALUE_WRAPPERS


def _match(sink: fd.Sink, method: str, receiver: str) -> bool:
    if method not in sink.methods:
        return False
    if sink.receiver is None:
        return True
    if receiver in sink.receiver:
        return True
    tail = receiver.rsplit(".", 1)[-1] if receiver else ""
    return bool(tail) and tail in sink.receiver


_LOCAL_ONLY = re.compile(r"\ballow_other_host:\s*false\b|\bonly_path:\s*true\b|:allow_other_host\s*=>\s*false|:only_path\s*=>\s*true")


def _checked_node(src: SourceFile, sink: fd.Sink, node: Node, args: list[Node]) -> Node | None:
    if sink.keyword:
        value = keyword_value(src, args, sink.keyword)
        if sink.kind == "sql" and value is not None and value.type in ("array", "hash"):
            # conditions: ["name = ?", x] binds x; conditions: { name: x } is a hash of values
            return value.named_children[0] if value.type == "array" and value.named_children else None
        return value
    if sink.arg == -1:
        return node.child_by_field_name("receiver")
    if sink.kind == "command":
        positional = [a for a in args if a.type not in ("pair", "hash", "block_argument", "splat_argument")]
        if sink.shell_form and len(positional) != 1:
            return None  # argv form: no shell parses the arguments
        return positional[0] if positional else None
    positional = [a for a in args if a.type not in ("pair", "block_argument")]
    if sink.arg >= len(positional):
        return None
    target = positional[sink.arg]
    if sink.kind == "redirect" and _LOCAL_ONLY.search(" ".join(text(src, a) for a in args)):
        return None  # Rails keeps these on this host: allow_other_host: false raises, only_path drops the host
    if sink.kind == "sql":
        if target.type == "hash":
            return None  # where(name: x): ActiveRecord binds hash values
        if target.type == "call":
            method, recv_text, _ = call_parts(src, target)
            if method in fd.AREL_PREDICATES and ("arel" in recv_text or "table[" in recv_text):
                return None  # where(t[:name].matches(p)): an Arel node, values quoted by Arel
        if target.type == "array":
            first = target.named_children[:1]
            return first[0] if first else None
    return target


def _mark_guards(src: SourceFile, env: Env, cond: Node | None) -> None:
    if cond is None:
        return
    ct = text(src, cond)
    if "?(" in ct:
        # The app's own predicate given the value (`unless public_https?(uri)`,
        # `if internal_host?(url)`) is its validation, whatever the helper is called.
        for n in walk(cond):
            if n.type == "call" and n.child_by_field_name("receiver") is None and \
                    text(src, n.child_by_field_name("method")).endswith("?"):
                # (the method's own name ends in `?`, so it can never shadow a variable)
                env.guarded.update(text(src, a) for a in walk(n) if a.type in ("identifier", "instance_variable"))
    if not any(w in ct for w in fd.GUARD_WORDS):
        return
    if "==" in ct and not any(w in ct for w in fd.GUARD_WORDS if w != "=="):
        if '""' in ct or "''" in ct or "nil" in ct:
            return  # an emptiness test is not validation
    for n in walk(cond):
        if n.type in ("identifier", "instance_variable"):
            env.guarded.add(text(src, n))


def _what(level: int) -> str:
    return "request input" if level >= INPUT else "a dynamic value"


def analyze_scope(src: SourceFile, scope: Node, env: Env) -> Iterator[Hit]:
    """Hits in one method body (or the file's top level): assignments and sinks in order."""
    ev = Evaluator(src, env)
    for n in walk(scope, STOP):
        t = n.type
        if t in ("assignment", "operator_assignment"):
            left, right = n.child_by_field_name("left"), n.child_by_field_name("right")
            lvl = ev.level(right)
            if t == "operator_assignment":
                names = [text(src, left)]
                lvl = max(lvl, env.vars.get(names[0], CLEAN))
            elif left is not None and left.type == "left_assignment_list":
                names = [text(src, c) for c in left.named_children]
            else:
                names = [text(src, left)]
            derived = lvl > CLEAN and ev.from_param(right)
            for name in names:
                env.vars[name.lstrip("*")] = lvl
                env.guarded.discard(name)
                (env.from_params.add if derived else env.from_params.discard)(name.lstrip("*"))
        elif t in ("if", "unless", "if_modifier", "unless_modifier", "elsif", "while", "until"):
            _mark_guards(src, env, n.child_by_field_name("condition"))
        elif t == "subshell":
            lvl = ev.level(n)
            if lvl:
                yield _hit(n, "command", lvl, ev.from_param(n))
        elif t == "call":
            yield from _sink_hits(src, ev, n)


def _sink_hits(src: SourceFile, ev: Evaluator, node: Node) -> Iterator[Hit]:
    method, receiver, args = call_parts(src, node)
    for sink in fd.SINKS:
        if not _match(sink, method, receiver):
            continue
        target = _checked_node(src, sink, node, args)
        if target is None:
            continue
        lvl = ev.level(target, guarded=sink.kind in fd.GUARDABLE_KINDS)
        if lvl >= sink.min_level:
            yield _hit(node, sink.kind, lvl, ev.from_param(target))
            return


def _hit(node: Node, kind: str, lvl: int, from_param: bool = False) -> Hit:
    sev = None if lvl >= INPUT else Severity.LOW
    if kind in ("xss", "deserialize") and lvl < INPUT:
        sev = Severity.MEDIUM  # html_safe / Marshal.load on stored data is still a real flaw
    if kind in ("sql", "command") and lvl < INPUT and from_param:
        # SQL/shell text interpolating a method parameter (a model scope, a concern, a
        # service): injectable as soon as a caller passes user data; the fix binds it.
        sev = Severity.MEDIUM
    message = MESSAGES[kind].format(what="a method parameter" if from_param and lvl < INPUT else _what(lvl))
    return Hit.at(f"rb.taint.{kind}", node, message[0].upper() + message[1:], severity=sev)


class RubyTaintCheck(Check):
    languages = frozenset({"ruby"})
    detectors = tuple(f"rb.taint.{k}" for k in MESSAGES)

    def run(self, src: SourceFile) -> Iterable[Hit]:
        if not src.text.strip() or not any(p in src.text for p in PREFILTER):
            return []
        tree = src.tree
        if tree is None:
            return []
        hits: list[Hit] = []
        root = tree.root_node
        # Top-level code (scripts, Sinatra routes) is one scope; each method is another.
        hits.extend(analyze_scope(src, root, Env()))
        methods = find_all("ruby", root, ("method", "singleton_method"))
        param_ivars = _constructor_ivars(src, methods)
        for n in methods:
            body = n.child_by_field_name("body")
            if body is not None and not n.has_error:  # no findings from half-parsed code
                hits.extend(analyze_scope(src, body, Env(_method_params(src, n), param_ivars)))
        return hits


def _constructor_ivars(src: SourceFile, methods: list[Node]) -> set[str]:
    """Instance variables an `initialize` sets from its parameters (`@title = title`)."""
    out: set[str] = set()
    for m in methods:
        if m.type != "method" or text(src, m.child_by_field_name("name")) != "initialize":
            continue
        params = set(_method_params(src, m))
        body = m.child_by_field_name("body")
        if not params or body is None:
            continue
        for n in walk(body, STOP):
            left = n.child_by_field_name("left") if n.type == "assignment" else None
            right = n.child_by_field_name("right") if left is not None else None
            if left is not None and right is not None and left.type == "instance_variable" and any(
                    c.type == "identifier" and text(src, c) in params for c in walk(right)):
                out.add(text(src, left))
    return out


CHECKS = [RubyTaintCheck()]

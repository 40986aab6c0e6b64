"""Intra-procedural taint for JS/TS: request input reaching SQL, NoSQL filters, shells, eval,
file paths, outbound HTTP, redirects, HTML responses, RegExp, deep merges and model writes.

One pass over the file's events in document order (function entries bind parameters,
declarations and assignments propagate, `if` conditions sanitize, calls are checked as
sinks). Names are tracked per file rather than per scope: sibling handlers rebinding the same
name overwrite it in order, which is what keeps the pass single and cheap. Calls to unknown
functions do not carry taint (a helper's result is trusted) so fixed code stays quiet; calls
to a function declared in the same file are evaluated through it (`Flow._summary`), so a
local `layout(title, body)` template helper carries its arguments' taint and a local helper
that escapes or validates them does not.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from functools import cached_property

from tree_sitter import Node

from auditor.scan.checks.javascript import taint_data as D
from auditor.scan.checks.javascript.constants import dead_ranges
from auditor.scan.checks.javascript.library import data_parameters, public_functions
from auditor.scan.checks.javascript.nest_validation import body_unfiltered
from auditor.scan.checks.javascript.syntax import (
    FUNCTION_TYPES,
    JS_LANGUAGES,
    JsIndex,
    args_of,
    callee_name,
    callee_parts,
    chain,
    enclosing_function,
    has_directive,
    index,
    is_constant,
    is_server_action,
    is_tagged_template,
    mentions,
    method_decorators,
    object_props,
    param_decorators,
    param_target,
    params_of,
    pattern_names,
    resolve,
    string_value,
    text,
    unwrap,
)
from auditor.scan.interface import Check, Hit, SourceFile
from auditor.scan.library import api_file, caller_hit, merge_caller_hits

# Per-kind "already sanitized" bits live above the taint bits.
_SAFE_BASE = 1 << 8
KIND_BIT: dict[str, int] = {k: _SAFE_BASE << i for i, k in enumerate(sorted(D.ALL_KINDS))}
SAFE_MASK = sum(KIND_BIT.values())
LOW_MASK = _SAFE_BASE - 1

# Cheap prefilters on the raw text: no source and no DOM sink means nothing to do.
_SOURCE_NEEDLES = (
    ".query", ".body", ".params", ".headers", ".cookies", ".signedCookies", ".get(", ".header(", ".param(",
    ".json()", ".formData()", ".text()", "Url", ".url", ".files", ".file", "searchParams", "formData",
    "useParams", "@Param", "@Query", "@Body", "@Headers", "location.", "document.URL", "document.referrer", "params",
    "use server", "addEventListener", "onmessage", "Query", "Mutation", "Subscription", "GraphQL",
    "socket.io", "xmlrpc", "'ws'", '"ws"', "'net'", '"net"', "'tls'", '"tls"', "dgram", "websocket",
)
_SINK_ONLY_NEEDLES = ("href={", "src={", "eval", "Function", "innerHTML", "InnerHTML", "outerHTML", "document.write", "insertAdjacentHTML", ".html(")
_SANITIZED_TEXT = re.compile(r"sanitize|purify|escape|xss\(|\\u003c", re.I)
_FIXED_URL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//[^/?#]+[/?#]|^/[^/\\]", re.I)
_HTML_LITERAL = re.compile(r"<[a-zA-Z!/]")
# The start of a SQL statement (a string built by interpolation that reads as one).
_SQL_STATEMENT = re.compile(r"(?is)(?:select\s.+?\sfrom\s|insert\s+into\s|update\s+[\w.\"]+\s+set\s|delete\s+from\s)")
_VALIDATOR_NAME = re.compile(r"^(?:is|validate|check|assert|verify|ensure)[A-Z_]", re.I)
_NON_MODEL_CTORS = frozenset(
    {"URL", "Error", "Date", "RegExp", "Map", "Set", "Promise", "Response", "NextResponse", "Request",
     "Headers", "URLSearchParams", "Buffer", "Array", "Object", "TypeError", "HttpException",
     "BadRequestException", "NotFoundException", "Function", "Blob", "FormData", "TextEncoder"}
)

# Every last callee name some sink below looks at: calls named otherwise are skipped cheaply.
Trace = tuple[tuple[str, int, str], ...]

# Methods that extract a whole archive, of the libraries whose old versions allow zip slip.
_EXTRACTOR_METHODS: frozenset[str] = frozenset(m for methods, _ in D.UNSAFE_EXTRACTORS.values() for m in methods)
SINK_NAMES: frozenset[str] = frozenset(
    D.SHELL_FUNCS | D.SPAWN_FUNCS | {p[-1] for p in D.CODE_FUNCS} | D.SQL_METHODS | D.SQLITE_METHODS
    | D.BUILDER_WHERE | D.POSTGREST_FILTERS | D.MONGO_METHODS | set(D.MASS_ASSIGN) | {"assign"} | {p[-1] for p in D.DEEP_MERGE}
    | D.PG_PROMISE_METHODS | D.FS_METHODS | D.SEND_FILE_METHODS | D.HTTP_METHODS | D.FETCH_FUNCS | D.REDIRECT_METHODS
    | D.LOCATION_METHODS | D.HTML_SENDERS | {"writeln", "insertAdjacentHTML", "html", "SafeString", "RegExp"}
    | {"lodash.merge", "deepmerge", "merge", "set"} | D.XPATH_METHODS | D.LIBXML_XPATH | {"search", "authenticate"}
    | {"run", "goto"} | {"location", "setHeader", "header", "writeHead", "append"} | {"render"}
    | _EXTRACTOR_METHODS
    | D.FETCH_MODULES | D.REGEX_STRING_METHODS | D.HTML_SERIALIZERS | (D.MATH_EVALUATORS - {"parse"})
)

DETECTORS = (
    "js.taint.sql", "js.taint.nosql", "js.taint.command", "js.taint.code", "js.taint.path",
    "js.taint.ssrf", "js.taint.redirect", "js.taint.xss", "js.taint.regex",
    "js.taint.mass-assignment", "js.taint.privilege-field", "js.taint.owner-field", "js.taint.prototype-pollution", "js.pattern.eval",
    "js.pattern.dangerous-html", "js.pattern.jsx-url", "js.taint.xpath", "js.taint.ldap", "js.taint.trust-boundary",
    "js.taint.prompt",
)
# JSX attributes that navigate or load a URL: a `javascript:` URL there runs script.
# (`action`/`formAction` are left out: React 19 passes server-action functions there.)
_URL_ATTRS: dict[str, frozenset[str]] = {"href": frozenset({"a", "area"}), "src": frozenset({"iframe", "embed"})}


def _optional_branch_end(if_node: Node) -> int | None:
    """The end of the nearest enclosing `if`/`else` branch of the same function holding
    `if_node`, when there is one: a guard there runs only when that branch is taken."""
    child, parent = if_node, if_node.parent
    while parent is not None and parent.type not in FUNCTION_TYPES:
        if parent.type == "else_clause" or (
                parent.type == "statement_block" and parent.parent is not None and parent.parent.type == "if_statement"):
            return parent.end_byte
        if parent.type == "if_statement" and child.type != "parenthesized_expression" and child == parent.child_by_field_name("consequence"):
            return child.end_byte
        child, parent = parent, parent.parent
    return None


def _join(values: Iterable[int]) -> int:
    """Combine the taint of parts of one value: taint bits add up, a part is safe for a kind
    only when every tainted part is."""
    bits, safe, any_tainted = 0, SAFE_MASK, False
    for v in values:
        if v & D.TAINT:
            any_tainted = True
            bits |= v & LOW_MASK
            safe &= v & SAFE_MASK
        else:
            bits |= v & (D.HTML)
    if not any_tainted:
        return 0
    return bits | safe


def _same_value_decoded(src: SourceFile, name: str, right: Node | None) -> bool:
    """`x = decodeURIComponent(x)`, `x = x.trim()`: still the checked value, only decoded
    (which can bring back what the check rejected)."""
    inner = unwrap(right)
    if inner is None or inner.type != "call_expression":
        return False
    fn = unwrap(inner.child_by_field_name("function"))
    args = args_of(inner)
    if fn is not None and fn.type == "identifier" and text(src, fn) in ("decodeURIComponent", "decodeURI", "unescape", "String"):
        return bool(args) and text(src, unwrap(args[0])) == name
    if fn is not None and fn.type == "member_expression":
        return text(src, unwrap(fn.child_by_field_name("object"))) == name and \
            text(src, fn.child_by_field_name("property")) in ("trim", "toString", "normalize", "toLowerCase", "replace")
    return False


def bad(value: int, kind: str) -> bool:
    return bool(value & D.TAINT) and not value & KIND_BIT[kind]


# The request's own host (the Host header the client's browser sent): `https://` + it names
# the origin the client asked for, so a redirect there (the usual HTTP -> HTTPS upgrade) cannot
# send a victim to another site.
_OWN_HOST = re.compile(r"^(?:req|request|ctx)\.(?:get\(\s*['\"`]host['\"`]\s*\)|header\(\s*['\"`]host['\"`]\s*\)|"
                       r"headers\.host|headers\[\s*['\"`]host['\"`]\s*\]|hostname|host)$", re.I)
_SCHEME_ONLY = re.compile(r"^https?://$")


def _own_origin(src: SourceFile, scheme: Node | str | None, host: Node | None) -> bool:
    """`'https://' + req.get('host')`, `https://${req.headers.host}`: the request's own origin."""
    lead = scheme if isinstance(scheme, str) else (
        text(src, scheme)[1:-1] if scheme is not None and (unwrap(scheme) or scheme).type == "string" else None)
    return lead is not None and bool(_SCHEME_ONLY.match(lead)) and host is not None and \
        bool(_OWN_HOST.match(text(src, unwrap(host) or host)))


def _own_request_path(src: SourceFile, node: Node | None) -> bool:
    """`req.originalUrl`, `req.url`, `req.path`: the path this server routed the request by.
    Kept in the session as a return-to path after login, it is the server's own routing fact,
    not client data taken on trust (a redirect to it is still judged at the redirect)."""
    parts = chain(src, unwrap(node)) if node is not None else None
    return bool(parts) and len(parts) == 2 and parts[0] in D.REQUEST_NAMES and \
        parts[1] in ("originalUrl", "url", "path", "baseUrl")


def _fixed_prefix(src: SourceFile, node: Node) -> bool:
    """True when a string literal (or a template's leading text) pins a URL's origin or a
    same-site path: `https://api.example.com/...`, `/users/...`."""
    node = unwrap(node) or node
    if node.type == "string":
        return bool(_FIXED_URL.match(text(src, node)[1:-1]))
    if node.type == "template_string":
        lead = ""
        for child in node.children:
            if child.type == "template_substitution":
                return bool(_FIXED_URL.match(lead)) or _own_origin(
                    src, lead, child.named_children[0] if child.named_children else None)
            if child.type == "string_fragment":
                lead += text(src, child)
        return bool(_FIXED_URL.match(lead))
    if node.type == "binary_expression" and text(src, node.child_by_field_name("operator")) == "+":
        return _own_origin(src, node.child_by_field_name("left"), node.child_by_field_name("right"))
    return False



_KEY_LOOP = re.compile(r"for\s*\(\s*(?:const|let|var)\s+(\w+)\s+in\b|Object\.(?:keys|entries)\([^)]*\)\s*\.\s*(?:forEach|map|reduce)\s*\(\s*(?:\(\s*)?\[?\s*(\w+)"
                       r"|for\s*\(\s*(?:const|let|var)\s+\[?\s*(\w+)[^)]*\bof\s+Object\.(?:keys|entries)\(")
_PROTO_GUARD = re.compile(r"__proto__|['\"]constructor['\"]|['\"]prototype['\"]|Object\.create\(\s*null|isSafeKey|hasOwn")


def _unsafe_recursive_merge(src: SourceFile, fn: Node) -> bool:
    """Does `fn` copy each key of an object by computed name, recurse, and never skip
    `__proto__`? (`function merge(t, s) { for (const k in s) { ... merge(t[k], s[k]) ... t[k] = s[k] } }`)"""
    body = text(src, fn)
    m = _KEY_LOOP.search(body)
    if m is None or _PROTO_GUARD.search(body):
        return False
    key = re.escape(next(g for g in m.groups() if g))
    if not re.search(rf"\w\s*\[\s*{key}\s*\]\s*=(?!=)", body):
        return False
    holder = fn if fn.type in ("function_declaration", "generator_function_declaration") else fn.parent
    named = holder.child_by_field_name("name") if holder is not None and holder.type in (
        "function_declaration", "generator_function_declaration", "variable_declarator", "method_definition") else None
    if fn.type == "method_definition":
        named = fn.child_by_field_name("name")
    name = text(src, named) if named is not None else ""
    return bool(name) and re.search(rf"\b{re.escape(name)}\s*\(", body[body.find("{"):] if "{" in body else "") is not None


def _destructured_request(src: SourceFile, fn: Node, param: Node) -> bool:
    """Is `param` the request of a route handler, taken apart in the signature: the first
    parameter, typed as a Request or followed by a `res`/`response`/`reply` parameter."""
    params = params_of(fn)
    if not params or params[0] != param:
        return False
    annotation = param.child_by_field_name("type")
    if annotation is not None and re.search(r"\bRequest\b", text(src, annotation)):
        return True
    if len(params) < 2:
        return False
    second = param_target(params[1])
    return second.type == "identifier" and text(src, second) in ("res", "response", "reply")

class Flow:
    """The state of one file's pass: what each name holds."""

    def __init__(self, src: SourceFile, idx: JsIndex) -> None:
        self.src = src
        self.idx = idx
        self.env: dict[str, int] = {}
        self.derived: dict[str, str] = {}  # u -> x for `u = new URL(x)`
        self.sanitized_html: set[str] = set()  # names holding sanitizer output
        # checked name -> (path, line, comparison) of a validator that only tests a substring
        self.weak_guards: dict[str, tuple[str, int, str]] = {}
        self.primitive: set[str] = set()  # `req.body.id` after a `typeof ... === 'string'` guard
        # Names whose only path check rejects "..": enough once joined under a base folder,
        # not when the name is the whole path (an absolute path passes the check).
        self.dotdot_checked: set[str] = set()
        # React state -> (setter, initial value, the component declaring it)
        self.state_setters: dict[str, tuple[str, Node | None, Node]] = {}
        self.hits: list[Hit] = []
        self.next_like = _is_next(src, idx)
        self.mentions_cp = "child_process" in src.text
        self.local_funcs: dict[str, Node] | None = None  # name -> same-file function, built on first use
        # (function, argument taints) -> (result taint, sinks its body reaches: detector, message)
        self.summaries: dict[tuple[int, tuple[int, ...]], tuple[int, tuple[tuple[str, str, Trace], ...]]] = {}
        # same-file methods: owner (class or object-literal variable) -> method name -> function,
        # and variable -> class for `const svc = new Service()`; built on first use
        self.local_methods: dict[str, dict[str, Node]] | None = None
        self.instances: dict[str, str] = {}
        self.new_of: dict[str, str] | None = None  # `dao = new DAO()` of an imported DAO
        self.member_types: dict[str, str] | None = None  # `this.repo` -> the class it is typed with
        self.export_map: dict[str, Node] | None = None  # export name ("" for the default) -> function
        self._default_owner = ""  # the class/object the default export holds, when it is one
        self.message_handlers: set[str] | None = None  # handler names/texts of `message` events
        self.inlining: set[int] = set()  # functions being evaluated (recursion guard)
        # A guard inside a branch that may not run vouches only for that branch: (end byte of the
        # branch, name, its value before the guard), put back once the events pass the branch.
        self.guard_restores: list[tuple[int, str, int | None]] = []
        self.guard_end: int | None = None
        self.sql_texts: set[str] = set()  # names declared as SQL text built by interpolation
        # Library mode: exported function (start byte) -> its data parameters' taint (empty in
        # an ordinary scan; see scan.library).
        self.caller_params: dict[int, dict[str, int]] = {}
        tree = src.tree
        self.file_server = "use server" in src.text and tree is not None and has_directive(src, tree.root_node, "use server")
        self.any_server = "use server" in src.text

    # -- taint of an expression ------------------------------------------------------------
    def taint(self, node: Node | None, depth: int = 0) -> int:
        node = unwrap(node)
        if node is None or depth > 40:
            return 0
        t = node.type
        src = self.src
        if t in ("identifier", "shorthand_property_identifier"):
            name = text(src, node)
            if name in self.env:
                return self.env[name]
            return D.INPUT_NAMES.get(name, 0)
        if t in ("member_expression", "subscript_expression"):
            parts = chain(src, node)
            if parts is not None:
                s = self._source_of(parts)
                if s is not None:
                    if self.primitive and text(src, node) in self.primitive:
                        return s & ~(D.OBJ | D.WHOLE)
                    return s
                if parts[-1] == "length":
                    return 0
            obj = node.child_by_field_name("object")
            return self.taint(obj, depth + 1) & ~D.WHOLE
        if t == "template_string":
            subs = [c for c in node.named_children if c.type == "template_substitution"]
            v = _join(self.taint(s.named_children[0] if s.named_children else None, depth + 1) for s in subs)
            if not v & D.TAINT:
                return 0
            v = (v & ~(D.OBJ | D.WHOLE | D.FIXED)) | D.STR
            if _HTML_LITERAL.search(text(src, node)):
                v |= D.HTML
            if _fixed_prefix(src, node):
                v |= D.FIXED
            return v
        if t == "binary_expression":
            op = text(src, node.child_by_field_name("operator"))
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if op == "+":
                lv, rv = self.taint(left, depth + 1), self.taint(right, depth + 1)
                v = _join((lv, rv))
                if not v & D.TAINT:
                    return 0
                v = (v & ~(D.OBJ | D.WHOLE | D.FIXED)) | D.STR
                if lv & D.FIXED or (left is not None and _fixed_prefix(src, left)) or _own_origin(src, left, right):
                    v |= D.FIXED
                for side in (left, right):
                    if side is not None and side.type in ("string", "template_string") and _HTML_LITERAL.search(text(src, side)):
                        v |= D.HTML
                return v
            if op in ("||", "??"):
                return _join((self.taint(left, depth + 1), self.taint(right, depth + 1)))
            if op == "&&":
                return self.taint(right, depth + 1)
            return 0
        if t == "ternary_expression":
            cons, alt = node.child_by_field_name("consequence"), node.child_by_field_name("alternative")
            cond = node.child_by_field_name("condition")
            if cond is not None and self._allowlist_test(cond, cons):
                return self.taint(alt, depth + 1)
            if cond is not None and _branches_use_tested(src, cond, cons, alt):
                # `ok(x) ? x : '/'` guards x like an if; `u.protocol === 'https:' ? https : http`
                # only picks a client, so u stays as it was
                self._sanitize_by_condition(cond)
            return _join((self.taint(cons, depth + 1), self.taint(alt, depth + 1)))
        if t == "call_expression":
            return self._call_taint(node, depth)
        if t == "new_expression":
            ctor = text(src, node.child_by_field_name("constructor"))
            args = args_of(node)
            if ctor in ("URL", "URLSearchParams", "String") and args:
                return self.taint(args[0], depth + 1) & ~(D.OBJ | D.WHOLE)
            return 0
        if t == "object":
            vals = []
            for child in node.named_children:
                if child.type == "pair":
                    vals.append(self.taint(child.child_by_field_name("value"), depth + 1) & ~D.WHOLE)
                elif child.type == "shorthand_property_identifier":
                    vals.append(self.taint(child, depth + 1) & ~D.WHOLE)
                elif child.type == "spread_element":
                    vals.append(self.taint(child.named_children[0] if child.named_children else None, depth + 1))
            return _join(vals)
        if t == "array":
            return _join(self.taint(c, depth + 1) & ~D.WHOLE for c in node.named_children) & ~D.FIXED
        if t == "spread_element":
            return self.taint(node.named_children[0] if node.named_children else None, depth + 1)
        if t == "assignment_expression":
            return self.taint(node.child_by_field_name("right"), depth + 1)
        if t == "sequence_expression":
            kids = node.named_children
            return self.taint(kids[-1] if kids else None, depth + 1)
        return 0

    def _source_of(self, parts: list[str]) -> int | None:
        root = parts[0]
        if root in self.request_names and len(parts) >= 2 and root not in self.env:
            field_name, rest = parts[1], parts[2:]
            if field_name in D.NESTED_REQUEST and len(parts) >= 3:
                field_name, rest = parts[2], parts[3:]
            if field_name in ("file", "files") and rest and rest[-1] in D.SERVER_FILE_FIELDS:
                return 0  # req.file.path: where multer saved the upload, not a client string
            if field_name in D.REQUEST_FIELDS:
                v = D.REQUEST_FIELDS[field_name]
                return v & ~D.WHOLE if rest else v
            return None
        if tuple(parts[:2]) in D.DOM_SOURCES or tuple(parts[:3]) in D.DOM_SOURCES:
            return D.STR
        if "snapshot" in parts[:-1] and "@angular/router" in self.idx.modules:
            # Angular `this.route.snapshot.queryParams.next`, `.params.id`, `.fragment`: the URL's parts
            if parts[parts.index("snapshot") + 1] in D.ANGULAR_ROUTE_FIELDS:
                return D.STR
        if (len(parts) == 2 and parts[0] in D.ARCHIVE_ENTRY_NAMES and parts[1] in D.ARCHIVE_ENTRY_FIELDS
                and self.idx.modules & D.ARCHIVE_MODULES):
            return D.STR  # an archive entry's name: `../../etc/cron.d/x` (zip slip)
        return None

    def _call_taint(self, node: Node, depth: int) -> int:
        src = self.src
        if is_tagged_template(node):
            if text(src, node.child_by_field_name("function")) == "String.raw":
                return self.taint(node.child_by_field_name("arguments"), depth + 1)
            return 0  # sql`...`, Prisma.sql`...`: the tag binds the values
        parts = resolve(src, self.idx, node)
        if not parts:
            return 0
        name = parts[-1]
        args = args_of(node)
        fn = unwrap(node.child_by_field_name("function"))
        receiver = fn.child_by_field_name("object") if fn is not None and fn.type == "member_expression" else None
        if name in ("get", "getAll") and len(parts) >= 2 and parts[-2] in ("paramMap", "queryParamMap") \
                and "@angular/router" in self.idx.modules:
            return D.STR  # Angular route.snapshot.queryParamMap.get('next')
        if name in D.SANITIZERS and not (name == "parse" and parts[0] in D.NOT_VALIDATORS):
            kinds = D.SANITIZERS[name]
            if kinds == D.ALL_KINDS:
                return 0
            inner = _join([self.taint(a, depth + 1) for a in args] + ([self.taint(receiver, depth + 1)] if receiver is not None and name in ("escape", "replace") else []))
            if not inner & D.TAINT:
                return 0
            if name == "String":
                inner = (inner & ~(D.OBJ | D.WHOLE)) | D.STR
            return inner | sum(KIND_BIT[k] for k in kinds)
        # request.json(), req.get('x'), ctx.get('x')
        if len(parts) == 2 and parts[0] in self.request_names and parts[0] not in self.env and name in D.REQUEST_METHODS:
            return D.REQUEST_METHODS[name]
        if parts in (("useSearchParams",), ("useParams",)) or name in ("useSearchParams", "useParams"):
            return D.STR
        if tuple(parts) in D.PROPAGATORS or (len(parts) >= 2 and tuple(parts[-2:]) in D.PROPAGATORS):
            v = _join(self.taint(a, depth + 1) for a in args)
            if name == "fromEntries" and v & D.TAINT:
                # every key of the client's FormData / entries becomes a field: the whole input
                return v | D.OBJ | D.WHOLE
            if name in ("parse", "fromEntries", "assign"):
                return v
            return v & ~(D.OBJ | D.WHOLE) | (D.STR if v & D.TAINT else 0)
        if receiver is None and len(parts) == 1:
            fn_node = self.local_function(name)
            if fn_node is not None:
                return self._summary(fn_node, args, depth)[0]
        imported = self._imported_function(node) if self.src.index is not None else None
        if imported is not None:
            other, target = imported
            return other.summary_of(target, tuple(self.taint(a, depth + 1) for a in args), 0, cross_file=True)[0]
        if receiver is None and len(parts) == 1:
            return 0
        if receiver is not None:
            method = self._local_method(receiver, name)
            if method is not None:
                return self._summary(method, args, depth)[0]
            rv = self.taint(receiver, depth + 1)
            if name == "replace" and rv & D.TAINT and args and unwrap(args[0]) is not None and unwrap(args[0]).type == "regex" and "$&" in text(src, args[1] if len(args) > 1 else None):
                return rv | KIND_BIT["regex"]  # the escapeRegExp idiom
            if name in D.STRING_METHODS:
                argv = _join(self.taint(a, depth + 1) for a in args) if name in ("concat", "replace", "replaceAll") else 0
                v = _join((rv, argv))
                return (v & ~(D.OBJ | D.WHOLE)) | D.STR if v & D.TAINT else 0
            if rv & D.TAINT:
                if name in D.INPUT_METHODS:
                    return (rv & ~(D.OBJ | D.WHOLE)) | D.STR
                return rv & ~D.WHOLE
        return 0

    # -- same-file function summaries ------------------------------------------------------
    def local_function(self, name: str) -> Node | None:
        """The function declared in this file under `name` (`function f() {}`,
        `const f = (a) => ...`), from the index's function list: no extra tree walk."""
        if self.local_funcs is None:
            self.local_funcs = {}
            for fn in self.idx.get("func"):
                holder = fn if fn.type in ("function_declaration", "generator_function_declaration") else fn.parent
                if holder is None or holder.type not in ("function_declaration", "generator_function_declaration", "variable_declarator"):
                    continue
                named = holder.child_by_field_name("name")
                if named is not None and named.type == "identifier":
                    self.local_funcs.setdefault(text(self.src, named), fn)
        return self.local_funcs.get(name)

    def _local_method(self, receiver: Node, name: str) -> Node | None:
        """The same-file method a `receiver.name(...)` call runs: `this.m()` / `this.svc.m()`
        (a method of that name declared by exactly one class or object in the file),
        `svc.m()` with `svc = new C()` or `svc = { m() {} }`, `C.m()`, `new C().m()`."""
        methods = self.methods_by_owner()
        if not methods:
            return None
        recv = unwrap(receiver)
        if recv is None:
            return None
        owner = ""
        if recv.type == "new_expression":
            owner = text(self.src, recv.child_by_field_name("constructor"))
        elif recv.type == "identifier":
            owner = text(self.src, recv)
            owner = self.instances.get(owner, owner)
        elif (chain(self.src, recv) or [""])[0] == "this":
            # `this.m()` or an injected `this.service.m()`: resolvable when the name is unique;
            # a member typed with (or built from) an imported class runs that class's method,
            # not a same-named one of this file (a controller's `findOne` calling
            # `this.productsService.findOne(id)`)
            if text(self.src, recv) in self._constructed():
                return None
            # a member typed with a class this file does not declare (an injected
            # `Repository<User>`, a library client) never runs this file's methods: a service's
            # `create()` calling `this.repo.create(...)` is the ORM write, not itself
            member_type = self._typed_members().get(text(self.src, recv))
            if member_type is not None and member_type not in methods:
                return None
            found = [m[name] for m in methods.values() if name in m]
            return found[0] if len(found) == 1 else None
        return methods.get(owner, {}).get(name)

    def methods_by_owner(self) -> dict[str, dict[str, Node]]:
        """Class and object-literal methods of this file by owner name, built on first use."""
        if self.local_methods is None:
            self._collect_methods()
        return self.local_methods or {}

    def _collect_methods(self) -> None:
        """Index class and object-literal methods by owner from the function list, and
        `x = new C()` declarations of those classes: no extra tree walk."""
        src = self.src
        methods: dict[str, dict[str, Node]] = {}
        for fn in self.idx.get("func"):
            holder, key = fn.parent, fn.child_by_field_name("name")
            if holder is not None and holder.type == "assignment_expression" and fn.type != "method_definition":
                # constructor functions: `function DAO(db) { this.find = (id) => ... }`
                left = holder.child_by_field_name("left")
                ctor = enclosing_function(holder)
                ctor_name = ctor.child_by_field_name("name") if ctor is not None else None
                if (left is not None and left.type == "member_expression" and ctor_name is not None
                        and text(src, left.child_by_field_name("object")) == "this"):
                    methods.setdefault(text(src, ctor_name), {}).setdefault(
                        text(src, left.child_by_field_name("property")), fn)
                continue
            if fn.type != "method_definition":
                # `{ run: (cmd) => ... }` / `{ run: function (cmd) {...} }`
                if holder is None or holder.type != "pair":
                    continue
                key, holder = holder.child_by_field_name("key"), holder.parent
            owner_node = holder.parent if holder is not None else None
            if key is None or owner_node is None:
                continue
            if holder.type == "class_body" and owner_node.type in ("class_declaration", "class", "abstract_class_declaration"):
                named = owner_node.child_by_field_name("name")
                if named is None and owner_node.parent is not None and owner_node.parent.type == "variable_declarator":
                    named = owner_node.parent.child_by_field_name("name")
            elif holder.type == "object" and owner_node.type == "variable_declarator":
                named = owner_node.child_by_field_name("name")
            else:
                continue
            if named is not None:
                methods.setdefault(text(src, named), {}).setdefault(text(src, key), fn)
        self.local_methods = methods
        if not methods:
            return
        for decl in self.idx.get("decl"):
            value = unwrap(decl.child_by_field_name("value"))
            if value is not None and value.type == "new_expression":
                ctor = text(src, value.child_by_field_name("constructor"))
                if ctor in methods:
                    self.instances[text(src, decl.child_by_field_name("name"))] = ctor

    def _callee_function(self, call: Node) -> Node | None:
        """The same-file function or method a call runs, if any."""
        fn = unwrap(call.child_by_field_name("function"))
        if fn is None:
            return None
        if fn.type == "identifier":
            return self.local_function(text(self.src, fn))
        if fn.type == "member_expression":
            obj = fn.child_by_field_name("object")
            if obj is not None:
                name = text(self.src, fn.child_by_field_name("property"))
                if text(self.src, obj) in ("module.exports", "exports"):
                    return self.exported(name)  # this file's own export, called through the exports object
                return self._local_method(obj, name)
        return None

    def _imported_function(self, call: Node) -> tuple[Flow, Node] | None:
        """The function of another project file a call runs, through the project index:
        `findUser(x)` after `import { findUser } from './users'` (or a `require`), and
        `users.findUser(x)` after `import * as users from './users'`."""
        project = self.src.index
        if project is None:
            return None
        fn = unwrap(call.child_by_field_name("function"))
        if fn is None:
            return None
        export = None
        if fn.type == "identifier":
            bound = self.idx.bindings.get(text(self.src, fn), "")
            mod, _, export = bound.partition("|")
            export = export or None
        elif fn.type == "member_expression":
            obj = unwrap(fn.child_by_field_name("object"))
            method = text(self.src, fn.child_by_field_name("property"))
            ctor = self._constructed().get(text(self.src, obj)) if obj is not None else None
            if ctor is not None:
                return self._imported_method(ctor, method)
            bound = self.idx.bindings.get(text(self.src, obj), "") if obj is not None and obj.type == "identifier" else ""
            mod, _, named = bound.partition("|")
            # `users.find(x)` with `{ users } = require('./store')`: the method of that export
            export = f"{named}.{method}" if named else method
        else:
            return None
        if not self._project_module(mod):
            return None
        other = self._imported_flow(mod)
        if other is None:
            return None
        # The function the other file exports under that name (`module.exports = { list:
        # listProducts }`, `module.exports = doAuth`, `export default`), else its function of
        # that name (`export function render`).
        target = other.exported(export or "") or (other.local_function(export) if export else None)
        return (other, target) if target is not None else None

    def exported(self, name: str) -> Node | None:
        """The function this file exports as `name` ("" for the default export: `module.exports
        = f`, `export default f`), through `module.exports = { k: f }` (inline or a variable
        holding the object), `module.exports.k = f` and `exports.k = f`. Built on first use."""
        found = self.exports().get(name)
        if found is not None or not name:
            return found
        # A method of an exported object or class: `export const users = { find() {} }`,
        # `export class Users { static find() {} }` (as "users.find"), and the methods of the
        # default export when it is one (`module.exports = new UserService()`).
        owner, _, method = name.rpartition(".")
        owner = owner or self._default_owner
        if not owner:
            return None
        return self.methods_by_owner().get(owner, {}).get(method)

    def exports(self) -> dict[str, Node]:
        """Export name ("" for the default) -> the function exported under it, built on first
        use (with `default_owner`, the class or object the default export holds, if it is one)."""
        if self.export_map is None:
            self.export_map = self._collect_exports()
        return self.export_map

    @property
    def default_owner(self) -> str:
        self.exports()
        return self._default_owner

    def _collect_exports(self) -> dict[str, Node]:
        src = self.src
        out: dict[str, Node] = {}

        def function(value: Node | None) -> Node | None:
            value = unwrap(value)
            if value is None:
                return None
            if value.type in FUNCTION_TYPES:
                return value
            return self.local_function(text(src, value)) if value.type == "identifier" else None

        def members(obj: Node) -> None:
            for child in obj.named_children:
                key, fn = None, None
                if child.type == "pair":
                    k = child.child_by_field_name("key")
                    key = string_value(src, k) if k is not None and k.type == "string" else text(src, k)
                    fn = function(child.child_by_field_name("value"))
                elif child.type == "shorthand_property_identifier":
                    key = text(src, child)
                    fn = self.local_function(key)
                elif child.type == "method_definition":
                    key, fn = text(src, child.child_by_field_name("name")), child
                if key and fn is not None:
                    out.setdefault(key, fn)

        if "exports" in src.text:
            objects = {text(src, d.child_by_field_name("name")): v for d in self.idx.get("decl")
                       if (v := unwrap(d.child_by_field_name("value"))) is not None and v.type == "object"}
            for node in self.idx.get("assign"):
                parts = chain(src, node.child_by_field_name("left")) or []
                right = unwrap(node.child_by_field_name("right"))
                if right is None:
                    continue
                if parts == ["module", "exports"]:
                    held = objects.get(text(src, right)) if right.type == "identifier" else None
                    if right.type == "object" or held is not None:
                        members(held or right)
                    elif (fn := function(right)) is not None:
                        out[""] = fn
                    else:
                        self._default_owner = self._owner_of(right)
                elif len(parts) == 3 and parts[:2] == ["module", "exports"] or len(parts) == 2 and parts[0] == "exports":
                    if (fn := function(right)) is not None:
                        out.setdefault(parts[-1], fn)
        if ".statics." in src.text and "model(" in src.text:
            # Mongoose statics of the schema this file makes its exported model from:
            # `userSchema.statics.byName = function (name) {...}`, called as `User.byName(x)`.
            for node in self.idx.get("assign"):
                parts = chain(src, node.child_by_field_name("left")) or []
                if len(parts) == 3 and parts[1] == "statics" and (fn := function(node.child_by_field_name("right"))) is not None:
                    out.setdefault(parts[2], fn)
        if "export default" in src.text and src.tree is not None:
            for stmt in src.tree.root_node.named_children:
                if stmt.type == "export_statement" and text(src, stmt).startswith("export default"):
                    value = stmt.child_by_field_name("declaration") or stmt.child_by_field_name("value")
                    fn = function(value)
                    if fn is not None:
                        out[""] = fn
                    elif value is not None:
                        self._default_owner = self._owner_of(value)
        return out

    def _owner_of(self, value: Node) -> str:
        """The class or object a default export holds (`new UserService()`, `UserService`,
        `class UserService {}`), by the name its methods are indexed under ("" if none)."""
        value = unwrap(value)
        if value is None:
            return ""
        if value.type == "new_expression":
            value = unwrap(value.child_by_field_name("constructor"))
        elif value.type in ("class_declaration", "class"):
            value = value.child_by_field_name("name")
        return text(self.src, value) if value is not None and value.type == "identifier" else ""

    def _project_module(self, spec: str) -> bool:
        """An import of a project file: a relative path, or a tsconfig/jsconfig alias
        (`@/lib/db`) that names a file of the project."""
        if spec.startswith("."):
            return True
        project = self.src.index
        return bool(spec) and project is not None and project.resolve_js(self.src.path, spec) is not None

    def _imported_flow(self, spec: str) -> Flow | None:
        project = self.src.index
        rel = project.resolve_js(self.src.path, spec) if project is not None else None
        return project.memo("javascript", rel, _flow_for) if rel is not None else None

    def _imported_method(self, ctor: str, method: str) -> tuple[Flow, Node] | None:
        """`dao.find(x)` with `dao = new DAO(db)` and DAO imported from a project file: the
        class method, or the `this.find = ...` of a constructor function, over there."""
        mod, _, export = self.idx.bindings.get(ctor, "").partition("|")
        if not self._project_module(mod):
            return None
        other = self._imported_flow(mod)
        if other is None:
            return None
        owners = other.methods_by_owner()
        methods = owners.get(export or ctor) or (next(iter(owners.values())) if len(owners) == 1 else {})
        target = methods.get(method)
        return (other, target) if target is not None else None

    def _sql_repository(self, call: Node) -> bool:
        """The call's receiver is a TypeORM repository of a SQL database (`this.users:
        Repository<User>`, `getRepository(User)`): its find filters take no query operators
        from JSON (a MongoRepository's do)."""
        if "typeorm" not in self.idx.modules:
            return False
        fn = unwrap(call.child_by_field_name("function"))
        recv = unwrap(fn.child_by_field_name("object")) if fn is not None and fn.type == "member_expression" else None
        if recv is None:
            return False
        if recv.type == "call_expression":
            return callee_name(self.src, recv) in ("getRepository", "getTreeRepository", "getCustomRepository")
        return self._typed_members().get(text(self.src, recv)) in ("Repository", "TreeRepository", "EntityManager")

    def _typed_members(self) -> dict[str, str]:
        """`this.<member>` -> the class it is typed with or built from (`private readonly repo:
        Repository<User>` -> Repository), whatever module the class comes from."""
        if self.member_types is None:
            self.member_types = {f"this.{m.group(1)}": m.group(2) for m in _TYPED_MEMBER.finditer(self.src.text)}
        return self.member_types

    def _constructed(self) -> dict[str, str]:
        """Names (`dao`, `this.dao`) bound to `new X(...)` of an imported X, built on first use."""
        if self.new_of is None:
            self.new_of = {}
            for node in (*self.idx.get("decl"), *self.idx.get("assign")):
                target = node.child_by_field_name("name") or node.child_by_field_name("left")
                value = unwrap(node.child_by_field_name("value") or node.child_by_field_name("right"))
                if target is None or value is None or value.type != "new_expression":
                    continue
                ctor = text(self.src, value.child_by_field_name("constructor"))
                if self._project_module(self.idx.bindings.get(ctor, "").partition("|")[0]):
                    self.new_of[text(self.src, target)] = ctor
            # TypeScript members typed with an imported class: constructor parameter properties
            # (`constructor(private readonly users: UserService)`) and fields (`private users:
            # UserService`, `users = new UserService()`), called as `this.users.find(x)`.
            for m in _TYPED_MEMBER.finditer(self.src.text):
                if self._project_module(self.idx.bindings.get(m.group(2), "").partition("|")[0]):
                    self.new_of.setdefault(f"this.{m.group(1)}", m.group(2))
        return self.new_of

    def _summary(self, fn: Node, args: list[Node], depth: int) -> tuple[int, tuple[tuple[str, str, Trace], ...]]:
        """Taint of a call to a same-file function: its parameters are bound to the taint of
        the arguments, its body's declarations, assignments and guards are replayed, and its
        return values are evaluated. A helper that builds HTML or SQL from its parameters
        (`layout(title, body)`) thus carries taint, and one that escapes or validates them
        inside stays clean. Sinks inside the body are not reported here (the pass reports
        them where the body is visited); when an argument is tainted the body's calls are
        replayed too and the sinks they reach are returned, so the caller reports a helper
        (`runCommand(cmd) { exec(cmd) }`) fed request input at the call. Memoised per
        argument taint."""
        return self.summary_of(fn, tuple(self.taint(a, depth + 1) for a in args), depth)

    def summary_of(self, fn: Node, argv: tuple[int, ...], depth: int = 0,
                   cross_file: bool = False) -> tuple[int, tuple[tuple[str, str, Trace], ...]]:
        """`_summary` for argument taints already computed (by this file, or by a file that
        imports this one: then the result is cached on disk by the project index)."""
        key = (fn.id, argv)
        if key in self.summaries:
            return self.summaries[key]
        project = self.src.index if cross_file else None
        file_hash = project.file_hash(self.src.path) if project is not None and project.cache is not None else None
        cache_key = project.summary_key(self.src.path, f"js:{fn.start_byte}:{argv}") if file_hash is not None else ""
        if file_hash is not None:
            cached = project.cache.get(file_hash, cache_key, project.file_hash)  # type: ignore[union-attr]
            if cached is not None:
                self.summaries[key] = (cached[0], tuple((d, m, tuple((p, ln, n) for p, ln, n in tr)) for d, m, tr in cached[1]))
                return self.summaries[key]
        if fn.id in self.inlining or len(self.inlining) > 3:
            return 0, ()
        if project is not None and not project.enter(self.src.path):
            return 0, ()
        self.inlining.add(fn.id)
        sinks: dict[tuple[str, str, int], tuple[str, Trace]] = {}  # (detector, sink path, line): one per place
        saved = (dict(self.env), dict(self.derived), set(self.sanitized_html), len(self.hits))
        try:
            for i, param in enumerate(params_of(fn)):
                target = param_target(param)
                if target.type == "rest_pattern":
                    v = _join(argv[i:])
                else:
                    v = argv[i] if i < len(argv) else 0
                for pname, _ in pattern_names(self.src, target):
                    self._bind(pname, v if target.type == "identifier" else v & ~D.WHOLE)
            tainted = any(v & D.TAINT for v in argv)
            restores, self.guard_restores = self.guard_restores, []
            for pos, kind, node in self._body_events(fn, tainted):
                self._leave_guarded_branches(pos)
                getattr(self, f"_on_{kind}")(node)
            self._leave_guarded_branches(fn.end_byte)
            self.guard_restores = restores
            result = _join(self.taint(r, depth + 1) for r in _returns(fn))
            for hit in self.hits[saved[3]:]:
                trace = hit.trace or ((self.src.path, hit.line, hit.message),)
                sinks.setdefault((hit.detector, *trace[-1][:2]), (hit.message, trace))
        finally:
            self.env, self.derived, self.sanitized_html = saved[0], saved[1], saved[2]
            del self.hits[saved[3]:]
            self.inlining.discard(fn.id)
            if project is not None:
                project.leave()
        self.summaries[key] = (result, tuple((d, m, tr) for (d, _, _), (m, tr) in sinks.items()))
        if file_hash is not None and project is not None and project.cache is not None:
            files = sorted({p for _, _, tr in self.summaries[key][1] for p, _, _ in tr} | {self.src.path})
            project.cache.put(file_hash, cache_key, project.deps_of(files),
                              [result, [[d, m, [list(t) for t in tr]] for d, m, tr in self.summaries[key][1]]])
        return self.summaries[key]

    def _body_events(self, fn: Node, with_sinks: bool = False) -> list[tuple[int, str, Node]]:
        """Dataflow events inside `fn`'s body (not its nested functions' own parameters), found
        by bisecting the index's sorted node lists; with its calls and constructions (the
        sinks) when `with_sinks`."""
        body = fn.child_by_field_name("body")
        if body is None or (body.type != "statement_block" and not with_sinks):
            return []  # an arrow's expression body only matters for the calls it makes
        events: list[tuple[int, str, Node]] = []
        for kind in ("decl", "assign", "forin", "if", "call", "new") if with_sinks else ("decl", "assign", "forin", "if"):
            nodes = self.idx.get(kind)
            i = bisect_left(nodes, body.start_byte, key=lambda n: n.start_byte)
            while i < len(nodes) and nodes[i].start_byte < body.end_byte:
                events.append((nodes[i].start_byte, kind, nodes[i]))
                i += 1
        events.sort(key=lambda e: e[0])
        return self._live(events)

    def _live(self, events: list[tuple[int, str, Node]]) -> list[tuple[int, str, Node]]:
        """The events outside branches that never run (`if (3 > 5) {...}`, the `else` of
        `let on = true; if (on)`): what such a branch assigns or calls does not happen."""
        dead = dead_ranges(self.src, self.idx.get("if"))
        if not dead:
            return events
        starts = [a for a, _ in dead]
        out = []
        for e in events:
            i = bisect_left(starts, e[0] + 1) - 1
            if i >= 0 and e[0] < dead[i][1]:
                continue
            out.append(e)
        return out

    def _allowlist_test(self, cond: Node, value: Node | None) -> bool:
        """`ALLOWED.includes(x) ? x : 'default'`"""
        value = unwrap(value)
        if value is None or value.type not in ("identifier", "member_expression", "subscript_expression"):
            return False
        name = text(self.src, value)
        for call in _calls_in(cond):
            fn = call.child_by_field_name("function")
            if fn is not None and fn.type == "member_expression" and text(self.src, fn.child_by_field_name("property")) in ("includes", "has"):
                args = args_of(call)
                if args and text(self.src, args[0]) == name:
                    return True
        return False

    # -- events ----------------------------------------------------------------------------
    def run(self) -> list[Hit]:
        idx = self.idx
        events: list[tuple[int, str, Node]] = []
        for kind in ("func", "decl", "assign", "forin", "if", "call", "new", "jsxattr"):
            events.extend((n.start_byte, kind, n) for n in idx.get(kind))
        events.sort(key=lambda e: e[0])
        for pos, kind, node in self._live(events):
            self._leave_guarded_branches(pos)
            getattr(self, f"_on_{kind}")(node)
        return self.hits

    def _leave_guarded_branches(self, pos: int) -> None:
        """Past the end of a branch that held a guard, the guarded names are as they were
        before it: `if (flag) { if (!verify(body)) return; }` leaves `body` unchecked after."""
        if not self.guard_restores:
            return
        keep = []
        for end, name, before in self.guard_restores:
            if end > pos:
                keep.append((end, name, before))
            elif before is None:
                self.env.pop(name, None)
            else:
                self.env[name] = before
        self.guard_restores = keep

    def _bind(self, name: str, value: int, right: Node | None = None) -> None:
        self.env[name] = value
        self.sanitized_html.discard(name)
        if name in self.dotdot_checked and not _same_value_decoded(self.src, name, right):
            self.dotdot_checked.discard(name)

    def _on_func(self, fn: Node) -> None:
        src = self.src
        if self._message_handler(fn):
            # a cross-window message: any page that can frame or open us chooses event.data
            for name, _ in pattern_names(src, param_target(params_of(fn)[0])):
                self._bind(name, D.STR | D.OBJ)
            return
        if self.any_server and is_server_action(src, fn, self.file_server):
            # Every argument of a server action is client input; FormData params read via .get().
            for param in params_of(fn):
                v = D.STR if _primitive_annotation(src, param) else D.STR | D.OBJ
                for name, _ in pattern_names(src, param_target(param)):
                    self._bind(name, v)
            return
        inputs = self._network_message_inputs(fn)
        if inputs:
            # A message from a socket.io / WebSocket / raw socket / XML-RPC client.
            for param in inputs:
                for name, _ in pattern_names(src, param_target(param)):
                    self._bind(name, D.STR | D.OBJ)
            return
        if self._graphql_resolver(fn):
            # A GraphQL resolver's arguments (`(parent, args, context, info)`) are the client's
            # strings; the schema types them, so they are not operator objects or extra fields.
            for name, _ in pattern_names(src, param_target(params_of(fn)[1])):
                self._bind(name, D.STR)
            return
        if self._route_subscriber(fn):
            # Angular `this.route.queryParams.subscribe((params) => ...)`: the URL's parts
            for name, _ in pattern_names(src, param_target(params_of(fn)[0])):
                self._bind(name, D.STR | D.OBJ)
            return
        for param in params_of(fn):
            decorators = param_decorators(src, param)
            target = param_target(param)
            nest = [d for d in decorators if d in D.NEST_DECORATORS]
            if nest:
                v = D.NEST_DECORATORS[nest[0]]
                if nest[0] in ("Body", "Query") and not _typed_with_class(src, param):
                    v |= D.WHOLE
                elif nest[0] == "Body" and _whole_dto(src, param) and body_unfiltered(src, fn, param):
                    v |= D.WHOLE  # a DTO type strips nothing without a whitelisting ValidationPipe
                for name, _ in pattern_names(src, target):
                    self._bind(name, v)
                continue
            if target.type == "identifier":
                name = text(src, target)
                if name in self.request_names:
                    self.env.pop(name, None)
                elif name in D.INPUT_PARAMS and (self.next_like or name == "formData"):
                    self._bind(name, D.INPUT_PARAMS[name])
                else:
                    self._bind(name, 0)
            elif target.type == "object_pattern":
                for name, _ in pattern_names(src, target):
                    self._bind(name, D.INPUT_PARAMS.get(name, 0) if self.next_like else 0)
                if _destructured_request(src, fn, param):
                    self._bind_request_fields(target)
        for name, value in self.caller_params.get(fn.start_byte, {}).items():
            self._bind(name, value)
        decorators = method_decorators(src, fn)
        if _HTML_HEADER.search(decorators):
            self._nest_html_returns(fn)
        if _NEST_REDIRECT.search(decorators):
            self._nest_redirect_returns(fn)

    def _param_values(self, fn: Node) -> tuple[int, ...]:
        """The values `fn`'s parameters hold now, one per parameter (patterns joined)."""
        return tuple(_join(self.env.get(n, 0) for n, _ in pattern_names(self.src, param_target(p))) for p in params_of(fn))

    def _nest_redirect_returns(self, fn: Node) -> None:
        """A Nest handler marked `@Redirect()` redirects to the `url` of the object it returns
        (`return { url: next }`): request input there is an open redirect."""
        src = self.src
        argv = self._param_values(fn)
        if not any(v & D.TAINT for v in argv):
            return
        returned = [object_props(src, r) for r in _returns(fn)]
        urls = [props["url"] for props in returned if "url" in props]
        if not urls or set().union(*returned) - {"url", "statusCode"}:
            return  # other returned fields could carry the taint: judged on `url` alone only
        v = self.summary_of(fn, argv)[0]
        if bad(v, "redirect") and not v & D.FIXED:
            for url in urls:
                self._hit("js.taint.redirect", url, "@Redirect() handler returns a url from user input: allow-list the target or only accept same-site paths.")

    def _nest_html_returns(self, fn: Node) -> None:
        """A Nest handler marked `@Header('Content-Type', 'text/html')` sends what it returns
        as HTML: request input in the returned value is XSS. Reported at the handler's return
        and, when it returns what a service method of another project file builds, at that
        method's returns (where the markup is put together)."""
        src = self.src
        argv = self._param_values(fn)
        if not any(v & D.TAINT for v in argv) or not bad(self.summary_of(fn, argv)[0], "xss"):
            return
        message = "Handler sends HTML (Content-Type text/html) built from request input: escape it (escape-html) or render a template that escapes."
        for ret in _returns(fn):
            self.hits.append(Hit.at("js.taint.xss", ret, message))
            call = unwrap(ret)
            if call is not None and call.type == "await_expression" and call.named_children:
                call = unwrap(call.named_children[0])
            imported = self._imported_function(call) if call is not None and call.type == "call_expression" else None
            if imported is None:
                continue
            other, target = imported
            line = ret.start_point[0] + 1
            for inner in _returns(target):
                self.hits.append(Hit("js.taint.xss", inner.start_point[0] + 1, 1,
                                     inner.end_point[0] + 1, f"{message} (returned to {src.path}:{line})",
                                     path=other.src.path))

    def _network_message_inputs(self, fn: Node) -> list[Node]:
        """The parameters of `fn` that hold a network client's message, when `fn` is the listener
        of a message event (`socket.on('chat', (msg, ack) => ...)` with socket.io, `ws.on('message',
        (data) => ...)`, a `net` socket's `data`, an XML-RPC server's method `(err, params, cb)`)."""
        modules = self.idx.modules & D.MESSAGE_SERVER_MODULES
        holder = fn.parent
        call = holder.parent if holder is not None and holder.type == "arguments" else None
        if not modules or call is None or call.type != "call_expression":
            return []
        parts = callee_parts(self.src, call)
        args = args_of(call)
        if len(parts) < 2 or parts[-1] not in ("on", "once", "addListener") or len(args) < 2 or unwrap(args[1]) != fn:
            return []
        event = string_value(self.src, args[0])
        params = params_of(fn)
        if event is None or event in D.LIFECYCLE_EVENTS or not params:
            return []
        if "xmlrpc" in modules:
            return params[1:2]  # (err, params, callback)
        return params[:-1] if len(params) > 1 and "socket.io" in modules else params[:1]

    def _graphql_resolver(self, fn: Node) -> bool:
        """Is `fn` a GraphQL resolver taking (parent, args, ...)? A function under a `Query`,
        `Mutation` or `Subscription` key of a resolver map, or the `resolve` of a graphql-js
        field config (an object that also names its `type`)."""
        if len(params_of(fn)) < 2 or not mentions(self.src.text, ("Query", "Mutation", "Subscription", "resolve")):
            return False
        holder = fn if fn.type == "method_definition" else fn.parent
        if holder is None or holder.type not in ("pair", "method_definition"):
            return False
        obj = holder.parent
        field = obj.parent if obj is not None and obj.type == "object" else None
        if field is not None and field.type == "pair":
            key = field.child_by_field_name("key")
            if key is not None and (string_value(self.src, key) or text(self.src, key)) in D.GRAPHQL_ROOT_TYPES:
                return True
        key = holder.child_by_field_name("key") if holder.type == "pair" else holder.child_by_field_name("name")
        return (key is not None and text(self.src, key) == "resolve" and obj is not None
                and any(c.type == "pair" and text(self.src, c.child_by_field_name("key")) == "type" for c in obj.named_children))

    def _route_subscriber(self, fn: Node) -> bool:
        """Is `fn` the callback of `route.queryParams/params/paramMap/fragment.subscribe(...)`?"""
        holder = fn.parent
        call = holder.parent if holder is not None and holder.type == "arguments" else None
        if call is None or call.type != "call_expression" or not params_of(fn) or "@angular/router" not in self.idx.modules:
            return False
        parts = callee_parts(self.src, call)
        return len(parts) >= 2 and parts[-1] == "subscribe" and parts[-2] in D.ANGULAR_ROUTE_FIELDS

    def _bind_request_fields(self, pattern: Node) -> None:
        """`({ query, body: { url } }: Request, res) => ...`: the request's fields, taken apart."""
        src = self.src
        for child in pattern.named_children:
            key, value = None, None
            if child.type == "shorthand_property_identifier_pattern":
                key, value = text(src, child), child
            elif child.type == "object_assignment_pattern":
                left = child.child_by_field_name("left")
                key, value = (text(src, left), left) if left is not None else (None, None)
            elif child.type == "pair_pattern":
                k = child.child_by_field_name("key")
                key, value = (text(src, k) if k is not None else None), child.child_by_field_name("value")
            if key in D.REQUEST_FIELDS and value is not None:
                for name, _ in pattern_names(src, value):
                    self._bind(name, D.REQUEST_FIELDS[key])

    def _message_handler(self, fn: Node) -> bool:
        """`fn` handles `message` events (`addEventListener('message', fn)`, `onmessage = fn`,
        by reference or inline) without looking at the sender's origin."""
        if self.message_handlers is None:
            self.message_handlers = set()
            if "message" in self.src.text:
                for call in self.idx.get("call"):
                    args = args_of(call)
                    if callee_name(self.src, call) == "addEventListener" and len(args) >= 2 and string_value(self.src, args[0]) == "message":
                        self.message_handlers.add(text(self.src, unwrap(args[1])))
                for node in self.idx.get("assign"):
                    left = node.child_by_field_name("left")
                    if left is not None and left.type == "member_expression" and text(self.src, left.child_by_field_name("property")) == "onmessage":
                        self.message_handlers.add(text(self.src, unwrap(node.child_by_field_name("right"))))
        if not self.message_handlers or not params_of(fn):
            return False
        named = _component_name(self.src, fn)
        if text(self.src, fn) not in self.message_handlers and (not named or named not in self.message_handlers):
            return False
        target = param_target(params_of(fn)[0])
        if target.type == "identifier":
            return f"{text(self.src, target)}.origin" not in text(self.src, fn)
        return all(name != "origin" for name, _ in pattern_names(self.src, target))  # `({ data, origin })`

    def _on_decl(self, decl: Node) -> None:
        target, value = decl.child_by_field_name("name"), decl.child_by_field_name("value")
        if target is None:
            return
        src = self.src
        v = self.taint(value) if value is not None else 0
        inner = unwrap(value)
        if target.type == "identifier":
            name = text(src, target)
            self._bind(name, v)
            if inner is not None and inner.type in ("template_string", "binary_expression") and self._sql_text(inner):
                self.sql_texts.add(name)
            else:
                self.sql_texts.discard(name)
            if inner is not None:
                if inner.type == "new_expression" and text(src, inner.child_by_field_name("constructor")) == "URL":
                    args = args_of(inner)
                    if args and unwrap(args[0]) is not None and unwrap(args[0]).type == "identifier":
                        self.derived[name] = text(src, unwrap(args[0]))
                if _SANITIZED_TEXT.search(text(src, inner)) and inner.type == "call_expression":
                    self.sanitized_html.add(name)
            self._alias(name, inner)
            return
        if target.type == "array_pattern" and inner is not None and inner.type == "call_expression" and callee_name(src, inner) == "useState":
            # const [html, setHtml] = useState(''): remember the setter, so a render of `html`
            # can be judged by what every setHtml(...) call stores.
            names = [c for c in target.named_children if c.type == "identifier"]
            if len(names) >= 2:
                init = args_of(inner)
                scope = enclosing_function(decl) or decl
                self.state_setters[text(src, names[0])] = (text(src, names[1]), init[0] if init else None, scope)
        if target.type == "object_pattern" and inner is not None:
            # const { exec: run, execSync } = cp  (cp = require('child_process'))
            mod = self.idx.bindings.get(text(src, inner)) if inner.type == "identifier" else None
            if mod and "|" not in mod:
                for child in target.named_children:
                    if child.type == "shorthand_property_identifier_pattern":
                        self.idx.bindings[text(src, child)] = f"{mod}|{text(src, child)}"
                    elif child.type == "pair_pattern":
                        key, val = child.child_by_field_name("key"), child.child_by_field_name("value")
                        if key is not None and val is not None and val.type == "identifier":
                            self.idx.bindings[text(src, val)] = f"{mod}|{text(src, key)}"
        for name, rest in pattern_names(src, target):
            self._bind(name, v if rest else v & ~D.WHOLE)

    def _alias(self, name: str, value: Node | None) -> None:
        """Keep a sink a sink under another name: `const run = exec`, `const run = cp.exec`,
        `const execAsync = promisify(exec)` / `util.promisify(cp.exec)` bind `name` to the
        same module export, so sink resolution sees through the alias."""
        src = self.src
        value = unwrap(value)
        if value is not None and value.type == "call_expression" and callee_parts(src, value)[-1:] == ["promisify"]:
            args = args_of(value)
            value = unwrap(args[0]) if args else None
        if value is not None and value.type == "call_expression" and callee_parts(src, value)[-1:] == ["useNamespaces"]:
            # `const select = xpath.useNamespaces({...})` returns xpath's select bound to those prefixes
            parts = callee_parts(src, value)
            mod = self.idx.bindings.get(parts[0]) if len(parts) == 2 else None
            if mod in D.XPATH_MODULES:
                self.idx.bindings[name] = f"{mod}|select"
            return
        if value is None:
            return
        if value.type == "ternary_expression":
            # `const lib = url.protocol === 'https:' ? https : http`: either module, both with the
            # same client calls, so the name resolves as the first
            branches = [unwrap(value.child_by_field_name(f)) for f in ("consequence", "alternative")]
            mods = [self.idx.bindings.get(text(src, b)) if b is not None and b.type == "identifier" else None
                    for b in branches]
            if mods[0] and mods[1] and "|" not in mods[0] and "|" not in mods[1]:
                self.idx.bindings[name] = mods[0]
            return
        bound: str | None = None
        if value.type == "identifier":
            bound = self.idx.bindings.get(text(src, value))
        elif value.type == "member_expression":
            parts = chain(src, value)
            mod = self.idx.bindings.get(parts[0]) if parts and len(parts) == 2 else None
            if mod and "|" not in mod:
                bound = f"{mod}|{parts[1]}"
        if bound:
            self.idx.bindings[name] = bound

    def _on_assign(self, node: Node) -> None:
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if left is None:
            return
        src = self.src
        v = self.taint(right)
        if node.type == "augmented_assignment_expression" and left.type == "identifier":
            self._bind(text(src, left), _join((self.env.get(text(src, left), 0), v)))
            return
        if left.type == "identifier":
            name = text(src, left)
            # Inside one branch of a condition the old value may still be the one that
            # reaches later code (`if (x) host = req.query.h; else host = 'localhost'`):
            # a weak update keeps both.
            self._bind(name, _join((self.env.get(name, 0), v)) if _in_branch(node) and self.env.get(name, 0) & D.TAINT else v, right)
            self._alias(name, right)
            if right is not None and self._sanitized_html_value(right):
                self.sanitized_html.add(text(src, left))  # html = DOMPurify.sanitize(raw)
            return
        self._assign_sink(node, left, right, v)
        parts = chain(src, left)
        if parts and parts[0] not in D.REQUEST_NAMES and v & D.TAINT and len(parts) > 1:
            self.env[parts[0]] = _join((self.env.get(parts[0], 0), v & ~D.WHOLE))

    def _on_forin(self, node: Node) -> None:
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if left is None:
            return
        v = self.taint(right)
        op = text(self.src, node.child_by_field_name("operator"))
        v = ((v & ~(D.OBJ | D.WHOLE)) | D.STR) if (op == "in" and v & D.TAINT) else v & ~D.WHOLE
        for name, _ in pattern_names(self.src, left):
            self._bind(name, v)

    def _on_if(self, node: Node) -> None:
        cond = node.child_by_field_name("condition")
        if cond is not None:
            self.guard_end = _optional_branch_end(node)
            try:
                self._sanitize_by_condition(cond)
            finally:
                self.guard_end = None

    def _clean(self, name: str, kinds: Iterable[str]) -> None:
        bits = sum(KIND_BIT[k] for k in kinds)
        for n in (name, self.derived.get(name)):
            if n and self.env.get(n, 0) & D.TAINT:
                if self.guard_end is not None:
                    self.guard_restores.append((self.guard_end, n, self.env[n]))
                self.env[n] |= bits
            elif n and n in D.INPUT_NAMES and n not in self.env:
                if self.guard_end is not None:
                    self.guard_restores.append((self.guard_end, n, None))
                self.env[n] = D.INPUT_NAMES[n] | bits

    def _sanitize_by_condition(self, cond: Node) -> None:
        """Guards that make a value safe for what follows: normalize-and-startsWith for paths,
        allow-list membership, regex tests, validators, URL host/origin checks."""
        src = self.src
        cond_text = text(src, cond)
        for call in _calls_in(cond):
            fn = unwrap(call.child_by_field_name("function"))
            args = args_of(call)
            first = unwrap(args[0]) if args else None
            first_name = text(src, first) if first is not None and first.type in ("identifier", "member_expression") else None
            if fn is None:
                continue
            if fn.type == "member_expression":
                method = text(src, fn.child_by_field_name("property"))
                obj = unwrap(fn.child_by_field_name("object"))
                obj_name = text(src, obj) if obj is not None and obj.type == "identifier" else None
                if method == "startsWith" and obj_name:
                    kinds = {"path", "ssrf"}
                    arg_val = string_value(src, first) if first is not None else None
                    if arg_val not in ("/", None) or "//" in cond_text.replace(arg_val or "", "", 1):
                        kinds.add("redirect")
                    if arg_val is not None and _OPEN_ORIGIN.match(arg_val):
                        kinds.clear()  # "https://app.example.com" also admits app.example.com.evil.net
                    elif arg_val is not None and _OPEN_FOLDER.match(arg_val):
                        kinds.discard("path")  # "/srv/files" also admits /srv/files-private
                    self._clean(obj_name, kinds)
                elif method in ("includes", "indexOf") and obj_name and string_value(src, first) in ("..", "../"):
                    self._clean(obj_name, {"path"})
                    self.dotdot_checked.add(obj_name)
                elif method in ("includes", "has", "indexOf") and first_name and first is not None and first.type == "identifier":
                    self._clean(first_name, D.ALL_KINDS)
                elif method == "test" and first_name and first is not None and first.type == "identifier":
                    if obj is None or obj.type != "regex" or _anchored(text(src, obj.child_by_field_name("pattern"))):
                        self._clean(first_name, D.ALL_KINDS)
                elif _VALIDATOR_NAME.match(method) and first is not None and first.type == "identifier":
                    self._clean(text(src, first), self._validated_kinds(call, text(src, first)))
            elif fn.type == "identifier" and _VALIDATOR_NAME.match(text(src, fn)) and first is not None and first.type == "identifier":
                self._clean(text(src, first), self._validated_kinds(call, text(src, first)))
        for m in re.finditer(r"\b([A-Za-z_$][\w$]*)\.(?:hostname|host|origin|protocol)\b", cond_text):
            self._clean(m.group(1), {"ssrf", "redirect"})
        # `typeof x !== 'string'` (with its early exit) or `typeof x === 'string'`: past the
        # guard the value is a primitive and cannot carry an operator object or extra keys.
        for m in _TYPEOF_PRIMITIVE.finditer(cond_text):
            target = m.group(1) or m.group(2)
            if "." in target or "[" in target:
                self.primitive.add(target)
            else:
                self._clean(target, {"nosql", "mass-assignment", "prototype-pollution"})

    def _custom_merge(self, call: Node, fn_src: SourceFile, fn: Node) -> None:
        """The app's own deep merge / clone / set-by-path (`for (k in src) target[k] = ...`
        with a recursive call) given request data: a `__proto__` key writes Object.prototype."""
        args = args_of(call)
        if len(args) < 2 or not any(bad(self.taint(a), "prototype-pollution") for a in args[1:]):
            return
        if _unsafe_recursive_merge(fn_src, fn):
            self._hit("js.taint.prototype-pollution", call, "The app's own recursive merge copies every key of request data, "
                      "__proto__ included: skip __proto__/constructor/prototype keys or validate with a schema.")

    def _validated_kinds(self, call: Node, checked: str = "") -> frozenset[str]:
        """What a validator the app wrote (`isRedirectAllowed(url)`) vouches for. One whose
        body only tests a substring or prefix of the URL (`url.includes(allowed)`,
        `url.indexOf(x) !== -1`, `url.startsWith("https://a.com")`, an unanchored regex)
        admits `https://evil.net/?https://a.com`: it does not vouch for hosts."""
        found = self._callee_function(call)
        fn_src = self.src
        if found is None:
            other = self._imported_function(call)
            if other is not None:
                fn_src, found = other[0].src, other[1]
        if found is None:
            return D.ALL_KINDS
        params = params_of(found)
        first = param_target(params[0]) if params else None
        if first is None or first.type != "identifier":
            return D.ALL_KINDS
        names = [text(fn_src, first)]
        body = text(fn_src, found)
        p = re.escape(names[0])
        weak = re.search(rf"\b{p}\s*\.\s*(?:includes|indexOf|search)\s*\(", body) or \
            re.search(rf"\b{p}\s*\.\s*startsWith\s*\(\s*(?:[\w.]+|['\"`]https?://[^/'\"`]+['\"`])\s*\)", body) or \
            re.search(rf"/(?!\^)[^/\n]*/[gimsuy]*\.test\(\s*{p}\s*\)", body)
        strong = re.search(r"new URL\(|\.hostname\b|\.origin\b|\.host\b|===|\.has\(", body)
        if weak and not strong:
            if checked:
                # Remembered so the sink it fails to guard also reports the comparison itself,
                # in the validator's file: that line is the one to fix.
                line = found.start_point[0] + body.count("\n", 0, weak.start()) + 1
                self.weak_guards[checked] = (fn_src.path, line, weak.group(0).strip().rstrip("( "))
            return D.ALL_KINDS - {"redirect", "ssrf"}
        return D.ALL_KINDS

    def _whole_path_dotdot_checked(self, arg: Node) -> bool:
        inner = unwrap(arg)
        return (inner is not None and inner.type == "identifier" and text(self.src, inner) in self.dotdot_checked
                and bool(self.env.get(text(self.src, inner), 0) & D.TAINT))

    # -- sinks -----------------------------------------------------------------------------
    def _hit(self, detector: str, node: Node, message: str) -> None:
        self.hits.append(Hit.at(detector, node, message))
        if detector in ("js.taint.redirect", "js.taint.ssrf") and self.weak_guards:
            self._weak_guard_hits(detector, node)

    def _weak_guard_hits(self, detector: str, node: Node) -> None:
        """The validator a tainted URL passed on its way to this sink tests a substring or an
        open prefix (`url.includes(allowed)`, `indexOf(x) !== -1`, `startsWith(origin)`, an
        unanchored regex): reported on that comparison, where the fix goes."""
        sink = text(self.src, node)
        for name, (path, line, what) in self.weak_guards.items():
            if not re.search(rf"(?<![\w$.]){re.escape(name)}(?![\w$])", sink):
                continue
            target = "redirect" if detector == "js.taint.redirect" else "outbound request"
            self.hits.append(Hit(detector, line, 1, line,
                                 f"Allow-list check `{what}` matches a substring or an open prefix of the URL, so "
                                 f"https://evil.example/?<allowed> passes and reaches a {target} ({self.src.path}:{node.start_point[0] + 1}): "
                                 "parse with new URL() and compare the origin or hostname exactly.",
                                 path=None if path == self.src.path else path,
                                 trace=((self.src.path, node.start_point[0] + 1, f"{target} guarded by this check"),)))

    def _on_new(self, node: Node) -> None:
        src = self.src
        ctor = text(src, node.child_by_field_name("constructor"))
        args = args_of(node)
        if not args:
            return
        if ctor == "RegExp":
            if bad(self.taint(args[0]), "regex"):
                self._hit("js.taint.regex", node, "RegExp built from request input: escape it (escapeRegExp) or match literally; user patterns allow ReDoS.")
        elif ctor in ("Function", "vm.Script", "Script"):
            self._code_sink(node, args if ctor == "Function" else args[:1], ctor)
        elif ctor in ("Response", "NextResponse"):
            v = self.taint(args[0])
            if bad(v, "xss") and (v & D.HTML or "text/html" in text(src, node)):
                self._hit("js.taint.xss", node, "HTML response built from request input: escape it or render with React/a template that escapes.")
        elif ctor[:1].isupper() and ctor not in _NON_MODEL_CTORS and "." not in ctor:
            v = self.taint(args[0])
            if v & D.WHOLE and not v & KIND_BIT["mass-assignment"]:
                self._hit("js.taint.mass-assignment", node, f"new {ctor}(request body): pick the allowed fields (or parse with a schema) instead of the whole body.")

    def _on_jsxattr(self, node: Node) -> None:
        src = self.src
        kids = node.named_children
        if kids and text(src, kids[0]) in _URL_ATTRS:
            self._jsx_url(node, text(src, kids[0]), kids[-1])
            return
        if not kids or text(src, kids[0]) != "dangerouslySetInnerHTML":
            return
        value = kids[-1]
        if value.type == "jsx_expression" and value.named_children:
            props = object_props(src, value.named_children[0])
            html = props.get("__html")
            if html is not None:
                self._html_sink(html, node, "dangerouslySetInnerHTML")

    def _jsx_url(self, attr: Node, name: str, value: Node) -> None:
        """`<a href={profile.website}>`: a URL from request input (taint), or straight from a
        component's props, can be `javascript:...`. Values passed through a call (a
        protocol-checking helper), fixed-prefix templates and same-name pass-through props
        (`href={href}` in a link wrapper component) are not reported."""
        src = self.src
        element = attr.parent
        tag = text(src, element.child_by_field_name("name")) if element is not None else ""
        if tag not in _URL_ATTRS[name] or value.type != "jsx_expression" or not value.named_children:
            return
        expr = unwrap(value.named_children[0])
        if expr is None or is_constant(src, expr) or _fixed_prefix(src, expr):
            return
        v = self.taint(expr)
        if bad(v, "xss") and not v & D.FIXED:
            self._hit("js.taint.xss", attr, f"<{tag} {name}> from user input can be a javascript: URL: allow only http(s) URLs (check new URL(value).protocol).")
            return
        parts = chain(src, expr)
        if not parts or parts[-1] == name:
            return
        fn = enclosing_function(attr)
        if fn is None or not _component_name(src, fn)[:1].isupper():
            return
        prop_names = {n for p in params_of(fn) for n, _ in pattern_names(src, param_target(p))}
        if len(parts) == 1 and parts[0] not in prop_names:
            parts = self._prop_local(fn, parts[0], prop_names) or parts
        if parts[0] in prop_names and (len(parts) > 1 or parts[0] != "props"):
            self._hit("js.pattern.jsx-url", attr, f"<{tag} {name}> straight from props can be a javascript: URL: allow only http(s) URLs (check new URL(value).protocol) before rendering.")

    def _prop_local(self, fn: Node, name: str, prop_names: set[str]) -> list[str] | None:
        """The prop chain a component's local copies (`const website = profile.website`,
        `const { website } = profile`), found among the indexed declarations inside it."""
        src = self.src
        for _, kind, decl in self._body_events(fn):
            if kind != "decl":
                continue
            target, value = decl.child_by_field_name("name"), decl.child_by_field_name("value")
            parts = chain(src, value) if value is not None else None
            if target is None or not parts or parts[0] not in prop_names:
                continue
            if target.type == "identifier" and text(src, target) == name:
                return parts
            if target.type == "object_pattern" and any(n == name for n, _ in pattern_names(src, target)):
                return [*parts, name]
        return None

    def _html_sink(self, value: Node, at: Node, what: str) -> None:
        src = self.src
        v = self.taint(value)
        inner = unwrap(value)
        if bad(v, "xss"):
            self._hit("js.taint.xss", at, f"{what} with request input: render text instead, or sanitize with DOMPurify.sanitize().")
            return
        if inner is None or is_constant(src, inner) or _SANITIZED_TEXT.search(text(src, inner)):
            return
        if inner.type == "identifier" and text(src, inner) in self.sanitized_html:
            return
        if self._state_sanitized(inner):
            return
        if inner.type == "call_expression" and callee_parts(src, inner)[-2:] == ["JSON", "stringify"]:
            return
        self._hit("js.pattern.dangerous-html", at, f"{what} with a non-constant value: render it as text, or pass it through DOMPurify.sanitize() first.")

    def _sanitized_html_value(self, node: Node | None) -> bool:
        """A value that is constant or sanitizer output: `DOMPurify.sanitize(x)`, a name
        holding one, `prev => sanitize(x)`, `ok ? sanitize(a) : ''`."""
        node = unwrap(node)
        if node is None or is_constant(self.src, node):
            return True
        t = node.type
        if t == "identifier":
            return text(self.src, node) in self.sanitized_html
        if t == "call_expression":
            return bool(_SANITIZED_TEXT.search(text(self.src, node)))
        if t == "arrow_function":
            body = node.child_by_field_name("body")
            return body is not None and body.type != "statement_block" and self._sanitized_html_value(body)
        if t == "ternary_expression":
            return self._sanitized_html_value(node.child_by_field_name("consequence")) and self._sanitized_html_value(node.child_by_field_name("alternative"))
        return False

    def _state_sanitized(self, node: Node) -> bool:
        """React state rendered as HTML is as clean as everything stored into it: every
        `setHtml(...)` of a `useState` pair (and its initial value), or every
        `this.setState({ html: ... })` for `this.state.html`, must store sanitizer output.
        Runs only at a raw-HTML sink, so the scan over the file's calls is rare."""
        src = self.src
        if node.type == "identifier" and text(src, node) in self.state_setters:
            setter, init, scope = self.state_setters[text(src, node)]
            if not self._sanitized_html_value(init):
                return False
            stores = [c for c in self.idx.calls_within(scope) if callee_name(src, c) == setter and len(callee_parts(src, c)) == 1]
            return all(self._sanitized_html_value(args_of(c)[0] if args_of(c) else None) for c in stores)
        parts = chain(src, node) if node.type == "member_expression" else None
        if not parts or len(parts) < 2 or parts[-2] != "state":
            return False
        owner = node.parent
        while owner is not None and owner.type not in ("class_declaration", "class"):
            owner = owner.parent
        key, stored = parts[-1], 0
        for call in self.idx.calls_within(owner or node.parent or node):
            if callee_name(src, call) != "setState":
                continue
            args = args_of(call)
            props = object_props(src, args[0]) if args else {}
            if not props:
                return False  # an updater function or a computed object: cannot tell
            if key in props:
                if not self._sanitized_html_value(props[key]):
                    return False
                stored += 1
        return stored > 0

    def _assign_sink(self, node: Node, left: Node, right: Node | None, v: int) -> None:
        src = self.src
        if left.type == "member_expression":
            prop = text(src, left.child_by_field_name("property"))
            if prop in ("innerHTML", "outerHTML") and right is not None:
                self._html_sink(right, node, prop)
                return
            parts = chain(src, left) or []
            if parts in (["location"], ["window", "location"], ["location", "href"], ["window", "location", "href"],
                         ["document", "location"], ["document", "location", "href"]):
                if bad(v, "redirect") and not v & D.FIXED:
                    self._hit("js.taint.redirect", node, "Navigation to a URL from user input: allow-list the target or only accept same-site paths.")
                return
            if parts[:1] == ["ctx"] and parts[1:] == ["body"] and bad(v, "xss") and v & D.HTML:
                self._hit("js.taint.xss", node, "HTML built from request input: escape it or render with a template that escapes.")
                return
            if len(parts) >= 3 and parts[0] in D.REQUEST_NAMES and parts[1] in D.SESSION_FIELDS and bad(v, "trust") \
                    and not _own_request_path(src, right):
                self._hit("js.taint.trust-boundary", node, "Request input stored in the session as if trusted: validate it (allow-list, schema) before it enters the session.")
                return
        if left.type == "subscript_expression":
            inner = unwrap(left.child_by_field_name("object"))
            if inner is not None and inner.type == "subscript_expression":
                keys = (left.child_by_field_name("index"), inner.child_by_field_name("index"))
                if any(bad(self.taint(k), "prototype-pollution") for k in keys):
                    self._hit("js.taint.prototype-pollution", node, "Nested write with keys from the request can set __proto__: reject __proto__/constructor/prototype keys or use a Map.")

    def _code_sink(self, node: Node, args: list[Node], what: str) -> None:
        if not args:
            return
        if any(bad(self.taint(a), "code") for a in args):
            self._hit("js.taint.code", node, f"{what} runs request input as code: never evaluate input; parse data (JSON.parse) or dispatch on an allow-list.")
        elif what in ("eval", "Function", "new Function") and not all(is_constant(self.src, a) for a in args):
            self._hit("js.pattern.eval", node, f"{what} with a non-constant argument: replace with JSON.parse, a lookup table or a real parser.")

    def _fill_container(self, node: Node) -> None:
        """`parts.push(x)`, `params.append(k, x)`, `seen.add(x)`: the container now holds x
        (what `parts.join(' ')` or a later sink reads)."""
        fn = unwrap(node.child_by_field_name("function"))
        if fn is None or fn.type != "member_expression" or text(self.src, fn.child_by_field_name("property")) not in D.CONTAINER_ADDERS:
            return
        obj = unwrap(fn.child_by_field_name("object"))
        if obj is None or obj.type != "identifier" or text(self.src, obj) in D.REQUEST_NAMES:
            return
        v = _join(self.taint(a) for a in args_of(node))
        if v & D.TAINT:
            name = text(self.src, obj)
            self.env[name] = _join((self.env.get(name, 0), v & ~(D.WHOLE | D.FIXED)))

    def _on_call(self, node: Node) -> None:  # noqa: C901 - one dispatch over sink families
        src = self.src
        self._fill_container(node)
        called = callee_name(src, node)
        if called and called not in D.SANITIZERS:
            helper = self._callee_function(node)
            if helper is not None:
                self._helper_call(node, helper, called)
                self._custom_merge(node, self.src, helper)
                return
            imported = self._imported_function(node)
            if imported is not None:
                self._helper_call(node, imported[1], called, imported[0])
                self._custom_merge(node, imported[0].src, imported[1])
                return
        if is_tagged_template(node) or (
            called not in SINK_NAMES and self.idx.bindings.get(called, "").rpartition("|")[2] not in SINK_NAMES
            and not (called == "parse" and "mathjs" in self.idx.modules)
        ):
            return  # neither a sink's name nor an alias of one (`execAsync = promisify(exec)`)
        parts = resolve(src, self.idx, node)
        if not parts:
            return
        name = parts[-1]
        args = args_of(node)
        receiver = parts[-2] if len(parts) >= 2 else ""
        mod = parts[0]

        # shell
        if (mod in D.COMMAND_MODULES or (len(parts) == 1 and self.mentions_cp)) and (name in D.SHELL_FUNCS or name in D.SPAWN_FUNCS):
            if not args:
                return
            if name in D.SHELL_FUNCS:
                if bad(self.taint(args[0]), "command"):
                    self._hit("js.taint.command", node, f"{name}() runs a shell with request input: use execFile/spawn with an argument array and no shell.")
                return
            opts = next((a for a in args[1:] if unwrap(a) is not None and unwrap(a).type == "object"), None)
            shell = opts is not None and text(src, object_props(src, opts).get("shell")) not in ("", "false")
            argv = unwrap(args[1]) if len(args) > 1 else None
            if (string_value(src, args[0]) or "") in D.SHELLS and argv is not None and argv.type == "array" and any(
                    re.fullmatch(r"-\w*c|/c|-Command", string_value(src, a) or "") for a in argv.named_children):
                if any(bad(self.taint(a), "command") for a in argv.named_children):
                    self._hit("js.taint.command", node, f"{name}() runs a shell script (-c) built from request input: run the program directly with an argument array.")
                return
            if bad(self.taint(args[0]), "command") or (shell and any(bad(self.taint(a), "command") for a in args[1:])):
                self._hit("js.taint.command", node, f"{name}() with request input{' and shell: true' if shell else ' as the program'}: fix the program, pass input as array items, no shell.")
            return

        # code
        key = tuple(parts)
        if key in D.CODE_FUNCS or key[-2:] in D.CODE_FUNCS:
            if name in ("setTimeout", "setInterval", "setImmediate"):
                if args and unwrap(args[0]) is not None and unwrap(args[0]).type not in ("arrow_function", "function_expression", "function", "identifier", "member_expression"):
                    self._code_sink(node, args[:1], name)
                return
            if name == "require":
                if args and bad(self.taint(args[0]), "code"):
                    self._hit("js.taint.code", node, "require() of a request-chosen module: map allowed names to modules.")
                return
            self._code_sink(node, args[:1] if name != "Function" else args, name)
            return

        if name in D.MATH_EVALUATORS and args and (mod == "mathjs" or (len(parts) == 2 and "mathjs" in self.idx.modules and mod in ("math", "mathjs"))):
            if bad(self.taint(args[0]), "code") and self._dependency_older("mathjs", D.MATHJS_EVAL_FREE):
                self._hit("js.taint.code", node, f"mathjs {name}() of request input with mathjs older than {D.MATHJS_EVAL_FREE}: its expression "
                          "parser compiles with eval and has published sandbox escapes that run any JavaScript; upgrade mathjs.")
            return
        if self._query_language(node, parts, args):
            return
        if name == "run" and len(parts) >= 2 and args and (D.SANDBOX_RECEIVERS.match(receiver) or self._sandbox_receiver(node, receiver)):
            self._code_sink(node, args[:1], f"{receiver}.run")
            return
        if name == "goto" and len(parts) >= 2 and D.BROWSER_PAGES.match(receiver) and args:
            v = self.taint(args[0])
            if bad(v, "ssrf") and not v & D.FIXED:
                self._hit("js.taint.ssrf", node, "Headless browser sent to a URL from user input: it can read internal services and file:// URLs; allow-list hosts.")
            return

        # SQL
        if name in D.SQL_METHODS and len(parts) >= 2 and receiver not in D.NOT_SQL_RECEIVERS and mod not in D.NOT_SQL_RECEIVERS:
            if name == "literal" and not any(p.lower() == "sequelize" for p in parts[:-1]):
                return
            if name == "unsafe" and receiver not in ("sql", "db", "postgres"):
                return
            if args:
                target = args[0]
                props = object_props(src, target)
                if props:
                    target = props.get("text") or props.get("sql") or props.get("query")
                if target is not None and bad(self.taint(target), "sql"):
                    self._hit("js.taint.sql", node, f"SQL built from request input in {name}(): use placeholders ($1 / ?) and pass values in the parameter array.")
            return
        # A database handle is known by the name it is written under (`db.all(...)` with `db`
        # required from the app's own `./db` module resolves to that module).
        handle = receiver if receiver in D.PG_PROMISE_RECEIVERS or not (name in D.SQLITE_METHODS or name in D.PG_PROMISE_METHODS) \
            else (callee_parts(src, node)[-2:-1] or [""])[0]
        if name in D.SQLITE_METHODS and handle in D.DB_RECEIVERS and mod not in D.COMMAND_MODULES:
            if args and bad(self.taint(args[0]), "sql"):
                self._hit("js.taint.sql", node, f"SQL built from request input in {handle}.{name}(): use ? placeholders with bound values.")
            return
        if name in D.PG_PROMISE_METHODS and handle in D.PG_PROMISE_RECEIVERS and args and self._uses_pg_promise:
            if bad(self.taint(args[0]), "sql"):
                self._hit("js.taint.sql", node, f"SQL built from request input in {handle}.{name}(): use $1 / ${{name}} "
                          "placeholders and pass the values as the second argument.")
            return
        if name in D.POSTGREST_FILTERS and len(parts) >= 2 and len(args) == 1 and self._uses_supabase:
            first = unwrap(args[0])
            if first is not None and first.type != "string" and bad(self.taint(first), "sql"):
                self._hit("js.taint.sql", node, f".{name}() takes a raw PostgREST filter string: request input in it adds "
                          "or rewrites conditions; filter with .eq()/.in()/.ilike() and pass the input as their value.")
            return
        if name in D.BUILDER_WHERE and args:
            first = unwrap(args[0])
            if first is not None and first.type in ("template_string", "binary_expression") and bad(self.taint(first), "sql"):
                self._hit("js.taint.sql", node, f"{name}() with a string built from request input: use `:name` parameters (TypeORM) or bindings (Knex).")
            return

        # the Location header written by hand: res.location(u), res.set/setHeader/header('Location', u),
        # res.writeHead(302, { Location: u }), Koa ctx.set('Location', u)
        if (mod in self.response_names or mod == "ctx") and len(parts) == 2 and args:
            target: Node | None = None
            if name == "location":
                target = args[0]
            elif name in ("set", "setHeader", "header", "append") and len(args) >= 2 and \
                    (string_value(src, args[0]) or "").lower() == "location":
                target = args[1]
            elif name == "writeHead":
                headers = next((a for a in args[1:] if unwrap(a) is not None and unwrap(a).type == "object"), None)  # type: ignore[union-attr]
                props = object_props(src, headers) if headers is not None else {}
                target = props.get("Location") or props.get("location")
            if target is not None:
                v = self.taint(target)
                if bad(v, "redirect") and not v & D.FIXED:
                    self._hit("js.taint.redirect", node, "Location header set to a URL from user input: allow-list targets or accept only same-site paths (start with '/', not '//').")
                return
        # NoSQL
        if name in D.MONGO_METHODS and len(parts) >= 2 and "prisma" not in parts and args and not self._sql_repository(node):
            props = object_props(src, args[0])
            if "where" not in props and "data" not in props:
                self._mongo_filter(node, args[0], 0)
            if name not in ("findOneAndUpdate", "updateOne", "updateMany"):
                return
        elif name == "update" and len(parts) >= 2 and "prisma" not in parts and _mongo_style_update(src, node, parts, args):
            self._mongo_filter(node, args[0], 0)

        # prototype pollution
        if key in D.DEEP_MERGE or key[-2:] in D.DEEP_MERGE or (len(parts) == 1 and self.idx.bindings.get(name, "").split("|")[0] in ("lodash.merge", "deepmerge", "lodash.set", "merge-deep")):
            if any(bad(self.taint(a), "prototype-pollution") for a in args[1:]):
                self._hit("js.taint.prototype-pollution", node, "Deep merge/set with request data can pollute Object.prototype: validate with a schema and copy known keys.")
            return

        # mass assignment
        if name in D.MASS_ASSIGN and len(parts) >= 2 and args:
            privileged, at = self._privilege_from_request(args)
            if at is not None:
                # A detector of its own: the framework rules speak of whole bodies and pipes, but a
                # field listed by name passes any whitelist; the generic rule says "roles on the server".
                self._hit("js.taint.privilege-field", at, f"{name}() sets `{privileged}` from the request: a user can "
                          "make themselves an administrator. Set privilege fields on the server (a default, or an "
                          "admin-only route), never from what the client sends.")
                return
            owner, at = self._privilege_from_request(args, D.OWNER_FIELD, "trust")
            if at is not None:
                self._hit("js.taint.owner-field", at, f"{name}() sets `{owner}` from the request: whose record this is "
                          "(its user or organisation) is chosen by the client, so any caller files records under "
                          "another account. Take it from the authenticated session, or check membership first.")
            for a in args:
                props = object_props(src, a)
                candidates = [props[k] for k in ("data", "create", "update", "$set", "values") if k in props] or \
                    ([a] if not props else self._spread_parts(a))
                for c in candidates:
                    v = self.taint(c)
                    if v & D.WHOLE and not v & KIND_BIT["mass-assignment"]:
                        self._hit("js.taint.mass-assignment", node, f"{name}() with the whole request body: list the fields a user may set (or parse with a schema).")
                        return
            return
        if key == ("Object", "assign") and len(args) >= 2 and unwrap(args[0]) is not None and unwrap(args[0]).type != "object":
            if any(self.taint(a) & D.WHOLE and not self.taint(a) & KIND_BIT["mass-assignment"] for a in args[1:]):
                self._hit("js.taint.mass-assignment", node, "Object.assign(record, request body) lets a user set any field: copy the allowed fields only.")
            return

        # file paths
        if name in D.FS_METHODS and (mod in D.FS_RECEIVERS or receiver in D.FS_RECEIVERS or (len(parts) == 1 and mod in self.idx.bindings)):
            if len(parts) == 1 and self.idx.bindings.get(name, "").split("|")[0] not in D.FS_RECEIVERS:
                return
            targets = args[:2] if name.startswith(("copy", "rename", "cp")) else args[:1]
            if any(bad(self.taint(a), "path") for a in targets):
                self._hit("js.taint.path", node, f"{name}() with a path from the request: take path.basename() or resolve it and check it stays under the base directory.")
            elif any(self._whole_path_dotdot_checked(a) for a in targets):
                self._hit("js.taint.path", node, f"{name}() with a path from the request that is only checked for \"..\": an absolute path "
                          "(/etc/passwd) passes; join it under the base directory and check the resolved path stays there.")
            return
        if name in D.SEND_FILE_METHODS and receiver in self.response_names and args:
            opts = next((a for a in args[1:] if object_props(src, a)), None)
            if (opts is None or "root" not in object_props(src, opts)) and bad(self.taint(args[0]), "path"):
                self._hit("js.taint.path", node, f"res.{name}() with a path from the request: pass {{ root }} and a basename, or check the resolved path.")
            elif opts is not None and bad(self.taint(args[0]), "path") and self._joined_below_root(args[0], object_props(src, opts)["root"], node):
                self._hit("js.taint.path", node, f"res.{name}() of a path joined from the request: path.join() removes the `..` "
                          "before send checks for it, so the file can be anywhere under `root`, not only in the folder joined "
                          "to. Pass that folder as `root` and the bare file name (or path.basename()) as the path.")
            return

        # SSRF
        http_call = (len(parts) == 1 and (name in D.FETCH_FUNCS or name in D.FETCH_MODULES
                                          or self.idx.bindings.get(name, "").split("|")[0] in D.HTTP_CLIENTS)) or (
            len(parts) >= 2 and name in D.HTTP_METHODS and (mod in D.HTTP_CLIENTS or receiver in D.HTTP_CLIENTS))
        if http_call and args and not (mod in D.REQUEST_NAMES and mod not in ("request",)):
            target = args[0]
            props = object_props(src, target)
            if props:
                target = props.get("url") or props.get("baseURL") or props.get("host") or props.get("hostname")
            if target is not None:
                v = self.taint(target)
                if bad(v, "ssrf") and not v & D.FIXED and not (unwrap(target) is not None and _fixed_prefix(src, unwrap(target))):
                    self._hit("js.taint.ssrf", node, "Outbound request to a URL from user input: allow-list hosts (parse with new URL and check .hostname) and block private addresses.")
            return

        # open redirect
        if (name in D.REDIRECT_METHODS or name in D.LOCATION_METHODS) and (
            (len(parts) == 1 and name == "redirect" and self.next_like)
            or parts[0] == "next/navigation"
            or (len(parts) >= 2 and (receiver in D.REDIRECT_RECEIVERS or receiver in self.response_names)
                and (name == "redirect" or receiver == "router"))
            or (len(parts) >= 2 and receiver == "location" and name in D.LOCATION_METHODS)
        ):
            for a in args:
                v = self.taint(a)
                if bad(v, "redirect") and not v & D.FIXED:
                    self._hit("js.taint.redirect", node, "Redirect to a URL from user input: allow-list targets or accept only same-site paths (start with '/', not '//').")
                    return
            return
        if self._zip_slip(node, name, args):
            return
        # res.render(view, locals): a view named by the request, or the whole request object as
        # the locals, which view engines also read options from (hbs/express-handlebars
        # `layout`, ejs `settings`/`filename`): the client picks the file rendered.
        if name == "render" and mod in self.response_names and len(parts) == 2 and args:
            if bad(self.taint(args[0]), "path") and not self.taint(args[0]) & D.FIXED:
                self._hit("js.taint.path", node, "res.render() of a view named by the request: map allowed names to views.")
            elif len(args) >= 2 and (v := self.taint(args[1])) & D.WHOLE and not v & KIND_BIT["mass-assignment"]:
                self._hit("js.taint.path", node, "res.render() with the whole request object as the view's locals: view engines read "
                          "options from them (layout, settings, filename), so the client picks a file to render; pass only the fields the view shows.")
            return
        # reflected XSS through the response
        if name in D.HTML_SENDERS and mod in self.response_names and args:
            v = self.taint(args[0])
            first = unwrap(args[0])
            if not bad(v, "xss") or (first is not None and first.type in ("object", "array")):
                return
            if mod == "reply" and "text/html" not in text(src, node):
                return
            if name == "send" and mod != "reply" or v & D.HTML or "text/html" in src.text:
                self._hit("js.taint.xss", node, f"Response {name}() of request input as HTML: escape it (escape-html) or use res.json / a template that escapes.")
            return
        if name in ("write", "writeln") and receiver == "document" and args:
            self._html_sink(args[0], node, "document.write")
        elif name == "insertAdjacentHTML" and len(args) >= 2:
            self._html_sink(args[1], node, "insertAdjacentHTML")
        elif name == "html" and len(parts) >= 2 and parts[0] in ("$", "jQuery") and args:
            self._html_sink(args[0], node, "jQuery .html()")
        elif name == "SafeString" and args:
            if bad(self.taint(args[0]), "xss"):
                self._hit("js.taint.xss", node, "SafeString marks request input as trusted HTML: let Handlebars escape it.")
        elif name == "RegExp" and len(parts) == 1 and args:
            if bad(self.taint(args[0]), "regex"):
                self._hit("js.taint.regex", node, "RegExp built from request input: escape it (escapeRegExp) or match literally; user patterns allow ReDoS.")
        elif name in D.REGEX_STRING_METHODS and len(parts) >= 2 and mod not in self.idx.modules and args:
            first = unwrap(args[0])
            if first is not None and first.type not in ("regex", "object") and bad(self.taint(first), "regex"):
                self._hit("js.taint.regex", node, f"String {name}() with request input: a string argument is compiled as a RegExp, so the "
                          "user writes the pattern (ReDoS); escape it or compare with includes().")
        elif mod in D.HTML_SERIALIZERS and len(parts) == 1 and args:
            opts = object_props(src, args[1]) if len(args) > 1 else {}
            if text(src, opts.get("unsafe")) == "true" and bad(self.taint(args[0]), "xss"):
                self._hit("js.taint.xss", node, "serialize-javascript with unsafe: true does not escape <, > or / in request input: "
                          "drop unsafe so the output can sit in a <script> block.")

    def _query_language(self, node: Node, parts: list[str], args: list[Node]) -> bool:
        """XPath expressions and LDAP filters built from request input; True when the call
        was one of those sinks (judged here, whatever the verdict)."""
        src = self.src
        name, mod = parts[-1], parts[0]
        receiver = parts[-2] if len(parts) >= 2 else ""
        if not args:
            return False
        if (name in D.XPATH_METHODS and (mod in D.XPATH_MODULES or receiver in D.XPATH_MODULES)) or (
                name == "evaluate" and receiver == "document"):
            first = unwrap(args[0])
            if first is not None and first.type != "object" and bad(self.taint(first), "xpath"):
                self._hit("js.taint.xpath", node, "XPath expression built from request input: pass values as variables (xpath.evaluate with a variables map) or compare them in code.")
            return True
        if name in D.LIBXML_XPATH and "libxmljs" in self.idx.modules:
            first = unwrap(args[0])
            if first is not None and first.type in ("template_string", "binary_expression") and bad(self.taint(first), "xpath"):
                self._hit("js.taint.xpath", node, "libxmljs XPath built from request input: select broadly and compare values in code.")
                return True
            return False
        if name == "create" and receiver in D.LLM_RECEIVERS:
            props = object_props(src, args[0])
            system = [props[k] for k in D.LLM_SYSTEM_KEYS if k in props]
            msgs = unwrap(props.get("messages") or props.get("input"))
            if msgs is not None and msgs.type == "array":
                system += [m for m in msgs.named_children
                           if re.search(r"""role\s*:\s*['"](?:system|developer)['"]""", text(src, m))]
            if any(bad(self.taint(v), "prompt") for v in system):
                self._hit("js.taint.prompt", node, "Request input in the LLM's system prompt: send user text as a user message and keep instructions constant.")
            return False
        if name in ("search", "authenticate") and len(args) >= 2 and any(m in self.idx.modules for m in D.LDAP_MODULES):
            opts = object_props(src, args[1])
            target = opts.get("filter") if opts else args[1]
            if name == "authenticate":
                target = args[0]
            if target is not None and bad(self.taint(target), "ldap"):
                self._hit("js.taint.ldap", node, "LDAP filter built from request input: escape values (ldap-escape's filter tag) or build filters with EqualityFilter objects.")
            return True
        return False

    def _helper_call(self, node: Node, helper: Node, called: str, other: Flow | None = None) -> None:
        """A call to a same-file function or method (or, with `other`, a function of another
        project file) with request input: report, at the call, each sink its body reaches
        with those arguments, with the steps from the call to the sink."""
        args = args_of(node)
        argv = tuple(self.taint(a) for a in args)
        if not any(v & D.TAINT for v in argv):
            return
        flow = other or self
        where = f" in {flow.src.path}" if other is not None else ""
        step = (self.src.path, node.start_point[0] + 1, f"request input passed to {called}(){where}")
        line = node.start_point[0] + 1
        at_call: set[str] = set()
        for detector, message, trace in flow.summary_of(helper, argv, 0, cross_file=other is not None)[1]:
            if detector not in at_call:  # at the call once per kind of sink; at each sink below
                at_call.add(detector)
                self.hits.append(Hit.at(detector, node, f"{message} (the input reaches it through {called}(){where})",
                                        trace=(step, *trace)))
            # Also at the sink itself, the line to fix (a model's query, a helper's redirect),
            # with the steps from this call: once per place, whichever route reaches it.
            path, sink_line, _ = trace[-1]
            if (path, sink_line) != (self.src.path, line):
                self.hits.append(Hit(detector, sink_line, 1, sink_line,
                                     f"{message} (request input reaches it from {self.src.path}:{line} through {called}())",
                                     path=None if path == self.src.path else path, trace=(step, *trace)))
            # A layered app (controller -> service -> database wrapper) builds the query in the
            # middle layer and hands it to a generic runner: report also at that hand-off, the
            # last hop before the sink when it lies in a third file, or in the sink's own file
            # when the sink sits in a local wrapper there (`execAsync(cmd)`, `requestOnce(url)`).
            if len(trace) >= 2:
                hop_path, hop_line, _ = trace[-2]
                if hop_path != self.src.path and (hop_path != path or hop_line != sink_line):
                    self.hits.append(Hit(detector, hop_line, 1, hop_line,
                                         f"{message} (built here from request input of {self.src.path}:{line}, run in {path}:{sink_line})",
                                         path=hop_path, trace=(step, *trace)))
        if "js.taint.sql" not in at_call:
            # SQL text built from request input and handed to the app's own query runner, whose
            # driver call the flow does not reach (a wrapper of an unknown client, a stub)
            for arg, v in zip(args, argv, strict=False):
                if bad(v, "sql") and self._sql_text(arg):
                    self._hit("js.taint.sql", node, f"SQL text built from request input is handed to {called}(){where}: "
                              "pass the values separately as bound parameters ($1 / ?), never inside the SQL string.")
                    break

    def _sql_text(self, node: Node | None) -> bool:
        """A string built by interpolation or concatenation that reads as a SQL statement, or a
        local name declared as one."""
        node = unwrap(node)
        if node is None:
            return False
        if node.type == "identifier":
            return text(self.src, node) in self.sql_texts
        return node.type in ("template_string", "binary_expression") and bool(_SQL_STATEMENT.match(text(self.src, node).lstrip("`'\"( ")))

    def _spread_parts(self, obj: Node | None) -> list[Node]:
        """The values spread into an object literal (`{ id, ...dto }` -> [dto]): the record a
        `preload`/`save` builds from it holds every field the spread value has."""
        obj = unwrap(obj)
        if obj is None or obj.type != "object":
            return []
        return [c.named_children[0] for c in obj.named_children if c.type == "spread_element" and c.named_children]

    def _zip_slip(self, node: Node, name: str, args: list[Node]) -> bool:
        """`zip.extractAllTo(dir)` of an archive built from request data (`new AdmZip(req.files.f.data)`)
        with a library version that does not keep entries inside the folder; True when judged."""
        if name not in _EXTRACTOR_METHODS:
            return False  # before the assignment lookup below, which reads the whole file's index
        fn = unwrap(node.child_by_field_name("function"))
        obj = unwrap(fn.child_by_field_name("object")) if fn is not None and fn.type == "member_expression" else None
        if obj is None or obj.type != "identifier" or not args:
            return False
        made = self._assigned_value(text(self.src, obj), node)
        if made is None or made.type not in ("call_expression", "new_expression"):
            return False
        module = resolve(self.src, self.idx, made)[:1]
        spec = D.UNSAFE_EXTRACTORS.get(module[0]) if module else None
        if spec is None or name not in spec[0]:
            return False
        if any(bad(self.taint(a), "path") for a in args_of(made)) and self._dependency_older(module[0], spec[1]):
            self._hit("js.taint.path", node, f"{name}() of an archive from the request with {module[0]} older than {spec[1]}: entries named "
                      f"../ are written outside the folder (zip slip); upgrade {module[0]}, or extract entry by entry and check each resolved path.")
        return True

    def _sandbox_receiver(self, call: Node, receiver: str) -> bool:
        """`box.run(...)` on a variable made by `new VM(...)` / `new NodeVM(...)` of a sandbox
        module (vm2), or `new NodeVM().run(...)` itself."""
        fn = unwrap(call.child_by_field_name("function"))
        obj = unwrap(fn.child_by_field_name("object")) if fn is not None and fn.type == "member_expression" else None
        if obj is not None and obj.type == "new_expression":
            return self._sandbox_made(obj)
        return receiver in self._sandbox_instances

    def _sandbox_made(self, made: Node) -> bool:
        ctor = text(self.src, made.child_by_field_name("constructor")).split(".")[0]
        return self.idx.bindings.get(ctor, "").split("|")[0] in D.SANDBOX_MODULES

    @cached_property
    def _sandbox_instances(self) -> frozenset[str]:
        names = set()
        for decl in self.idx.get("decl"):
            value = unwrap(decl.child_by_field_name("value"))
            name = decl.child_by_field_name("name")
            if value is not None and name is not None and name.type == "identifier" and value.type == "new_expression" \
                    and self._sandbox_made(value):
                names.add(text(self.src, name))
        return frozenset(names)

    @property
    def request_names(self) -> frozenset[str]:
        return self._handler_names[0]

    @property
    def response_names(self) -> frozenset[str]:
        return self._handler_names[1]

    @cached_property
    def _handler_names(self) -> tuple[frozenset[str], frozenset[str]]:
        """The names the request and the response go by here: the usual ones, and the first two
        parameters of each handler registered on a path (`app.get('/x', (rq, rs) => ...)`,
        `router.route('/x').post(handler)`, a four-parameter error handler's second and third)."""
        reqs, resps = set(D.REQUEST_NAMES), set(D.RESPONSE_NAMES)
        src = self.src
        if not any(f".{verb}(" in src.text for verb in D.ROUTE_VERBS):
            return frozenset(reqs), frozenset(resps)
        for call in self.idx.get("call"):
            fn = unwrap(call.child_by_field_name("function"))
            if fn is None or fn.type != "member_expression" or text(src, fn.child_by_field_name("property")) not in D.ROUTE_VERBS:
                continue
            args = args_of(call)
            obj = unwrap(fn.child_by_field_name("object"))
            first = unwrap(args[0]) if args else None
            if first is None or obj is None:
                continue
            if first.type in ("string", "template_string"):
                handlers = args[1:]
            elif obj.type == "call_expression" and callee_name(src, obj) == "route":
                handlers = args
            else:
                continue
            for arg in handlers:
                handler = unwrap(arg)
                if handler is not None and handler.type == "identifier":
                    handler = self.local_function(text(src, handler))
                if handler is None or handler.type not in FUNCTION_TYPES:
                    continue
                names = [text(src, t) if (t := param_target(p)).type == "identifier" else "" for p in params_of(handler)]
                if len(names) == 4:
                    names = names[1:]  # (err, req, res, next)
                if len(names) >= 2 and names[0] and names[1] and not {names[0], names[1]} & D.NOT_REQUEST_ALIASES:
                    reqs.add(names[0])
                    resps.add(names[1])
        return frozenset(reqs), frozenset(resps)

    def _dependency_older(self, package: str, fixed: str) -> bool:
        """The project depends on `package` at a version known to be below `fixed`."""
        from packaging.version import InvalidVersion, Version

        from auditor.stack.ecosystems.base import version_from_spec

        for dep in self.src.project.dependencies if self.src.project is not None else ():
            version = dep.version or version_from_spec(dep.spec) if dep.name == package else None
            if version:
                try:
                    return Version(version) < Version(fixed)
                except InvalidVersion:
                    return False
        return False

    @cached_property
    def _uses_supabase(self) -> bool:
        """supabase-js (or its PostgREST client) required here or a dependency of the project."""
        if any(m in self.idx.modules for m in D.POSTGREST_MODULES):
            return True
        return self.src.project is not None and any(d.name in D.POSTGREST_MODULES for d in self.src.project.dependencies)

    @cached_property
    def _uses_pg_promise(self) -> bool:
        """pg-promise required here, or a dependency of the project (its handle made elsewhere)."""
        if "pg-promise" in self.idx.modules:
            return True
        return self.src.project is not None and any(d.name == "pg-promise" for d in self.src.project.dependencies)

    @cached_property
    def _operators_stripped(self) -> bool:
        """express-mongo-sanitize installed (a dependency of the project, or its middleware in
        this file) or Mongoose's `sanitizeFilter` on: `$`-keys are removed from request objects
        (or filters) app-wide, so a request value in a filter can no longer carry an operator."""
        deps = {d.name for d in self.src.project.dependencies} if self.src.project is not None else set()
        return "express-mongo-sanitize" in deps or bool(_OPERATOR_STRIPPING.search(self.src.text))

    def _privilege_from_request(self, args: list[Node], fields: re.Pattern[str] = D.PRIVILEGE_FIELD,
                                kind: str = "mass-assignment") -> tuple[str, Node | None]:
        """A privilege field (`role`, `isAdmin`, `permissions`; or, with `fields`, another family
        such as the owner fields) of the record a write takes, given a value from the request
        (`{ email: dto.email, role: dto.role }`), and its pair."""
        for a in args:
            props = object_props(self.src, a)
            for record in [props[k] for k in ("data", "create", "update", "$set", "values") if k in props] or [a]:
                for key, value in object_props(self.src, record).items():
                    if fields.match(key) and bad(self.taint(value), kind):
                        return key, value.parent if value.parent is not None and value.parent.type == "pair" else value
        return "", None

    def _joined_below_root(self, arg: Node, root: Node, at: Node) -> bool:
        """`arg` is a path.join/resolve/normalize (directly or through the local it was last given)
        whose base differs from the `root` option: the join collapses `..` before `send` sees it,
        so `root` no longer keeps the file inside the joined folder."""
        value = unwrap(arg)
        if value is not None and value.type == "identifier":
            value = self._assigned_value(text(self.src, value), at)
        if value is None or value.type != "call_expression":
            return False
        parts = callee_parts(self.src, value)
        if not parts or parts[-1] not in ("join", "resolve", "normalize") or (len(parts) > 1 and parts[-2] not in ("path", "posix", "win32")):
            return False
        joined = args_of(value)
        base = text(self.src, joined[0]) if len(joined) > 1 else ""
        return bool(base) and base != text(self.src, root) and self._plain_path(base) != self._plain_path(text(self.src, root))

    @staticmethod
    def _plain_path(literal: str) -> str:
        """'./uploads/' and "uploads" name the same folder."""
        return literal.strip("'\"`").removeprefix("./").rstrip("/") or "."

    def _assigned_value(self, name: str, at: Node) -> Node | None:
        """The value `name` was declared or assigned with last before `at`, within the function
        holding `at` (None when not assigned there)."""
        scope = enclosing_function(at)
        found: Node | None = None
        for kind in ("decl", "assign"):
            for node in self.idx.get(kind):
                if node.start_byte >= at.start_byte or (scope is not None and not scope.start_byte <= node.start_byte < scope.end_byte):
                    continue
                target = node.child_by_field_name("name") or node.child_by_field_name("left")
                if target is None or target.type != "identifier" or text(self.src, target) != name:
                    continue
                if found is None or node.start_byte > found.start_byte:
                    found = node
        return unwrap(found.child_by_field_name("value") or found.child_by_field_name("right")) if found is not None else None

    def _constant_text(self, node: Node | None, at: Node) -> bool:
        """A literal, or a template whose substitutions are names last given a literal before
        `at` (`var type = 'public'; { $where: `this.type == '${type}'` }`)."""
        node = unwrap(node)
        if is_constant(self.src, node):
            return True
        if node is None or node.type != "template_string":
            return False
        for sub in node.named_children:
            if sub.type != "template_substitution":
                continue
            inner = unwrap(sub.named_children[0]) if sub.named_children else None
            given = self._assigned_value(text(self.src, inner), at) if inner is not None and inner.type == "identifier" else None
            if given is None or not is_constant(self.src, given):
                return False
        return True

    def _mongo_filter(self, call: Node, node: Node, depth: int) -> None:
        src = self.src
        inner = unwrap(node)
        if inner is None or depth > 4:
            return
        if inner.type == "identifier":
            # `const query = { $where: ... }; collection.find(query)`: judge the object the
            # variable was last given before the call, in the same function.
            # (Keys added to it later still count through the variable's taint, below.)
            built = self._assigned_value(text(src, inner), call)
            before = len(self.hits)
            if built is not None and built.type == "object":
                self._mongo_filter(call, built, depth + 1)
                if len(self.hits) > before:
                    return
        if inner.type != "object":
            v = self.taint(inner)
            if v & D.OBJ and not v & KIND_BIT["nosql"] and not self._operators_stripped:
                self._hit("js.taint.nosql", call, "Query filter taken from the request can carry operators ($ne, $gt, $where): cast values with String() or validate with a schema.")
            return
        for child in inner.named_children:
            if child.type == "pair":
                key_node = child.child_by_field_name("key")
                key = string_value(src, key_node) if key_node is not None and key_node.type == "string" else text(src, key_node)
                value = child.child_by_field_name("value")
                if value is None:
                    continue
                if key == "$where":
                    if not self._constant_text(value, call):
                        self._hit("js.taint.nosql", call, "$where runs JavaScript in the database: replace it with query operators.")
                        return
                    continue
                if key == "$regex" and bad(self.taint(value), "regex"):
                    self._hit("js.taint.nosql", call, "$regex from request input: escape it (escapeRegExp) or use an exact match.")
                    return
                if key.startswith("$") and key not in ("$or", "$and", "$nor"):
                    continue  # explicit operator: the value is used as a value
                if unwrap(value) is not None and unwrap(value).type in ("object", "array"):
                    for sub in ([value] if unwrap(value).type == "object" else unwrap(value).named_children):
                        self._mongo_filter(call, sub, depth + 1)
                    continue
                v = self.taint(value)
                if v & D.OBJ and not v & KIND_BIT["nosql"] and not self._operators_stripped:
                    self._hit("js.taint.nosql", call, f"Filter value `{key}` comes from the request unchanged and can be an operator object: use String() or validate with a schema.")
                    return
            elif child.type in ("shorthand_property_identifier", "spread_element"):
                v = self.taint(child)
                if v & D.OBJ and not v & KIND_BIT["nosql"] and not self._operators_stripped:
                    self._hit("js.taint.nosql", call, "Filter value comes from the request unchanged and can be an operator object: use String() or validate with a schema.")
                    return


_TYPED_MEMBER = re.compile(r"\b(?:private|protected|public|readonly)\s+(?:readonly\s+)?([A-Za-z_$][\w$]*)\s*(?::|=\s*new)\s*([A-Z][\w$]*)\b")
_TYPEOF_PRIMITIVE = re.compile(
    r"""typeof\s*\(?\s*([\w$.\[\]'"]+?)\s*\)?\s*[!=]==?\s*['"](?:string|number|boolean)['"]"""
    r"""|['"](?:string|number|boolean)['"]\s*[!=]==?\s*typeof\s*\(?\s*([\w$.\[\]'"]+?)\s*\)?(?![\w$.\[])"""
)
_OPERATOR_STRIPPING = re.compile(r"""require\(\s*['"]express-mongo-sanitize['"]|from\s+['"]express-mongo-sanitize['"]|set\(\s*['"]sanitizeFilter['"]\s*,\s*true""")


def _mongo_style_update(src: SourceFile, call: Node, parts: list[str], args: list[Node]) -> bool:
    """`x.update(filter, changes[, options])` in the MongoDB/Mongoose/MarsDB/NeDB shape, told
    apart from the many other `update`s (hash.update(data), Sequelize `update(values, { where
    })`, TypeORM `update(id, values)`): the filter is an object literal and the call shows it is
    a document store: an `_id` key, a `$set`-style operator in the changes, `multi`/`upsert`
    options, or a receiver that is a collection."""
    first = unwrap(args[0]) if args else None
    if len(args) < 2 or first is None or first.type != "object":
        return False
    filt = object_props(src, args[0])
    if not filt or any(k in filt for k in ("where", "data")):
        return False
    if any("where" in object_props(src, a) for a in args[1:]):
        return False
    if "_id" in filt:
        return True
    if any(k.startswith("$") for k in object_props(src, args[1])):
        return True
    if len(args) >= 3 and any(k in ("multi", "upsert") for k in object_props(src, args[2])):
        return True
    receiver = unwrap(call.child_by_field_name("function"))
    obj = unwrap(receiver.child_by_field_name("object")) if receiver is not None and receiver.type == "member_expression" else None
    if obj is None:
        return False
    if obj.type == "call_expression" and callee_parts(src, obj)[-1:] == ["collection"]:
        return True  # db.collection('reviews').update(...)
    return bool(re.search(r"(?i)(?:collection|coll)$", parts[-2]))


_WORD = re.compile(r"[A-Za-z_$][\w$]*")


def _branches_use_tested(src: SourceFile, cond: Node, cons: Node | None, alt: Node | None) -> bool:
    """A ternary's condition guards a value only when a name it tests is used in a branch."""
    tested = set(_WORD.findall(re.sub(r"(['\"`]).*?\1", "", text(src, cond))))
    used = set(_WORD.findall(" ".join(text(src, b) for b in (cons, alt) if b is not None)))
    return bool(tested & used)


# Prefix tests with an open end do not allow-list (see _sanitize_by_condition).
_OPEN_ORIGIN = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://[^/]*$")
_OPEN_FOLDER = re.compile(r"^/.*[^/]$")


def _anchored(pattern: str) -> bool:
    r"""A regex literal that pins the whole value (`^...$`) or a prefix ending at a path
    separator (`^https:\/\/app\.example\.com\/`): unanchored ones match anywhere."""
    if not pattern.startswith("^"):
        return False
    return pattern.endswith("$") or pattern.endswith(("\\/", "/"))


_BRANCHES = frozenset({"if_statement", "else_clause", "switch_case", "switch_default", "catch_clause",
                       "ternary_expression"})
_SCOPES = frozenset({"function_declaration", "function_expression", "arrow_function", "method_definition",
                     "generator_function_declaration", "program"})


def _in_branch(node: Node) -> bool:
    """The node sits in a conditional branch of its function (not at its top level)."""
    p = node.parent
    while p is not None and p.type not in _SCOPES:
        if p.type in _BRANCHES:
            return True
        p = p.parent
    return False


def _flow_for(src: SourceFile) -> Flow | None:
    """A flow over another project file reached through the project index."""
    idx = index(src)
    return Flow(src, idx) if idx is not None else None


def _calls_in(node: Node) -> list[Node]:
    out, stack = [], [node]
    while stack:
        n = stack.pop()
        if n.type == "call_expression":
            out.append(n)
        stack.extend(n.named_children)
    return out


def _component_name(src: SourceFile, fn: Node) -> str:
    """The declared name of a function (`function Card`, `const Card = () =>`), else ''."""
    name = fn.child_by_field_name("name")
    if name is None and fn.parent is not None and fn.parent.type == "variable_declarator":
        name = fn.parent.child_by_field_name("name")
    return text(src, name) if name is not None else ""


_NEST_REDIRECT = re.compile(r"@Redirect\(")
_HTML_HEADER = re.compile(r"""@Header\(\s*['"]content-type['"]\s*,\s*['"]text/html""", re.I)


def _returns(fn: Node) -> list[Node]:
    """The values `fn` returns: an arrow's expression body, or the `return` statements of its
    body, not those of functions nested in it."""
    body = fn.child_by_field_name("body")
    if body is None:
        return []
    if body.type != "statement_block":
        return [body]
    out: list[Node] = []
    stack = list(body.named_children)
    while stack:
        n = stack.pop()
        if n.type == "return_statement":
            out.extend(c for c in n.named_children if c.type != "comment")
        elif n.type not in FUNCTION_TYPES and n.type not in ("class_declaration", "class"):
            stack.extend(n.named_children)
    return out


def _primitive_annotation(src: SourceFile, param: Node) -> bool:
    """`id: string` / `n: number`: such a value cannot carry query operators once checked;
    it is still a string chosen by the client."""
    ann = next((c for c in param.named_children if c.type == "type_annotation"), None)
    return ann is not None and text(src, ann).lstrip(":").strip() in ("string", "number", "boolean", "bigint")


def _typed_with_class(src: SourceFile, param: Node) -> bool:
    """`@Body() dto: CreateUserDto` (validated by a ValidationPipe) vs `@Body() body: any`."""
    ann = next((c for c in param.named_children if c.type == "type_annotation"), None)
    if ann is None:
        return False
    t = text(src, ann).lstrip(":").strip()
    return bool(t) and t[0].isupper() and not t.startswith(("Record", "Partial", "Object", "Array"))


def _whole_dto(src: SourceFile, param: Node) -> bool:
    """`@Body() dto: UpdateUserDto`: the whole body under a class type (not `@Body('name')`)."""
    decorator = next((c for c in param.children if c.type == "decorator"), None)
    return decorator is not None and re.fullmatch(r"@Body\(\s*\)", text(src, decorator)) is not None


def _is_next(src: SourceFile, idx: JsIndex) -> bool:
    """Next.js code: imports from next, a server/client directive, or an app/pages file."""
    if any(m == "next" or m.startswith("next/") for m in idx.modules):
        return True
    head = src.text[:200]
    if "use server" in head or "use client" in head:
        return True
    segs = src.path.split("/")
    return ("app" in segs or "pages" in segs) and segs[-1].split(".")[0] in ("page", "route", "layout", "actions", "middleware")


class TaintCheck(Check):
    languages = JS_LANGUAGES
    detectors = DETECTORS

    def run(self, src: SourceFile) -> Iterable[Hit]:
        relevant = mentions(src.text, _SOURCE_NEEDLES) or mentions(src.text, _SINK_ONLY_NEEDLES)
        library = src.library and api_file(src.path)
        if not (relevant or library):
            return []
        idx = index(src)
        if idx is None:
            return []
        hits = Flow(src, idx).run() if relevant else []
        if library:
            hits = merge_caller_hits(hits, _library_pass(src, idx))
        return hits


def _library_pass(src: SourceFile, idx: JsIndex) -> list[Hit]:
    """Library mode: the file again with the data parameters of its exported functions bound as
    the caller's input. Each hit is told as coming from the innermost exported function around
    it; a hit outside every exported function (a name reused at module level) is dropped."""
    flow = Flow(src, idx)
    public = public_functions(flow)
    spans = []
    for fn in idx.get("func"):
        if fn.start_byte in public:
            params = data_parameters(flow, fn)
            if params:
                flow.caller_params[fn.start_byte] = params
                spans.append((fn.start_point[0] + 1, fn.end_point[0] + 1, public[fn.start_byte]))
    if not spans:
        return []
    out = []
    for hit in flow.run():
        around = [s for s in spans if s[0] <= hit.line <= s[1] and hit.path in (None, src.path)]
        if around:
            start, _, name = min(around, key=lambda s: s[1] - s[0])
            out.append(caller_hit(hit, src.path, name, start))
    return out


CHECKS = [TaintCheck()]

"""Intra-procedural taint for Python web handlers, driven by taint_data.

Each function is walked once, statement by statement, keeping which local names hold
request data (a `Taint`: the sink kinds the value is still dangerous for, whether it
comes from the request or only from a plain parameter, and whether it was built by
string formatting). Sinks are checked as calls are met; object lookups by a
request-supplied id are remembered and reported at the end of a handler that shows no
ownership or permission check (broken access control).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from tree_sitter import Node

from auditor.findings import Severity
from auditor.scan.checks.python import taint_data as D
from auditor.scan.checks.python.facts import (
    FunctionDef,
    PyFacts,
    arguments,
    callee,
    collect,
    decorator_call,
    enclosing,
    is_literal,
    string_value,
    text,
)
from auditor.scan.checks.python.frameworks import (
    ROUTE_METHODS,
    framework_of,
    graphql_arguments,
    is_django_view,
    is_stdlib_handler,
    param_names,
    route_of,
    spec_route,
)
from auditor.scan.checks.python.library import constructor_fields, data_parameters, public_functions
from auditor.scan.interface import Check, Hit, SourceFile
from auditor.scan.library import api_file, caller_hit, merge_caller_hits
from auditor.scan.treeutil import walk


class Taint:
    """What a value carries: `kinds` it is still dangerous for (empty = user-derived but
    sanitized, e.g. an int id), `strong` (from the request, not just a parameter),
    `built` (made by string formatting)."""

    __slots__ = ("kinds", "strong", "built")

    def __init__(self, kinds: frozenset[str], strong: bool = True, built: bool = False) -> None:
        self.kinds = kinds
        self.strong = strong
        self.built = built

    def minus(self, kinds: Iterable[str]) -> Taint:
        return Taint(self.kinds - frozenset(kinds), self.strong, self.built)

    def as_built(self) -> Taint:
        return self if self.built else Taint(self.kinds, self.strong, True)


def merge(*taints: Taint | None) -> Taint | None:
    present = [t for t in taints if t is not None]
    if not present:
        return None
    if len(present) == 1:
        return present[0]
    kinds: frozenset[str] = frozenset().union(*(t.kinds for t in present))
    return Taint(kinds, any(t.strong for t in present), any(t.built for t in present))


_SINKS_BY_NAME: dict[str, list[D.Sink]] = {}
_SINKS_BY_METHOD: dict[str, list[D.Sink]] = {}
for _s in D.SINKS:
    for _n in _s.names:
        _SINKS_BY_NAME.setdefault(_n, []).append(_s)
    for _m in _s.methods:
        _SINKS_BY_METHOD.setdefault(_m, []).append(_s)

# A literal prefix that fixes scheme and host (or a local path): what follows cannot move
# the request or the redirect to another host.
_FIXED_ORIGIN = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*://[^/\s{}%]+/|/[^/\\\s{}%]|\x00/)")
# A negated character class of word characters only (`[^\w]`, `[^a-zA-Z0-9_-]`, `\W+`): what
# re.sub(pattern, "", v) leaves is letters, digits, `_` and `-`.
_SAFE_CHARS_REMOVED = re.compile(r"^(?:\[\^(?:\\w|\\d|a-z|A-Z|0-9|_|-)+\]|\\W)[+*]?$")
# An HTML meta refresh whose URL is filled in: `<meta http-equiv="refresh" content="0; url=%s">`.
_META_REFRESH = re.compile(r"http-equiv\s*=\s*\\?[\"']?refresh[^>]*\burl\s*=\s*\\?['\"]?$", re.I)
# A file that imports a framework's global request object (whose functions may read it).
_GLOBAL_REQUEST_IMPORT = re.compile(r"^\s*from\s+(?:flask|quart|bottle)\s+import\s[^\n]*\brequest\b", re.M)
# The program a shell command string starts with, when it fetches a URL.
_FETCH_COMMAND = re.compile(r"^\s*(?:\S*/)?(?:curl|wget)\b")
_WEAK_SINK_TEXT = re.compile(
    r"execute|\.raw\(|text\(|system\(|popen|subprocess|eval\(|exec\(|pickle|marshal|shelve|read_sql|RawSQL|"
    r"unsafe_load|jsonpickle|dill\.|joblib|read_pickle|xpath|XPath|find(?:all|text)?\(|iterfind|search(?:_ext)?(?:_s)?\(|"
    r"SystemMessage|system="
)
_OWNER_KW = re.compile(r"^(?:user|owner|author|created_by|creator|account|tenant|organization|org|customer|member|"
                       r"profile|uploaded_by|submitted_by)(?:_id)?$|__(?:user|owner|author)")
# Lookups by a record key (not by username or email, which is how logins find a user).
_ID_KEY = re.compile(r"^(?:id|pk|uuid|slug|key|\w+_id|\w+_pk|\w+_uuid)(?:__(?:exact|iexact))?$")
_ID_COMPARE = re.compile(r"\.(?:id|pk|uuid|slug|\w+_id)\s*==")
_OWNER_TEXT = re.compile(r"\b(?:user|owner|author|tenant|account|created_by)(?:_id)?\b|current_user|request\.user")
OWNERSHIP = re.compile(
    r"(?:owner|user|author|created_by|creator|account|tenant|org|organization|customer|member|uploaded_by)(?:_id)?"
    r"\s*(?:==|!=|=)(?!=)\s*(?:self\.)?(?:request\.user|current_user|g\.user|user|me|get_current_user)\b"
    r"|(?:request\.user|current_user|g\.user)(?:\.\w+)?\s*(?:==|!=|\bin\b|\bnot\s+in\b)"
    r"|(?:==|!=)\s*(?:self\.)?(?:request\.user|current_user|g\.user)\b"
    r"|(?:request\.user|current_user|g\.user)\.\w+(?:_set)?\.(?:get|filter|all)\("
    r"|has_perm|has_object_permission|check_object_permissions|user_passes_test|permission_required|"
    r"PermissionRequiredMixin|UserPassesTestMixin|get_objects_for_user|is_staff|is_superuser|is_admin|"
    r"\bPermissionDenied\b|abort\(\s*403|HTTP_403|status_code\s*=\s*403|Forbidden|"
    r"\bauthorize\w*\(|check_permission|require_permission|can_(?:view|edit|access|delete|update|read|modify)|"
    # staff-only views: DRF's IsAdminUser permission, Django admin's decorators
    r"\bIsAdminUser\b|staff_member_required|superuser_required|admin_required"
)
_PRIVILEGE_FIELD = re.compile(r"^(?:is_?)?(?:admin|administrator|superuser|staff|root)$|^(?:role|roles|user_role|permissions|"
                              r"privileges?|access_level|user_type|group|groups)$", re.I)
_REFUSAL = re.compile(r"\bPermissionDenied\b|abort\(\s*403|HTTP_403|status_code\s*=\s*403|Forbidden")
_AUTH_CONTEXT = re.compile(
    r"login_required|current_user|request\.user|get_current_user|IsAuthenticated|LoginRequiredMixin|"
    r"Depends\(\s*(?:get_current|current|auth|verify|require)|jwt_required|auth_required|token_required|"
    r"session\[|g\.user|Security\(|"
    # the handler reads the caller's credentials itself (`token_validator(request.headers.get("Authorization"))`)
    r"headers\s*(?:\.get\(\s*|\[\s*)['\"]Authorization['\"]|HTTP_AUTHORIZATION"
)
_WRITE_CONTEXT = re.compile(
    r"\.delete\(|\.update\(|\.save\(|\.commit\(|setattr\(|\.remove\(|db\.session\.delete|"
    r"methods\s*=\s*\[[^\]]*(?:POST|PUT|PATCH|DELETE)|@\w+\.(?:put|patch|delete|post)\(|def (?:put|patch|delete|post|"
    r"update|destroy|partial_update)\("
)
_SENSITIVE_NAME = re.compile(r"^(?:[A-Z]\w*)$")
_EXTRA_ALLOW = re.compile(r"""extra\s*=\s*(?:['"]allow['"]|Extra\.allow)""")


@dataclass
class _Found:
    kind: str
    node: Node
    severity: Severity | None
    message: str
    trace: tuple[tuple[str, int, str], ...] = ()  # steps inside helpers, from call to sink


@dataclass
class _Summary:
    """What one same-file helper does with the tainted arguments of a call: the sinks they
    reach inside it (kind, severity, message) and the taint of its return value."""

    sinks: list[tuple[str, Severity | None, str, tuple[tuple[str, int, str], ...]]]  # kind, severity, message, trace
    returned: Taint | None
    lookup: bool = False  # loads a record by a request id with no ownership check inside
    files: tuple[str, ...] = ()  # other files the summary read (its cache dependencies)
    literal: bool = False  # every value it returns is made of the program's literals

    def to_json(self) -> dict:
        return {"sinks": [[k, int(s) if s is not None else None, m, [list(t) for t in tr]] for k, s, m, tr in self.sinks],
                "returned": _taint_json(self.returned), "lookup": self.lookup, "files": list(self.files),
                "literal": self.literal}

    @classmethod
    def from_json(cls, data: dict) -> _Summary:
        sinks = [(k, Severity(s) if s is not None else None, m, tuple((p, ln, n) for p, ln, n in tr))
                 for k, s, m, tr in data["sinks"]]
        ret = data.get("returned")
        returned = Taint(frozenset(ret[0]), ret[1], ret[2]) if ret else None
        return cls(sinks, returned, bool(data.get("lookup")), tuple(data.get("files", ())), bool(data.get("literal")))


def _taint_json(t: Taint | None) -> list | None:
    return [sorted(t.kinds), t.strong, t.built] if t is not None else None


@dataclass
class _FileCtx:
    src: SourceFile
    facts: PyFacts
    framework: str | None
    request_aliases: frozenset[str]
    found: list[_Found] = field(default_factory=list)
    _ssrf_guards: frozenset[str] | None = None

    _open_models: frozenset[str] | None = None
    # Same-file helpers: called name -> its definitions (built on first use), summaries of a
    # helper's sinks and return taint per binding of tainted parameters, and the helpers
    # being analysed now (recursion guard).
    _helpers: dict[str, list[FunctionDef]] | None = None
    summaries: dict[tuple[int, tuple[tuple[str, frozenset[str], bool, bool], ...]], _Summary] = field(
        default_factory=dict)
    active: set[int] = field(default_factory=set)
    literal_results: dict[int, bool] = field(default_factory=dict)  # helper -> returns literals given literals
    # Library mode: public API function (start byte of its def) -> its parameters that carry
    # the caller's data (empty in an ordinary scan).
    library: dict[int, list[str]] = field(default_factory=dict)

    def helpers(self) -> dict[str, list[FunctionDef]]:
        """Functions and methods of this file by name, minus request handlers (entry
        points with their own sources, not helpers a handler hands values to)."""
        if self._helpers is None:
            table: dict[str, list[FunctionDef]] = {}
            for f in self.facts.functions:
                if route_of(f) is None and not (f.klass is not None and is_django_view(f)):
                    table.setdefault(f.name, []).append(f)
            self._helpers = table
        return self._helpers

    def open_models(self) -> frozenset[str]:
        """Pydantic models of this file that keep undeclared fields (extra="allow"): their
        model_dump() holds whatever keys the client sent."""
        if self._open_models is None:
            self._open_models = frozenset(
                text(c.child_by_field_name("name")) for c in self.facts.classes
                if _EXTRA_ALLOW.search(text(c.child_by_field_name("body"))))
        return self._open_models

    _auth_names: frozenset[str] | None = None

    def auth_names(self) -> frozenset[str]:
        """Module-level names bound to an authentication dependency: `UserDep =
        Annotated[User, Depends(get_current_user)]` used as a parameter annotation, or
        `router = APIRouter(dependencies=[Depends(require_user)])` routing the handler."""
        if self._auth_names is None:
            names: set[str] = set()
            for node, scope in self.facts.assignments:
                left = node.child_by_field_name("left")
                if scope == "module" and left is not None and left.type == "identifier" and _AUTH_CONTEXT.search(
                        text(node.child_by_field_name("right"))):
                    names.add(text(left))
            self._auth_names = frozenset(names)
        return self._auth_names

    _sandboxes: frozenset[str] | None = None

    def sandboxes(self) -> frozenset[str]:
        """Names (`sandbox`, `self.env`) bound in this file to a Jinja sandboxed
        environment: its from_string() is the documented way to render user templates."""
        if self._sandboxes is None:
            names: set[str] = set()
            for node, _scope in self.facts.assignments:
                right = node.child_by_field_name("right")
                if right is not None and right.type == "call" and _is_sandbox_ctor(right, self.facts):
                    names.add(text(node.child_by_field_name("left")))
            self._sandboxes = frozenset(names)
        return self._sandboxes

    _request_getters: frozenset[str] | None = None

    def request_getters(self) -> frozenset[str]:
        """Same-file functions that read the global request themselves (Flask/Quart's or
        Bottle's `request`): `def _user_input(): return request.args.get("q")`. A call to one is a
        source even with no tainted argument."""
        if self._request_getters is None:
            names: set[str] = set()
            globals_ = {k for k, v in self.facts.imports.items() if v in ("flask.request", "quart.request", "bottle.request")}
            if globals_:
                reads = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(globals_))) + r")\s*\.\s*(?:"
                                   + "|".join(sorted(D.SCALAR_ATTRS | D.JSON_ATTRS | D.JSON_METHODS | D.SCALAR_METHODS))
                                   + r")\b")
                for name, defs in self.helpers().items():
                    if any(reads.search(text(f.node.child_by_field_name("body")))
                           and not any(p in globals_ for p, _ in param_names(f.node)) for f in defs):
                        names.add(name)
            self._request_getters = frozenset(names)
        return self._request_getters

    _class_names: frozenset[str] | None = None

    def class_names(self) -> frozenset[str]:
        """Names of the classes this file defines."""
        if self._class_names is None:
            self._class_names = frozenset(text(c.child_by_field_name("name")) for c in self.facts.classes)
        return self._class_names

    _imported_getters: frozenset[str] | None = None

    def imported_getters(self) -> frozenset[str]:
        """Names this file imports from another project file whose function reads the global
        request itself (`from utils.main import get_user_input`): calling one is a source."""
        if self._imported_getters is None:
            names: set[str] = set()
            index = self.src.index
            called = {m for _call, q, m in self.facts.named_calls() if q and q != m and "." in q} if index is not None else set()
            for name, origin in self.facts.imports.items() if called else ():
                if name not in called or "." not in origin:
                    continue
                found = index.resolve_python(self.src.path, origin)
                if found is None or len(found[1]) != 1:
                    continue
                # Parse the other file only when its text could hold such a getter.
                other_src = index.source(found[0])
                if other_src is None or not _GLOBAL_REQUEST_IMPORT.search(other_src.text) or \
                        not re.search(rf"\bdef\s+{re.escape(found[1][0])}\s*\(", other_src.text):
                    continue
                other = index.memo("python", found[0], _file_ctx)
                if other is not None and other is not self and found[1][0] in other.request_getters():
                    names.add(name)
            self._imported_getters = frozenset(names)
        return self._imported_getters

    _raw_envs: frozenset[str] | None = None

    def raw_envs(self) -> frozenset[str]:
        """Names bound in this file to a Jinja Environment that does not escape
        (`env = Environment(loader=...)`, autoescape missing or False)."""
        if self._raw_envs is None:
            names: set[str] = set()
            for node, _scope in self.facts.assignments:
                right = node.child_by_field_name("right")
                if right is None or right.type != "call" or callee(right, self.facts)[0] != "jinja2.Environment":
                    continue
                ae = arguments(right)[1].get("autoescape")
                if ae is None or text(ae) in ("False", "None", "0"):
                    names.add(text(node.child_by_field_name("left")))
            self._raw_envs = frozenset(names)
        return self._raw_envs

    _rule_views: frozenset[str] | None = None

    def rule_views(self) -> frozenset[str]:
        """Functions this file registers as Flask views without a decorator:
        `bp.add_url_rule(rule, endpoint, view_func)` (often in a loop, for generated routes)."""
        if self._rule_views is None:
            names: set[str] = set()
            for call, _q, m in self.facts.named_calls():
                if m != "add_url_rule":
                    continue
                pos, kws = arguments(call)
                view = kws.get("view_func") or (pos[2] if len(pos) > 2 else None)
                if view is not None and view.type == "identifier":
                    names.add(text(view))
            self._rule_views = frozenset(names)
        return self._rule_views

    def ssrf_guards(self) -> frozenset[str]:
        """Functions and methods of this file that test a host's address class (computed
        on first use: most files never validate a URL)."""
        if self._ssrf_guards is None:
            self._ssrf_guards = frozenset(
                f.name for f in self.facts.functions if any(a in text(f.node) for a in D.ADDRESS_CLASS_TESTS))
        return self._ssrf_guards


def _base_annotation(ann: str) -> str:
    """`Annotated[str, Query()]` -> `str`; `Optional[int]` / `int | None` -> `int`."""
    ann = ann.strip()
    for wrapper in ("Annotated[", "Optional[", "typing.Annotated[", "typing.Optional["):
        if ann.startswith(wrapper):
            inner = ann[len(wrapper):-1]
            depth = 0
            for i, ch in enumerate(inner):
                if ch in "[(":
                    depth += 1
                elif ch in "])":
                    depth -= 1
                elif ch == "," and depth == 0:
                    inner = inner[:i]
                    break
            return _base_annotation(inner)
    parts = [p.strip() for p in ann.split("|") if p.strip() not in ("None", "")]
    return parts[0] if parts else ""


# Flow state saved and joined at branches: taints, constants, quotes a value cannot hold.
_State = tuple[dict[str, "Taint"], dict[str, int | str], dict[str, frozenset[str]], frozenset[str]]


class _Function:
    """Taint state for one function body."""

    def __init__(self, ctx: _FileCtx, fn: FunctionDef | None) -> None:
        self.ctx = ctx
        self.fn = fn
        self.env: dict[str, Taint] = {}
        self.request_names: set[str] = set(D.REQUEST_NAMES) | set(ctx.request_aliases)
        self.clients: set[str] = set()
        self.lookups: list[Node] = []
        self.url_parts: dict[str, str] = {}  # parts = urlsplit(url): checking parts checks url
        self.resolved: dict[str, str] = {}  # ip = gethostbyname(urlparse(url).hostname): ip -> url
        self.returns_html = False
        self.handler = False
        self.returned: Taint | None = None
        # argv lists bound to a name: the taint that matters is the program's (or an
        # `sh -c` script's), not any argument's; names whose list runs a shell script.
        self.instances: dict[str, str] = {}  # obj -> resolved class for `obj = Class(...)` (cross-file methods)
        self.local_instances: dict[str, str] = {}  # obj -> a class of this file it was made from
        # Objects built around the request (`wrapped = RequestWrapper(request)`): their
        # methods read it through `self.request`, so they are followed even when called with
        # constant arguments (`wrapped.get_param("q")`).
        self.wrappers: set[str] = set()
        # Names bound to int/str literals (for folding constant conditions), and dicts whose
        # literal keys were set one by one: `d["a"] = "x"; d["b"] = user` -> d["a"] is clean.
        self.consts: dict[str, int | str] = {}
        # Names proven free of a quote character (`if "'" in v: return`): inside a literal
        # that quote opens, they cannot close it.
        self.quote_free: dict[str, frozenset[str]] = {}
        # Names whose value is made only of the program's own literals on every path (a
        # constant of unknown value), keys of keyed containers holding such values, calls
        # to helpers that return only literals, and whether every return so far is literal.
        self.lits: set[str] = set()
        self.keyed_lits: dict[str, set[str]] = {}
        self.lit_calls: set[tuple[int, int]] = set()
        self.lit_returns = True
        # Calls whose first argument is being checked for literal provenance (see
        # proven_literal): range -> still literal on every visit so far.
        self.watch: dict[tuple[int, int], bool] = {}
        # Follow helpers called with literals to see whether they return literals (costly:
        # only where a finding depends on it).
        self.deep_lits = False
        # States leaving a loop by `break`, joined where the loop ends (innermost loop last).
        self.breaks: list[list[_State]] = []
        self.keyed: dict[str, dict[str, Taint | None]] = {}
        self.config_parsers: set[str] = set()  # names bound to configparser objects (keyed per option)
        # Lists built from a literal and changed only by append/insert/pop with known
        # positions: `lst = ["a"]; lst.append(user); lst[0]` reads the clean "a".
        self.indexed: dict[str, list[Taint | None]] = {}
        self.argv: dict[str, Taint | None] = {}
        self.shell_argv: set[str] = set()
        self.in_helper = False  # analysed for a handler's call: its id lookups count for the handler
        # A Flask handler whose every route is a literal path: `request.path` is that path,
        # chosen by the server's URL map, not by the client (query strings are not in it).
        self.fixed_path = False
        # Library mode: `self.<attr>` names that a public class's constructor sets from its
        # data parameters (empty in an ordinary scan).
        self.caller_fields: frozenset[str] = frozenset()
        # Names assigned in a branch whose condition reads request data: their value is the
        # client's choice even when it is a constant (`if body["admin"]: admin = True`).
        self.decided: dict[str, str] = {}  # name -> the text of the conditions that chose it
        # A method of an http.server request handler class: self.path/headers/rfile are the client's.
        self.stdlib_handler = fn is not None and is_stdlib_handler(fn.klass)
        self._passed: frozenset[str] | None = None
        if fn is not None:
            self._init_params(fn)
            self._closure(fn)

    # -- parameters ------------------------------------------------------------------
    def _init_params(self, fn: FunctionDef) -> None:
        if self.stdlib_handler and fn.name.startswith("do_"):
            self.handler = True  # do_GET, do_POST...: the request is on self
            return
        route = route_of(fn)
        params = param_names(fn.node)
        fw = self.ctx.framework
        if route is not None:
            self.handler = True
            self.fixed_path = fw == "flask" and _all_routes_literal(fn)
            dec_text = text(route.decorator)
            flask_style = fw == "flask" or (fw != "fastapi" and "<" in route.path)
            self.returns_html = flask_style or "HTMLResponse" in dec_text
            for name, p in params:
                if name in ("self", "cls"):
                    continue
                if flask_style:
                    conv = route.params.get(name, "string")
                    self.env[name] = Taint(frozenset() if conv in D.SAFE_FLASK_CONVERTERS else D.FIELD_KINDS)
                    continue
                t = self._fastapi_param(name, p)
                if t is not None:
                    self.env[name] = t
            return
        graphql = graphql_arguments(fn)
        if graphql is not None:
            self.handler = True  # a GraphQL resolver or mutation: the query's arguments are the client's
            for name, p in graphql:
                default = p.child_by_field_name("value")
                literal = default is not None and default.type in ("integer", "float", "true", "false")
                self.env[name] = Taint(frozenset() if literal else D.FIELD_KINDS)
            return
        spec = spec_route(self.ctx.src, fn) if fw in (None, "flask") else None
        if spec is not None:
            self.handler = True  # an OpenAPI operation's handler (connexion): its parameters are the request's
            for name, _p in params:
                if name not in ("self", "cls"):
                    self.env[name] = Taint(D.ALL_KINDS if name == "body" else D.FIELD_KINDS)
            return
        if fw == "flask" and fn.name in self.ctx.rule_views():
            self.handler = self.returns_html = True  # a view registered with add_url_rule
            for name, _p in params:
                if name not in ("self", "cls"):
                    self.env[name] = Taint(D.FIELD_KINDS)
            return
        if fw in (None, "django") and is_django_view(fn):
            self.handler = True
            for i, (name, p) in enumerate(params):
                if name in ("self", "cls") or (i <= 1 and name in ("request", "req")):
                    continue
                ann = text(p.child_by_field_name("type"))
                self.env[name] = Taint(frozenset() if _base_annotation(ann) in D.SAFE_ANNOTATIONS else D.FIELD_KINDS)
            return
        if _is_cli_command(fn):
            return  # its parameters are the operator's command-line arguments, not a client's data
        caller_data = self.ctx.library.get(fn.node.start_byte, ())
        for name, p in params:
            if name in ("self", "cls"):
                continue
            base = _base_annotation(text(p.child_by_field_name("type")))
            if base in D.REQUEST_TYPES:
                self.request_names.add(name)
            elif name in caller_data:
                self.env[name] = Taint(D.LIBRARY_KINDS)
            elif base not in D.SAFE_ANNOTATIONS and base not in D.NON_DATA_ANNOTATIONS:
                self.env[name] = Taint(D.FIELD_KINDS, strong=False)

    def _closure(self, fn: FunctionDef) -> None:
        """A nested def reads its enclosing function's parameters (a closure): they carry
        what they carry there (`def outer(user_input): def run(cursor): cursor.execute(... user_input)`)."""
        outer = enclosing(fn.outer, "function_definition", "class_definition", "module")
        if outer is None or outer.type != "function_definition":
            return
        owner = next((f for f in self.ctx.facts.functions if f.node == outer), None)
        if owner is None:
            return
        around = _Function(self.ctx, owner)
        own = {name for name, _ in param_names(fn.node)}
        for name, taint in around.env.items():
            if name not in own and name not in self.env:
                self.env[name] = taint
        self.request_names |= around.request_names - own

    def _fastapi_param(self, name: str, p: Node) -> Taint | None:
        ann = text(p.child_by_field_name("type"))
        default = text(p.child_by_field_name("value"))
        if "Depends(" in ann or "Security(" in ann or default.startswith(("Depends(", "Security(")):
            return None
        base = _base_annotation(ann)
        if base in D.REQUEST_TYPES:
            self.request_names.add(name)
            return None
        if base in D.NON_DATA_ANNOTATIONS:
            return None
        if base in D.SAFE_ANNOTATIONS or base.startswith(("Literal[", "conint")):
            return Taint(frozenset())
        if base in D.RAW_DICT_ANNOTATIONS or base.startswith(("dict[", "Dict[")) or default.startswith("Body(") and not base:
            return Taint(D.ALL_KINDS)
        if base in self.ctx.open_models():
            return Taint(D.FIELD_KINDS | {"mass"})  # extra="allow": undeclared fields pass through
        return Taint(D.FIELD_KINDS)  # str params and Pydantic models: validated field values

    # -- sources ---------------------------------------------------------------------
    def is_request(self, node: Node | None) -> bool:
        if node is None:
            return False
        if node.type == "identifier":
            return text(node) in self.request_names
        if node.type == "attribute":
            obj = node.child_by_field_name("object")
            return obj is not None and text(obj) == "self" and text(node.child_by_field_name("attribute")) == "request"
        return False

    def source_attr(self, node: Node) -> Taint | None:
        obj = node.child_by_field_name("object")
        attr = text(node.child_by_field_name("attribute"))
        if self.is_request(obj):
            if attr in D.JSON_ATTRS:
                return Taint(D.ALL_KINDS)
            if attr == "path" and self.fixed_path:
                return None
            if attr in D.SCALAR_ATTRS:
                return Taint(D.SCALAR_KINDS)
            return None
        if attr == "kwargs" and obj is not None and text(obj) == "self":
            return Taint(D.SCALAR_KINDS)
        if self.stdlib_handler and attr in D.STDLIB_HANDLER_ATTRS and obj is not None and text(obj) == "self":
            return Taint(D.SCALAR_KINDS)
        return None

    # -- expressions -----------------------------------------------------------------
    def ev(self, node: Node | None) -> Taint | None:
        if node is None:
            return None
        t = node.type
        if t == "identifier":
            return self.env.get(text(node))
        if t == "attribute":
            src = self.source_attr(node)
            if src is not None:
                return src
            obj = node.child_by_field_name("object")
            if self.caller_fields and text(obj) == "self" and text(node.child_by_field_name("attribute")) in self.caller_fields:
                return Taint(D.LIBRARY_KINDS)  # library mode: set from a constructor's data parameter
            return self.ev(obj)
        if t == "subscript":
            keyed = self._keyed_read(node.child_by_field_name("value"), node.child_by_field_name("subscript"))
            if keyed is False:
                keyed = self._indexed_read(node.child_by_field_name("value"), node.child_by_field_name("subscript"))
            if keyed is not False:
                return keyed  # type: ignore[return-value]
            base = self.ev(node.child_by_field_name("value"))
            for s in node.children_by_field_name("subscript"):
                self.ev(s)
            return base.minus(("mass",)) if base is not None and "nosql" not in base.kinds else base
        if t == "call":
            return self.ev_call(node)
        if t == "string":
            return self._string(node)
        if t == "concatenated_string":
            joined = merge(*(self.ev(c) for c in node.named_children))
            # 'https://api.example.com' '/path?q={}' and f-string parts: one literal whose
            # leading text may fix the origin.
            lit = _leading_literal(node)
            if joined is not None and lit is not None and _FIXED_ORIGIN.match(lit):
                return joined.minus(("ssrf", "redirect"))
            return joined
        if t == "binary_operator":
            return self._binary(node)
        if t in ("boolean_operator", "parenthesized_expression", "await", "expression_list", "tuple", "list", "set",
                 "dictionary", "pair", "keyword_argument", "list_splat", "dictionary_splat",
                 "interpolation", "type_conversion", "format_expression"):
            return merge(*(self.ev(c) for c in node.named_children))
        if t == "conditional_expression":
            return self._conditional(node)
        if t in ("list_comprehension", "set_comprehension", "generator_expression", "dictionary_comprehension"):
            return self._comprehension(node)
        if t == "named_expression":
            v = self.ev(node.child_by_field_name("value"))
            self.bind(node.child_by_field_name("name"), v)
            return v
        if t == "lambda":
            return None
        for c in node.named_children:
            self.ev(c)
        return None

    def _string(self, node: Node) -> Taint | None:
        parts = [c for c in node.children if c.type in ("string_content", "interpolation")]
        if not any(c.type == "interpolation" for c in parts):
            return None
        result: Taint | None = None
        prefix = ""
        fixed = False
        for c in parts:
            if c.type == "string_content":
                prefix += text(c)
                continue
            expr = c.child_by_field_name("expression")
            v = self.ev(expr)
            if v is not None and "xpath" in v.kinds and (
                    _quote_neutralised(expr, prefix) or (expr is not None and expr.type == "identifier" and any(
                        _opens_literal(prefix, q) for q in self.quote_free.get(text(expr), ())))):
                v = v.minus(("xpath",))
            if v is None:
                prefix += "\x00" if not prefix else "x"
                continue
            if result is None and _FIXED_ORIGIN.match(prefix):
                fixed = True
            result = merge(result, v)
        if result is None:
            return None
        result = result.as_built()
        return result.minus(("ssrf", "redirect")) if fixed else result

    def _binary(self, node: Node) -> Taint | None:
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        op = text(node.child_by_field_name("operator"))
        lt, rt = self.ev(left), self.ev(right)
        result = merge(lt, rt)
        if result is None or op not in ("+", "%"):
            return result
        result = result.as_built()
        if rt is not None and rt.strong and "redirect" in rt.kinds and left is not None:
            self._meta_refresh(node, left, op)
        if lt is None and left is not None:
            lit = _leading_literal(left)
            if lit is None or _FIXED_ORIGIN.match(lit):
                result = result.minus(("ssrf", "redirect"))
        return result

    def _meta_refresh(self, node: Node, left: Node, op: str) -> None:
        """A meta refresh tag whose URL the request fills in is a client-side redirect."""
        lit = _leading_literal(left) if op == "+" else string_value(left) if left.type == "string" else None
        if lit is None:
            return
        if op == "%":
            lit = lit.split("%s", 1)[0] if "%s" in lit else ""
        if _META_REFRESH.search(lit):
            self._report("redirect", node, None, "meta refresh to a URL from request data (open redirect)")

    def _conditional(self, node: Node) -> Taint | None:
        """`a if cond else b`: the value is one of the branches, never the condition (a
        request flag that picks between two constants carries nothing). The branch the
        condition guards is evaluated with what the condition proves (`nxt if
        is_safe_url(nxt) else "/"`, `x if x in ALLOWED else y`), the other one without."""
        parts = node.named_children
        if len(parts) != 3:
            return merge(*(self.ev(c) for c in parts))
        body, cond, other = parts
        known = self.fold(cond)
        if known is not None:
            return self.ev(body if known else other)
        self.ev(cond)
        negated = cond.type == "not_operator"
        proven = cond.named_children[0] if negated and cond.named_children else cond
        guarded, unguarded = (other, body) if negated else (body, other)
        saved = dict(self.env)
        self.validate(proven)
        guarded_t = self.ev(guarded)
        self.env = saved
        return merge(guarded_t, self.ev(unguarded))

    def _comprehension(self, node: Node) -> Taint | None:
        saved = dict(self.env)
        result: Taint | None = None
        for clause in node.named_children:
            if clause.type == "for_in_clause":
                it = self.ev(clause.child_by_field_name("right"))
                self.bind(clause.child_by_field_name("left"), it)
                result = merge(result, it)
        body = node.child_by_field_name("body")
        result = merge(result, self.ev(body))
        self.env = saved
        return result

    def ev_call(self, node: Node) -> Taint | None:
        facts = self.ctx.facts
        q, m = callee(node, facts)
        fn = node.child_by_field_name("function")
        recv = fn.child_by_field_name("object") if fn is not None and fn.type == "attribute" else None
        if recv is not None and self.is_request(recv):
            if m in D.JSON_METHODS:
                return Taint(D.ALL_KINDS)
            if m in D.SCALAR_METHODS:
                return Taint(D.SCALAR_KINDS)
        before = len(self.ctx.found)
        recv_t = self.ev(recv) if recv is not None else (None if fn is None or fn.type == "identifier" else self.ev(fn))
        pos, kws = arguments(node)
        arg_ts = [self.ev(a) for a in pos]
        kw_ts = {k: self.ev(v) for k, v in kws.items()}
        nested = {f.kind for f in self.ctx.found[before:]}
        if self.watch and (node.start_byte, node.end_byte) in self.watch:
            where = (node.start_byte, node.end_byte)
            self.watch[where] = self.watch[where] and bool(pos) and self._is_lit(pos[0])
        popped = self._indexed_call(recv, m, pos, arg_ts)
        option = self._config_call(recv, m, pos, arg_ts, kws)
        if option is not False:
            return option  # type: ignore[return-value]
        for a in pos:
            if a.type == "identifier" and recv is not None and text(a) in self.indexed:
                self.indexed.pop(text(a))  # handed to another call, which may change it
        self._sinks(node, q, m, recv, recv_t, pos, arg_ts, kws, kw_ts, nested)
        self._special(node, q, m, recv, pos, arg_ts, kws, kw_ts)
        all_args = merge(*arg_ts, *kw_ts.values())
        if recv is not None and recv.type == "identifier" and m in D.CONTAINER_ADDERS and all_args is not None:
            self._add_to_container(text(recv), all_args, m)
        helper = self._helper_call(node, q, m, fn, recv, pos, arg_ts, kws, kw_ts, nested)
        if pos and self._is_ssrf_guard(fn, recv, m):
            # A helper that rejects non-public addresses raises (or answers False) for a bad
            # URL: past the call, the URL it checked, and the URL it returns, are vetted.
            self._clean(pos[0], frozenset({"ssrf"}))
            returned = helper.returned if helper is not None else arg_ts[0]
            return returned.minus(("ssrf",)) if returned is not None else None
        if helper is not None and helper.literal:
            self.lit_calls.add((node.start_byte, node.end_byte))
        if helper is not None and recv_t is None:
            # A tainted receiver (`data.get(k)`) keeps the default propagation below: a
            # same-named method elsewhere in the file may not be what runs.
            return helper.returned
        if q in D.HTTP_FETCHES and arg_ts and arg_ts[0] is not None and "ssrf" in arg_ts[0].kinds:
            return Taint(D.SCALAR_KINDS, arg_ts[0].strong)  # the attacker's server wrote this answer
        if q in D.SANITIZERS:
            return all_args.minus(D.SANITIZERS[q]) if all_args is not None else None
        if q in D.JSON_PARSERS:
            return Taint(D.ALL_KINDS, all_args.strong, all_args.built) if all_args is not None else None
        if q in D.PROPAGATORS:
            return merge(all_args, recv_t)
        if q in D.RE_TEXT_FUNCTIONS:
            return self._re_text(q, pos, arg_ts, kws, kw_ts)
        if recv_t is not None:
            if m in D.BOOLEAN_METHODS:
                return Taint(frozenset(), recv_t.strong)
            if m in D.BUILDING_METHODS:
                return merge(recv_t, all_args).as_built()  # type: ignore[union-attr]
            if popped is not False:
                return popped  # type: ignore[return-value]
            if m in ("get", "pop") and pos and recv is not None:
                keyed = self._keyed_read(recv, pos[0])
                if keyed is not False:
                    return merge(keyed, arg_ts[1] if len(arg_ts) > 1 else None)  # type: ignore[arg-type]
            if m in ("get", "pop", "setdefault", "getlist"):
                picked = merge(recv_t, all_args)
                return picked.minus(("mass",)) if picked is not None and "nosql" not in picked.kinds else picked
            # What a method of a request-derived object computes (`user.get_session_auth_hash()`)
            # is the server's own value for the session; text methods keep the client's text.
            return recv_t if m in D.TEXT_METHODS else recv_t.minus(("trust",))
        if recv is not None and m in D.BUILDING_METHODS and all_args is not None:
            built = all_args.as_built()
            if m == "format" and recv.type == "call" and callee(recv, facts)[0] in D.ESCAPING_MARKUP:
                built = built.minus(("xss",))
            lit = _leading_literal(recv) if m == "format" else None
            if m == "format" and lit is not None and _FIXED_ORIGIN.match(lit):
                built = built.minus(("ssrf", "redirect"))
            return built
        if recv is None and fn is not None and fn.type == "identifier" and text(fn) in self.passed_functions():
            # A function the caller handed in (`def view(func): ... func(user_input)`): what it
            # does is unknown here, so its result is taken to carry what it was given.
            return all_args
        return None

    def passed_functions(self) -> frozenset[str]:
        """Parameters of this function and of the functions around it (closures): a call to
        one runs whatever function the caller passed."""
        if self._passed is None:
            names: set[str] = set()
            node: Node | None = self.fn.node if self.fn is not None else None
            while node is not None:
                if node.type == "function_definition":
                    names |= {n for n, _ in param_names(node) if n not in ("self", "cls")}
                node = node.parent
            self._passed = frozenset(names)
        return self._passed

    def _re_text(self, q: str, pos: list[Node], arg_ts: list[Taint | None], kws: dict[str, Node],
                 kw_ts: dict[str, Taint | None]) -> Taint | None:
        """re.sub/findall/split/search...: the result is made of the subject text (and re.sub's
        replacement). re.sub that deletes every character outside a class of word characters
        (`re.sub(r"[^\\w]", "", v)`) leaves nothing that can break out of a quote or a path."""
        names = {1: "repl", 2: "string"} if q in ("re.sub", "re.subn") else {1: "string"}
        taint = merge(*(arg_ts[i] if i < len(arg_ts) else kw_ts.get(names[i]) for i in D.RE_TEXT_FUNCTIONS[q]))
        if taint is None or q not in ("re.sub", "re.subn") or len(pos) < 3:
            return taint
        pattern, repl = string_value(pos[0]), string_value(pos[1]) if pos[1].type == "string" else None
        if pattern is not None and repl == "" and _SAFE_CHARS_REMOVED.match(pattern):
            return Taint(frozenset(), taint.strong)
        return taint

    # -- same-file helpers -----------------------------------------------------------
    def _resolve_helper(self, q: str, m: str, fn: Node | None, recv: Node | None) -> FunctionDef | None:
        """The same-file function a call runs: `helper(x)` a module-level function,
        `self.m(x)` a method of this class, `obj.m(x)` the only method of that name in the
        file (when the receiver is not an imported module or a known library call)."""
        if fn is None or q in _SINKS_BY_NAME or q in D.SANITIZERS or q in D.PROPAGATORS:
            return None
        defs = self.ctx.helpers().get(m)
        if not defs:
            return None
        if fn.type == "identifier":
            cands = [d for d in defs if d.klass is None]
        elif recv is not None and recv.type in ("identifier", "attribute", "call"):
            root = text(recv).split(".", 1)[0].split("(", 1)[0]
            if root in self.ctx.facts.imports or self.is_request(recv):
                return None
            cands = [d for d in defs if d.klass is not None]
            if root in ("self", "cls") and self.fn is not None and self.fn.klass is not None:
                cands = [d for d in cands if d.klass == self.fn.klass]
            elif recv.type == "identifier" and root in self.local_instances:
                made = self.local_instances[root]
                cands = [d for d in cands if d.klass is not None and text(d.klass.child_by_field_name("name")) == made]
        else:
            return None
        return cands[0] if len(cands) == 1 else None

    def _weak_url_validator(self, q: str, m: str, fn: Node | None, recv: Node | None) -> bool:
        """Is the app's own `is_safe_url(url)` only a substring or open-prefix test
        (`any(a in url for a in ALLOWED)`, `url.startswith("https://a.com")`, an unanchored
        `re.search`)? `https://evil.net/?https://a.com` passes it: it vouches for nothing."""
        target = self._resolve_helper(q, m, fn, recv)
        if target is None:
            found = self._cross_file_helper(q, m, fn, recv)
            if found is None:
                return False
            target = found[1]
        params = [n for n, _ in param_names(target.node)]
        if params and params[0] in ("self", "cls"):
            params = params[1:]
        if not params:
            return False
        body, p = text(target.node), re.escape(params[0])
        weak = re.search(rf"\bin\s+{p}\b", body) or \
            re.search(rf"\b{p}\s*\.\s*(?:startswith|find|index|count)\s*\(\s*(?:[\w.]+|[rbu]?['\"]https?://[^/'\"]+['\"])\s*\)", body) or \
            re.search(rf"re\.search\(\s*[rbu]?['\"](?!\^)[^'\"]*['\"]\s*,\s*{p}\b", body)
        strong = re.search(rf"urlparse|urlsplit|\.netloc|\.hostname|url_has_allowed_host_and_scheme|==|\b{p}\s+in\s+\w", body)
        return bool(weak) and not strong

    def _is_ssrf_guard(self, fn: Node | None, recv: Node | None, m: str) -> bool:
        if fn is None or m not in self.ctx.ssrf_guards():
            return False
        return fn.type == "identifier" or (recv is not None and text(recv) in ("self", "cls"))

    def _helper_call(self, node: Node, q: str, m: str, fn: Node | None, recv: Node | None, pos: list[Node],
                     arg_ts: list[Taint | None], kws: dict[str, Node], kw_ts: dict[str, Taint | None],
                     nested: set[str]) -> _Summary | None:
        """Follow request data into a same-file helper: the sinks its parameters reach are
        reported here, at the call site (where the request value enters), and the call's
        value carries what the helper returns. Helpers called with nothing tainted keep
        the default (no taint), so the cost is paid only on tainted calls."""
        wrapper = recv is not None and recv.type == "identifier" and text(recv) in self.wrappers
        if not wrapper and not any(t is not None and t.strong for t in (*arg_ts, *kw_ts.values())):
            # A helper that reads the global request itself is followed with no tainted argument.
            wrapper = recv is None and fn is not None and fn.type == "identifier" and (
                text(fn) in self.ctx.request_getters() or text(fn) in self.ctx.imported_getters())
            if not wrapper:
                return None
        targets = self._callees(q, m, fn, recv)
        summaries = [s for c, t in targets if (s := self._summary_for(c, t, pos, arg_ts, kw_ts, wrapper)) is not None]
        if not summaries:
            return None
        summary = summaries[0] if len(summaries) == 1 else _Summary(
            [x for s in summaries for x in s.sinks], merge(*(s.returned for s in summaries)),
            any(s.lookup for s in summaries), literal=all(s.literal for s in summaries))
        ctx = targets[0][0]
        where = "" if ctx is self.ctx else f" in {ctx.src.path}"
        step = (self.ctx.src.path, node.start_point[0] + 1, f"request data passed to {m}(){where}")
        reported: set[str] = set()
        for kind, sev, message, trace in summary.sinks:
            if kind not in nested and kind not in reported:
                reported.add(kind)
                self._report(kind, node, sev, f"{message} (inside {m}(){where})", (step, *trace))
                if kind == "command" and "ssrf" not in reported:
                    self._fetch_in_command(node, pos, arg_ts)
        if summary.lookup and (self.handler or self.in_helper):
            self.lookups.append(node)
        return summary

    def _summary_for(self, ctx: _FileCtx, target: FunctionDef, pos: list[Node], arg_ts: list[Taint | None],
                     kw_ts: dict[str, Taint | None], wrapper: bool) -> _Summary | None:
        """The summary of one callee for this call's argument taints (cached per binding)."""
        if len(ctx.active) >= _HELPER_DEPTH or id(target.node) in ctx.active:
            return None
        params = [(n, p) for n, p in param_names(target.node)]
        if params and params[0][0] in ("self", "cls") and target.klass is not None:
            params = params[1:]
        names = {n for n, _ in params}
        bound: dict[str, Taint] = {}
        for (name, _), a, t in zip(params, pos, arg_ts, strict=False):
            if a.type in ("list_splat", "dictionary_splat"):
                break
            if t is not None:
                bound[name] = t
        for k, t in kw_ts.items():
            if k in names and t is not None:
                bound[k] = t
        if not wrapper and not any(t.strong for t in bound.values()):
            return None
        binding = tuple(sorted((n, t.kinds, t.strong, t.built) for n, t in bound.items()))
        key = (id(target.node), binding)
        summary = ctx.summaries.get(key)
        if summary is None:
            summary = _summarise_in(ctx, target, bound, cross_file=ctx is not self.ctx)
            ctx.summaries[key] = summary
        return summary

    def _callees(self, q: str, m: str, fn: Node | None, recv: Node | None) -> list[tuple[_FileCtx, FunctionDef]]:
        """The project functions a call may run: a function of this file, else one of another
        file through the project index, else each class method a factory's object may have."""
        target = self._resolve_helper(q, m, fn, recv)
        if target is not None:
            return [(self.ctx, target)]
        found = self._cross_file_helper(q, m, fn, recv)
        return [found] if found is not None else self._factory_methods(m, recv)

    def _factory_methods(self, m: str, recv: Node | None) -> list[tuple[_FileCtx, FunctionDef]]:
        """`thing = things.create_thing(); thing.do(x)`: the object comes from a factory
        function of another project module and its class is picked at run time (from a
        config file, by name). Any class of that module defining `do` may run: each one is
        followed and their effects joined."""
        index = self.ctx.src.index
        if index is None or recv is None or recv.type != "identifier" or text(recv) not in self.instances:
            return []
        found = index.resolve_python(self.ctx.src.path, self.instances[text(recv)])
        if found is None or len(found[1]) != 1:
            return []
        rel, attrs = found
        ctx = index.memo("python", rel, _file_ctx)
        if ctx is None or not any(f.name == attrs[0] and f.klass is None for f in ctx.facts.functions):
            return []  # a class (its own methods resolve directly) or nothing known
        return [(ctx, f) for f in ctx.facts.functions if f.name == m and f.klass is not None and route_of(f) is None]

    def _cross_file_helper(self, q: str, m: str, fn: Node | None, recv: Node | None) -> tuple[_FileCtx, FunctionDef] | None:
        """The function of another project file a call runs, through the project index:
        `find_user(x)` imported from `services/users.py`, `users.find_user(x)`,
        `UserRepo.search(x)`, or `repo.search(x)` after `repo = UserRepo(...)`."""
        index = self.ctx.src.index
        if index is None or fn is None:
            return None
        if recv is not None and recv.type == "identifier" and text(recv) in self.instances:
            q = f"{self.instances[text(recv)]}.{m}"
        found: tuple[str, list[str]] | None = None
        if recv is None and q == m and m in self.ctx.facts.package_names:
            init = index.package_init(self.ctx.src.path)  # `from . import query_db`: the package's own function
            found = (init, [m]) if init is not None else None
        elif not q or "." not in q or q in _SINKS_BY_NAME or q in D.SANITIZERS or q in D.PROPAGATORS:
            return None
        else:
            found = index.resolve_python(self.ctx.src.path, q)
        if found is None or len(found[1]) not in (1, 2):
            return None
        rel, attrs = found
        ctx = index.memo("python", rel, _file_ctx)
        if ctx is None:
            return None
        for f in ctx.facts.functions:
            if f.name != attrs[-1] or route_of(f) is not None:
                continue
            if len(attrs) == 1 and f.klass is None:
                return ctx, f
            if len(attrs) == 2 and f.klass is not None and text(f.klass.child_by_field_name("name")) == attrs[0]:
                return ctx, f
        return None

    # -- sinks -----------------------------------------------------------------------
    def _report(self, kind: str, node: Node, severity: Severity | None, message: str,
                trace: tuple[tuple[str, int, str], ...] = ()) -> None:
        self.ctx.found.append(_Found(kind, node, severity, message, trace))

    def _sinks(self, node: Node, q: str, m: str, recv: Node | None, recv_t: Taint | None, pos: list[Node],
               arg_ts: list[Taint | None], kws: dict[str, Node], kw_ts: dict[str, Taint | None],
               nested: set[str]) -> None:
        candidates = list(_SINKS_BY_NAME.get(q, ()))
        if recv is not None:
            candidates += [s for s in _SINKS_BY_METHOD.get(m, ()) if s not in candidates]
        if m in D.CLIENT_METHODS and recv is not None and (text(recv) in self.clients or _is_client_ctor(recv, self.ctx.facts)):
            candidates.append(_CLIENT_SINK)
        if q in D.HTML_MEDIA_RESPONSES and "html" in text(kws.get("media_type")).lower():
            candidates.append(_HTML_MEDIA_SINK)
        reported: set[str] = set()
        sandboxed = m == "from_string" and recv is not None and (
            text(recv) in self.ctx.sandboxes() or (recv.type == "call" and _is_sandbox_ctor(recv, self.ctx.facts)))
        for sink in candidates:
            if sink.kind in nested or sink.kind in reported or (sandboxed and sink.kind == "ssti"):
                continue
            if sink.requires and not all(text(kws.get(k)) == v for k, v in sink.requires):
                continue
            if sink.kind == "command" and not sink.requires and text(kws.get("shell")) == "True" and q.startswith("subprocess."):
                continue
            if sink.kind == "xxe" and (len(pos) > 1 or "parser" in kws):
                continue  # an explicit parser is judged by the XML parser pattern check
            if sink.receiver:
                taint = recv_t
                target = pos[0] if pos else recv
                present = recv is not None
            else:
                taint, target, present = self._sink_args(sink, q, pos, arg_ts, kws, kw_ts)
            if not present:
                continue
            sev = self._severity(sink, taint, target)
            if sev is False:
                continue
            reported.add(sink.kind)
            if sink.kind == "xxe" and not q.startswith("lxml"):
                sev = Severity.LOW  # expat does not fetch external entities; entity bombs remain
            self._report(sink.kind, node, sev if isinstance(sev, Severity) else None, sink.message)
            if sink.kind == "command":
                self._fetch_in_command(node, pos, arg_ts)

    def _fetch_in_command(self, node: Node, pos: list[Node], arg_ts: list[Taint | None]) -> None:
        """A shell command that runs curl or wget on a URL built from request data fetches
        what the client names (SSRF), besides running what it injects."""
        for a, t in zip(pos, arg_ts, strict=False):
            lit = _leading_literal(a)
            fetch = _FETCH_COMMAND.match(lit) if lit is not None else None
            if fetch is not None and t is not None and t.strong and "ssrf" in t.kinds and lit is not None:
                url = re.sub(r"^(?:\s*-{1,2}[\w-]+(?:=\S*)?)*\s*", "", lit[fetch.end():])
                if _FIXED_ORIGIN.match(url):
                    continue  # `curl https://api.example.com/items/` + name: the host is the app's
                self._report("ssrf", node, None, "the command fetches a URL built from request data (curl/wget): "
                             "any host the client names, internal ones included")
                return

    def _add_to_container(self, name: str, taint: Taint, method: str) -> None:
        """`items.append(x)`, `buf.write(x)`, `d.update(x)`: the container now holds x. As
        an argv list it only carries what was added when it runs a shell script."""
        if name in self.request_names:
            return
        if method in ("write", "writelines"):
            taint = taint.as_built()
        if name in self.argv and name in self.shell_argv:
            self.argv[name] = merge(self.argv[name], taint)
        # The list's items, read one by one or joined, still hold x (argv use reads self.argv).
        self.env[name] = merge(self.env.get(name), taint)  # type: ignore[assignment]

    def _sink_args(self, sink: D.Sink, q: str, pos: list[Node], arg_ts: list[Taint | None], kws: dict[str, Node],
                   kw_ts: dict[str, Taint | None]) -> tuple[Taint | None, Node | None, bool]:
        taint: Taint | None = None
        target: Node | None = None
        present = False
        indexes = sink.args
        if sink.kind == "ssrf" and not q.endswith("request"):
            indexes = (0,)
        for i in indexes:
            if i < len(pos) and pos[i].type not in ("dictionary_splat", "list_splat"):
                present = True
                target = target or pos[i]
                t = arg_ts[i]
                if sink.kind == "command" and not sink.requires and pos[i].type in ("list", "tuple"):
                    t = self._argv_taint(pos[i])
                elif sink.kind == "command" and not sink.requires and text(pos[i]) in self.argv:
                    t = self.argv[text(pos[i])]
                elif sink.kind == "xss" and pos[i].type == "tuple" and pos[i].named_children:
                    # make_response((body, headers)) / ((body, status, headers)): only the body is HTML
                    t = self.ev(pos[i].named_children[0])
                taint = merge(taint, t)
        for k in sink.keywords:
            if k in kws:
                present = True
                target = target or kws[k]
                taint = merge(taint, kw_ts.get(k))
        return taint, target, present

    def _argv_taint(self, argv: Node) -> Taint | None:
        """argv lists: the program, or any part of an `sh -c` script."""
        items = argv.named_children
        if not items:
            return None
        if _runs_shell_script(argv):
            return merge(*(self.ev(i) for i in items))
        return self.ev(items[0])

    def _severity(self, sink: D.Sink, taint: Taint | None, target: Node | None) -> Severity | bool:
        """Severity override for a sink hit, True for the rule's own, False for no hit."""
        if taint is not None and sink.kind in taint.kinds:
            if taint.strong:
                return Severity.parse(sink.severity) if sink.severity else True
            if sink.weak_severity and (taint.built or sink.kind == "code"):
                return Severity.parse(sink.weak_severity)
        if sink.untainted_severity and target is not None and not is_literal(target) and not self._deep_lit(target):
            return Severity.parse(sink.untainted_severity)
        return False

    def _special(self, node: Node, q: str, m: str, recv: Node | None, pos: list[Node], arg_ts: list[Taint | None],
                 kws: dict[str, Node], kw_ts: dict[str, Taint | None]) -> None:
        # NoSQL operator injection: JSON values inside a Mongo filter, or $where code.
        if recv is not None and m in D.MONGO_METHODS and pos:
            if self._mongo_filter(pos[0], arg_ts[0]):
                self._report("nosql", node, None, "Mongo filter built from request JSON: operators like $ne/$where can be injected")
        self._query_languages(node, q, m, recv, pos, arg_ts, kws, kw_ts)
        # Mass assignment: **request_json into a model or ORM write, setattr with request keys.
        for i, a in enumerate(pos):
            if a.type == "dictionary_splat":
                t = arg_ts[i]
                if t is not None and t.strong and "mass" in t.kinds and _is_model_write(q, m, recv):
                    self._report("mass", node, None, "request data unpacked into a model: list the fields to set")
                    break
        # A privilege field of a new or updated record given a value the request chose.
        if kws and _is_model_write(q, m, recv):
            for k, v in kws.items():
                kt = kw_ts.get(k)
                if _PRIVILEGE_FIELD.match(k) and ((kt is not None and kt.strong) or (
                        v.type == "identifier" and re.search(rf"\b{re.escape(k)}\b", self.decided.get(text(v), ""), re.I))):
                    self._report("mass", node, None, f"privilege field `{k}` set from request data: the client picks its own role")
                    break
        # Keys of a validated model (Pydantic model_dump(), a scalar field) are the fields it
        # declares: only a mapping the client shapes freely ("mass") names arbitrary attributes.
        if q == "setattr" and len(pos) >= 2 and arg_ts[1] is not None and arg_ts[1].strong and "mass" in arg_ts[1].kinds:
            self._report("mass", node, None, "attribute names taken from the request (mass assignment)")
        if m == "update" and recv is not None and pos and arg_ts[0] is not None and arg_ts[0].strong and "mass" in arg_ts[0].kinds:
            rt = text(recv)
            if rt.endswith("__dict__") or ".objects" in rt or ".query" in rt or ".filter" in rt:
                self._report("mass", node, None, "request data passed whole to an ORM update")
        # A template of a non-escaping Jinja environment rendered with request data.
        if m in ("render", "stream", "generate") and recv is not None and self.ctx.raw_envs() and self._raw_template(recv):
            t0 = merge(*arg_ts, *kw_ts.values())
            if t0 is not None and t0.strong and "xss" in t0.kinds:
                self._report("xss", node, None, "request data rendered by a Jinja environment without autoescape")
        # http.server handlers: what self.wfile.write sends is the response body.
        if self.stdlib_handler and m == "write" and recv is not None and text(recv) == "self.wfile" and arg_ts:
            t0 = arg_ts[0]
            if t0 is not None and t0.strong and "xss" in t0.kinds:
                self._report("xss", node, None, "response body written from request data without escaping")
        # Object lookups by a request-supplied id (checked for ownership at the end).
        if (self.handler or self.in_helper) and self._is_lookup(q, m, recv, pos, arg_ts, kws, kw_ts):
            self.lookups.append(node)

    def _raw_template(self, recv: Node) -> bool:
        """Is `recv` a template of a non-escaping environment (`env.get_template(...)`, or a
        local bound to one in this function)?"""
        if recv.type == "call":
            f = recv.child_by_field_name("function")
            obj = f.child_by_field_name("object") if f is not None and f.type == "attribute" else None
            return (obj is not None and text(obj) in self.ctx.raw_envs()
                    and text(f.child_by_field_name("attribute")) in ("get_template", "from_string", "select_template"))
        if recv.type != "identifier" or self.fn is None:
            return False
        envs = "|".join(map(re.escape, sorted(self.ctx.raw_envs())))
        return re.search(rf"\b{re.escape(text(recv))}\s*=\s*(?:{envs})\s*\.\s*(?:get_template|from_string|select_template)\(",
                         text(self.fn.node)) is not None

    def _query_languages(self, node: Node, q: str, m: str, recv: Node | None, pos: list[Node],
                         arg_ts: list[Taint | None], kws: dict[str, Node], kw_ts: dict[str, Taint | None]) -> None:
        """XPath and LDAP filters built from request data, and request data stored in the
        session (trust boundary)."""
        at = D.XPATH_EXPRESSION_NAMES.get(q, 0)
        if len(pos) > at and ((recv is not None and m in D.XPATH_EXPRESSION_METHODS) or q in D.XPATH_EXPRESSION_NAMES):
            self._report_built("xpath", node, arg_ts[at], any_text=True,
                               message="XPath expression built from request data: pass values as XPath variables")
        elif pos and recv is not None and m in D.XPATH_PATH_METHODS and pos[0].type != "dictionary" and q not in D.RE_TEXT_FUNCTIONS:
            self._report_built("xpath", node, arg_ts[0], any_text=False,
                               message="ElementTree path built from request data: compare values in Python instead")
        idx = D.LDAP_FILTER_ARGS.get(m)
        if (idx is not None and recv is not None and text(recv) not in D.NOT_LDAP_RECEIVERS
                and (self.ctx.facts.imported("ldap3") or self.ctx.facts.imported("ldap"))):
            kw = next((k for k in D.LDAP_FILTER_KEYWORDS if k in kws), None)
            taint = kw_ts[kw] if kw else (arg_ts[idx] if idx < len(arg_ts) else None)
            self._report_built("ldap", node, taint, any_text=True,
                               message="LDAP filter built from request data: escape values with escape_filter_chars")
        if recv is not None and text(recv) in D.SESSION_OBJECTS and m in ("update", "setdefault", "__setitem__"):
            self._report_trust(node, merge(*arg_ts, *kw_ts.values()))
        self._system_prompt(node, q, m, recv, pos, arg_ts, kws, kw_ts)

    def _system_prompt(self, node: Node, q: str, m: str, recv: Node | None, pos: list[Node],
                       arg_ts: list[Taint | None], kws: dict[str, Node], kw_ts: dict[str, Taint | None]) -> None:
        """Request text in an LLM's system prompt or instructions: the user rewrites the
        model's rules (and whatever tools and data the model can reach). User text belongs
        in a user-role message."""
        message = "request data in the LLM's system prompt: pass user text as a user message, keep instructions constant"
        if m == "create" and recv is not None and text(recv).endswith(D.LLM_RECEIVERS):
            for k in D.LLM_SYSTEM_KEYWORDS:
                t = kw_ts.get(k)
                if t is not None and t.strong and "prompt" in t.kinds:
                    self._report("prompt", node, None, message)
                    return
            msgs = kws.get("messages") or kws.get("input")
            if msgs is not None and msgs.type == "list":
                for item in msgs.named_children:
                    if item.type == "dictionary" and re.search(r"""['"]role['"]\s*:\s*['"](?:system|developer)['"]""", text(item)):
                        t = self.ev(item)
                        if t is not None and t.strong and "prompt" in t.kinds:
                            self._report("prompt", node, None, message)
                            return
        elif q.endswith(D.LLM_SYSTEM_MESSAGES):
            t = merge(*arg_ts, *kw_ts.values())
            if t is not None and t.strong and "prompt" in t.kinds:
                self._report("prompt", node, None, message)

    def _report_built(self, kind: str, node: Node, taint: Taint | None, any_text: bool, message: str) -> None:
        """Request data (built into the text or, when `any_text`, the whole text) reaching a
        query-language sink; a string built from a plain parameter at medium."""
        if taint is None or kind not in taint.kinds:
            return
        if taint.strong and (any_text or taint.built):
            self._report(kind, node, None, message)
        elif taint.built and not taint.strong:
            self._report(kind, node, Severity.MEDIUM, message)

    def _report_trust(self, node: Node, taint: Taint | None) -> None:
        if taint is not None and taint.strong and "trust" in taint.kinds:
            self._report("trust", node, None,
                         "request data stored in the session as if trusted: validate it before it crosses into the session")

    def _mongo_filter(self, node: Node, taint: Taint | None) -> bool:
        if node.type == "dictionary":
            for pair in node.named_children:
                if pair.type == "dictionary_splat":
                    t = self.ev(pair)
                    if t is not None and t.strong and "nosql" in t.kinds:
                        return True
                    continue
                if pair.type != "pair":
                    continue
                key = pair.child_by_field_name("key")
                value = pair.child_by_field_name("value")
                vt = self.ev(value)
                if text(key).strip("'\"") in ("$where", "$function", "$accumulator") and vt is not None and vt.strong:
                    return True
                if value is not None and value.type in ("dictionary", "list") and self._mongo_filter(value, vt):
                    return True
                if vt is not None and vt.strong and "nosql" in vt.kinds and value is not None and value.type not in ("dictionary", "list"):
                    return True
            return False
        if node.type == "list":
            return any(self._mongo_filter(c, self.ev(c)) for c in node.named_children)
        return taint is not None and taint.strong and "nosql" in taint.kinds

    def _is_lookup(self, q: str, m: str, recv: Node | None, pos: list[Node], arg_ts: list[Taint | None],
                   kws: dict[str, Node], kw_ts: dict[str, Taint | None]) -> bool:
        def kw_lookup() -> bool:
            if any(_OWNER_KW.search(k) for k in kws) or any(_OWNER_TEXT.search(text(v)) for v in kws.values()):
                return False
            return any(t is not None and t.strong and _ID_KEY.search(k) for k, t in kw_ts.items())

        if q.endswith(("get_object_or_404", "get_list_or_404")):
            return kw_lookup() or (len(arg_ts) > 1 and arg_ts[1] is not None and arg_ts[1].strong and not _OWNER_TEXT.search(text(pos[0])))
        if recv is None:
            return False
        rt = text(recv)
        if m in ("get", "filter") and (rt.endswith(".objects") or ".objects." in rt):
            return kw_lookup()
        if m in ("get", "get_or_404") and len(pos) == 2 and _SENSITIVE_NAME.match(text(pos[0])):
            return arg_ts[1] is not None and arg_ts[1].strong
        if m in ("get", "get_or_404") and len(pos) == 1 and (rt.endswith(".query") or _is_query_call(recv)):
            return arg_ts[0] is not None and arg_ts[0].strong
        if m == "filter_by" and kws:
            return kw_lookup()
        if m in ("filter", "where") and pos and ("query" in rt or "select(" in rt or "session" in rt):
            if any(_OWNER_TEXT.search(text(p)) for p in pos):
                return False
            for p in pos:
                if p.type == "comparison_operator" and _ID_COMPARE.search(text(p)):
                    t = merge(*(self.ev(c) for c in p.named_children))
                    if t is not None and t.strong:
                        return True
            return False
        return False

    # -- statements ------------------------------------------------------------------
    def bind(self, target: Node | None, taint: Taint | None) -> None:
        if target is None:
            return
        t = target.type
        if t == "identifier":
            name = text(target)
            self.quote_free.pop(name, None)
            self.lits.discard(name)
            self.consts.pop(name, None)  # rebound (x += y, a loop target): no longer that literal
            if taint is None:
                self.env.pop(name, None)
            else:
                self.env[name] = taint
        elif t in ("pattern_list", "tuple_pattern", "list_pattern", "tuple", "list", "expression_list"):
            for c in target.named_children:
                self.bind(c, taint)
        elif t in ("list_splat_pattern", "parenthesized_expression", "as_pattern_target"):
            for c in target.named_children:
                self.bind(c, taint)
        elif t == "subscript":
            base = target.child_by_field_name("value")
            key = string_value(target.child_by_field_name("subscript"))
            if base is not None and base.type == "identifier" and key is not None and text(base) in self.keyed:
                self.keyed[text(base)][key] = taint
            if base is not None and base.type == "identifier" and text(base) in self.indexed:
                at = self._const(target.child_by_field_name("subscript"))
                items = self.indexed[text(base)]
                if isinstance(at, int) and not isinstance(at, bool) and -len(items) <= at < len(items):
                    items[at] = taint
                else:
                    self.indexed.pop(text(base))
            if base is not None and base.type == "identifier" and taint is not None:
                self.env[text(base)] = merge(self.env.get(text(base)), taint)  # type: ignore[assignment]

    def run(self, body: Node) -> None:
        for st in body.named_children:
            self.stmt(st)

    def stmt(self, st: Node) -> None:
        if st.type == "delete_statement":
            for n in st.named_children:  # `del items[0]`: positions shift
                base = n.child_by_field_name("value") if n.type == "subscript" else None
                if base is not None and base.type == "identifier":
                    self.indexed.pop(text(base), None)
        if st.type in ("if_statement", "while_statement", "for_statement", "try_statement", "match_statement"):
            # A list changed in a branch or a loop has no known positions after it.
            before = {k: list(v) for k, v in self.indexed.items()}
            self._stmt(st)
            for k in [k for k, v in self.indexed.items() if before.get(k) != v]:
                self.indexed.pop(k)
            return
        self._stmt(st)

    def _stmt(self, st: Node) -> None:
        t = st.type
        if t == "expression_statement":
            for c in st.named_children:
                self.expr_stmt(c)
        elif t == "return_statement":
            for c in st.named_children:
                rt = self.ev(c)
                self.returned = merge(self.returned, rt)
                self.lit_returns = self.lit_returns and self._is_lit(c)
                self._return(c, rt)
        elif t == "while_statement":
            self.breaks.append([])
            self._branches(st, loop=True)
            self._join_breaks()
        elif t in ("if_statement", "elif_clause"):
            self._branches(st, loop=False)
        elif t == "for_statement":
            right = st.child_by_field_name("right")
            it = self.ev(right)
            literal = self._is_lit(right)
            self.bind(st.child_by_field_name("left"), it)
            if literal:  # the items of a literal are literals
                self._note_literal(st.child_by_field_name("left"), True)
            self.breaks.append([])
            for c in st.named_children:
                if c.type == "block":
                    self.run(c)
            self._join_breaks()
            for c in st.named_children:
                if c.type == "else_clause":
                    self.stmt(c)
        elif t == "match_statement":
            self._match(st)
        elif t == "try_statement":
            self._try(st)
        elif t == "with_statement":
            for c in st.named_children:
                if c.type == "with_clause":
                    for item in c.named_children:
                        self._with_item(item)
                elif c.type == "block":
                    self.run(c)
        elif t in ("function_definition", "class_definition", "decorated_definition"):
            return
        elif t == "assert_statement":
            for c in st.named_children:
                self.ev(c)
            if st.named_children:
                self.validate(st.named_children[0])
        else:
            for c in st.named_children:
                if c.type == "block":
                    self.run(c)
                elif c.type in ("except_clause", "else_clause", "finally_clause", "case_clause", "except_group_clause"):
                    self.stmt(c)
                elif c.type not in ("comment",):
                    self.ev(c)

    def _with_item(self, item: Node) -> None:
        value = item.child_by_field_name("value")
        if value is None:
            return
        if value.type == "as_pattern":
            expr = value.named_children[0] if value.named_children else None
            alias = value.child_by_field_name("alias")
            taint = self.ev(expr)
            if expr is not None and expr.type == "call" and callee(expr, self.ctx.facts)[0] in D.HTTP_CLIENTS and alias is not None:
                self.clients.add(text(alias).strip())
            self.bind(alias, taint)
        else:
            self.ev(value)

    def expr_stmt(self, node: Node) -> None:
        t = node.type
        if t == "assignment":
            left = node.child_by_field_name("left")
            right = node.child_by_field_name("right")
            taint = self.ev(right)
            literal = self._is_lit(right)
            if right is not None and right.type == "call" and callee(right, self.ctx.facts)[0] in D.HTTP_CLIENTS and left is not None:
                self.clients.add(text(left))
            if right is not None and right.type == "call" and left is not None and left.type == "identifier":
                q = callee(right, self.ctx.facts)[0]
                args = arguments(right)[0]
                if q in _URL_SPLITTERS and args and args[0].type == "identifier":
                    self.url_parts[text(left)] = text(args[0])
            if right is not None and left is not None and left.type == "identifier":
                host_of = _resolved_url(right, self.ctx.facts)
                if host_of is not None:
                    self.resolved[text(left)] = host_of
            if right is not None and right.type == "assignment":  # a = b = value
                self.expr_stmt(right)
                taint = self.ev(right.child_by_field_name("left"))
            if left is not None and left.type == "subscript" and text(left.child_by_field_name("value")) in D.SESSION_OBJECTS:
                # a request-chosen key is as bad as a request-supplied value
                key = merge(*(self.ev(k) for k in left.children_by_field_name("subscript")))
                self._report_trust(node, merge(taint, key))
            if left is not None and left.type == "identifier":
                self._track_argv(text(left), right)
                if right is not None and right.type == "call" and "." in (cls := callee(right, self.ctx.facts)[0]):
                    self.instances[text(left)] = cls
                elif right is not None and right.type == "call" and cls in self.ctx.class_names():
                    self.local_instances[text(left)] = cls  # `handler = StaticHandler()`: a class of this file
                else:
                    self.local_instances.pop(text(left), None)
                pos_args, kw_args = arguments(right) if right is not None and right.type == "call" else ([], {})
                if any(self.is_request(a) for a in (*pos_args, *kw_args.values())):
                    self.wrappers.add(text(left))
                else:
                    self.wrappers.discard(text(left))
            self.bind(left, taint)
            if left is not None and left.type == "identifier":
                self._track_constant(text(left), right)
            self._note_literal(left, literal)
        elif t == "augmented_assignment":
            left = node.child_by_field_name("left")
            literal = self._is_lit(left) and self._is_lit(node.child_by_field_name("right"))
            rt = self.ev(node.child_by_field_name("right"))
            lt = self.ev(left)
            merged = merge(lt, rt)
            self.bind(left, merged.as_built() if merged is not None and rt is not None else merged)
            self._note_literal(left, literal)
        else:
            self.ev(node)

    def _branches(self, st: Node, loop: bool) -> None:
        """An if/elif/else (or while): each branch runs from the state after the condition
        (what a condition proves, `if not is_safe(u): abort(400)`, holds afterwards), and the
        names the branches bind are joined where they meet again, so `x = request_value` in
        one branch and `x = "safe"` in another leaves x tainted. A condition made of
        constants (`7 * 18 + num > 200`) decides which branch runs; branches after a taken
        one are dead; a branch that returns or raises does not reach the join."""
        branches = [st, *(c for c in st.named_children if c.type in ("elif_clause", "else_clause"))]
        base: _State | None = None
        outs: list[_State] = []
        falls_through = True  # no branch is certain to run: the state before the if reaches the join
        chosen_by: Taint | None = None  # what the conditions so far read: it picks the branch
        conds = ""
        for branch in branches:
            cond = branch.child_by_field_name("condition")
            if base is not None:
                self._restore(base)
            known: bool | None = None
            if cond is not None:
                chosen_by = merge(chosen_by, self.ev(cond))
                conds += " " + text(cond)
                self.validate(cond)
                known = None if loop else self.fold(cond)
            if base is None:
                base = self._snapshot()
            if known is False:
                continue
            block = next((c for c in branch.named_children if c.type == "block"), None)
            if block is not None and not loop and chosen_by is not None and chosen_by.strong:
                for name in _assigned_names(block):
                    self.decided[name] = self.decided.get(name, "") + conds
            if block is not None:
                self._run_branch(block, outs)
            if known is True or branch.type == "else_clause":
                falls_through = False
                break
        if falls_through and base is not None:
            outs.append(base)
        self._join(outs, base)
        cond = st.child_by_field_name("condition")
        block = next((c for c in st.named_children if c.type == "block"), None)
        if not loop and len(branches) == 1 and block is not None and _ends_flow(block):
            for name, quote in _quote_tests(cond):
                self.quote_free[name] = self.quote_free.get(name, frozenset()) | {quote}

    def _try(self, st: Node) -> None:
        """try/except/else/finally: an except clause runs instead of the rest of the body, so
        what it binds joins what the body (and its else) left, rather than replacing it
        (`content = request_text` in the body, `content = traceback` in the handler: the
        finally block may send either)."""
        outs: list[_State] = []
        block = next((c for c in st.named_children if c.type == "block"), None)
        if block is not None:
            self.run(block)
        after_body = self._snapshot()
        for c in st.named_children:
            if c.type == "else_clause":
                self.stmt(c)
        if block is None or not _ends_flow(block):
            outs.append(self._snapshot())
        # An exception's message quotes what the failing code was given (a database error
        # quotes the statement, int() the text): the caught exception carries the taint of the
        # values the try body used.
        used = self._used_taint(block) if block is not None else None
        for c in st.named_children:
            if c.type in ("except_clause", "except_group_clause"):
                self._restore(after_body)
                pattern = next((p for p in c.named_children if p.type == "as_pattern"), None)
                alias = pattern.child_by_field_name("alias") if pattern is not None else None
                if alias is not None and used is not None:
                    self.bind(alias.named_children[0] if alias.type == "as_pattern_target" and alias.named_children
                              else alias, used.minus(("mass", "nosql")))
                self.stmt(c)
                body = next((b for b in c.named_children if b.type == "block"), None)
                if body is None or not _ends_flow(body):
                    outs.append(self._snapshot())
        self._join(outs, after_body)
        for c in st.named_children:
            if c.type == "finally_clause":
                self.stmt(c)

    def _used_taint(self, block: Node) -> Taint | None:
        """The taint of the tainted names a block reads (read after it ran)."""
        names = {text(n) for n in walk(block) if n.type == "identifier"}
        return merge(*(t for name, t in self.env.items() if name in names and t.strong))

    def _snapshot(self) -> _State:
        return dict(self.env), dict(self.consts), dict(self.quote_free), frozenset(self.lits)

    def _restore(self, state: _State) -> None:
        self.env, self.consts, self.quote_free, self.lits = dict(state[0]), dict(state[1]), dict(state[2]), set(state[3])

    def _run_branch(self, block: Node, outs: list[_State]) -> None:
        """Run one branch; its end state reaches the join unless it leaves: a `break` takes
        it to the end of the enclosing loop instead (`param = name; break` in a search loop)."""
        self.run(block)
        last = block.named_children[-1] if block.named_children else None
        while last is not None and last.type == "comment":
            last = last.prev_named_sibling
        if last is not None and last.type == "break_statement" and self.breaks:
            self.breaks[-1].append(self._snapshot())
        elif not _ends_flow(block):
            outs.append(self._snapshot())

    def _join(self, outs: list[_State],
              base: _State | None) -> None:
        """Where branches meet: a name is tainted if any branch left it tainted, and a
        constant only if every branch left it bound to that same value."""
        if not outs:
            self._restore(base or ({}, {}, {}, frozenset()))
            return
        joined: dict[str, Taint] = {}
        for env, _, _, _ in outs:
            for name, taint in env.items():
                joined[name] = merge(joined.get(name), taint)  # type: ignore[assignment]
        first = outs[0][1]
        self.env = joined
        self.consts = {k: v for k, v in first.items() if all(c.get(k, _NO_CONST) == v for _, c, _, _ in outs[1:])}
        free = dict(outs[0][2])
        for _, _, other, _ in outs[1:]:
            free = {k: v & other[k] for k, v in free.items() if k in other and v & other[k]}
        self.quote_free = free
        self.lits = set(outs[0][3]).intersection(*(o[3] for o in outs[1:]))

    def _join_breaks(self) -> None:
        exits = self.breaks.pop()
        if exits:
            self._join([self._snapshot(), *exits], None)

    def _match(self, st: Node) -> None:
        """`match subject:` runs the first case whose pattern fits. With a constant subject
        (`guess = "ABC"[0]`) literal patterns are decided, so only that case runs; otherwise
        every case may run, joined like if/elif branches. `case _` and a bare capture always
        fit; a capture binds the subject's taint."""
        subject = st.child_by_field_name("subject")
        subject_t = self.ev(subject)
        value = self._const(subject)
        body = st.child_by_field_name("body")
        base = self._snapshot()
        outs: list[_State] = []
        falls_through = True
        for case in (body.named_children if body is not None else ()):
            if case.type != "case_clause":
                continue
            self._restore(base)
            pattern = next((c for c in case.named_children if c.type == "case_pattern"), None)
            fits = _case_fits(pattern, value)
            if fits is False:
                continue
            if pattern is not None and len(pattern.named_children) == 1 and pattern.named_children[0].type == "dotted_name" \
                    and "." not in text(pattern):
                self.bind(pattern.named_children[0].named_children[0], subject_t)
            guard = case.child_by_field_name("guard")
            if guard is not None:
                for g in guard.named_children:
                    self.ev(g)
                    self.validate(g)
                    fits = None if fits is None else self.fold(g)
                if fits is False:
                    continue
            block = case.child_by_field_name("consequence")
            if block is not None:
                self._run_branch(block, outs)
            if fits is True:
                falls_through = False
                break
        if falls_through:
            outs.append(base)
        self._join(outs, base)

    def _track_constant(self, name: str, right: Node | None) -> None:
        """Remember `name = 106` / `name = "ABC"` (for constant conditions) and `name = {}`
        or a dict literal with string keys (for per-key container taint)."""
        self.consts.pop(name, None)
        self.keyed.pop(name, None)
        self.indexed.pop(name, None)
        self.config_parsers.discard(name)
        self.keyed_lits.pop(name, None)
        if right is None:
            return
        if right.type == "call" and callee(right, self.ctx.facts)[0] in _CONFIG_PARSERS:
            self.config_parsers.add(name)
            self.keyed[name] = {}
            self.keyed_lits[name] = set()
            return
        if right.type == "list" and all(c.type not in ("list_splat", "comment") for c in right.named_children):
            self.indexed[name] = [self.ev(c) for c in right.named_children]
        value = self._const(right)
        if isinstance(value, (int, str)) and not isinstance(value, bool):
            self.consts[name] = value
        elif right.type == "dictionary" and all(
                p.type == "pair" and string_value(p.child_by_field_name("key")) is not None for p in right.named_children):
            self.keyed[name] = {string_value(p.child_by_field_name("key")): self.ev(p.child_by_field_name("value"))  # type: ignore[misc]
                                for p in right.named_children}
            self.keyed_lits[name] = {string_value(p.child_by_field_name("key")) for p in right.named_children  # type: ignore[misc]
                                     if self._is_lit(p.child_by_field_name("value"))}
        elif right.type == "call" and text(right.child_by_field_name("function")) == "dict" and not arguments(right)[0] \
                and not arguments(right)[1]:
            self.keyed[name] = {}
            self.keyed_lits[name] = set()

    def _indexed_read(self, base: Node | None, key: Node | None) -> Taint | None | bool:
        """The taint at a constant position of a list tracked per index; False when unknown."""
        if base is None or base.type != "identifier" or text(base) not in self.indexed or key is None:
            return False
        items = self.indexed[text(base)]
        i = self._const(key)
        if key.type == "unary_operator" and key.named_children:
            inner = self._const(key.named_children[0])
            i = -inner if isinstance(inner, int) and text(key).startswith("-") else None
        if not isinstance(i, int) or isinstance(i, bool) or not -len(items) <= i < len(items):
            return False
        return items[i]

    def _indexed_call(self, recv: Node | None, m: str, pos: list[Node], arg_ts: list[Taint | None]) -> Taint | None | bool:
        """Apply a list method to a list tracked per index; the value `pop` returns, else False."""
        if recv is None or recv.type != "identifier" or text(recv) not in self.indexed:
            return False
        name = text(recv)
        items = self.indexed[name]
        index = self._const(pos[0]) if pos else None
        known = isinstance(index, int) and not isinstance(index, bool)
        if m == "append" and len(arg_ts) == 1:
            items.append(arg_ts[0])
        elif m == "insert" and len(arg_ts) == 2 and known:
            items.insert(index, arg_ts[1])  # type: ignore[arg-type]
        elif m == "pop" and items and (not pos or (known and -len(items) <= index < len(items))):  # type: ignore[operator]
            return items.pop(index if pos else -1)  # type: ignore[arg-type]
        elif m in ("copy", "count", "index"):
            pass
        elif m == "clear":
            items.clear()
        else:
            self.indexed.pop(name)  # extend, remove, sort, reverse...: positions unknown from here
        return False

    def _deep_lit(self, node: Node) -> bool:
        saved, self.deep_lits = self.deep_lits, True
        try:
            return self._is_lit(node)
        finally:
            self.deep_lits = saved

    def _note_literal(self, left: Node | None, literal: bool) -> None:
        """After an assignment: the name (or the dict key) holds only literals, or not."""
        if left is None:
            return
        if left.type == "identifier":
            if literal:
                self.lits.add(text(left))
            return
        if left.type == "subscript":
            base = left.child_by_field_name("value")
            key = string_value(left.child_by_field_name("subscript"))
            if base is not None and base.type == "identifier" and text(base) in self.keyed_lits:
                lits = self.keyed_lits[text(base)]
                if key is None:
                    self.keyed_lits.pop(text(base))
                elif literal:
                    lits.add(key)
                else:
                    lits.discard(key)

    def _is_lit(self, node: Node | None, depth: int = 0) -> bool:
        """Is the value made only of the program's own literals (whatever it is), through
        names, keyed containers, pure functions and methods of such values, branches that
        agree, and helpers that return only literals? Request data never is."""
        if node is None or depth > 20:
            return False
        t = node.type
        if t in ("integer", "float", "true", "false", "none"):
            return True
        if t == "string":
            return all(self._is_lit(c.child_by_field_name("expression"), depth + 1)
                       for c in node.children if c.type == "interpolation")
        if t == "identifier":
            return text(node) in self.lits or text(node) in self.consts
        if t == "attribute" and self.fixed_path and text(node.child_by_field_name("attribute")) == "path":
            return self.is_request(node.child_by_field_name("object"))  # the literal route's own path
        if t in ("concatenated_string", "parenthesized_expression", "binary_operator", "unary_operator",
                 "boolean_operator", "comparison_operator", "not_operator", "tuple", "expression_list", "slice"):
            return all(self._is_lit(c, depth + 1) for c in node.named_children if c.type != "comment")
        if t == "conditional_expression" and len(node.named_children) == 3:
            body, cond, other = node.named_children
            known = self.fold(cond)
            if known is not None:
                return self._is_lit(body if known else other, depth + 1)
            return self._is_lit(body, depth + 1) and self._is_lit(other, depth + 1)
        if t == "subscript":
            base = node.child_by_field_name("value")
            keys = node.children_by_field_name("subscript")
            if base is not None and base.type == "identifier" and text(base) in self.keyed_lits and len(keys) == 1:
                return string_value(keys[0]) in self.keyed_lits[text(base)]
            return self._is_lit(base, depth + 1) and all(self._is_lit(k, depth + 1) for k in keys)
        if t == "call":
            if (node.start_byte, node.end_byte) in self.lit_calls:
                return True
            fn = node.child_by_field_name("function")
            pos, kws = arguments(node)
            args_lit = all(self._is_lit(a, depth + 1) for a in (*pos, *kws.values()))
            if fn is not None and fn.type == "attribute":
                recv = fn.child_by_field_name("object")
                m = text(fn.child_by_field_name("attribute"))
                if recv is not None and recv.type == "identifier" and text(recv) in self.keyed_lits and pos:
                    name = text(recv)
                    if name in self.config_parsers and m == "get" and len(pos) >= 2:
                        sec, opt = string_value(pos[0]), string_value(pos[1])
                        return sec is not None and opt is not None and f"{sec}\x00{opt.lower()}" in self.keyed_lits[name]
                    if m == "get":
                        return string_value(pos[0]) in self.keyed_lits[name] and args_lit
                if self._is_lit(recv, depth + 1) and args_lit:
                    return True  # a method of a literal string, number or tuple
            q = callee(node, self.ctx.facts)[0]
            if args_lit and q in _PURE_FUNCTIONS:
                return True
            return args_lit and self.deep_lits and self._helper_returns_literal(node, q, fn, pos)
        return False

    def _helper_returns_literal(self, node: Node, q: str, fn: Node | None, pos: list[Node]) -> bool:
        """A project function called with literals only: does every value it returns come
        from its parameters and literals (`escape(s)` building its answer from `s`)? Its
        receiver's state (`self.x`) is not a literal. Every candidate callee must agree."""
        if fn is None or any(a.type in ("list_splat", "dictionary_splat") for a in pos):
            return False
        m = text(fn.child_by_field_name("attribute")) if fn.type == "attribute" else text(fn)
        recv = fn.child_by_field_name("object") if fn.type == "attribute" else None
        targets = self._callees(q, m, fn, recv)
        if not targets:
            return False
        for ctx, t in targets:
            key = id(t.node)
            if key not in ctx.literal_results:
                ctx.literal_results[key] = False  # recursion: not proven
                ctx.literal_results[key] = _returns_literal(ctx, t)
            if not ctx.literal_results[key]:
                return False
        return True

    def _config_call(self, recv: Node | None, m: str, pos: list[Node], arg_ts: list[Taint | None],
                     kws: dict[str, Node]) -> Taint | None | bool:
        """A ConfigParser filled option by option: `conf.set(sec, "a", x)` stores x under
        (sec, a) only, so `conf.get(sec, "b")` reads what was set for b (or the fallback).
        Option names are case-insensitive (optionxform lowercases them). False when the
        call is not such a read or write; the value read otherwise."""
        if recv is None or recv.type != "identifier" or text(recv) not in self.config_parsers:
            return False
        name = text(recv)
        options = self.keyed.get(name)
        if options is None:
            return False
        keys = [string_value(a) for a in pos[:2]]
        literal = len(keys) == 2 and keys[0] is not None and keys[1] is not None
        key = f"{keys[0]}\x00{str(keys[1]).lower()}" if literal else ""
        if m == "set" and len(pos) == 3:
            if literal:
                options[key] = arg_ts[2]
                lits = self.keyed_lits.setdefault(name, set())
                lits.add(key) if self._is_lit(pos[2]) else lits.discard(key)
            else:
                self.keyed.pop(name)  # an option chosen at run time: any read may see it
            self.env[name] = merge(self.env.get(name), arg_ts[2])  # type: ignore[assignment]
            return None
        if m in ("get", "getint", "getfloat", "getboolean") and literal:
            if key in options:
                value = options[key]
            else:
                fallback = kws.get("fallback")
                value = self.ev(fallback) if fallback is not None else None
            if m != "get" and value is not None:
                return value.minus(D.ALL_KINDS)
            return value
        if m in ("add_section", "has_section", "has_option", "sections", "remove_option", "remove_section"):
            if m == "remove_option" and literal:
                options.pop(key, None)
            return None if m != "remove_option" or literal else False
        if m not in ("get", "getint", "getfloat", "getboolean", "items", "options"):
            self.keyed.pop(name)  # read()/read_string()/read_dict(): options unknown from here
        return False

    def _keyed_read(self, base: Node | None, key: Node | None) -> Taint | None | bool:
        """The taint stored under a literal key of a per-key dict; False when unknown."""
        if base is None or base.type != "identifier" or text(base) not in self.keyed:
            return False
        k = string_value(key)
        if k is None or k not in self.keyed[text(base)]:
            return False
        return self.keyed[text(base)][k]

    def fold(self, cond: Node | None) -> bool | None:
        """The value of a condition made only of literals and names bound to literals
        (`7 * 18 + num > 200`, `guess == "B"`), or None when it depends on anything else."""
        value = self._const(cond)
        return bool(value) if isinstance(value, (bool, int, str)) and value is not None else None

    def _const(self, node: Node | None, depth: int = 0) -> int | str | bool | None:
        if node is None or depth > 12:
            return None
        t = node.type
        if t == "integer":
            return int(text(node)) if text(node).isdigit() else None
        if t == "string":
            return string_value(node)
        if t in ("true", "false"):
            return t == "true"
        if t == "identifier":
            return self.consts.get(text(node))
        if t == "parenthesized_expression" and node.named_children:
            return self._const(node.named_children[0], depth + 1)
        if t == "subscript":
            base, idx = self._const(node.child_by_field_name("value"), depth + 1), self._const(node.child_by_field_name("subscript"), depth + 1)
            if isinstance(base, str) and isinstance(idx, int) and -len(base) <= idx < len(base):
                return base[idx]
            return None
        if t == "binary_operator":
            a = self._const(node.child_by_field_name("left"), depth + 1)
            b = self._const(node.child_by_field_name("right"), depth + 1)
            op = text(node.child_by_field_name("operator"))
            if isinstance(a, int) and isinstance(b, int) and not isinstance(a, bool):
                return {"+": a + b, "-": a - b, "*": a * b, "//": a // b if b else None, "%": a % b if b else None}.get(op)
            return None
        if t == "comparison_operator":
            kids = node.named_children
            ops = [text(c) for c in node.children if not c.is_named]
            if len(kids) != 2 or len(ops) not in (1, 2):
                return None
            a, b = self._const(kids[0], depth + 1), self._const(kids[1], depth + 1)
            if a is None or b is None or type(a) is not type(b):
                return None
            if ops in (["in"], ["not", "in"]):
                # substring tests on constants: `'should' in bar` where bar = "This should ..."
                return (a in b) == (ops == ["in"]) if isinstance(a, str) and isinstance(b, str) else None
            if len(ops) != 1:
                return None
            return {">": lambda: a > b, "<": lambda: a < b, ">=": lambda: a >= b, "<=": lambda: a <= b,  # type: ignore[operator]
                    "==": lambda: a == b, "!=": lambda: a != b}.get(ops[0], lambda: None)()
        if t == "not_operator" and node.named_children:
            v = self._const(node.named_children[0], depth + 1)
            return (not v) if v is not None else None
        return None

    def _track_argv(self, name: str, right: Node | None) -> None:
        if right is not None and right.type in ("list", "tuple") and right.named_children:
            self.argv[name] = self._argv_taint(right)
            if _runs_shell_script(right):
                self.shell_argv.add(name)
            else:
                self.shell_argv.discard(name)
        else:
            self.argv.pop(name, None)
            self.shell_argv.discard(name)

    def _return(self, node: Node, taint: Taint | None) -> None:
        """Flask (and FastAPI HTMLResponse) handlers: a returned string is the HTML body."""
        if not self.returns_html or taint is None or not taint.strong or "xss" not in taint.kinds:
            return
        if node.type in ("expression_list", "tuple") and node.named_children:
            node = node.named_children[0]
            taint = self.ev(node)
            if taint is None or "xss" not in taint.kinds or not taint.strong:
                return
        if node.type in ("dictionary", "list", "call") and not (node.type == "call" and callee(node, self.ctx.facts)[1] in ("format", "join")):
            return
        if node.type == "identifier" and "mass" in taint.kinds and not taint.built:
            return  # a parsed JSON object: Flask serializes dicts as JSON (a formatted string is text)
        self._report("xss", node, None, "request data returned as HTML without escaping")

    # -- validation ------------------------------------------------------------------
    def _clean(self, node: Node | None, kinds: frozenset[str]) -> None:
        if node is None:
            return
        stack = [node]
        while stack:
            n = stack.pop()
            if n.type == "identifier":
                name = text(n)
                for target in (name, self.url_parts.get(name)):
                    if target in self.env:
                        self.env[target] = self.env[target].minus(kinds)
            elif n.type == "call" and callee(n, self.ctx.facts)[0] in _URL_SPLITTERS:
                stack.extend(arguments(n)[0][:1])
            elif n.type == "attribute":
                stack.append(n.child_by_field_name("object"))  # type: ignore[arg-type]
            else:
                stack.extend(n.named_children)

    def validate(self, cond: Node | None) -> None:
        """Apply what a condition proves: allow-list membership, format checks, safe-URL
        and base-folder checks clean the values they test."""
        if cond is None:
            return
        if self.resolved:
            # `ip = socket.gethostbyname(urlparse(url).hostname); if ip.startswith("127."): return`:
            # testing the address the URL's host resolves to is the SSRF check.
            for name in {text(i) for i in _identifiers(cond)} & self.resolved.keys():
                if self.resolved[name] in self.env:
                    self.env[self.resolved[name]] = self.env[self.resolved[name]].minus(("ssrf",))
        stack = [cond]
        while stack:
            n = stack.pop()
            t = n.type
            if t == "comparison_operator":
                ops = [text(c) for c in n.children if not c.is_named]
                operands = n.named_children
                if any(o in ("in", "not in") for o in ops) and operands:
                    self._clean(operands[0], D.ALL_KINDS)
                elif any(o in ("==", "!=") for o in ops) and any(
                        a in text(n) for a in (".netloc", ".hostname", ".scheme", ".host")):
                    for o in operands:
                        self._clean(o, frozenset({"ssrf", "redirect"}))
                elif any(o in ("==", "!=") for o in ops):
                    # `if os.path.commonpath([base, full]) != base: return`: the containment
                    # check is the call compared with the base folder
                    stack.extend(o for o in operands if o.type == "call" and callee(o, self.ctx.facts)[1] in _COMMON_PATH)
            elif t == "call":
                q, m = callee(n, self.ctx.facts)
                pos, kws = arguments(n)
                fn = n.child_by_field_name("function")
                recv = fn.child_by_field_name("object") if fn is not None and fn.type == "attribute" else None
                if m in D.VALIDATORS_ALL:
                    self._clean(recv if m.startswith("is") else (pos[-1] if pos else None), D.ALL_KINDS)
                    if not m.startswith("is") and len(pos) >= 2:
                        self._clean(pos[1], D.ALL_KINDS)
                elif (m in D.VALIDATORS_REDIRECT or q in D.VALIDATORS_REDIRECT
                      or m.lstrip("_").startswith(D.VALIDATOR_PREFIXES_URL)) and not self._weak_url_validator(q, m, fn, recv):
                    for p in (*pos[:1], kws.get("url")):  # url_has_allowed_host_and_scheme(url=...)
                        self._clean(p, frozenset({"redirect", "ssrf"}))
                elif self._is_ssrf_guard(fn, recv, m):
                    for p in pos[:1]:
                        self._clean(p, frozenset({"ssrf"}))
                elif m in D.VALIDATORS_PATH:
                    if m in ("startswith", "is_relative_to"):
                        self._clean(recv, _prefix_proves(pos[0] if pos else None))
                    else:
                        for p in pos:
                            self._clean(p, frozenset({"path"}))
                elif q == "isinstance" and pos:
                    self._clean(pos[0], frozenset({"nosql", "mass"}))
            elif t in ("not_operator", "boolean_operator", "parenthesized_expression"):
                stack.extend(n.named_children)


_COMMON_PATH = frozenset({"commonpath", "commonprefix"})
_RESOLVERS = frozenset({"socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex",
                        "ipaddress.ip_address", "ipaddress.ip_network"})


def _identifiers(node: Node) -> list[Node]:
    return [n for n in walk(node) if n.type == "identifier"]


def _resolved_url(value: Node, facts: PyFacts) -> str | None:
    """The name of the URL (or host) whose address `value` is: `socket.getaddrinfo(host, 0)
    [0][4][0]`, `socket.gethostbyname(urlparse(url).hostname)`, `ipaddress.ip_address(...)`."""
    while value.type == "subscript":
        value = value.child_by_field_name("value")  # type: ignore[assignment]
        if value is None:
            return None
    if value.type != "call" or callee(value, facts)[0] not in _RESOLVERS:
        return None
    args = arguments(value)[0]
    names = [i for i in _identifiers(args[0]) if i.parent is None or i.parent.type != "attribute"
             or i.parent.child_by_field_name("object") == i] if args else []
    names = [i for i in names if text(i) not in facts.imports]
    return text(names[0]) if len(names) == 1 else None
_HELPER_DEPTH = 3  # helpers followed through helpers: deep enough for repo -> query builder chains
_SHELLS = frozenset({"sh", "bash", "zsh", "dash", "ksh", "cmd", "cmd.exe", "powershell", "pwsh"})
_URL_SPLITTERS = frozenset({"urllib.parse.urlparse", "urllib.parse.urlsplit", "urlparse", "urlsplit"})
_CLIENT_SINK = D.Sink("ssrf", args=(0, 1), keywords=("url",), message="outbound request to a URL from request data (SSRF)")
_HTML_MEDIA_SINK = D.Sink("xss", keywords=("content",), message="HTML response built from request data without escaping")


# A prefix test with an open end does not allow-list: "https://app.example.com" also
# admits "https://app.example.com.evil.net", "/srv/files" admits "/srv/files-private".
_OPEN_ORIGIN = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://[^/]*$")
_OPEN_FOLDER = re.compile(r"^/.*[^/]$")


def _prefix_proves(prefix: Node | None) -> frozenset[str]:
    """The kinds a `value.startswith(prefix)` guard cleans: none for a literal origin or
    folder without its trailing '/'; the path and redirect kinds otherwise."""
    lit = string_value(prefix) if prefix is not None else None
    if lit is None:
        return frozenset({"path", "redirect"})
    if _OPEN_ORIGIN.match(lit) or lit == "/":
        return frozenset()
    if _OPEN_FOLDER.match(lit):
        return frozenset({"redirect"})
    return frozenset({"path", "redirect"})


_NO_CONST = object()
# Functions whose result is fixed by their arguments (no input, no clock, no randomness).
_PURE_FUNCTIONS = frozenset({
    "str", "int", "float", "bool", "bytes", "len", "repr", "hex", "oct", "chr", "ord", "abs", "round", "min", "max",
    "sorted", "tuple", "base64.b64encode", "base64.b64decode", "base64.urlsafe_b64encode", "base64.urlsafe_b64decode",
    "base64.b32encode", "base64.b32decode", "base64.b16encode", "base64.b16decode", "binascii.hexlify",
    "binascii.unhexlify", "codecs.encode", "codecs.decode", "urllib.parse.quote", "urllib.parse.quote_plus",
    "urllib.parse.unquote", "urllib.parse.unquote_plus", "html.escape", "html.unescape", "os.path.join",
    "posixpath.join", "os.path.basename", "os.path.dirname", "textwrap.dedent", "json.dumps", "json.loads",
    "zlib.compress", "zlib.decompress", "gzip.compress", "gzip.decompress"})


def _unescape_quotes(value: str | None) -> str | None:
    return None if value is None else value.replace("\\'", "'").replace('\\"', '"')


def _quote_neutralised(expr: Node | None, before: str) -> bool:
    """`'...{v.replace("'", "&apos;")}...'`: the value sits inside a literal opened by the
    quote it had every copy of replaced (by text without that quote), so it cannot close the
    literal. XPath 1.0 literals have no escape character: this is the whole defence there."""
    if expr is None or expr.type != "call" or not before:
        return False
    fn = expr.child_by_field_name("function")
    if fn is None or fn.type != "attribute" or text(fn.child_by_field_name("attribute")) != "replace":
        return False
    pos, _ = arguments(expr)
    if len(pos) != 2:
        return False
    quote, repl = (_unescape_quotes(string_value(a)) for a in pos)
    if quote not in ("'", '"') or repl is None or quote in repl:
        return False
    return _opens_literal(before, quote)


def _opens_literal(before: str, quote: str) -> bool:
    """Does the text before a value end by opening a `quote` literal (an odd count of it)?"""
    return before.count(quote) % 2 == 1 and before.rstrip().endswith(quote)


def _quote_tests(cond: Node | None) -> list[tuple[str, str]]:
    """(name, quote) for each `"'" in name` test of a condition (alone or joined by `or`):
    when the branch it guards leaves, the name holds no such quote afterwards."""
    if cond is None:
        return []
    if cond.type == "parenthesized_expression" and cond.named_children:
        return _quote_tests(cond.named_children[0])
    if cond.type == "boolean_operator" and text(cond.child_by_field_name("operator")) == "or":
        return _quote_tests(cond.child_by_field_name("left")) + _quote_tests(cond.child_by_field_name("right"))
    if cond.type != "comparison_operator" or [text(c) for c in cond.children if not c.is_named] != ["in"]:
        return []
    left, right = cond.named_children[0], cond.named_children[-1]
    quote = _unescape_quotes(string_value(left)) if left.type == "string" else None
    if quote not in ("'", '"') or right.type != "identifier":
        return []
    return [(text(right), quote)]  # type: ignore[list-item]


def _all_routes_literal(fn: FunctionDef) -> bool:
    """Every route decorator of `fn` names a path without variable parts (`<id>`, `{id}`)."""
    paths = []
    for dec in fn.decorators:
        expr = decorator_call(dec)
        f = expr.child_by_field_name("function") if expr is not None and expr.type == "call" else None
        if f is None or f.type != "attribute" or text(f.child_by_field_name("attribute")) not in ROUTE_METHODS:
            continue
        args = expr.child_by_field_name("arguments")  # type: ignore[union-attr]
        first = args.named_children[0] if args is not None and args.named_children else None
        path = string_value(first) if first is not None and first.type == "string" else None
        if path is None:
            return False
        paths.append(path)
    return bool(paths) and not any("<" in p or "{" in p for p in paths)
_CONFIG_PARSERS = frozenset({"configparser.ConfigParser", "configparser.RawConfigParser", "configparser.SafeConfigParser",
                             "ConfigParser", "RawConfigParser"})


def _case_fits(pattern: Node | None, value: int | str | bool | None) -> bool | None:
    """Does a case pattern fit the subject: True (`_`, a bare capture, or a literal equal
    to a constant subject), False (literals a constant subject differs from), None unknown."""
    if pattern is None:
        return None
    kids = pattern.named_children
    if not kids:
        return True if text(pattern).strip() == "_" else None
    if len(kids) != 1:
        return None
    node = kids[0]
    if node.type == "dotted_name" and "." not in text(node):
        return True
    alts = node.named_children if node.type == "union_pattern" else [node]
    lits: list[int | str] = []
    for a in alts:
        if a.type == "string" and string_value(a) is not None:
            lits.append(string_value(a))  # type: ignore[arg-type]
        elif a.type == "integer" and text(a).isdigit():
            lits.append(int(text(a)))
        else:
            return None
    if value is None or isinstance(value, bool):
        return None
    return any(type(v) is type(value) and v == value for v in lits)


def _ends_flow(block: Node) -> bool:
    """The block's last statement leaves it (return, raise, continue, break, abort())."""
    last = block.named_children[-1] if block.named_children else None
    while last is not None and last.type == "comment":
        last = last.prev_named_sibling
    if last is None:
        return False
    if last.type in ("return_statement", "raise_statement", "continue_statement", "break_statement"):
        return True
    return last.type == "expression_statement" and bool(re.match(r"(?:flask\.)?abort\(|sys\.exit\(", text(last)))


def _file_ctx(src: SourceFile) -> _FileCtx | None:
    """Analysis state for another project file reached through the project index."""
    facts = collect(src, remember=False)
    if not facts.ok:
        return None
    aliases = frozenset(k for k, v in facts.imports.items() if v in ("flask.request", "quart.request"))
    return _FileCtx(src, facts, framework_of(src, facts), aliases)


def _returns_literal(ctx: _FileCtx, target: FunctionDef) -> bool:
    """With every parameter bound to a literal, is every returned value a literal?"""
    body = target.node.child_by_field_name("body")
    if body is None or len(ctx.active) >= _HELPER_DEPTH or id(target.node) in ctx.active:
        return False
    saved = ctx.found
    ctx.found = []
    ctx.active.add(id(target.node))
    try:
        inner = _Function(ctx, None)
        inner.fn = target
        inner.in_helper = True
        inner.deep_lits = True
        inner.lits = {n for n, _ in param_names(target.node) if n not in ("self", "cls")}
        inner.run(body)
        return inner.lit_returns
    finally:
        ctx.active.discard(id(target.node))
        ctx.found = saved


def _summarise_in(ctx: _FileCtx, target: FunctionDef, bound: dict[str, Taint], cross_file: bool = False) -> _Summary:
    """What `target` (a function of ctx's file) does with the `bound` parameter taints: the
    sinks they reach (with the steps from its start to each sink), its return taint, and
    whether it loads a record by id unchecked. Summaries of another file's functions
    (`cross_file`) are cached on disk by the project index, keyed by that file's content
    and the contents of every file the summary read; they count against its depth guard."""
    index = ctx.src.index if cross_file else None
    cache_key = None
    file_hash = None
    if index is not None and index.cache is not None:
        file_hash = index.file_hash(ctx.src.path)
        binding = sorted((n, sorted(t.kinds), t.strong, t.built) for n, t in bound.items())
        cache_key = index.summary_key(ctx.src.path, f"py:{target.node.start_byte}:{target.name}:{binding}")
        if file_hash is not None:
            cached = index.cache.get(file_hash, cache_key, index.file_hash)
            if cached is not None:
                return _Summary.from_json(cached)
    body = target.node.child_by_field_name("body")
    if body is None:
        return _Summary([], None)
    entered = index.enter(ctx.src.path) if index is not None else True
    if not entered:
        return _Summary([], None)
    saved = ctx.found
    ctx.found = []
    ctx.active.add(id(target.node))
    try:
        inner = _Function(ctx, None)
        inner.fn = target
        inner.env = dict(bound)
        inner.in_helper = True
        inner.run(body)
        found = ctx.found
    finally:
        ctx.active.discard(id(target.node))
        ctx.found = saved
        if index is not None:
            index.leave()
    sinks: list[tuple[str, Severity | None, str, tuple[tuple[str, int, str], ...]]] = []
    files = {ctx.src.path}
    for f in found:
        if f.kind not in {k for k, _, _, _ in sinks}:
            trace = f.trace or ((ctx.src.path, f.node.start_point[0] + 1, f.message),)
            files.update(p for p, _, _ in trace)
            sinks.append((f.kind, f.severity, f.message, trace))
    # A helper that loads by id and checks ownership itself (a 403 on a foreign owner)
    # is an access-checked loader; one that does not leaves the check to the handler.
    lookup = bool(inner.lookups) and not OWNERSHIP.search(text(target.node))
    summary = _Summary(sinks, inner.returned, lookup, tuple(sorted(files)), inner.lit_returns)
    if cache_key is not None and file_hash is not None and index is not None and index.cache is not None:
        index.cache.put(file_hash, cache_key, index.deps_of(list(summary.files)), summary.to_json())
    return summary


def _runs_shell_script(argv: Node) -> bool:
    """`["sh", "-c", script]`, `("bash", "-lc", ...)`, `["cmd", "/c", ...]`: a shell given a script."""
    items = argv.named_children
    if not items or text(items[0]).strip("'\"").rsplit("/", 1)[-1] not in _SHELLS:
        return False
    return any(re.fullmatch(r"-\w*c|/c|-Command", text(i).strip("'\"")) for i in items[1:])


# Decorators of a command-line entry point (click, typer, Flask's `app.cli`): the
# function's parameters come from the operator's own command line.
_CLI_DECORATOR = re.compile(r"^@\s*(?:[\w.]+\.)?(?:command|group|argument|option)\s*\(|^@\s*[\w.]*\bcli\.(?:command|group)\b")


def _is_cli_command(fn: FunctionDef) -> bool:
    decs = [text(d) for d in fn.decorators]
    return any(_CLI_DECORATOR.match(d) for d in decs) and any(
        re.match(r"^@\s*(?:click|typer|[\w.]*cli)\b|^@\s*[\w.]+\.command\s*\(", d) for d in decs)


_CALLER_EXPR = re.compile(r"^(?:self\.)?(?:request\.user|current_user|g\.user)\b")


def _assigned_names(block: Node) -> set[str]:
    """Plain names a block assigns (not in nested defs)."""
    out: set[str] = set()
    stack = [block]
    while stack:
        node = stack.pop()
        if node.type in ("function_definition", "class_definition", "lambda"):
            continue
        if node.type in ("assignment", "augmented_assignment"):
            left = node.child_by_field_name("left")
            if left is not None and left.type == "identifier":
                out.add(text(left))
        stack.extend(node.named_children)
    return out


def _on_path(root: Node, byte: int, lookup: Node) -> bool:
    """Is the code at `byte` on every path to `lookup`, as far as branches go: not inside an
    if/elif/else/except branch that does not also hold the lookup?"""
    node = root.descendant_for_byte_range(byte, byte)
    while node is not None and node != root:
        if node.type == "block" and node.parent is not None and node.parent.type in (
                "if_statement", "elif_clause", "else_clause", "except_clause", "case_clause"):
            return node.start_byte <= lookup.start_byte and lookup.end_byte <= node.end_byte
        node = node.parent
    return True


def _caller_relation_only(body: Node, lookup: Node) -> bool:
    """The record a lookup loads is only handed to a method of the caller's own object
    (`profile = request.user.profile; profile.favorite(article)`, `current_user.follow(user)`)
    and never called, changed or deleted itself: the handler changes the caller's row, and
    the record is a reference. Any method call on the record, or a write to one of its
    attributes, keeps the lookup scored."""
    assign = lookup.parent
    while assign is not None and assign.type in ("await", "parenthesized_expression"):
        assign = assign.parent
    if assign is None or assign.type != "assignment" or assign.child_by_field_name("left") is None:
        return False
    left = assign.child_by_field_name("left")
    if left is None or left.type != "identifier":
        return False
    var = text(left)
    owned = set()
    for a in walk(body):
        if a.type == "assignment" and (lt := a.child_by_field_name("left")) is not None and lt.type == "identifier" \
                and _CALLER_EXPR.match(text(a.child_by_field_name("right"))):
            owned.add(text(lt))
    related = False
    for use in walk(body):
        if use.type != "identifier" or text(use) != var or use == left:
            continue
        parent = use.parent
        if parent is None:
            continue
        if parent.type == "attribute" and parent.child_by_field_name("object") == use:
            outer = parent.parent
            if outer is not None and (outer.type == "call" or (outer.type == "assignment" and outer.child_by_field_name("left") == parent)):
                return False  # the record's own method, or a write to it
        if parent.type in ("delete_statement", "assignment") and parent.child_by_field_name("left") == use:
            return False  # rebound or deleted: not followed further
        if parent.type == "argument_list" and (call := parent.parent) is not None:
            func = call.child_by_field_name("function")
            if func is not None and func.type == "attribute":
                recv = text(func.child_by_field_name("object"))
                if recv in owned or _CALLER_EXPR.match(recv):
                    related = True
                elif "delete" in text(func.child_by_field_name("attribute")):
                    return False  # db.session.delete(record)
    return related


def _leading_literal(node: Node) -> str | None:
    """The constant text a string-building expression starts with ('' when it starts with a
    non-literal value we know nothing about)."""
    while node.type in ("binary_operator", "parenthesized_expression"):
        node = node.child_by_field_name("left") if node.type == "binary_operator" else node.named_children[0]  # type: ignore[assignment]
    if node.type == "concatenated_string":  # implicit concatenation: 'https://a.com' '/path?q={}'
        out = ""
        for part in node.named_children:
            lit = _leading_literal(part)
            if lit is None:
                return out
            out += lit
            if any(c.type == "interpolation" for c in part.children):
                return out
        return out
    if node.type == "string":
        out = ""
        for c in node.children:
            if c.type == "string_content":
                out += text(c)
            elif c.type == "interpolation":
                break
        return out
    return None


def _is_sandbox_ctor(call: Node, facts: PyFacts) -> bool:
    return callee(call, facts)[0].rsplit(".", 1)[-1] in D.SANDBOXED_ENVIRONMENTS


def _is_client_ctor(recv: Node, facts: PyFacts) -> bool:
    return recv.type == "call" and callee(recv, facts)[0] in D.HTTP_CLIENTS


def _is_model_write(q: str, m: str, recv: Node | None) -> bool:
    last = q.rsplit(".", 1)[-1] if q else m
    if last[:1].isupper():
        return True
    return m in ("create", "update", "get_or_create", "update_or_create", "insert", "insert_one", "values", "model_validate") and recv is not None


def _is_query_call(node: Node) -> bool:
    """`db.query(Order)` / `session.query(Order)`: SQLAlchemy's legacy Query, whose .get(id)
    loads one row by primary key."""
    if node.type != "call":
        return False
    fn = node.child_by_field_name("function")
    return fn is not None and fn.type == "attribute" and text(fn.child_by_field_name("attribute")) == "query"


def _uses_auth_name(fn: FunctionDef, names: frozenset[str]) -> bool:
    """The handler takes a parameter annotated with an auth alias or is routed by an
    authenticated router: the caller is known, so an unscoped lookup is an IDOR."""
    if not names:
        return False
    if any(_base_annotation(text(p.child_by_field_name("type"))) in names for _, p in param_names(fn.node)):
        return True
    route = route_of(fn)
    expr = route.decorator.named_children[0] if route is not None and route.decorator.named_children else None
    target = expr.child_by_field_name("function") if expr is not None and expr.type == "call" else None
    owner = target.child_by_field_name("object") if target is not None and target.type == "attribute" else None
    return owner is not None and text(owner) in names


def _worth_analysing(body_text: str, analyser: _Function) -> bool:
    if analyser.handler or analyser.stdlib_handler or analyser.env and any(t.strong for t in analyser.env.values()):
        return True
    if "request" in body_text or "req." in body_text:
        return True
    return bool(_WEAK_SINK_TEXT.search(body_text))


def proven_literal(src: SourceFile, calls: list[Node]) -> bool:
    """Does the dataflow of the function around these calls prove each one's first argument
    is made only of the program's own literals? For pattern checks that judge an API's
    options (an unsafe YAML loader, a parser resolving entities): data the program wrote
    itself carries no attack. False when unsure (module level, not reached)."""
    facts = collect(src)
    if not facts.ok or not calls:
        return False
    inside = [f for f in facts.functions if f.node.start_byte <= calls[0].start_byte < f.node.end_byte]
    if not inside:
        return False
    fn = min(inside, key=lambda f: f.node.end_byte - f.node.start_byte)
    body = fn.node.child_by_field_name("body")
    if body is None or any(not fn.node.start_byte <= c.start_byte < fn.node.end_byte for c in calls):
        return False
    aliases = frozenset(k for k, v in facts.imports.items() if v in ("flask.request", "quart.request"))
    analyser = _Function(_FileCtx(src, facts, framework_of(src, facts), aliases), fn)
    analyser.watch = {(c.start_byte, c.end_byte): True for c in calls}
    analyser.deep_lits = True
    seen: set[tuple[int, int]] = set()
    original = analyser.ev_call

    def visit(node: Node) -> Taint | None:
        seen.add((node.start_byte, node.end_byte))
        return original(node)

    analyser.ev_call = visit  # type: ignore[method-assign]
    analyser.run(body)
    return all(where in seen and ok for where, ok in analyser.watch.items())


class PyTaintCheck(Check):
    """Injection, path traversal, SSRF, open redirect, XSS, deserialization, XXE and mass
    assignment from request data, plus handlers that load records by a request id with
    no ownership check."""

    languages = frozenset({"python"})
    detectors = (*sorted(set(D.DETECTORS.values())), "py.access.idor")

    def run(self, src: SourceFile) -> Iterable[Hit]:
        facts = collect(src)
        if not facts.ok:
            return []
        framework = framework_of(src, facts)
        aliases = frozenset(k for k, v in facts.imports.items() if v in ("flask.request", "quart.request"))
        ctx = _FileCtx(src, facts, framework, aliases)
        hits: list[Hit] = []
        for fn in facts.functions:
            body = fn.node.child_by_field_name("body")
            if body is None:
                continue
            analyser = _Function(ctx, fn)
            if not _worth_analysing(text(body), analyser) and not any(
                    f"{g}(" in text(body) for g in ctx.imported_getters()):
                continue
            analyser.run(body)
            if analyser.lookups:
                self._access(ctx, fn, analyser, hits)
        module = _Function(ctx, None)
        if _WEAK_SINK_TEXT.search(src.text):
            module.run(src.tree.root_node)  # type: ignore[union-attr]
        for f in ctx.found:
            det = D.DETECTORS[f.kind]
            hits.append(Hit.at(det, f.node, f.message, severity=f.severity, framework=framework, trace=f.trace))
        if src.library and api_file(src.path):
            hits = merge_caller_hits(hits, self._library_pass(src, facts, framework, aliases))
        return hits

    @staticmethod
    def _library_pass(src: SourceFile, facts: PyFacts, framework: str | None, aliases: frozenset[str]) -> list[Hit]:
        """Library mode: each public API function again, its data parameters bound as the
        caller's input; a finding names the function (auditor.scan.library)."""
        public = public_functions(src.tree.root_node, facts)  # type: ignore[union-attr]
        by_start = {fn.node.start_byte: fn for fn in facts.functions}
        ctx = _FileCtx(src, facts, framework, aliases)
        ctx.library = {start: params for start in public if (params := data_parameters(by_start[start]))}
        hits: list[Hit] = []
        fields: dict[int, frozenset[str]] = {}  # class -> attributes its constructor sets from data
        for start in public:
            fn = by_start[start]
            if fn.klass is not None and fn.klass.start_byte not in fields:
                init = next((f for s, f in by_start.items() if s in public and f.name == "__init__"
                             and f.klass is not None and f.klass.start_byte == fn.klass.start_byte), None)
                fields[fn.klass.start_byte] = constructor_fields(fn.klass, ctx.library.get(init.node.start_byte, []) if init else [])
        for start in public:
            fn = by_start[start]
            body = fn.node.child_by_field_name("body")
            own = fields.get(fn.klass.start_byte, frozenset()) if fn.klass is not None else frozenset()
            if body is None or (start not in ctx.library and not own):
                continue
            before = len(ctx.found)
            analyser = _Function(ctx, fn)
            analyser.caller_fields = own
            analyser.run(body)
            for f in ctx.found[before:]:
                hit = Hit.at(D.DETECTORS[f.kind], f.node, f.message, severity=f.severity, framework=framework,
                             trace=f.trace)
                hits.append(caller_hit(hit, src.path, public[start], fn.node.start_point[0] + 1))
        return hits

    @staticmethod
    def _access(ctx: _FileCtx, fn: FunctionDef, analyser: _Function, hits: list[Hit]) -> None:
        scope = text(fn.outer)
        context = scope
        if fn.klass is not None:
            context = text(fn.klass)
        if fn.klass is not None and OWNERSHIP.search(context):
            return
        if not (_AUTH_CONTEXT.search(context) or _WRITE_CONTEXT.search(scope) or _uses_auth_name(fn, ctx.auth_names())):
            return
        body = fn.node.child_by_field_name("body")
        scoped = [n for n in analyser.lookups if body is None or not _caller_relation_only(body, n)]
        if fn.klass is None:
            # An ownership check in another branch (`if vuln: ... else: filter_by(user=user)`)
            # does not cover a lookup: only one on the lookup's own path does.
            # A refusal (403, PermissionDenied) is the outcome of a check wherever it stands.
            matches = list(OWNERSHIP.finditer(scope))
            if any(_REFUSAL.match(m.group(0)) for m in matches):
                return
            checks = [fn.outer.start_byte + len(scope[:m.start()].encode("utf-8")) for m in matches]
            scoped = [n for n in scoped if not any(_on_path(fn.outer, at, n) for at in checks)]
        if not scoped:
            return
        node = scoped[0]
        hits.append(Hit.at("py.access.idor", node,
                           "record loaded by an id from the request with no ownership or permission check",
                           framework=ctx.framework))


CHECKS = [PyTaintCheck()]

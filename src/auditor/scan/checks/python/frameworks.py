"""Which web framework a Python file is written for, and which functions are its handlers.

The stack decides when it names a framework; a file scanned alone (no stack) is judged by
its own imports, and checks pass that framework on their hits (`Hit.framework`) so the
engine reports them under that framework's rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tree_sitter import Node

from auditor.scan.checks.python.facts import FunctionDef, PyFacts, decorator_call, string_value, text
from auditor.scan.interface import SourceFile

WEB_FRAMEWORKS = ("django", "flask", "fastapi")
_IMPORT_PREFIXES = {
    "django": ("django", "rest_framework"),
    "flask": ("flask", "flask_login", "flask_wtf", "flask_sqlalchemy", "quart"),
    "fastapi": ("fastapi", "starlette"),
}
ROUTE_METHODS = frozenset({"route", "get", "post", "put", "patch", "delete", "api_route", "websocket", "head", "options"})
WRITE_VERBS = frozenset({"post", "put", "patch", "delete"})
_FLASK_PARAM = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
_FASTAPI_PARAM = re.compile(r"\{(\w+)(?::\w+)?\}")


def framework_of(src: SourceFile, facts: PyFacts) -> str | None:
    """django | flask | fastapi | None: the stack's framework when it names one of ours,
    else the one the file imports."""
    if src.project is not None:
        known = [f for f in WEB_FRAMEWORKS if f in src.project.ids()]
        if len(known) == 1:
            return known[0]
    for fw in ("fastapi", "flask", "django"):
        if facts.imported(*_IMPORT_PREFIXES[fw]):
            return fw
    return None


def stack_decides(src: SourceFile) -> bool:
    """True when the file's stack names a web framework: the engine then picks the rule."""
    return src.project is not None and any(f in src.project.ids() for f in WEB_FRAMEWORKS)


def pin_exact(src: SourceFile, rule_id: str) -> str | None:
    """`rule_id` when the stack does not decide (None lets the engine choose by stack)."""
    return None if stack_decides(src) else rule_id


@dataclass(frozen=True)
class Route:
    """A handler's route as its decorator declares it."""

    path: str
    methods: frozenset[str]
    params: dict[str, str]  # path parameter -> converter ("int", "str", "path", ...)
    decorator: Node


def route_of(fn: FunctionDef) -> Route | None:
    """The Flask/FastAPI route decorator of `fn` (`@app.get("/x/{id}")`, `@bp.route(...)`)."""
    for dec in fn.decorators:
        expr = decorator_call(dec)
        if expr is None or expr.type != "call":
            continue
        f = expr.child_by_field_name("function")
        if f is None or f.type != "attribute":
            continue
        method = text(f.child_by_field_name("attribute"))
        if method not in ROUTE_METHODS:
            continue
        args = expr.child_by_field_name("arguments")
        path = ""
        methods: set[str] = set()
        if args is not None:
            for a in args.named_children:
                if a.type == "string" and not path:
                    path = string_value(a) or ""
                elif a.type == "keyword_argument" and text(a.child_by_field_name("name")) == "methods":
                    methods = {m.strip("'\" ").lower() for m in re.findall(r"['\"](\w+)['\"]", text(a))}
                elif a.type == "keyword_argument" and text(a.child_by_field_name("name")) == "path":
                    path = string_value(a.child_by_field_name("value")) or path
        if method not in ("route", "api_route"):
            methods = {method}
        elif not methods:
            methods = {"get"}
        params: dict[str, str] = {}
        for conv, name in _FLASK_PARAM.findall(path):
            params[name] = conv or "string"
        for name in _FASTAPI_PARAM.findall(path):
            params[name] = "str"
        return Route(path, frozenset(methods), params, dec)
    return None


# OpenAPI-first apps (connexion): the spec maps each operation to a handler by `operationId`
# (`api.users.get_user`, or a bare name under `x-openapi-router-controller`); the handler's
# parameters are the operation's path, query and body values. Read once per scanned tree.
_SPEC_SUFFIXES = (".yml", ".yaml", ".json")
_SPEC_CACHE: dict[int, tuple[object, dict[str, tuple[str, str]]]] = {}
_HTTP_VERBS = frozenset({"get", "post", "put", "patch", "delete", "head", "options"})


def spec_operations(src: SourceFile) -> dict[str, tuple[str, str]]:
    """operationId (dotted `module.function`) -> (method, path) of the tree's OpenAPI specs."""
    index = src.index
    if index is None:
        return {}
    held = _SPEC_CACHE.get(id(index))
    if held is not None and held[0] is index:
        return held[1]
    ops: dict[str, tuple[str, str]] = {}
    for suffix in _SPEC_SUFFIXES:
        for rel in index.files_with(suffix):
            path = index.root / rel
            try:
                if path.stat().st_size > 2_000_000:
                    continue
                raw = path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            if "operationId" not in raw or "paths" not in raw:
                continue
            ops.update(_operations(raw))
    _SPEC_CACHE[id(index)] = (index, ops)
    return ops


def _operations(raw: str) -> dict[str, tuple[str, str]]:
    import yaml

    try:
        doc = yaml.safe_load(raw)
    except yaml.YAMLError:
        return {}
    paths = doc.get("paths") if isinstance(doc, dict) else None
    out: dict[str, tuple[str, str]] = {}
    for route, item in (paths.items() if isinstance(paths, dict) else ()):
        if not isinstance(item, dict):
            continue
        controller = item.get("x-openapi-router-controller")
        for method, op in item.items():
            if method not in _HTTP_VERBS or not isinstance(op, dict) or not isinstance(op.get("operationId"), str):
                continue
            owner = op.get("x-openapi-router-controller", controller)
            op_id = f"{owner}.{op['operationId']}" if isinstance(owner, str) else op["operationId"]
            out[op_id] = (method, str(route))
    return out


def spec_route(src: SourceFile, fn: FunctionDef) -> Route | None:
    """The OpenAPI operation a module-level function handles (its operationId names the
    function and a module path that ends with this file's)."""
    if fn.klass is not None or not fn.name:
        return None
    ops = spec_operations(src)
    if not ops:
        return None
    module = src.path.rsplit(".", 1)[0].replace("/", ".").removesuffix(".__init__")
    for op_id, (method, path) in ops.items():
        owner, _, name = op_id.rpartition(".")
        if name == fn.name and owner and (module == owner or module.endswith("." + owner)):
            params = {p: "str" for p in _FASTAPI_PARAM.findall(path)}
            return Route(path, frozenset({method}), params, fn.node)
    return None


def param_names(fn_node: Node) -> list[tuple[str, Node]]:
    """(name, parameter node) for each parameter of a def, in order."""
    params = fn_node.child_by_field_name("parameters")
    out: list[tuple[str, Node]] = []
    if params is None:
        return out
    for p in params.named_children:
        if p.type == "identifier":
            out.append((text(p), p))
        elif p.type in ("typed_parameter", "list_splat_pattern", "dictionary_splat_pattern"):
            ident = next((c for c in p.named_children if c.type == "identifier"), None)
            if ident is None:
                ident = next((c for c in p.named_children if c.type in ("list_splat_pattern", "dictionary_splat_pattern")), None)
                ident = next((c for c in ident.named_children if c.type == "identifier"), None) if ident is not None else None
            if ident is not None:
                out.append((text(ident), p))
        elif p.type in ("default_parameter", "typed_default_parameter"):
            out.append((text(p.child_by_field_name("name")), p))
    return out


_VIEW_REQUEST_TYPE = re.compile(r"\b(?:Http|WSGI|ASGI|Rest|Authenticated)?Request\b|\bAny\b")


def is_django_view(fn: FunctionDef) -> bool:
    """A function view `def v(request, ...)` or a class-based view method `def get(self, request, ...)`."""
    params = param_names(fn.node)
    names = [n for n, _ in params]
    if fn.klass is None:
        idx = 0 if names and names[0] in ("request", "req") else -1
    else:
        idx = 1 if len(names) >= 2 and names[0] == "self" and names[1] in ("request", "req") else -1
    if idx < 0:
        return False
    # `request: FixtureRequest` (pytest) or any other non-HTTP type is not a view's request.
    ann = params[idx][1].child_by_field_name("type")
    return ann is None or _VIEW_REQUEST_TYPE.search(text(ann)) is not None


# The standard library's request handler classes (http.server): their do_GET/do_POST... methods
# answer requests, with the request on `self`.
STDLIB_HANDLER_BASES = frozenset({"BaseHTTPRequestHandler", "SimpleHTTPRequestHandler", "CGIHTTPRequestHandler"})


def is_stdlib_handler(klass: Node | None) -> bool:
    """Does the class derive from an http.server request handler (by its base's last name)?"""
    bases = klass.child_by_field_name("superclasses") if klass is not None else None
    return bases is not None and any(text(b).rsplit(".", 1)[-1] in STDLIB_HANDLER_BASES for b in bases.named_children)


# GraphQL schemas in code: graphene's resolvers (`resolve_<field>` of an ObjectType) and
# mutations (`mutate` of a Mutation), strawberry's `@strawberry.field`/`@strawberry.mutation`
# methods and ariadne's `@query.field("x")` functions. The client's query supplies every
# argument after `info`.
_GRAPHENE_BASES = frozenset({"ObjectType", "Mutation", "ClientIDMutation", "Interface", "Subscription"})
_GRAPHENE_METHODS = frozenset({"mutate", "mutate_and_get_payload", "subscribe"})
_RESOLVER_DECORATOR = re.compile(r"^@\s*(?:strawberry\.(?:field|mutation|subscription)|\w+\.field)\b")


def graphql_arguments(fn: FunctionDef) -> list[tuple[str, Node]] | None:
    """The parameters a GraphQL query supplies to `fn` (those after `info`), or None when `fn`
    is not a resolver or mutation."""
    params = param_names(fn.node)
    names = [n for n, _ in params]
    if "info" not in names[:3]:
        return None
    graphene = fn.klass is not None and (fn.name.startswith("resolve_") or fn.name in _GRAPHENE_METHODS)
    if graphene:
        bases = fn.klass.child_by_field_name("superclasses") if fn.klass is not None else None
        graphene = bases is not None and any(text(b).rsplit(".", 1)[-1] in _GRAPHENE_BASES
                                             for b in bases.named_children)
    if not graphene and not any(_RESOLVER_DECORATOR.match(text(d)) for d in fn.decorators):
        return None
    return params[names.index("info") + 1:]


def is_handler(fn: FunctionDef, framework: str | None) -> bool:
    """A request handler: a routed Flask/FastAPI function or a Django/DRF view."""
    if route_of(fn) is not None:
        return True
    return framework in (None, "django") and is_django_view(fn)

"""Routes of Flask, FastAPI and Django apps, read from their trees.

Flask and FastAPI: decorators (`@app.route(path, methods=[...])`, `@bp.get(path)`,
`@router.post(path)`) with a same-file Blueprint/APIRouter prefix. FastAPI parameters come from
the signature (Query/Header/Cookie/Form/Body markers, pydantic models as JSON keys, plain
scalars as query). Django: `path()`/`re_path()` in urls.py, following `include()` and the
view function in the app's views module. aiohttp: `router.add_route()`/`add_get()`...,
`web.get()`... in `add_routes` lists and `RouteTableDef` decorators, the handler followed into
the project module that defines it."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from tree_sitter import Node

from auditor.probe.interface import Param, Route
from auditor.probe.routes.common import (
    ANY_PATH,
    NOT_FOUND_PATH,
    add_input,
    add_param,
    join_path,
    string_value,
    template,
    text,
    walk,
)
from auditor.probe.routes.inputs import body_inputs
from auditor.scan.languages import parse

_VERBS = {"get", "post", "put", "patch", "delete", "head", "options"}
_MARKERS = {"Query": "query", "Header": "header", "Cookie": "cookie", "Form": "form", "Body": "json",
            "File": "file", "Depends": "", "Security": ""}
_SCALARS = {"str", "int", "float", "bool", "Optional", "list", "List", "UUID", "date", "datetime", "Decimal"}


def _joined(prefix: str, path: str) -> str:
    """A view's path under its blueprint's or router's prefix. `/` under `/posts` is `/posts/`
    (Flask and FastAPI join the two as strings; a request for `/posts` is only redirected)."""
    full = join_path(prefix, path)
    return full + "/" if path == "/" and prefix.strip("/") and not full.endswith("/") else full


def _call_args(call: Node) -> tuple[list[Node], dict[str, Node]]:
    args = call.child_by_field_name("arguments")
    positional: list[Node] = []
    keywords: dict[str, Node] = {}
    for child in args.named_children if args is not None else []:
        if child.type == "keyword_argument":
            keywords[text(child.child_by_field_name("name"))] = child.child_by_field_name("value")
        elif child.type != "comment":
            positional.append(child)
    return positional, keywords


def _prefixes(root: Node) -> dict[str, str]:
    """`bp = Blueprint("x", __name__, url_prefix="/api")` / `router = APIRouter(prefix="/v1")`."""
    found: dict[str, str] = {}
    for n in walk(root):
        if n.type == "assignment" and (value := n.child_by_field_name("right")) is not None and value.type == "call":
            callee = text(value.child_by_field_name("function")).split(".")[-1]
            if callee in ("Blueprint", "APIRouter"):
                _, kw = _call_args(value)
                prefix = string_value(kw.get("url_prefix") or kw.get("prefix"))
                found[text(n.child_by_field_name("left"))] = prefix or ""
    return found


def _models(root: Node) -> dict[str, list[str]]:
    """Class name -> annotated field names (pydantic models and dataclasses)."""
    models: dict[str, list[str]] = {}
    for n in walk(root):
        if n.type == "class_definition":
            fields: list[str] = []
            body = n.child_by_field_name("body")
            for stmt in body.named_children if body is not None else []:
                if stmt.type == "expression_statement" and stmt.named_children and stmt.named_children[0].type == "assignment":
                    a = stmt.named_children[0]
                    if a.child_by_field_name("type") is not None:
                        fields.append(text(a.child_by_field_name("left")))
            models[text(n.child_by_field_name("name"))] = fields
    return models


def _fastapi_params(fn: Node, path_names: list[str], models: dict[str, list[str]]) -> list[Param]:
    params: list[Param] = []
    plist = fn.child_by_field_name("parameters")
    for p in plist.named_children if plist is not None else []:
        name_node = p.child_by_field_name("name") or (p.named_children[0] if p.named_children else None)
        name = text(name_node)
        if not name or name in ("self", "request", "response") or name in path_names:
            continue
        kind = text(p.child_by_field_name("type"))
        default = text(p.child_by_field_name("value"))
        marker = next((loc for m, loc in _MARKERS.items() if re.search(rf"\b{m}\s*\(", kind + " " + default)), None)
        if re.search(r"\bUploadFile\b", kind):  # `file: UploadFile` with or without `= File(...)`: multipart
            marker = "file"
        if marker == "":
            continue
        base = re.sub(r"^(?:Annotated|Optional)\[|\].*$|\s*\|\s*None", "", kind).split(",")[0].strip()
        if marker is None and base in models:
            for field_name in models[base]:
                add_param(params, field_name, "json")
            continue
        if marker is None and base and base not in _SCALARS and base[:1].isupper():
            continue  # Request, Session, a dependency
        location = marker or "query"
        alias = re.search(r"alias\s*=\s*['\"]([^'\"]+)['\"]", kind + default)
        wire = alias.group(1) if alias else (name.replace("_", "-") if location == "header" else name)
        add_param(params, wire, location)
    return params


_MOUNT = re.compile(r"""\b(?:register_blueprint|include_router)\(\s*([\w.]+)\s*,[^)]*?\b(?:url_)?prefix\s*=\s*['"]([^'"]*)['"]""")


def mounts(sources: dict[str, str]) -> dict[str, str]:
    """Prefixes given where a blueprint or router is mounted, often in another file:
    `app.register_blueprint(mod_user, url_prefix="/user")`, `app.include_router(users.router,
    prefix="/users")`. Keyed by the mounted name as written (`mod_user`, `users.router`)."""
    found: dict[str, str] = {}
    for source in sources.values():
        for m in _MOUNT.finditer(source):
            found[m.group(1)] = m.group(2)
    return found


def _functions(root: Node) -> dict[str, Node]:
    """The file's top-level functions by name (a view's helpers, a handler), decorated or not."""
    defs = [n.child_by_field_name("definition") if n.type == "decorated_definition" else n for n in root.named_children]
    return {text(n.child_by_field_name("name")): n for n in defs if n is not None and n.type == "function_definition"}


@lru_cache(maxsize=256)
def _module_functions(source: str) -> tuple[Node, dict[str, Node]]:
    """A project module's top-level functions (with its root, which keeps the tree alive)."""
    root = parse("python", source).root_node
    return root, _functions(root)


def _imported_file(module: str, rel: str, modules: dict[str, str]) -> str | None:
    """The project file an import names: relative to the importing file's package (`from . import
    x`), else beside it (a script's folder is on sys.path) or under one of its parent folders
    (the project's root, a `src/` layout)."""
    level = len(module) - len(module.lstrip("."))
    parts = module.lstrip(".").split(".") if module.strip(".") else []
    folder = rel.rsplit("/", 1)[0].split("/") if "/" in rel else []
    bases = [folder[:len(folder) - level + 1]] if level else [folder[:n] for n in range(len(folder), -1, -1)]
    for base in bases:
        stem = "/".join([*base, *parts])
        for candidate in (stem + ".py", stem + "/__init__.py"):
            if candidate.lstrip("/") in modules:
                return candidate.lstrip("/")
    return None


def imported_helpers(root: Node, rel: str, modules: dict[str, str]) -> dict[str, Node]:
    """Functions of the project's own modules that this file imports, by the name its code calls
    them with: `import libapi` gives `libapi.authenticate`, `from lib.auth import check as c`
    gives `c`. A view that hands the request to a helper in another module (`libapi.authenticate(
    request)` reading a header) reads what that helper reads."""
    found: dict[str, Node] = {}

    def module_of(name: str) -> dict[str, Node]:
        file = _imported_file(name, rel, modules)
        return _module_functions(modules[file])[1] if file is not None else {}

    for node in root.named_children:
        if node.type == "import_statement":
            for item in node.named_children:
                name = text(item.child_by_field_name("name") if item.type == "aliased_import" else item)
                local = text(item.child_by_field_name("alias")) if item.type == "aliased_import" else name
                for fn_name, fn in module_of(name).items():
                    found[f"{local}.{fn_name}"] = fn
        elif node.type == "import_from_statement":
            source = node.child_by_field_name("module_name")
            module = text(source) if source is not None else ""
            functions = module_of(module) if module else {}
            for item in node.children_by_field_name("name"):
                name = text(item.child_by_field_name("name") if item.type == "aliased_import" else item)
                local = text(item.child_by_field_name("alias")) if item.type == "aliased_import" else name
                if name in functions:
                    found[local] = functions[name]
                else:  # `from pkg import module`
                    sub = module + ("" if module.endswith(".") else ".") + name if module else name
                    for fn_name, fn in module_of(sub).items():
                        found[f"{local}.{fn_name}"] = fn
    return found


def view_inputs(fn: Node, helpers: dict[str, Node]) -> list[Param]:
    """The inputs a view reads in its body, and in the functions it calls by name: the same
    file's (`user_input = _get_user_input()`, a helper that reads a header, the query and the
    form) and the project modules' it imports (`imported_helpers`)."""
    body = text(fn.child_by_field_name("body"))
    params = body_inputs(body, "python")
    for name in dict.fromkeys(re.findall(r"(?<![\w.])([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)?)\s*\(", body)):
        helper = helpers.get(name)
        if helper is not None and helper is not fn:
            for p in body_inputs(text(helper.child_by_field_name("body")), "python"):
                add_input(params, p)
    return params


def _methods(kw: dict[str, Node]) -> list[str]:
    listed = kw.get("methods")
    return [v.upper() for c in (listed.named_children if listed is not None else []) if (v := string_value(c))] or ["GET"]


def _view_of(call: Node, view: Node | None, helpers: dict[str, Node]) -> Node | None:
    """The function `view` names where `call` registers it: one defined in the enclosing
    function (a view made in a loop), else a top-level one."""
    name = text(view) if view is not None and view.type == "identifier" else ""
    scope = call.parent
    while scope is not None and scope.type != "function_definition":
        scope = scope.parent
    if name and scope is not None:
        for n in walk(scope):
            if n.type == "function_definition" and n is not scope and text(n.child_by_field_name("name")) == name:
                return n
    return helpers.get(name) if name else None


def _rule_routes(root: Node, rel: str, prefixes: dict[str, str], helpers: dict[str, Node]) -> list[Route]:
    """`bp.add_url_rule(rule, endpoint, view_func, methods=[...])`. A rule that is no literal (a
    view registered in a loop under computed paths) gives the route `PREFIX/{*}`: its paths are
    the ones the crawl finds under the prefix (routes.spread_views)."""
    routes: list[Route] = []
    for node in walk(root):
        func = node.child_by_field_name("function") if node.type == "call" else None
        if func is None or func.type != "attribute" or text(func.child_by_field_name("attribute")) != "add_url_rule":
            continue
        pos, kw = _call_args(node)
        rule = string_value(pos[0] if pos else kw.get("rule"))
        fn = _view_of(node, pos[2] if len(pos) > 2 else kw.get("view_func"), helpers)
        full, names = template(_joined(prefixes.get(text(func.child_by_field_name("object")), ""),
                                         rule if rule is not None else ANY_PATH))
        params = [Param(n, "path") for n in names]
        params += [p for p in (view_inputs(fn, helpers) if fn is not None else []) if p.location != "path"]
        line = (fn or node).start_point[0] + 1
        routes += [Route(method, full, list(params), "code", rel, line, "flask", "python") for method in _methods(kw)]
    return routes


_ERROR_HANDLERS = ("errorhandler", "app_errorhandler", "exception_handler")
_NOT_FOUND = ("404", "NotFound", "HTTPException", "StarletteHTTPException")
# A not-found handler that reads the request may put what it read in its page.
_READS_REQUEST = re.compile(r"\brequest\.(?:url|path|full_path|base_url|query_string|args|values|headers|cookies)\b")


def flask_fastapi_routes(rel: str, source: str, mounted: dict[str, str] | None = None,
                         modules: dict[str, str] | None = None) -> list[Route]:
    """Routes of a Flask or FastAPI file; `modules` (path -> source of the project's Python files)
    lets a view's inputs include those read by the helpers it imports."""
    root = parse("python", source).root_node
    prefixes = _prefixes(root)
    stem = rel.rsplit("/", 1)[-1].removesuffix(".py")
    for owner, prefix in (mounted or {}).items():
        module, _, name = owner.rpartition(".")
        if name in prefixes and (not module or module.rsplit(".", 1)[-1] == stem):
            prefixes[name] = join_path(prefix, prefixes[name]) if prefixes[name] else prefix
    models = _models(root) if "fastapi" in source else {}
    helpers = {**(imported_helpers(root, rel, modules) if modules else {}), **_functions(root)}
    routes: list[Route] = _rule_routes(root, rel, prefixes, helpers) if "add_url_rule" in source else []
    for node in walk(root):
        if node.type != "decorated_definition":
            continue
        fn = node.child_by_field_name("definition")
        if fn is None or fn.type != "function_definition":
            continue
        for deco in node.children:
            call = deco.named_children[0] if deco.type == "decorator" and deco.named_children else None
            if call is None or call.type != "call":
                continue
            func = call.child_by_field_name("function")
            if func is None or func.type != "attribute":
                continue
            owner, attr = text(func.child_by_field_name("object")), text(func.child_by_field_name("attribute"))
            pos, kw = _call_args(call)
            if attr in _ERROR_HANDLERS and pos and text(pos[0]) in _NOT_FOUND and _READS_REQUEST.search(text(fn)):
                params = [Param("page", "path"), *[p for p in view_inputs(fn, helpers) if p.location != "path"]]
                routes.append(Route("GET", NOT_FOUND_PATH, params, "code", rel, fn.start_point[0] + 1,
                                    "fastapi" if attr == "exception_handler" else "flask", "python"))
                continue
            if attr not in _VERBS and attr not in ("route", "api_route"):
                continue
            path = string_value(pos[0] if pos else kw.get("path") or kw.get("rule"))
            if path is None:
                continue
            methods = [attr.upper()] if attr in _VERBS else _methods(kw)
            is_fastapi = "{" in path or owner in prefixes and "APIRouter" in source or "FastAPI" in source
            framework = "fastapi" if is_fastapi else "flask"
            full, names = template(_joined(prefixes.get(owner, ""), path))
            params = [Param(n, "path") for n in names]
            if framework == "fastapi":
                params += _fastapi_params(fn, names, models)
            params += [p for p in view_inputs(fn, helpers)
                       if (p.name, p.location) not in {(q.name, q.location) for q in params}]
            for method in methods:
                routes.append(Route(method, full, list(params), "code", rel, fn.start_point[0] + 1,
                                    framework, "python"))
    return routes


# -- aiohttp ------------------------------------------------------------------------------
_AIOHTTP_ANY = ("*", "ANY")


def _handler_file(fn: Node, rel: str, modules: dict[str, str] | None) -> str:
    """The project file that defines `fn` (a handler imported from a views module)."""
    for file, source in (modules or {}).items():
        if fn in _module_functions(source)[1].values():
            return file
    return rel


def aiohttp_routes(rel: str, source: str, modules: dict[str, str] | None = None) -> list[Route]:
    """Routes of an aiohttp file: `app.router.add_route('POST', '/x/{id:\\d+}', views.x)`,
    `router.add_get(path, handler)`, `web.post(path, handler)` (in `app.add_routes([...])`) and
    `@routes.get(path)` on a `web.RouteTableDef()`. A handler named through an import
    (`views.index`) is read in its own module, for its inputs, file and line."""
    root = parse("python", source).root_node
    helpers = {**(imported_helpers(root, rel, modules) if modules else {}), **_functions(root)}
    tables = set(re.findall(r"^(\w+)\s*=\s*(?:web\.)?RouteTableDef\(\)", source, re.M))
    found: list[tuple[list[str], str | None, Node | None, Node]] = []  # (methods, path, handler, where)
    for node in walk(root):
        if node.type == "decorated_definition":
            fn = node.child_by_field_name("definition")
            for deco in node.children:
                call = deco.named_children[0] if deco.type == "decorator" and deco.named_children else None
                func = call.child_by_field_name("function") if call is not None and call.type == "call" else None
                if func is None or func.type != "attribute" or text(func.child_by_field_name("object")) not in tables:
                    continue
                pos, _ = _call_args(call)  # type: ignore[arg-type]
                verb = text(func.child_by_field_name("attribute"))
                if verb in _VERBS and pos:
                    found.append(([verb.upper()], string_value(pos[0]), fn, node))
                elif verb == "route" and len(pos) > 1:
                    found.append(([(string_value(pos[0]) or "GET").upper()], string_value(pos[1]), fn, node))
            continue
        func = node.child_by_field_name("function") if node.type == "call" else None
        if func is None or func.type != "attribute":
            continue
        owner, verb = text(func.child_by_field_name("object")), text(func.child_by_field_name("attribute"))
        pos, _ = _call_args(node)
        on_router = owner == "router" or owner.endswith(".router")
        if verb == "add_route" and on_router and len(pos) > 2 or verb == "route" and owner == "web" and len(pos) > 2:
            found.append(([(string_value(pos[0]) or "GET").upper()], string_value(pos[1]), helpers.get(text(pos[2])), node))
        elif (on_router and verb.startswith("add_") and verb[4:] in _VERBS or owner == "web" and verb in _VERBS) \
                and len(pos) > 1:
            found.append(([verb.removeprefix("add_").upper()], string_value(pos[0]), helpers.get(text(pos[1])), node))
    routes: list[Route] = []
    for methods, path, fn, where in found:
        if path is None:
            continue
        full, names = template(path)
        params = [Param(n, "path") for n in names]
        if fn is not None:
            params += [p for p in view_inputs(fn, helpers) if p.location != "path"]
        file = _handler_file(fn, rel, modules) if fn is not None else rel
        line = (fn or where).start_point[0] + 1
        for method in ["GET", "POST"] if methods[0] in _AIOHTTP_ANY else methods:
            routes.append(Route(method, full, list(params), "code", file, line, "aiohttp", "python"))
    return routes


# -- Django -------------------------------------------------------------------------------
_DJANGO_CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")
_REGEX_GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)")


def _django_path(pattern: str, regex: bool) -> str:
    if regex:
        pattern = _REGEX_GROUP.sub(lambda m: "{" + m.group(1) + "}", pattern).lstrip("^").rstrip("$")
        pattern = re.sub(r"\\(.)", r"\1", pattern)
    else:
        pattern = _DJANGO_CONVERTER.sub(lambda m: "{" + m.group(1) + "}", pattern)
    return pattern


def _module_file(root_dir: Path, module: str, near: Path) -> Path | None:
    rel = Path(*module.split("."))
    for base in (near, *near.parents):
        candidate = base / rel.with_suffix(".py")
        if candidate.is_file():
            return candidate
        if base == root_dir:
            break
    return None


def _view_function(views_file: Path | None, name: str) -> Node | None:
    if views_file is None or not views_file.is_file():
        return None
    root = parse("python", views_file.read_text(encoding="utf-8", errors="replace")).root_node
    for n in walk(root):
        if n.type == "function_definition" and text(n.child_by_field_name("name")) == name:
            return n
    return None


_ADMIN_SITE = re.compile(r"(?:\w+\.)?(?:admin\.)?site\.urls")


def _admin_site_routes(mount: str, file: str, line: int) -> list[Route]:
    """Django's admin: its index, which only staff accounts open (the others are sent to its
    login), and its own login form (username, password, CSRF token), which has no rate limit
    unless the project adds one."""
    index, _ = template(mount)
    login, _ = template(mount.rstrip("/") + "/login/")
    return [Route("GET", index, [], "code", file, line, "django", "python"),
            *(Route(m, login, [Param("username", "form"), Param("password", "form")] if m == "POST" else [],
                    "code", file, line, "django", "python") for m in ("GET", "POST"))]


# The sign-in and reset routes of the usual installed packages' URLconfs (`include(
# 'django.contrib.auth.urls')`): the project has no file for them, and they are where a missing
# rate limit matters. (path, method, location, inputs; an input as `name=value` has that value).
PACKAGE_URLCONFS: dict[str, tuple[tuple[str, str, str, tuple[str, ...]], ...]] = {
    "django.contrib.auth.urls": (("login/", "GET", "", ()), ("login/", "POST", "form", ("username", "password")),
                                 ("password_reset/", "POST", "form", ("email",))),
    "rest_framework.urls": (("login/", "GET", "", ()), ("login/", "POST", "form", ("username", "password"))),
    "allauth.urls": (("login/", "GET", "", ()), ("login/", "POST", "form", ("login", "password")),
                     ("password/reset/", "POST", "form", ("email",))),
    "dj_rest_auth.urls": (("login/", "POST", "json", ("username", "email", "password")),
                          ("password/reset/", "POST", "json", ("email",))),
    "djoser.urls.jwt": (("jwt/create/", "POST", "json", ("username", "password")),),
    "djoser.urls.authtoken": (("token/login/", "POST", "json", ("username", "password")),),
    "oauth2_provider.urls": (("token/", "POST", "form", ("grant_type=password", "username", "password",
                                                         "client_id")),),
}


def _package_urlconf_routes(module: str, mount: str, file: str, line: int) -> list[Route]:
    routes = []
    for sub, method, location, inputs in PACKAGE_URLCONFS.get(module, ()):
        path, _ = template("/" + (mount + sub).lstrip("/"))
        params = [Param(name, location, example) for name, _, example in (i.partition("=") for i in inputs)]
        routes.append(Route(method, path, params, "code", file, line, "django", "python"))
    return routes


def django_routes(root_dir: Path, urls_file: Path, prefix: str = "", depth: int = 0) -> list[Route]:
    if depth > 4 or not urls_file.is_file():
        return []
    source = urls_file.read_text(encoding="utf-8", errors="replace")
    tree = parse("python", source).root_node
    imports = {m.group(2) or m.group(1).split(".")[-1]: m.group(1)
               for m in re.finditer(r"^\s*from\s+([\w.]+)\s+import\s+\w+(?:\s+as\s+(\w+))?", source, re.M)}
    for m in re.finditer(r"^\s*from\s+([\w.]*)\s+import\s+([\w, ]+)$", source, re.M):
        for name in m.group(2).split(","):
            imports.setdefault(name.strip(), f"{m.group(1)}.{name.strip()}" if m.group(1) not in ("", ".") else name.strip())
    for m in re.finditer(r"^\s*import\s+([\w.]+)\s+as\s+(\w+)\s*$", source, re.M):  # import app.views as views
        imports.setdefault(m.group(2), m.group(1))
    routes: list[Route] = []
    for n in walk(tree):
        if n.type != "call" or text(n.child_by_field_name("function")) not in ("path", "re_path", "url"):
            continue
        pos, _ = _call_args(n)
        pattern = string_value(pos[0]) if pos else None
        if pattern is None or len(pos) < 2:
            continue
        sub = _django_path(pattern, text(n.child_by_field_name("function")) != "path")
        target = pos[1]
        if target.type == "call" and text(target.child_by_field_name("function")) == "include":
            inc_args, _ = _call_args(target)
            if inc_args and _ADMIN_SITE.fullmatch(text(inc_args[0])):
                target = inc_args[0]  # `include(admin.site.urls)`, as Django before 2.0 spelt it
            else:
                module = string_value(inc_args[0]) if inc_args else None
                if module:
                    found = _module_file(root_dir, module, urls_file.parent)
                    if found is not None:
                        routes += django_routes(root_dir, found, prefix + sub, depth + 1)
                    else:
                        routes += _package_urlconf_routes(module, prefix + sub, urls_file.relative_to(root_dir).as_posix(),
                                                          n.start_point[0] + 1)
                continue
        if _ADMIN_SITE.fullmatch(text(target)):
            routes += _admin_site_routes("/" + (prefix + sub).lstrip("/"), urls_file.relative_to(root_dir).as_posix(),
                                         n.start_point[0] + 1)
            continue
        view = text(target)
        view = re.sub(r"\.as_view\(.*\)$", "", view)
        owner, _, fname = view.rpartition(".")
        module = imports.get(owner, owner) if owner else imports.get(fname, "")
        views_file = None
        if owner:
            views_file = _module_file(root_dir, module.lstrip("."), urls_file.parent) if module else None
            if views_file is None:
                views_file = urls_file.parent / f"{owner}.py"
        else:
            views_file = urls_file.parent / "views.py"
        fn = _view_function(views_file, fname)
        full, names = template("/" + (prefix + sub).lstrip("/"))
        params = [Param(x, "path") for x in names]
        body = text(fn.child_by_field_name("body")) if fn is not None else ""
        params += body_inputs(body, "python")
        methods = ["GET"]
        if "POST" in body or any(p.location in ("form", "json") for p in params):
            # A function view answers every method unless its decorator or an early check says POST
            # only (`if request.method == 'POST':` handles the form and shows the page on GET).
            decorators = text(fn.parent) if fn is not None and fn.parent is not None and \
                fn.parent.type == "decorated_definition" else ""
            post_only = re.search(r"require_POST|require_http_methods\(\s*\[\s*['\"]POST['\"]\s*\]", decorators) or \
                re.search(r"request\.method\s*!=\s*['\"]POST['\"]", body)
            methods = ["POST"] if post_only else ["GET", "POST"]
        line = fn.start_point[0] + 1 if fn is not None else n.start_point[0] + 1
        file = views_file.relative_to(root_dir).as_posix() if fn is not None and views_file else \
            urls_file.relative_to(root_dir).as_posix()
        for method in methods:
            routes.append(Route(method, full, list(params), "code", file, line, "django", "python"))
    return routes

"""Routes of Express, Koa (koa-router) and Fastify apps, and Next.js route handlers, from trees.

`app.get(path, ...handlers)`, `router.post(...)`, `app.route(path).get(h)`,
`fastify.route({method, url, handler})`; a handler given by name is looked up in the same file.
`req.body` is JSON, form or both according to the body parsers the file installs. Next.js:
`app/**/route.(js|ts)` exporting GET/POST..., and `pages/api/**`."""

from __future__ import annotations

import re
from functools import lru_cache

from tree_sitter import Node

from auditor.probe.interface import Param, Route
from auditor.probe.routes.common import add_input, add_param, join_path, string_value, template, text, walk
from auditor.probe.routes.inputs import body_inputs
from auditor.scan.languages import parse

_VERBS = {"get", "post", "put", "patch", "delete", "all", "head", "options"}
_OWNERS = re.compile(r"^(?:app|router|api|server|fastify|routes?|\w*[Rr]outer|\w*[Aa]pp|instance)$")


def _body_kinds(source: str) -> tuple[str, ...]:
    kinds = []
    if re.search(r"\.json\(\s*\)|bodyParser\.json|koa-body|koaBody|fastify", source):
        kinds.append("json")
    if re.search(r"urlencoded|formbody|multer|koa-body|koaBody", source):
        kinds.append("form")
    return tuple(kinds) or ("json", "form")


def _functions(root: Node) -> dict[str, Node]:
    found: dict[str, Node] = {}
    for n in walk(root):
        if n.type in ("function_declaration", "method_definition"):
            found[text(n.child_by_field_name("name"))] = n
        elif n.type == "variable_declarator":
            value = n.child_by_field_name("value")
            if value is not None and value.type in ("arrow_function", "function_expression", "function"):
                found[text(n.child_by_field_name("name"))] = n
        elif n.type == "pair":
            value = n.child_by_field_name("value")
            if value is not None and value.type in ("arrow_function", "function_expression", "function"):
                found[text(n.child_by_field_name("key"))] = value
        elif n.type == "assignment_expression":  # exports.check = (req, res, next) => ...
            left, value = n.child_by_field_name("left"), n.child_by_field_name("right")
            if left is not None and left.type == "member_expression" and value is not None and \
                    value.type in ("arrow_function", "function_expression", "function"):
                found[text(left.child_by_field_name("property"))] = value
    return found


@lru_cache(maxsize=256)
def _module_functions(language: str, source: str) -> tuple[Node, dict[str, Node]]:
    """A project module's functions by name (with its root, which keeps the tree alive)."""
    root = parse(language, source).root_node
    return root, _functions(root)


_DESTRUCTURED = re.compile(r"""(?:const|let|var)\s*\{([^}]*)\}\s*=\s*require\(\s*['"](\.{1,2}/[^'"]+)['"]\s*\)""")
_NAMED_IMPORT = re.compile(r"""import\s+(?:\w+\s*,\s*)?\{([^}]*)\}\s*from\s*['"](\.{1,2}/[^'"]+)['"]""")


def imported_handlers(rel: str, source: str, modules: dict[str, str]) -> dict[str, tuple[Node, str]]:
    """Functions of the project's own modules that this file names as handlers, by the name its
    code uses, with the file that defines each: `ctl.login` for `const ctl = require('./ctl')`
    or `import * as ctl`, `login` for `const { login } = require('./ctl')` or `import { login }`.
    Routes that name a controller's handler (`router.post('/login', ctl.login)`) read its inputs
    there."""
    found: dict[str, tuple[Node, str]] = {}
    files = set(modules)

    def functions_of(spec: str) -> tuple[str, dict[str, Node]]:
        target = _resolve(rel, spec, files)
        if target is None or target == rel:
            return "", {}
        return target, _module_functions("typescript" if target.endswith(".ts") else "javascript", modules[target])[1]

    for name, spec in (*_REQUIRE.findall(source), *_IMPORT.findall(source)):
        target, functions = functions_of(spec)
        found.update({f"{name}.{fn}": (node, target) for fn, node in functions.items()})
    for names, spec in (*_DESTRUCTURED.findall(source), *_NAMED_IMPORT.findall(source)):
        target, functions = functions_of(spec)
        for item in names.split(","):
            original, _, local = (part.strip() for part in item.replace(" as ", ":").partition(":"))
            if original in functions:
                found[local or original] = (functions[original], target)
    return found


def _handler_text(args: list[Node], functions: dict[str, Node],
                  imported: dict[str, tuple[Node, str]] | None = None) -> tuple[str, int, str]:
    """The handlers' text (middleware read too: an auth check reads the session cookie), and the
    line and file ("" for this one) of the last, the route's own handler."""
    parts: list[str] = []
    line = 0
    where = ""
    for a in args:
        if a.type in ("arrow_function", "function_expression", "function"):
            parts.append(text(a))
            line, where = a.start_point[0] + 1, ""
        elif a.type in ("identifier", "member_expression"):
            fn, file = (imported or {}).get(text(a)) or (functions.get(text(a).split(".")[-1]), "")
            if fn is not None:
                parts.append(text(fn))
                line, where = fn.start_point[0] + 1, file
    return "\n".join(parts), line, where


def _route(method: str, path: str, body: str, line: int, rel: str, kinds: tuple[str, ...],
           framework: str, language: str, handler_file: str = "") -> Route:
    full, names = template(path if path.startswith("/") else "/" + path)
    params = [Param(n, "path") for n in names]
    for p in body_inputs(body, "javascript", kinds):
        if p.location != "path":
            add_input(params, p)
    return Route(method, full, params, "code", handler_file or rel, line, framework, language)


# What every route `server_routes` reads has in its text: a verb or `route` method called with a
# string literal first (`app.get('/x'`, `router\n  .post("/x"`, `app.route(`/x`)`), or Fastify's
# `.route({`; whatever the owner, which the tree check judges. A file without one (a browser
# script, a library) is not parsed at all.
_MAY_ROUTE = re.compile(r"""\.\s*(?:get|post|put|patch|delete|all|head|options|route)\s*\(\s*['"`]|\.\s*route\s*\(\s*\{""")


# A router's own prefix: koa-router's `new Router({ prefix: '/users' })` and `router.prefix('/v1')`.
_ROUTER_PREFIX = re.compile(r"""\b(?:const|let|var)\s+(\w+)\s*=\s*new\s+(?:\w+\.)?\w*Router\s*\(\s*\{[^}]*?\bprefix\s*:\s*['"`]([^'"`]*)['"`]""")
_PREFIX_CALL = re.compile(r"""\b(\w+)\.prefix\(\s*['"`]([^'"`]*)['"`]\s*\)""")


_ROUTER_VAR = re.compile(r"\b(?:const|let|var)\s+(\w+)\s*=\s*(?:new\s+)?(?:\w+\.)?\w*Router\s*\(")


def router_prefixes(source: str) -> dict[str, str]:
    """The prefix each router variable of the file adds to its routes ('' for a router made
    without one: `const v2 = new Router()` is a router whatever its name)."""
    found = {m.group(1): "" for m in _ROUTER_VAR.finditer(source)}
    found.update({m.group(1): m.group(2) for m in _ROUTER_PREFIX.finditer(source)})
    found.update({m.group(1): m.group(2) for m in _PREFIX_CALL.finditer(source) if m.group(1) in found})
    return found


def server_routes(rel: str, source: str, language: str, modules: dict[str, str] | None = None) -> list[Route]:
    """Express, Koa and Fastify routes of a file; `modules` (path -> source of the project's
    JS/TS files) lets a route's handler be a function of a module it requires."""
    if not _MAY_ROUTE.search(source):
        return []
    prefixes = router_prefixes(source)
    root = parse(language, source).root_node
    functions = _functions(root)
    imported = imported_handlers(rel, source, modules) if modules else {}
    kinds = _body_kinds(source)
    framework = "fastify" if "fastify" in source else "koa" if re.search(r"\bkoa\b|ctx\.", source) else "express"
    routes: list[Route] = []
    for n in walk(root):
        if n.type != "call_expression":
            continue
        callee = n.child_by_field_name("function")
        args_node = n.child_by_field_name("arguments")
        if callee is None or callee.type != "member_expression" or args_node is None:
            continue
        verb = text(callee.child_by_field_name("property"))
        owner = callee.child_by_field_name("object")
        args = [a for a in args_node.named_children if a.type != "comment"]
        if verb == "route" and args and args[0].type == "object":  # fastify.route({...})
            opts = {text(p.child_by_field_name("key")): p.child_by_field_name("value")
                    for p in args[0].named_children if p.type == "pair"}
            path = string_value(opts.get("url") or opts.get("path"))
            method_node = opts.get("method")
            methods = [m.upper() for m in re.findall(r"[A-Za-z]+", text(method_node))] if method_node else ["GET"]
            body, line, file = _handler_text([h for h in (opts.get("handler"),) if h is not None], functions, imported)
            routes += [_route(m, path, body, line, rel, kinds, framework, language, file) for m in methods if path]
            continue
        if verb not in _VERBS or owner is None:
            continue
        while owner.type == "call_expression" and (link := owner.child_by_field_name("function")) is not None and \
                link.type == "member_expression" and text(link.child_by_field_name("property")) in _VERBS:
            owner = link.child_by_field_name("object")  # app.route('/x').get(a).post(b): down to the .route
        if owner.type == "call_expression":  # app.route('/x').get(h)
            inner = owner.child_by_field_name("function")
            inner_args = owner.child_by_field_name("arguments")
            if inner is None or text(inner).split(".")[-1] != "route" or inner_args is None:
                continue
            path = string_value(inner_args.named_children[0]) if inner_args.named_children else None
            handlers = args
        else:
            if not (_OWNERS.match(text(owner).split(".")[-1]) or text(owner) in prefixes) or not args:
                continue
            path = string_value(args[0])
            handlers = args[1:]
            if path is not None and (prefix := prefixes.get(text(owner))):
                path = join_path(prefix, path)
        if path is None or not handlers:
            continue
        body, line, file = _handler_text(handlers, functions, imported)
        methods = ["GET", "POST"] if verb == "all" else [verb.upper()]
        routes += [_route(m, path, body, line or n.start_point[0] + 1, rel, kinds, framework, language, file)
                   for m in methods]
    return routes


_NEXT_APP = re.compile(r"(?:^|/)(?:src/)?app/(?:(.*)/)?route\.(?:js|ts|mjs|jsx|tsx)$")
_NEXT_PAGE = re.compile(r"(?:^|/)(?:src/)?app/(?:(.*)/)?page\.(?:jsx?|tsx?|mdx)$")
_EXPORTED = re.compile(r"export\s+(?:async\s+)?(?:function\s+|const\s+)(GET|POST|PUT|PATCH|DELETE|HEAD)\b")
HTTP_METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"})
# A route file's handlers defined without `export` (exported later by name)
_DEFINED = re.compile(r"(?:async\s+)?function\s+(GET|POST|PUT|PATCH|DELETE|HEAD)\b|"
                      r"(?:const|let|var)\s+(GET|POST|PUT|PATCH|DELETE|HEAD)\s*=")
_NEXT_PAGES = re.compile(r"(?:^|/)(?:src/)?pages/(api/.*)\.(?:js|ts|mjs)$")
_JSON_VAR = re.compile(r"(?:const|let|var)\s+(\w+)\s*=\s*await\s+\w+\.json\(\)")


def _app_path(folder: str) -> str:
    """An app-router folder as a URL path: route groups `(x)` and private `_x` folders
    dropped, `[id]` / `[...slug]` / `[[...slug]]` as `{id}` / `{slug}`."""
    segments = [s for s in folder.split("/") if s and not (s.startswith("(") and s.endswith(")")) and
                not s.startswith("@")]
    path = "/" + "/".join(segments)
    return re.sub(r"\[\[?\.\.\.(\w+)\]\]?", r"{\1}", path)


def zod_schemas(sources: dict[str, str]) -> dict[str, list[str]]:
    """Top-level keys of each `const NAME = z.object({...})` in the project (a handler that
    parses its JSON body with the schema takes those keys)."""
    found: dict[str, list[str]] = {}
    for source in sources.values():
        for m in re.finditer(r"(?:const|let|var)\s+(\w+)\s*=\s*z\s*\.\s*object\(\s*\{", source):
            depth, keys, i, start = 1, [], m.end(), m.end()
            while i < len(source) and depth:
                ch = source[i]
                if ch in "{([":
                    depth += 1
                elif ch in "})]":
                    depth -= 1
                i += 1
            body = source[start:i - 1]
            level = re.sub(r"\{[^{}]*\}|\([^()]*\)|\[[^\[\]]*\]", "", body)  # inner objects and calls out
            for _ in range(4):
                level = re.sub(r"\{[^{}]*\}|\([^()]*\)|\[[^\[\]]*\]", "", level)
            keys = re.findall(r"(?:^|,|\n)\s*['\"]?(\w+)['\"]?\s*:", level)
            found[m.group(1)] = keys
    return found


def _schema_keys(source: str, schemas: dict[str, list[str]]) -> list[str]:
    """JSON keys from the schemas the handler parses its body with."""
    bodies = {"await req.json()", "await request.json()", *_JSON_VAR.findall(source)}
    keys: list[str] = []
    for name, arg in re.findall(r"(\w+)\s*\.\s*(?:safeParse|parse)(?:Async)?\(\s*([^()]*(?:\(\))?)\s*\)", source):
        if arg.strip() in bodies and name in schemas:
            keys += [k for k in schemas[name] if k not in keys]
    return keys


def _handlers(source: str) -> dict[str, str]:
    """Each exported HTTP method of an app-router route file and its own code (up to the
    next export); `export { handler as GET, handler as POST }` gives the whole file."""
    found: dict[str, str] = {}
    marks = list(_EXPORTED.finditer(source))
    for i, m in enumerate(marks):
        found.setdefault(m.group(1), source[m.start():marks[i + 1].start() if i + 1 < len(marks) else None])
    defined = list(_DEFINED.finditer(source))
    for block in re.findall(r"export\s*\{([^}]*)\}", source):
        for local, alias in re.findall(r"(\w+)(?:\s+as\s+(\w+))?", block):
            method = alias or local
            if method not in HTTP_METHODS:
                continue
            # `export { GET, POST }`: each function defined under that name, up to the next one
            at = next((i for i, d in enumerate(defined) if not alias and (d.group(1) or d.group(2)) == method), None)
            found.setdefault(method, source if at is None else
                             source[defined[at].start():defined[at + 1].start() if at + 1 < len(defined) else None])
    return found


def nextjs_routes(rel: str, source: str, language: str, schemas: dict[str, list[str]] | None = None) -> list[Route]:
    handlers: dict[str, str] = {}
    path: str | None = None
    if m := _NEXT_APP.search(rel):
        path, handlers = _app_path(m.group(1) or ""), _handlers(source)
    elif m := _NEXT_PAGE.search(rel):
        path, handlers = _app_path(m.group(1) or ""), {"GET": source}
    elif m := _NEXT_PAGES.search(rel):
        path = re.sub(r"\[\[?\.\.\.(\w+)\]\]?", r"{\1}", "/" + re.sub(r"/index$", "", m.group(1)))
        methods = sorted(set(re.findall(r"method\s*===?\s*['\"](GET|POST|PUT|PATCH|DELETE)['\"]", source))) or ["GET", "POST"]
        handlers = dict.fromkeys(methods, source)
    if path is None:
        return []
    routes = []
    for method, code in handlers.items():
        route = _route(method, path, code, 1 + source.count("\n", 0, max(source.find(code), 0)), rel, ("json",),
                       "nextjs", language)
        for key in _schema_keys(code, schemas or {}) if method != "GET" else []:
            add_param(route.params, key, "json")
        routes.append(route)
    return routes


# -- routers mounted from other files -----------------------------------------------------
_JS_SUFFIXES = (".js", ".ts", ".mjs", ".cjs")
_REQUIRE = re.compile(r"""(?:const|let|var)\s+(\w+)\s*=\s*require\(\s*['"](\.{1,2}/[^'"]+)['"]\s*\)""")
_IMPORT = re.compile(r"""import\s+(?:\*\s+as\s+)?(\w+)(?:\s*,\s*\{[^}]*\})?\s+from\s+['"](\.{1,2}/[^'"]+)['"]""")
# A module loaded where it is used: `require('./r')`, or an ES module's dynamic import awaited in
# place (`app.use('/x', (await import('./routes/x.js')).default)`).
_INLINE_REQUIRE = re.compile(r"""^(?:require|\(\s*(?:await\s+)?import)\(\s*['"](\.{1,2}/[^'"]+)['"]\s*\)\s*\)?(?:\.default)?$""")


def _resolve(rel: str, spec: str, files: set[str]) -> str | None:
    """The project file a relative `require`/`import` names: as written, with a JS/TS suffix,
    or its folder's index (a `.js` spec may name a `.ts` source)."""
    parts: list[str] = rel.split("/")[:-1]
    for seg in spec.split("/"):
        if seg == "..":
            if not parts:
                return None
            parts.pop()
        elif seg not in (".", ""):
            parts.append(seg)
    base = "/".join(parts)
    stem = re.sub(r"\.(?:js|mjs|cjs)$", "", base)
    candidates = [base, *(base + s for s in _JS_SUFFIXES), *(stem + s for s in _JS_SUFFIXES),
                  *(f"{base}/index{s}" for s in _JS_SUFFIXES)]
    return next((c for c in candidates if c in files), None)


def _owner(call: Node) -> str:
    """The router a `.use(...)` call configures: the variable it is assigned to
    (`const api = Router().use(a)`), else the root of its receiver (`app` in `app.use`)."""
    node: Node | None = call
    while node is not None and node.type not in ("variable_declarator", "expression_statement", "program"):
        node = node.parent
    if node is not None and node.type == "variable_declarator":
        return text(node.child_by_field_name("name"))
    receiver = call.child_by_field_name("function")
    while receiver is not None and receiver.type in ("member_expression", "call_expression"):
        receiver = receiver.child_by_field_name("object" if receiver.type == "member_expression" else "function")
    return text(receiver)


# A module whose export is a function of one parameter (`module.exports = (router) => {...}`):
# handed a router, it registers its routes on it.
_EXPORTS_FUNCTION = re.compile(r"(?:module\.exports|export\s+default)\s*=?\s*(?:async\s+)?"
                               r"(?:function\b[^(]*\(\s*\w+\s*[,)]|\(?\s*\w+\s*\)?\s*=>)")
_REGISTERS = re.compile(r"\.(?:get|post|put|patch|delete|all|route)\s*\(")


def _hands_router(call: Node) -> bool:
    """Whether a call hands a variable to a function as its first argument, as a statement of
    its own (`users(router);`), not inside a `.use(...)` (a mount, read as one)."""
    args = [a for a in (call.child_by_field_name("arguments") or call).named_children if a.type != "comment"]
    parent = call.parent
    return bool(args) and args[0].type == "identifier" and parent is not None and \
        parent.type in ("expression_statement", "return_statement")


def _mount_edges(rel: str, source: str, files: set[str], takers: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    """(prefix, mounted file) for each `x.use('/prefix', ..., router)` in the file whose
    router is imported from another project file (or required inline). A router built in the
    same file and mounted there (`const api = Router().use(users); Router().use('/api', api)`)
    passes its prefix on. A module of `takers` (its export a function that registers routes on
    what it is handed) called with this file's router (`users(router)`) serves its routes where
    this file's are."""
    bound = {name: path for name, spec in (*_REQUIRE.findall(source), *_IMPORT.findall(source))
             if (path := _resolve(rel, spec, files))}
    edges: list[tuple[str, str, str]] = []  # (owner, prefix, file)
    local: dict[str, str] = {}  # a router variable of this file -> the prefix it is mounted at here
    for n in walk(parse("typescript" if rel.endswith(".ts") else "javascript", source).root_node):
        callee = n.child_by_field_name("function") if n.type == "call_expression" else None
        args_node = n.child_by_field_name("arguments")
        if callee is not None and callee.type in ("identifier", "call_expression") and _hands_router(n):
            name = text(callee)
            taker = bound.get(name) or ((m := _INLINE_REQUIRE.match(name)) and _resolve(rel, m.group(1), files))
            if taker in takers and taker != rel:
                edges.append(("", "", taker))
            continue
        if callee is None or callee.type != "member_expression" or args_node is None or \
                text(callee.child_by_field_name("property")) not in ("use", "register"):
            continue
        args = [a for a in args_node.named_children if a.type != "comment"]
        prefix = string_value(args[0]) if args else None
        for a in args[1:] if prefix is not None else args:
            # A router factory called where it is mounted (`app.use('/x', require('./r')(db))`,
            # `app.use('/x', makeRouter())`): the routes are in the file that exports the factory.
            name = text(a).removesuffix(".default")
            if a.type == "call_expression" and not _INLINE_REQUIRE.match(name) and \
                    (called := a.child_by_field_name("function")) is not None:
                name = text(called).removesuffix(".default")
            target = bound.get(name) or ((m := _INLINE_REQUIRE.match(name)) and _resolve(rel, m.group(1), files))
            if target and target != rel:
                edges.append((_owner(n), prefix or "", target))
            elif a.type == "identifier" and prefix:
                local[name] = prefix
    return [(join_path(local[owner], prefix) if owner in local else prefix, target)
            for owner, prefix, target in edges]


def mounts(sources: dict[str, str]) -> dict[str, list[str]]:
    """Every prefix each JS/TS file's routes are served under when another file mounts its
    router (`app.use('/api', require('./routes/users'))`, `router.use('/v1', v1)`), nested
    mounts joined. Files nobody mounts are absent (their routes stand as written)."""
    files = set(sources)
    takers = frozenset(rel for rel, src in sources.items()
                       if rel.endswith(_JS_SUFFIXES) and _EXPORTS_FUNCTION.search(src) and _REGISTERS.search(src))
    edges = {rel: _mount_edges(rel, src, files, takers) for rel, src in sources.items()
             if rel.endswith(_JS_SUFFIXES) and (re.search(r"\.(?:use|register)\(", src) or takers)}
    parents: dict[str, list[tuple[str, str]]] = {}
    for parent, children in edges.items():
        for prefix, child in children:
            parents.setdefault(child, []).append((parent, prefix))

    def served(rel: str, seen: tuple[str, ...]) -> list[str]:
        if rel not in parents or rel in seen or len(seen) > 6:
            return [""]
        return sorted({join_path(outer, prefix) if prefix or outer else "" for parent, prefix in parents[rel]
                       for outer in served(parent, (*seen, rel))})

    return {rel: served(rel, ()) for rel in parents}


def prefixed(routes: list[Route], prefixes: list[str]) -> list[Route]:
    """`routes` once under each mount prefix (a prefix's own `:params` become path inputs)."""
    out: list[Route] = []
    for prefix in prefixes:
        full_prefix, names = template(prefix)
        for r in routes:
            path = join_path(full_prefix, r.path) if full_prefix else r.path
            if path != "/" and path.endswith("/") and not r.path.endswith("/"):
                path = path.rstrip("/")
            params = [Param(n, "path") for n in names if all(p.name != n for p in r.params)] + list(r.params)
            out.append(Route(r.method, path, params, r.source, r.file, r.line, r.framework, r.language))
    return out

"""Operator endpoints served to anyone: `/metrics`, `/admin`, `/actuator` and `/debug` routes
registered on an Express/Fastify app or router with no authentication in the route's chain
(`app.get('/metrics', requireAdmin, handler)`), none in the handler itself, and none
installed before it on the same app or router (`app.use(passport.authenticate('jwt'))`,
`router.use('/admin', isAdmin)`). Metrics and debug pages leak internals (versions, paths,
user counts, heap dumps); admin routes are the application's most powerful actions.

A route on the app itself is judged on its file, where the app's middleware is installed in
order. A route on a router may be mounted behind authentication in another file
(`app.use('/internal', auth, router)`): reported at low severity unless the router shows
its own guard.

NestJS declares routes with decorators: a `@Get('admin-data')` handler of a
`@Controller('internal')` class whose path names an operator endpoint (admin, internal,
secret, debug, metrics, with `-`/`_` suffixes), with no `@UseGuards` (or an auth-named
decorator such as `@Roles`, `@Auth`) on the method or its class, no `APP_GUARD` or
`useGlobalGuards` in the project's modules or main.ts, and no check of the caller in its body.
In a controller that guards its routes one by one, a POST/PUT/PATCH/DELETE route left without
a guard is reported too (`js.pattern.unguarded-route`), except the routes a visitor reaches
without a session (login, register, password reset, webhooks, ...).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from tree_sitter import Node

from auditor.findings import Severity
from auditor.scan.checks.javascript.syntax import (
    JS_LANGUAGES,
    args_of,
    callee_parts,
    index,
    method_decorators,
    object_props,
    string_value,
    text,
    unwrap,
    without_comments,
)
from auditor.scan.interface import Check, Hit, SourceFile

# A path segment naming an operator endpoint; `/admin/login` (the public way in) is not one.
_OPERATOR_PATH = re.compile(r"(?:^|/)(metrics|prometheus|admin|administration|actuator|debug|_debug|__debug__|heapdump)(?=/|$|\.)", re.I)
_PUBLIC_PATH = re.compile(r"log-?in|sign-?in|log-?out|sign-?out|/auth\b|callback", re.I)
_ROUTE_METHODS = frozenset({"get", "post", "put", "patch", "delete", "all"})
# Middleware that turns a caller away, judged on its own name (the function passed or called,
# not its module: `verify.someChallenge()` is not a verifier): it requires, verifies or
# restricts. Middleware that only identifies the caller (`passport.session()`,
# `updateAuthenticatedUsers()`, `attachUser`) lets anonymous requests through.
_AUTH = re.compile(
    r"^(?:require|ensure|restrict|deny|protect|guard|must|authenticate|authori[sz]e|verify|"
    r"is(?:Authenticated|Authori[sz]ed|Admin|LoggedIn|Allowed|Staff|Operator)|"
    r"check(?=\w*(?:auth|role|admin|permission|token|key|login|user|access|session)))\w*$|"
    r"^auth\w*$|Auth(?:Guard|Middleware|Required|Check|enticated|ori[sz]ed)?$|^(?:express)?jwt(?:Auth|Guard|Middleware|Verify|Check|Required)?$|"
    r"api_?key|^(?:has|with)(?:role|permission|scope)",
    re.I,
)
_NOT_A_GUARD = re.compile(r"^(?:update|track|attach|load|populate|set|add|record|log|count|initialize|session|parse)", re.I)


def _guard_name(src: SourceFile, node: Node) -> str:
    """The name of the middleware a route or `use` passes: `requireAdmin`,
    `passport.authenticate('jwt')` -> authenticate, `security.isAuthorized()` -> isAuthorized."""
    inner = unwrap(node)
    if inner is not None and inner.type == "call_expression":
        parts = callee_parts(src, inner)
        return parts[-1] if parts else ""
    if inner is not None and inner.type == "member_expression":
        return text(src, inner.child_by_field_name("property"))
    return text(src, inner) if inner is not None and inner.type == "identifier" else ""


def _is_guard(src: SourceFile, node: Node) -> bool:
    inner = unwrap(node)
    if inner is not None and inner.type in _FUNCTIONS:
        return bool(_HANDLER_AUTH.search(text(src, inner)))
    name = _guard_name(src, node)
    return bool(name) and bool(_AUTH.search(name)) and not _NOT_A_GUARD.match(name)


# The handler itself: a body that checks the caller, or a wrapper that does (`requireAuth(h)`).
# Narrower than _AUTH: a handler named `adminDashboard` says nothing about who may call it.
_HANDLER_AUTH = re.compile(
    r"req\.user\b|request\.user\b|\.isAuthenticated\(|authorization|\b401\b|\b403\b|Unauthori[sz]ed|Forbidden|"
    r"verify\w*\(|jwt|passport|\bauth\w*\(|require\w*\(|ensure\w*\(|protect\w*\(|guard\w*\(|session\.user",
    re.I,
)
_APP_MADE = re.compile(r"([A-Za-z_$][\w$]*)\s*=\s*(?:await\s+)?(?:express|fastify|Fastify|polka|restify\.createServer)\s*\(")
_ROUTER_MADE = re.compile(r"([A-Za-z_$][\w$]*)\s*=\s*(?:new\s+)?(?:express\s*\.\s*)?Router\s*\(")
_FUNCTIONS = frozenset({"arrow_function", "function_expression", "function"})
_APP_RECEIVER = re.compile(r"^(?:app|server|application|api|fastify|instance)$", re.I)
_ROUTER_RECEIVER = re.compile(r"(?:router|routes|route|Router)$")
_NEEDLES = ("metrics", "admin", "actuator", "debug", "prometheus", "heapdump", "Admin", "Metrics", "Debug")
# Fastify route options that run before the handler.
_FASTIFY_HOOKS = ("preHandler", "onRequest", "preValidation", "preParsing")

_MSG = ("{what} is served with no authentication in its chain or installed before it: anyone can read "
        "internal metrics or run admin actions. Put an auth middleware (and a role check) before the handler, "
        "or serve it on an internal port only.")


class AdminRouteCheck(Check):
    languages = JS_LANGUAGES
    detectors = ("js.pattern.unauthenticated-admin-route", "js.pattern.unguarded-route", "js.pattern.admin-route-login-only")

    def run(self, src: SourceFile) -> Iterable[Hit]:
        if "@Controller" in src.text:
            idx = index(src)
            return _nest_routes(src, idx.get("func")) if idx is not None else []
        if not any(n in src.text for n in _NEEDLES):
            return []
        idx = index(src)
        if idx is None:
            return []
        apps = set(_APP_MADE.findall(src.text))
        routers = set(_ROUTER_MADE.findall(src.text))
        mounts: list[tuple[str, str] | None] = []  # the router module's mount, found once
        hits: list[Hit] = []
        guarded_from: dict[str, list[tuple[int, str | None]]] = {}  # receiver -> (byte, path prefix) of auth `use`
        for call in idx.get("call"):
            parts = callee_parts(src, call)
            if len(parts) != 2:
                continue
            receiver, method = parts
            args = args_of(call)
            if not args:
                continue
            first = string_value(src, args[0])
            if method == "use":
                middleware = args[1:] if first is not None else args
                guards = middleware[:-1] if first is not None and len(middleware) > 1 else middleware
                if any(_is_guard(src, a) for a in guards):
                    guarded_from.setdefault(receiver, []).append((call.start_byte, first))
                continue
            if method not in _ROUTE_METHODS or first is None:
                continue
            is_app = receiver in apps or (receiver not in routers and bool(_APP_RECEIVER.match(receiver)))
            if not (is_app or receiver in routers or _ROUTER_RECEIVER.search(receiver)):
                continue
            mount = ("", "") if is_app else _mount(src, mounts)
            if mount is None:
                continue  # mounted behind a role guard in another file
            full = mount[0].rstrip("/") + first if mount[0] else first
            m = _OPERATOR_PATH.search(full)
            if m is None or _PUBLIC_PATH.search(full) or len(args) < 2:
                continue
            if mount[1] or _route_guarded(src, args, guarded_from.get(receiver, []), call.start_byte, first):
                if m.group(1).lower() in ("admin", "administration") and _login_only(src, args, bool(mount[1])) \
                        and not any(start < call.start_byte for start, _ in guarded_from.get(receiver, [])):
                    hits.append(Hit.at("js.pattern.admin-route-login-only", call,
                                       f"{method.upper()} {full} is an admin action behind a login check only: any "
                                       "signed-in account can run it. Add a role check (requireAdmin) to its chain."))
                continue
            first = full
            what = f"{method.upper()} {first}"
            hits.append(Hit.at("js.pattern.unauthenticated-admin-route", call, _MSG.format(what=what),
                               severity=None if is_app else Severity.LOW))
        return hits


# `app.use('/api/admin', adminRoutes)` / `app.use('/admin', requireLogin, require('./routes/admin'))`:
# the prefix a router module is mounted under in another file of the project, with the
# middleware the mount puts before it.
_MOUNT = re.compile(r"""\.use\(\s*['"`](/[^'"`]*)['"`]\s*,([^;]*?)(?:\brequire\(\s*['"](\.[^'"]+)['"]\s*\)|\b([A-Za-z_$][\w$]*))\s*\)""")
_REQUIRE_AS = re.compile(r"""\b([A-Za-z_$][\w$]*)\s*=\s*require\(\s*['"](\.[^'"]+)['"]\s*\)|\bimport\s+([A-Za-z_$][\w$]*)\s+from\s+['"](\.[^'"]+)['"]""")


def _mount(src: SourceFile, found: list[tuple[str, str] | None]) -> tuple[str, str] | None:
    """The path prefix this router module is mounted under and the names of the middleware the
    mount installs before it (`("/api/admin", "verifyToken")`); ("", "") when no file of the
    project mounts it under a path; None when the mount asks for a role (`requireAdmin`)."""
    if found:
        return found[0]
    result: tuple[str, str] | None = ("", "")
    project = src.index
    if project is not None and ("module.exports" in src.text or "export default" in src.text):
        for rel in (*project.files_with(".js"), *project.files_with(".ts")):
            if rel == src.path:
                continue
            other = project.source(rel)
            if other is None or ".use(" not in other.text:
                continue
            local = {name or name2: spec or spec2 for name, spec, name2, spec2 in _REQUIRE_AS.findall(other.text)}
            for m in _MOUNT.finditer(without_comments(other.text)):
                spec = m.group(3) or local.get(m.group(4) or "")
                if not spec or project.resolve_js(rel, spec) != src.path:
                    continue
                middleware = [w for w in re.findall(r"[A-Za-z_$][\w$]*", m.group(2)) if _is_guard_name(w)]
                if any(_ROLE_WORD.search(w) for w in middleware):
                    result = None
                else:
                    result = (m.group(1), ",".join(middleware))
                break
            if result != ("", ""):
                break
    found.append(result)
    return result


# A guard that only asks whether someone is signed in, and one that asks for a role.
_LOGIN_GUARD = re.compile(r"^(?:require|ensure|check|is|verify|must)?(?:Login|LoggedIn|Auth|Authenticated|User|Session|Token|Jwt|Signed\w*)$"
                          r"|^authenticate$|^(?:checkAuth|requireAuth|isLoggedIn|loggedIn)$", re.I)
_ROLE_WORD = re.compile(r"admin|role|permission|staff|operator|superuser|owner|manager|privilege|scope|\bcan[A-Z]", re.I)
_HANDLER_ROLE = re.compile(r"\.role\s*[!=]==?|[!=]==?\s*[\w.]*\.role\b|\bisAdmin|is_admin|hasRole|\b403\b|Forbidden|permission|\bcan\w*\(", re.I)


def _login_only(src: SourceFile, args: list[Node], mounted_behind_login: bool = False) -> bool:
    """The route's own guards (and its mount's) all only check a login (`requireLogin`,
    `checkAuth`, `verifyToken`), none asks for a role, and the handler checks no role either: an
    inline handler, or a controller function of another module (`adminController.listUsers`).
    An inline handler with no guard in its chain whose only check is that a caller is there
    (`if (!req.cookies.user_id) return res.sendStatus(403)`) is a login check too."""
    guards, handler, named = [], None, None
    for i, a in enumerate(args[1:], start=1):
        inner = unwrap(a)
        if inner is None or inner.type == "object":
            return False
        if i == len(args) - 1 and inner.type in _FUNCTIONS:
            handler = inner
        elif _is_guard(src, inner) or inner.type in ("identifier", "member_expression", "call_expression"):
            guards.append(_guard_name(src, inner))
            if i == len(args) - 1 and inner.type == "member_expression":
                named = inner
    if handler is not None and not any(_is_guard_name(g) for g in guards) and not mounted_behind_login:
        body = without_comments(text(src, handler))
        return bool(_PRESENCE_ONLY.search(body)) and not _ROLE_COMPARE.search(body)
    if any(_ROLE_WORD.search(g) for g in guards) or not all(_LOGIN_GUARD.match(g) for g in guards if _is_guard_name(g)):
        return False
    if not mounted_behind_login and not any(_is_guard_name(g) for g in guards):
        return False
    if handler is not None:
        return not _HANDLER_ROLE.search(without_comments(text(src, handler)))
    controller = _controller_text(src, named) if named is not None else ""
    return not (controller and _HANDLER_ROLE.search(controller))


# `if (!userId) return res.status(403)...`: the only question a handler asks is whether a caller is there.
_PRESENCE_ONLY = re.compile(r"if\s*\(\s*!\s*[\w$.?\[\]'\"]+\s*\)\s*(?:\{\s*)?return\b[^;]*\b(?:401|403)\b")
_ROLE_COMPARE = re.compile(r"\.role\b|\brole\s*[!=]==?|\bis_?admin|\bhasRole|\bpermission|\bcan[A-Z]\w*\(|[=!]==?\s*['\"`]admin['\"`]", re.I)


def _controller_text(src: SourceFile, member: Node) -> str:
    """The text of `exports.name = ...` (or `name(...)`/`name:` in an exported object) in the
    module the route file requires under the member's object name: "" when not found."""
    obj = text(src, member.child_by_field_name("object"))
    name = text(src, member.child_by_field_name("property"))
    project = src.index
    spec = next((sp or sp2 for n, sp, n2, sp2 in _REQUIRE_AS.findall(src.text) if (n or n2) == obj), "")
    rel = project.resolve_js(src.path, spec) if project is not None and spec else None
    other = project.source(rel) if project is not None and rel else None
    if other is None or not other.text:
        return ""
    m = re.search(rf"(?:\bexports\.{re.escape(name)}\s*=|\b{re.escape(name)}\s*[:=(])", other.text)
    if m is None:
        return ""
    end = re.search(r"\n(?:exports\.|module\.exports|const |function |async function |export )", other.text[m.end():])
    return without_comments(other.text[m.start():m.end() + (end.start() if end else 4000)])


def _is_guard_name(name: str) -> bool:
    return bool(name) and bool(_AUTH.search(name)) and not _NOT_A_GUARD.match(name)


def _route_guarded(src: SourceFile, args: list[Node], uses: list[tuple[int, str | None]], at: int, path: str) -> bool:
    """Auth in the route's own chain (middleware, Fastify hooks, the handler's body) or an
    auth `use` installed earlier on the same receiver for every path or a prefix of this one."""
    for i, a in enumerate(args[1:], start=1):
        inner = unwrap(a)
        if inner is None:
            continue
        if inner.type == "object":
            props = object_props(src, inner)
            if any(h in props for h in _FASTIFY_HOOKS):
                return True
            continue
        last = i == len(args) - 1
        if last and inner.type not in _FUNCTIONS:
            # a wrapper that checks (`requireAuth(handler)`), not the handler's own name
            if inner.type == "call_expression" and _is_guard(src, inner):
                return True
        elif _is_guard(src, inner):
            return True
    for start, prefix in uses:
        if start < at and (prefix in (None, "/", "*") or path == prefix or path.startswith(prefix.rstrip("/") + "/")):
            return True
    return False


_NEST_OPERATOR_PATH = re.compile(
    r"(?:^|/)(?:[\w-]*[-_])?(admin|administration|internal|secrets?|debug|metrics|actuator|heapdump)(?:[-_][\w-]*)?(?=/|$)", re.I)
_NEST_ROUTE = re.compile(r"@(Get|Post|Put|Patch|Delete|All)\(\s*(?:['\"`]([^'\"`]*)['\"`])?")
_NEST_CONTROLLER = re.compile(r"@Controller\(\s*(?:['\"`]([^'\"`]*)['\"`])?")
_NEST_GUARD = re.compile(r"@(?:UseGuards|Roles|Role|Auth\w*|Authenticated|Authori[sz]ed|RequireAuth\w*|Permissions?|Admin\w*Guard)\b")
_GLOBAL_GUARD = re.compile(r"\bAPP_GUARD\b|useGlobalGuards\s*\(")


def _decorators(src: SourceFile, node: Node) -> str:
    """Decorator text of a method (preceding siblings in the class body) or of a class (its
    own decorator children and those of an `export` statement around it)."""
    if node.type == "method_definition":
        return method_decorators(src, node)
    holders = [node] + ([node.parent] if node.parent is not None and node.parent.type == "export_statement" else [])
    return " ".join(text(src, c) for h in holders for c in h.named_children if c.type == "decorator")


def _global_guard(src: SourceFile) -> bool:
    """A guard installed for the whole Nest app: `APP_GUARD` provider or `app.useGlobalGuards`."""
    if _GLOBAL_GUARD.search(src.text):
        return True
    project = src.index
    if project is None:
        return False
    for rel in project.files_with(".ts"):
        if rel.endswith(("module.ts", "main.ts")):
            other = project.source(rel)
            if other is not None and other.text and _GLOBAL_GUARD.search(other.text):
                return True
    return False


# Routes a visitor reaches before having an account or a session: the way in, the way back in,
# and callbacks from other services (which carry their own proof).
_OPEN_ROUTE = re.compile(r"(?i)log-?in|sign-?(?:in|up)|register|forgot|reset|recover|refresh|token|verify|"
                         r"confirm|activate|callback|webhook|oauth|public|health|contact|subscribe")


def _unguarded_changes(src: SourceFile, routes: list[tuple[Node, str, str, bool]]) -> list[Hit]:
    """In a controller whose routes are guarded one by one (`@UseGuards` on some methods, not
    on the class), a route that changes state (POST/PUT/PATCH/DELETE) without a guard: the
    author protects routes individually and this one was left out. Routes a visitor must
    reach without a session (login, register, reset, webhooks, ...) are not judged."""
    if not any(guarded for _, _, _, guarded in routes):
        return []
    hits: list[Hit] = []
    for fn, verb, path, guarded in routes:
        if guarded or verb.lower() not in ("post", "put", "patch", "delete") or _OPEN_ROUTE.search(path):
            continue
        body = fn.child_by_field_name("body")
        if body is not None and _HANDLER_AUTH.search(text(src, body)):
            continue
        hits.append(Hit.at("js.pattern.unguarded-route", fn.child_by_field_name("name") or fn,
                           f"{verb.upper()} /{path} changes data with no guard, while this controller guards its other "
                           "routes one by one: add @UseGuards(an auth guard) (and check the record belongs to the caller)."))
    return hits


def _nest_routes(src: SourceFile, functions: list[Node]) -> list[Hit]:
    hits: list[Hit] = []
    global_guard: bool | None = None
    by_class: dict[int, list[tuple[Node, str, str, bool]]] = {}  # class -> (handler, verb, path, guarded)
    for fn in functions:
        if fn.type != "method_definition" or fn.parent is None or fn.parent.parent is None:
            continue
        method = _decorators(src, fn)
        route = _NEST_ROUTE.search(method)
        owner = _decorators(src, fn.parent.parent)
        ctrl = _NEST_CONTROLLER.search(owner)
        if route is None or ctrl is None:
            continue
        path = "/".join(p.strip("/") for p in (ctrl.group(1) or "", route.group(2) or "") if p.strip("/"))
        if not _NEST_GUARD.search(owner):
            by_class.setdefault(fn.parent.parent.start_byte, []).append(
                (fn, route.group(1), path, _NEST_GUARD.search(method) is not None))
        if not _NEST_OPERATOR_PATH.search(path) or _PUBLIC_PATH.search(path):
            continue
        if _NEST_GUARD.search(method) or _NEST_GUARD.search(owner):
            continue
        body = fn.child_by_field_name("body")
        if body is not None and _HANDLER_AUTH.search(text(src, body)):
            continue
        if global_guard is None:
            global_guard = _global_guard(src)
        if global_guard:
            return []
        what = f"{route.group(1).upper()} /{path}"
        hits.append(Hit.at("js.pattern.unauthenticated-admin-route", fn.child_by_field_name("name") or fn,
                           _MSG.format(what=what).replace("Put an auth middleware", "Add @UseGuards(an auth guard)")))
    if by_class and (global_guard is False or (global_guard is None and not _global_guard(src))):
        flagged = {h.line for h in hits}
        for routes in by_class.values():
            hits += [h for h in _unguarded_changes(src, routes) if h.line not in flagged]
    return hits


CHECKS = [AdminRouteCheck()]

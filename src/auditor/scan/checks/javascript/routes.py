"""Security middleware around an app: login/register/reset routes without a rate limiter,
Express/Fastify/Koa/NestJS apps without security headers (helmet), and cookie-session apps
whose state-changing routes (in any file) have neither a CSRF token nor a sameSite cookie.

`js.pattern.late-rate-limit`: a rate limiter installed with `app.use(...)` after every route of
the same app (`app.use(rateLimit(...))`, or a middleware of its own that answers 429) never runs
for those routes: Express calls middleware in the order it is installed, and a route that answers
ends the chain. Installed before the routes, it is clean.

A single file scanned on its own (no detected stack) is judged alone (`js.pattern.*`). With a
stack, the project checks (`js.project.*`) look at every file of the sub-project, since the
limiter or helmet is often installed in another file than the routes.
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
    has_directive,
    index,
    is_exported,
    string_value,
    text,
    unwrap,
    without_comments,
)
from auditor.scan.interface import Check, Hit, ProjectCheck, SourceFile
from auditor.stack.model import SubProject

_AUTH_PATH = re.compile(r"log-?in|sign-?in|sign-?up|register|forgot|reset|password|otp|verify|2fa|mfa|/token\b|/session", re.I)
_LIMITER = re.compile(r"limit|throttl|slowDown|brute", re.I)
_GLOBAL_LIMITER = re.compile(r"\.use\(\s*(?:['\"][^'\"]*['\"]\s*,\s*)?[\w.]*(?:[Ll]imit|[Tt]hrottl|slowDown|brute)|register\([^)]*rate-?limit|rateLimit\s*:|ThrottlerGuard|@Throttle|Ratelimit|ratelimit\.limit|limiter\.(?:limit|consume)")
_AUTH_ACTION = re.compile(r"^(?:login|signIn|signin|register|signUp|signup|resetPassword|forgotPassword|authenticate|verifyOtp)"
                          r"(?:Action|Handler)?$")
# Code that checks a password: the handler is a login endpoint whatever its path or name says
# (a route file scanned alone, `router.post('/', ...)` mounted under /auth, `loginAction`).
_CREDENTIAL_CHECK = re.compile(
    r"\b(?:bcrypt|bcryptjs|argon2|scrypt)\s*\.\s*(?:compare|compareSync|verify)\s*\("
    r"|\b(?:(?:verify|compare|check|validate|isValid|valid)Password\w*|passwordMatches)\s*\("
    r"|\bpassport\s*\.\s*authenticate\s*\(|\bsignIn\s*\(\s*['\"]credentials|\bsignInWith(?:Password|EmailAndPassword)\s*\("
)
_ROUTE_METHODS = frozenset({"post", "put", "all", "patch"})
_APP_FACTORY = re.compile(r"\bexpress\(\)|NestFactory\.create|\bFastify\(|\bfastify\(\{|\bfastify\(\)|new Koa\(\)")
_HELMET = re.compile(r"""\bhelmet\s*\(|['"](?:@fastify/|koa-)?helmet['"]""")
# A route registration or decorator naming a credential path, a server action, a route file,
# or an app factory: anything else cannot hold what these checks look for.
_PREFILTER = re.compile(
    r"""\.(?:post|put|all|patch)\s*\(\s*['"`][^'"`]*(?:log-?in|sign-?in|sign-?up|register|forgot|reset|password|otp|verify|2fa|mfa|token|session)"""
    r"""|@(?:Post|Put)\(|use server|express\(\)|NestFactory|new Koa\(|[Ff]astify\(""",
    re.I,
)


_NEEDLES = (".post(", ".put(", ".all(", ".patch(", "@Post(", "@Put(", "use server", "express()", "NestFactory", "Koa(", "astify(")


def _worth_a_look(src: SourceFile) -> bool:
    if src.path.endswith(("route.ts", "route.js")):
        return True
    if not any(n in src.text for n in _NEEDLES) and "POST" not in src.text:
        return False
    return _PREFILTER.search(src.text) is not None or _CREDENTIAL_CHECK.search(src.text) is not None


def auth_routes(src: SourceFile) -> list[tuple[Node, str]]:
    """(node, description) for each login-like route in `src` that carries no limiter."""
    idx = index(src)
    if idx is None:
        return []
    out: list[tuple[Node, str]] = []
    for call in idx.get("call"):
        parts = callee_parts(src, call)
        if len(parts) < 2 or parts[-1] not in _ROUTE_METHODS:
            continue
        args = args_of(call)
        if not _registers_handler(parts, args):
            continue  # `api.post('/auth/session', { email, password })` sends a login, it does not serve one
        path = string_value(src, args[0]) if args else None
        if path is None and parts[-2:-1] == ["route"]:
            route_call = call.child_by_field_name("function")
            inner = route_call.child_by_field_name("object") if route_call is not None else None
            path = string_value(src, args_of(inner)[0]) if inner is not None and inner.type == "call_expression" and args_of(inner) else None
        if not path or not (_AUTH_PATH.search(path) or (args and _CREDENTIAL_CHECK.search(text(src, args[-1])))):
            continue
        if any(_LIMITER.search(text(src, a)) for a in args[1:-1]) or "rateLimit" in text(src, call):
            continue
        out.append((call, f"{parts[-1].upper()} {path}"))
    for dec in re.finditer(r"@(?:Post|Put)\(\s*['\"]([^'\"]*)['\"]", src.text):
        if _AUTH_PATH.search(dec.group(1)):
            line = src.text.count("\n", 0, dec.start()) + 1
            out.append((_line_node(src, line), f"POST {dec.group(1)}"))
    segs = src.path.split("/")
    is_route_file = segs[-1].split(".")[0] == "route" and any(_AUTH_PATH.search("/" + s) for s in segs[:-1])
    use_server = "use server" in src.text
    for fn in idx.get("func"):
        name_node = fn.child_by_field_name("name")
        if name_node is None and fn.parent is not None and fn.parent.type == "variable_declarator":
            name_node = fn.parent.child_by_field_name("name")  # export const POST = async (req) => ...
        name = text(src, name_node) if name_node is not None else ""
        # an inline server action (`async function login(fd) { "use server"; ... }` passed to
        # <form action>) is an endpoint the browser posts to, exported or not
        if not is_exported(fn) and not (use_server and has_directive(src, fn.child_by_field_name("body"), "use server")):
            continue
        if (is_route_file and name == "POST") or (use_server and _AUTH_ACTION.match(name)):
            out.append((name_node or fn, f"{name}"))
        elif (name == "POST" or use_server) and _CREDENTIAL_CHECK.search(text(src, fn)):
            # a Next.js POST handler or server action that verifies a password is a login
            out.append((name_node or fn, f"{name} (checks a password)"))
    return out


def _registers_handler(parts: list[str], args: list[Node]) -> bool:
    """`router.post(path, ..., handler)`: the last argument is a function or a reference to
    one. An HTTP client's `post(url, body)` passes data (an object, a string) and is called
    on a client (axios, api, http, fetcher...)."""
    if _HTTP_CLIENT.search(parts[0]):
        return False
    if len(args) < 2:
        return len(args) == 1 and len(parts) >= 3 and parts[-2] == "route"  # app.route('/login').post(handler)
    last = unwrap(args[-1])
    return last is not None and last.type not in _DATA_NODES


# Receivers of outbound HTTP calls and the argument types that are request data, not handlers.
_HTTP_CLIENT = re.compile(r"^(?:axios|api|apiClient|http|https|client|httpClient|fetcher|ky|got|superagent|\$http|instance)$", re.I)
_DATA_NODES = frozenset({"object", "array", "string", "template_string", "number", "true", "false", "null"})


def _line_node(src: SourceFile, line: int) -> Node:
    tree = src.tree
    assert tree is not None
    node = tree.root_node.descendant_for_point_range((line - 1, 0), (line - 1, 0))
    return node or tree.root_node


def app_without_helmet(src: SourceFile) -> Node | None:
    """The call creating an Express/Fastify/Koa/Nest app in a file that never mentions helmet."""
    m = _APP_FACTORY.search(src.text)
    if m is None or _HELMET.search(src.text) or index(src) is None:
        return None
    line = src.text.count("\n", 0, m.start()) + 1
    return _line_node(src, line)


_RATE_MSG = "Login/credential route without a rate limiter: add express-rate-limit 7 (rateLimit({ windowMs: 15 * 60 * 1000, limit: 5 })) or your framework's throttler."
_HELMET_MSG = "App without security headers: add helmet (app.use(helmet()); @fastify/helmet, koa-helmet) and set a Content-Security-Policy."


class FileMiddlewareCheck(Check):
    """A file judged alone: used when there is no stack, or when the stack lacks the library
    (then no other file can be applying it). With the library installed, the project
    checks decide, looking at every file."""

    languages = JS_LANGUAGES
    detectors = ("js.pattern.auth-rate-limit", "js.pattern.no-helmet")

    def run(self, src: SourceFile) -> Iterable[Hit]:
        if not _worth_a_look(src):
            return []
        hits: list[Hit] = []
        # Alone, a file cannot show middleware installed elsewhere: say it, but at low severity.
        sev = Severity.LOW if src.project is None else None
        if not src.has("express-rate-limit") and not _GLOBAL_LIMITER.search(src.text):
            for node, what in auth_routes(src):
                hits.append(Hit.at("js.pattern.auth-rate-limit", node, f"{what}: {_RATE_MSG}", severity=sev))
        if ".listen(" in src.text and not src.has("helmet"):
            node = app_without_helmet(src)
            if node is not None:
                hits.append(Hit.at("js.pattern.no-helmet", node, _HELMET_MSG, severity=sev))
        return hits


# A cookie session set up: express-session / cookie-session middleware with its options.
_SESSION_SETUP = re.compile(r"\b(?:session|cookieSession|expressSession)\s*\(\s*\{")
_SAME_SITE_SET = re.compile(r"sameSite\s*:\s*(?:['\"](?:lax|strict)['\"]|true)", re.I)
# A CSRF defence in code (a library imported, a token read or checked), not the word in a comment.
_CSRF_MENTION = re.compile(r"""(?:require\(|from\s)\s*['"][^'"]*(?:csrf|xsrf|lusca)|\b\w*(?:csrf|xsrf)\w*\s*[.(:=]|\blusca\b""", re.I)
_STATE_ROUTE = re.compile(r"\.(?:post|put|patch|delete)\s*\(\s*['\"`/]")
_CSRF_MSG = ("Cookie sessions and state-changing routes with no CSRF token anywhere in the app and no sameSite "
             "on the session cookie: set sameSite: 'lax' and add csrf-csrf or csrf-sync to form posts.")


def session_without_csrf(files: list[SourceFile]) -> tuple[SourceFile, int] | None:
    """(file, line) of the session middleware of an app that is open to CSRF: its cookie has
    no sameSite lax/strict, no file mentions a CSRF defence, and the routes that change
    state live in other files (a file holding both is judged by the per-file check)."""
    if any(_CSRF_MENTION.search(without_comments(f.text)) for f in files if re.search(r"csrf|xsrf|lusca", f.text, re.I)):
        return None
    setups = [(f, m) for f in files if "ession" in f.text for m in [_SESSION_SETUP.search(f.text)] if m is not None]
    if not setups or any(_SAME_SITE_SET.search(f.text) for f, _ in setups):
        return None
    f, m = setups[0]
    if _STATE_ROUTE.search(f.text) or not any(_STATE_ROUTE.search(o.text) for o in files if o is not f):
        return None
    return f, f.text.count("\n", 0, m.start()) + 1


class ProjectMiddlewareCheck(ProjectCheck):
    detectors = ("js.project.auth-rate-limit", "js.project.no-helmet", "js.project.csrf")

    def run(self, project: SubProject, files: list[SourceFile]) -> Iterable[Hit]:
        js = [f for f in files if f.language in JS_LANGUAGES]
        if not js:
            return []
        web = project.ids() & {"express", "fastify", "koa", "nestjs", "nextjs"}
        hits: list[Hit] = []
        if not web:
            return hits
        # Without the limiter library the file check has already spoken for each file.
        if "express-rate-limit" in project.ids() and not any(_GLOBAL_LIMITER.search(f.text) for f in js):
            for f in js:
                if not _worth_a_look(f):
                    continue
                for node, what in auth_routes(f):
                    hits.append(Hit("js.project.auth-rate-limit", node.start_point[0] + 1, node.start_point[1] + 1,
                                    node.end_point[0] + 1, f"{what}: {_RATE_MSG}", path=f.path))
        handled = any(".listen(" in f.text and _APP_FACTORY.search(f.text) for f in js) and "helmet" not in project.ids()
        if web - {"nextjs"} and not handled and not any(_HELMET.search(f.text) for f in js):
            for f in js:
                node = app_without_helmet(f)
                if node is not None:
                    hits.append(Hit("js.project.no-helmet", node.start_point[0] + 1, node.start_point[1] + 1,
                                    node.end_point[0] + 1, _HELMET_MSG, path=f.path))
                    break
        ids = project.ids()
        if web & {"express", "koa"} and ids & {"express-session", "cookie-session", "koa-session"} and \
                not any("csrf" in i or i == "lusca" for i in ids):
            found = session_without_csrf(js)
            if found is not None:
                hits.append(Hit("js.project.csrf", found[1], 1, found[1], _CSRF_MSG, path=found[0].path))
        return hits


_APP_NAME = re.compile(r"([A-Za-z_$][\w$]*)\s*=\s*(?:express|fastify|Fastify)\s*\(")
_ANY_ROUTE = frozenset({"get", "post", "put", "patch", "delete", "all"})
_LIMITS = re.compile(r"rateLimit|[Ll]imiter|throttl|slowDown|\b429\b|[Rr]ate limit|[Tt]oo many requests")


class LateLimiterCheck(Check):
    """`js.pattern.late-rate-limit` (see the module doc)."""

    languages = JS_LANGUAGES
    detectors = ("js.pattern.late-rate-limit",)

    def run(self, src: SourceFile) -> Iterable[Hit]:
        if ".use(" not in src.text or not _LIMITS.search(src.text):
            return []
        apps = set(_APP_NAME.findall(src.text))
        if not apps:
            return []
        idx = index(src)
        if idx is None:
            return []
        routes: dict[str, list[int]] = {}
        limiters: list[tuple[str, Node]] = []
        for call in idx.get("call"):
            parts = callee_parts(src, call)
            if len(parts) != 2 or parts[0] not in apps:
                continue
            args = args_of(call)
            if parts[1] in _ANY_ROUTE and len(args) >= 2 and string_value(src, args[0]) is not None:
                routes.setdefault(parts[0], []).append(call.start_byte)
            elif parts[1] == "use" and args and string_value(src, args[0]) is None \
                    and any(_LIMITS.search(without_comments(text(src, a))) for a in args):
                limiters.append((parts[0], call))
        hits: list[Hit] = []
        for app, call in limiters:
            before = [r for r in routes.get(app, []) if r < call.start_byte]
            if before and len(before) == len(routes.get(app, [])):
                hits.append(Hit.at("js.pattern.late-rate-limit", call,
                                   f"This rate limiter is installed after all {len(before)} routes of `{app}`: Express runs "
                                   "middleware in order and a route that answers ends the chain, so it never limits them. "
                                   "Install it before the routes (app.use(limiter) first)."))
        return hits


CHECKS = [FileMiddlewareCheck(), ProjectMiddlewareCheck(), LateLimiterCheck()]

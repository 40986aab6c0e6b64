"""Laravel pattern checks in one walk per file: mass assignment ($guarded = [],
create($request->all())), CSRF exclusions of everything, controller actions that load or
change records with no policy/ownership check, login routes without `throttle`, fast
hashes for passwords. Plus text checks for Blade `{!! !!}` and config/app.php, config/cors.php."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from tree_sitter import Node

from auditor.scan.checks.php.phpsyntax import (
    FUNCTIONS,
    args,
    call_name,
    enclosing_class,
    is_controller,
    params,
)
from auditor.scan.interface import Check, Hit, SourceFile
from auditor.scan.treeutil import text, walk

MASS_METHODS = frozenset({"create", "update", "fill", "forceFill", "forceCreate", "insert", "firstOrCreate",
                          "updateOrCreate", "make", "firstOrNew", "createQuietly", "updateQuietly"})
ALL_INPUT = re.compile(r"^(?:\$request->(?:all|input|post|json)\(\)|request\(\)->(?:all|input|post)\(\)|request\(\)->all\(\)|"
                       r"Request::all\(\)|Request::input\(\)|\$_POST|\$_REQUEST|\$request->json\(\)->all\(\))$")
PRIVILEGED = re.compile(r"['\"](?:is_admin|admin|role|roles|is_superuser|permissions|is_staff)['\"]")
AUTHZ = re.compile(r"authorize|Gate::|->can\(|->cannot\(|can:|->user_id|user_id|auth\(\)->id\(\)|auth\(\)->user\(\)|"
                   r"Auth::id\(\)|Auth::user\(\)|->user\(\)|abort_unless|abort_if|Policy|policy\(|isAdmin|hasRole|hasPermission")
FIND_METHODS = frozenset({"find", "findOrFail", "findOrNew", "firstWhere", "destroy", "where"})
MUTATE_METHODS = frozenset({"update", "delete", "forceDelete", "fill", "save", "restore", "updateQuietly"})
FRAMEWORK_TYPES = frozenset({"Request", "string", "int", "array", "bool", "float", "mixed", "Response", "Closure"})
PASSWORDY = re.compile(r"pass(?:word|wd)?|pwd", re.I)
LOGIN_ROUTE = re.compile(r"Route::post\(\s*['\"][^'\"]*(?:login|signin|sign-in|authenticate|token|forgot-password|reset-password)", re.I)
THROTTLED = re.compile(r"['\"]throttle:|ThrottleRequests|RateLimiter::|Fortify::")
PREFILTER = ("guarded", "fillable", "all()", "input()", "$except", "validateCsrfTokens", "Controller", "Route::post",
             "md5", "sha1", "hash(", "$_POST", "$_REQUEST")


def _line(t: str, pos: int) -> int:
    return t.count("\n", 0, pos) + 1


class LaravelPatternCheck(Check):
    languages = frozenset({"php"})
    detectors = ("php.pattern.mass-assignment", "php.pattern.csrf", "php.pattern.idor",
                 "php.pattern.login-rate-limit", "php.pattern.password-hash")

    def run(self, src: SourceFile) -> Iterable[Hit]:
        t = src.text
        if src.path.endswith(".blade.php") or not any(w in t for w in PREFILTER):
            return []
        tree = src.tree
        if tree is None:
            return []
        hits: list[Hit] = []
        for n in walk(tree.root_node, frozenset({"ERROR"})):
            typ = n.type
            if typ == "property_declaration":
                hits.extend(_property(src, n))
            elif typ in ("scoped_call_expression", "member_call_expression", "function_call_expression",
                         "object_creation_expression"):
                hits.extend(_call(src, n))
            elif typ == "method_declaration" and is_controller(src, enclosing_class(n)):
                hits.extend(_idor(src, n))
        if "Route::post" in t and not THROTTLED.search(t):
            hits.extend(Hit("php.pattern.login-rate-limit", _line(t, m.start()), 1, 0,
                            "Login route has no throttle: add ->middleware('throttle:login') with a RateLimiter::for('login') limit")
                        for m in LOGIN_ROUTE.finditer(t))
        return hits


def _property(src: SourceFile, node: Node) -> Iterator[Hit]:
    pt = text(src, node)
    if re.search(r"\$guarded\s*=\s*(?:\[\s*\]|array\(\s*\))", pt):
        yield Hit.at("php.pattern.mass-assignment", node,
                     "`$guarded = []` makes every column mass-assignable: list `$fillable` instead")
    elif "$fillable" in pt and PRIVILEGED.search(pt):
        yield Hit.at("php.pattern.mass-assignment", node,
                     "`$fillable` includes a privilege column: set roles/admin flags explicitly, not from input")
    elif "$except" in pt and re.search(r"\[\s*(?:[^\]]*,\s*)?['\"]/?\*['\"]", pt):
        yield Hit.at("php.pattern.csrf", node, "CSRF verification is disabled for every route: except only signed webhooks")


def _call(src: SourceFile, node: Node) -> Iterator[Hit]:
    kind, recv, name = call_name(src, node)
    a = args(node)
    if node.type == "object_creation_expression":
        if a and ALL_INPUT.match(re.sub(r"\s+", "", text(src, a[0]))):
            yield Hit.at("php.pattern.mass-assignment", node,
                         "Model built from all request input: pass `$request->validated()` or `$request->only([...])`")
        return
    if name in MASS_METHODS and a:
        target = a[1] if name in ("updateOrCreate",) and len(a) > 1 else a[0]
        if ALL_INPUT.match(re.sub(r"\s+", "", text(src, target))):
            yield Hit.at("php.pattern.mass-assignment", node,
                         f"`{name}` receives all request input: pass `$request->validated()` or `$request->only([...])`")
    elif name == "validateCsrfTokens":
        if re.search(r"['\"]/?\*['\"]", " ".join(text(src, x) for x in a)):
            yield Hit.at("php.pattern.csrf", node, "CSRF verification is disabled for every route")
    elif kind == "func" and name in ("md5", "sha1", "hash", "crypt") and a:
        algo_ok = name != "hash" or re.match(r"['\"](?:md5|sha1|sha256|sha512)['\"]", text(src, a[0]))
        if algo_ok and _passwordy(src, node, a):
            yield Hit.at("php.pattern.password-hash", node,
                         "Passwords hashed with a fast digest: use Hash::make() / password_hash(PASSWORD_ARGON2ID)")


def _passwordy(src: SourceFile, node: Node, a: list[Node]) -> bool:
    if any(PASSWORDY.search(text(src, x)) for x in a[-1:]):
        return True
    n = node.parent
    while n is not None and n.type not in FUNCTIONS:
        if n.type == "assignment_expression" and PASSWORDY.search(text(src, n.child_by_field_name("left"))):
            return True
        n = n.parent
    return n is not None and bool(PASSWORDY.search(text(src, n.child_by_field_name("name"))))


def _idor(src: SourceFile, fn: Node) -> Iterator[Hit]:
    """Controller actions that find a record by a route/request id, or change a
    route-model-bound record, with no policy, gate or ownership condition in the action
    or the controller (authorizeResource / can: middleware)."""
    cls = enclosing_class(fn)
    cls_text = text(src, cls)
    if re.search(r"authorizeResource|middleware\(\s*['\"]can:|Admin", cls_text) or "/Admin/" in src.path:
        return
    body = fn.child_by_field_name("body")
    if body is None:
        return
    body_text = text(src, body)
    if AUTHZ.search(body_text):
        return
    fparams = params(src, fn)
    ids = {p for p, typ in fparams.items() if typ in ("", "string", "int") and re.search(r"id$|Id$|uuid", p)}
    models = {p for p, typ in fparams.items() if typ and typ[0].isupper() and typ not in FRAMEWORK_TYPES
              and not typ.endswith("Request")}
    for n in walk(body, FUNCTIONS | {"ERROR"}):
        if n.type not in ("scoped_call_expression", "member_call_expression"):
            continue
        kind, recv, name = call_name(src, n)
        a = args(n)
        arg_text = " ".join(text(src, x) for x in a)
        if kind == "static" and name in FIND_METHODS and recv[:1].isupper() and recv not in ("DB", "Auth", "Route"):
            by_id = any(i in arg_text for i in ids) or re.search(r"\$request->(?:input|route|get|query)\(\s*['\"]\w*id['\"]|"
                                                                 r"\$request->\w*id\b|request\(['\"]\w*id['\"]", arg_text)
            if by_id and (name != "where" or re.match(r"['\"]id['\"]", arg_text)):
                yield Hit.at("php.pattern.idor", n,
                             f"`{recv}::{name}` loads a record by a request id with no policy or owner check: "
                             "call $this->authorize() or scope the query to auth()->id()")
                return
        if kind == "method" and name in MUTATE_METHODS and recv in models:
            yield Hit.at("php.pattern.idor", n,
                         f"`{recv}->{name}()` changes a route-bound record with no policy check: "
                         f"add $this->authorize('{name if name != 'save' else 'update'}', {recv})")
            return


class LaravelTextCheck(Check):
    """Blade templates (no grammar of their own) and two config files."""

    languages = frozenset({"php"})
    detectors = ("php.blade.raw-echo", "php.config.debug", "php.config.cors")

    RAW_ECHO = re.compile(r"\{!!\s*(.*?)\s*!!\}", re.S)
    SAFE_RAW = re.compile(r"^(?:csrf_field\(\)|method_field\(|\$slot\b|\$attributes\b|\$\w+->links\(|clean\(|"
                          r"Purifier::clean\(|e\(|json_encode\(|Js::from\(|__\(|trans\(|@?json\(|\$errors->|"
                          r"Vite::|vite\(|asset\(|svg\(|QrCode::|['\"][^'\"$]*['\"]$)")
    DEBUG = re.compile(r"['\"]debug['\"]\s*=>\s*true\b")
    CORS_ANY = re.compile(r"['\"]allowed_origins['\"]\s*=>\s*\[\s*['\"]\*['\"]\s*\]")
    CORS_PATTERN_ANY = re.compile(r"['\"]allowed_origins_patterns['\"]\s*=>\s*\[\s*['\"][#/]\.\*[#/]['\"]")
    CORS_CREDS = re.compile(r"['\"]supports_credentials['\"]\s*=>\s*true\b")

    def run(self, src: SourceFile) -> Iterable[Hit]:
        t = src.text
        hits: list[Hit] = []
        if src.path.endswith(".blade.php"):
            for m in self.RAW_ECHO.finditer(t):
                if not self.SAFE_RAW.match(m.group(1)):
                    hits.append(Hit("php.blade.raw-echo", _line(t, m.start()), 1, 0,
                                    "`{!! !!}` prints without escaping: use `{{ }}`, or clean the HTML first"))
            return hits
        if src.path.endswith("config/app.php"):
            hits.extend(Hit("php.config.debug", _line(t, m.start()), 1, 0,
                            "Debug mode is hard-coded on: use `env('APP_DEBUG', false)` and APP_DEBUG=false in production")
                        for m in self.DEBUG.finditer(t))
        if src.path.endswith("config/cors.php") and self.CORS_CREDS.search(t):
            m = self.CORS_ANY.search(t) or self.CORS_PATTERN_ANY.search(t)
            if m:
                hits.append(Hit("php.config.cors", _line(t, m.start()), 1, 0,
                                "CORS allows any origin with credentials: list trusted origins"))
        return hits


CHECKS = [LaravelPatternCheck(), LaravelTextCheck()]

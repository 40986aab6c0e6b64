"""Configuration in Python code: Django settings modules, Flask app.config, FastAPI/Starlette
middleware. Debug on, hard-coded signing keys, wildcard hosts, CORS with credentials,
CSRF protection removed, insecure cookies, missing security middleware.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import PurePosixPath

from tree_sitter import Node

from auditor.findings import Severity
from auditor.scan.checks.python.facts import (
    PyFacts,
    arguments,
    collect,
    decorator_call,
    string_value,
    text,
)
from auditor.scan.checks.python.frameworks import framework_of
from auditor.scan.interface import Check, Hit, SourceFile
from auditor.scan.treeutil import find_all

_SECRET_NAMES = re.compile(r"^(?:SECRET_KEY|JWT_SECRET(?:_KEY)?|JWT_SIGNING_KEY|SIGNING_KEY|TOKEN_SECRET|AUTH_SECRET|"
                           r"SESSION_SECRET|SECURITY_PASSWORD_SALT|WTF_CSRF_SECRET_KEY|SECRET|APP_SECRET)$")
_DEV_FILE = re.compile(r"(?:^|[_./-])(?:dev|develop|development|local|test|tests|testing|ci)(?:[_./-]|$)", re.I)
_DEV_CLASS = re.compile(r"Dev|Test|Local|Debug", re.I)
_TEST_PATH = re.compile(r"(?:^|/)(?:tests?|testing)/|(?:^|/)test_[^/]*\.py$|(?:^|/)conftest\.py$")
_ENV_GETTERS = re.compile(r"(?:environ\.get|getenv|config|env|env\.str|decouple\.config)$")
_SESSION_COOKIE = re.compile(r"session|token|auth|jwt|sid|remember|access|refresh|login", re.I)
_WILDCARD = re.compile(r"^\^?\.\*\$?$|^\*$")
_INSECURE_COOKIE_SETTINGS = {
    "SESSION_COOKIE_SECURE": ("False", None), "CSRF_COOKIE_SECURE": ("False", None),
    "SESSION_COOKIE_HTTPONLY": ("False", None), "REMEMBER_COOKIE_SECURE": ("False", None),
    "REMEMBER_COOKIE_HTTPONLY": ("False", None), "SESSION_COOKIE_SAMESITE": ("None", Severity.LOW),
}
_WEAK_HASHERS = re.compile(r"(?:MD5|SHA1|UnsaltedMD5|UnsaltedSHA1|Crypt)PasswordHasher")

# Calls the config check looks at; everything else is skipped before argument parsing.
_CONFIG_METHODS = frozenset({"run", "update", "from_mapping", "configure", "add_middleware", "set_cookie", "Middleware",
                             "CORSMiddleware", "CORS", "cross_origin", "Flask", "Quart", "FastAPI", "Starlette",
                             "run_simple", "encode", "decode", "as_view", "GraphQLView", "GraphQLRouter", "GraphQL"})
_CONFIG_PREFIXES = ("flask", "quart", "fastapi", "starlette", "werkzeug", "django.conf", "jwt", "jose", "flask_cors",
                    "aiohttp.web", "aiohttp_session")
# aiohttp_session's storages: each sets the session cookie (`httponly=False` lets page scripts read it).
_AIOHTTP_SESSION_STORAGES = ("RedisStorage", "EncryptedCookieStorage", "NaClCookieStorage", "SimpleCookieStorage",
                             "MemcachedStorage")

Report = Callable[[str, Node, str, Severity | None], None]


def is_settings_file(path: str, source: str) -> bool:
    name = PurePosixPath(path).name
    if name == "settings.py" or name.endswith("_settings.py") or name.startswith("settings_"):
        return True
    if "/settings/" in f"/{path}":
        return True
    return "INSTALLED_APPS" in source and ("MIDDLEWARE" in source or "ROOT_URLCONF" in source)


def _strings(node: Node | None) -> list[str]:
    if node is None:
        return []
    if node.type == "string":
        v = string_value(node)
        return [v] if v is not None else []
    return [v for c in node.named_children for v in _strings(c)]


def _literal_secret(value: Node | None) -> tuple[bool, Severity | None]:
    """(is a hard-coded secret, severity override): a literal, or a literal fallback of an
    environment lookup (reported low: it ships when the variable is unset)."""
    if value is None:
        return False, None
    if value.type == "string":
        v = string_value(value)
        return bool(v and v.strip()), None
    if value.type == "call":
        fn = text(value.child_by_field_name("function"))
        if _ENV_GETTERS.search(fn):
            pos, kws = arguments(value)
            fallback = kws.get("default") or (pos[1] if len(pos) > 1 else None)
            if fallback is not None and fallback.type == "string" and (string_value(fallback) or "").strip():
                return True, Severity.LOW
    if value.type == "boolean_operator":  # os.environ.get("K") or "fallback"
        right = value.child_by_field_name("right")
        if right is not None and right.type == "string" and (string_value(right) or "").strip():
            return True, Severity.LOW
    return False, None


# The Flask app factory loads the deployment's config over its defaults (`from_mapping(SECRET_KEY="dev")`
# then `from_pyfile("config.py")`): the literal ships only when that file does not set the key.
_CONFIG_OVERRIDE = re.compile(r"\.config\.from_(?:pyfile|envvar|prefixed_env|file)\s*\(")


_ORIGIN_READ = re.compile(r"""\b(?:headers|META)\b.{0,12}['"](?:origin|HTTP_ORIGIN)['"]""", re.IGNORECASE)


def _is_header(node: Node | None, name: str) -> bool:
    return node is not None and node.type == "string" and (string_value(node) or "").strip().lower() == name


def _weak_script_sources(policy: str | None) -> str:
    """What in a CSP lets any script run ('unsafe-inline', 'unsafe-eval', a `*` source), judged
    on script-src, else default-src; "" when the policy is sound or not a literal."""
    if not policy:
        return ""
    directives = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = [w.lower() for w in words[1:]]
    sources = directives.get("script-src", directives.get("default-src"))
    if sources is None:
        return ""
    if any(re.search(r"'(?:nonce|sha256|sha384|sha512)-", w) for w in sources) and "'strict-dynamic'" in sources:
        return ""  # nonces with strict-dynamic: browsers ignore 'unsafe-inline' there
    weak = [w for w in ("'unsafe-inline'", "'unsafe-eval'", "*") if w in sources]
    return " and ".join(weak)


def _is_acao(node: Node | None) -> bool:
    return node is not None and node.type == "string" and (string_value(node) or "").strip().lower() == "access-control-allow-origin"


class PyConfigCheck(Check):
    languages = frozenset({"python"})
    detectors = (
        "py.config.debug", "py.config.secret-key", "py.config.allowed-hosts", "py.config.cors", "py.config.csrf",
        "py.config.insecure-cookie", "py.config.cookie-flags", "py.config.security-middleware", "py.config.security-headers",
        "py.drf.allow-any", "py.pattern.weak-password-hash", "py.config.csp-unsafe", "py.config.graphiql",
    )

    def run(self, src: SourceFile) -> Iterable[Hit]:
        facts = collect(src)
        if not facts.ok:
            return []
        settings = is_settings_file(src.path, src.text)
        framework = framework_of(src, facts) or ("django" if settings else None)
        out: list[Hit] = []

        def report(det: str, node: Node, message: str, severity: Severity | None = None) -> None:
            out.append(Hit.at(det, node, message, severity=severity, framework=framework))

        is_test = bool(_TEST_PATH.search(src.path))
        if settings:
            self._django_settings(src, facts, report)
        if not is_test:
            self._assignments(facts, settings and bool(_DEV_FILE.search(PurePosixPath(src.path).stem)), report)
        self._calls(src, facts, framework, is_test, report)
        self._decorators(facts, report)
        if not is_test and "ccess-control-allow-origin" in src.text.lower():
            self._hand_set_cors(src, report)
        if not is_test and "content-security-policy" in src.text.lower():
            self._hand_set_csp(src, report)
        if not is_test and "SimpleCookie" in src.text and "set-cookie" in src.text.lower():
            self._morsel_cookies(src, report)
        return out

    # -- Access-Control-Allow-Origin set by hand ---------------------------------------
    @staticmethod
    def _hand_set_cors(src: SourceFile, report: Report) -> None:
        """`resp.headers.add("Access-Control-Allow-Origin", "*")`, `resp["Access-Control-Allow-
        Origin"] = origin`, `headers={"Access-Control-Allow-Origin": ...}`: every origin (low),
        or the caller's own Origin header echoed back, which with cookies lets any site read
        the user's data (the rule's severity)."""
        def judge(node: Node, value: Node | None) -> None:
            if value is None:
                return
            if value.type == "string" and (string_value(value) or "").strip() == "*":
                report("py.config.cors", node, "Access-Control-Allow-Origin: * lets every site read these responses", Severity.LOW)
            elif _ORIGIN_READ.search(text(value)):
                report("py.config.cors", node, "the request's Origin is echoed into Access-Control-Allow-Origin: any site can read "
                       "the user's responses; compare it with an allow-list first", None)

        for node in find_all("python", src.tree.root_node, ("call", "assignment", "pair")):
            if node.type == "call":
                fn = node.child_by_field_name("function")
                pos, _ = arguments(node)
                if (fn is not None and fn.type == "attribute" and text(fn.child_by_field_name("attribute")) in ("add", "set", "setdefault", "add_header")
                        and len(pos) >= 2 and _is_acao(pos[0])):
                    judge(node, pos[1])
            elif node.type == "assignment":
                left = node.child_by_field_name("left")
                if left is not None and left.type == "subscript" and _is_acao(left.child_by_field_name("subscript")):
                    judge(node, node.child_by_field_name("right"))
            elif _is_acao(node.child_by_field_name("key")):
                judge(node, node.child_by_field_name("value"))

    # -- Content-Security-Policy set by hand --------------------------------------------
    @staticmethod
    def _hand_set_csp(src: SourceFile, report: Report) -> None:
        """A literal Content-Security-Policy that lets injected script run: 'unsafe-inline' or
        'unsafe-eval', or a `*` source, in script-src (default-src when it names no script-src).
        Set with `headers["Content-Security-Policy"] = ...`, `headers.add/set(...)`,
        `send_header(...)` or a `headers={...}` pair."""
        for node in find_all("python", src.tree.root_node, ("call", "assignment", "pair")):
            value: Node | None = None
            if node.type == "call":
                fn = node.child_by_field_name("function")
                pos, _ = arguments(node)
                if (fn is not None and fn.type == "attribute" and len(pos) >= 2 and _is_header(pos[0], "content-security-policy")
                        and text(fn.child_by_field_name("attribute")) in ("add", "set", "setdefault", "add_header", "send_header")):
                    value = pos[1]
            elif node.type == "assignment":
                left = node.child_by_field_name("left")
                if left is not None and left.type == "subscript" and _is_header(left.child_by_field_name("subscript"),
                                                                                  "content-security-policy"):
                    value = node.child_by_field_name("right")
            elif _is_header(node.child_by_field_name("key"), "content-security-policy"):
                value = node.child_by_field_name("value")
            weak = _weak_script_sources(string_value(value) if value is not None and value.type == "string" else None)
            if weak:
                report("py.config.csp-unsafe", node, f"Content-Security-Policy allows {weak} for scripts: injected markup "
                       "runs as script; use nonces or hashes and list the script origins", None)

    # -- http.cookies morsels sent by hand ---------------------------------------------
    @staticmethod
    def _morsel_cookies(src: SourceFile, report: Report) -> None:
        """`send_header("Set-Cookie", morsel.OutputString())` (or a cookie's `.output()`) of an
        http.cookies SimpleCookie whose morsels are never given `httponly` in the file: page
        scripts, and any XSS, read the cookie."""
        if re.search(r"""\[\s*['"]httponly['"]\s*\]\s*=\s*(?!False|None|0\b|['"]{2})""", src.text, re.I):
            return
        for node in find_all("python", src.tree.root_node, ("call",)):
            pos, _ = arguments(node)
            if (len(pos) >= 2 and _is_header(pos[0], "set-cookie")
                    and re.search(r"\.(?:OutputString|output|js_output)\s*\(", text(pos[1]))):
                report("py.config.cookie-flags", node, "cookie sent from an http.cookies morsel without HttpOnly (or Secure): "
                       "set morsel['httponly'] = True and morsel['secure'] = True", None)

    # -- Django settings -------------------------------------------------------------
    @staticmethod
    def _django_settings(src: SourceFile, facts: PyFacts, report: Report) -> None:
        values: dict[str, Node] = {}
        for node, scope in facts.assignments:
            left = node.child_by_field_name("left")
            if scope == "module" and left is not None and left.type == "identifier" and node.type == "assignment":
                values[text(left)] = node
        dev = bool(_DEV_FILE.search(PurePosixPath(src.path).stem))

        def value(name: str) -> Node | None:
            n = values.get(name)
            return n.child_by_field_name("right") if n is not None else None

        if "DEBUG" in values and text(value("DEBUG")) == "True" and not dev:
            report("py.config.debug", values["DEBUG"], "DEBUG = True leaks settings and stack traces: read it from the environment", None)
        hosts = value("ALLOWED_HOSTS")
        if hosts is not None and "*" in _strings(hosts) and not dev:
            report("py.config.allowed-hosts", values["ALLOWED_HOSTS"], "ALLOWED_HOSTS = ['*'] accepts any Host header: list your domains", None)
        all_origins = next((n for n in ("CORS_ALLOW_ALL_ORIGINS", "CORS_ORIGIN_ALLOW_ALL") if text(value(n)) == "True"), None)
        regexes = value("CORS_ALLOWED_ORIGIN_REGEXES")
        wildcard_regex = regexes is not None and any(_WILDCARD.match(s) for s in _strings(regexes))
        if all_origins or wildcard_regex:
            creds = text(value("CORS_ALLOW_CREDENTIALS")) == "True"
            node = values[all_origins] if all_origins else values["CORS_ALLOWED_ORIGIN_REGEXES"]
            report("py.config.cors", node, "CORS allows every origin" + (" with credentials: any site can act as the user" if creds else ""),
                   None if creds else Severity.LOW)
        mw = value("MIDDLEWARE") or value("MIDDLEWARE_CLASSES")
        if mw is not None and mw.type in ("list", "tuple"):
            names = _strings(mw)
            if any(n.startswith("django.middleware.") for n in names):
                node = values.get("MIDDLEWARE") or values["MIDDLEWARE_CLASSES"]
                if "django.middleware.csrf.CsrfViewMiddleware" not in names:
                    report("py.config.csrf", node, "CsrfViewMiddleware missing from MIDDLEWARE: forms and cookies are open to CSRF", None)
                if "django.middleware.security.SecurityMiddleware" not in names:
                    report("py.config.security-middleware", node, "SecurityMiddleware missing: no HSTS, nosniff or SSL redirect", None)
        for name, (bad, sev) in _INSECURE_COOKIE_SETTINGS.items():
            if name in values and text(value(name)) == bad and not dev:
                report("py.config.insecure-cookie", values[name], f"{name} = {bad}: session and CSRF cookies must be Secure and HttpOnly", sev)
        rf = value("REST_FRAMEWORK")
        if rf is not None and rf.type == "dictionary":
            for pair in rf.named_children:
                if pair.type == "pair" and string_value(pair.child_by_field_name("key")) == "DEFAULT_PERMISSION_CLASSES":
                    if any(s.endswith("AllowAny") for s in _strings(pair.child_by_field_name("value"))):
                        report("py.drf.allow-any", pair, "DRF default permission AllowAny: every view is public unless it opts in", None)
        hashers = value("PASSWORD_HASHERS")
        if hashers is not None:
            first = _strings(hashers)[:1]
            if first and _WEAK_HASHERS.search(first[0]):
                report("py.pattern.weak-password-hash", values["PASSWORD_HASHERS"], "first PASSWORD_HASHERS entry is a fast hash: put Argon2/PBKDF2 first", None)
        if "WTF_CSRF_ENABLED" in values and text(value("WTF_CSRF_ENABLED")) == "False" and not dev:
            report("py.config.csrf", values["WTF_CSRF_ENABLED"], "WTF_CSRF_ENABLED = False turns CSRF protection off", None)

    # -- module/class constants and app attributes --------------------------------------
    @staticmethod
    def _assignments(facts: PyFacts, dev_file: bool, report: Report) -> None:
        for node, scope in facts.assignments:
            if node.type != "assignment":
                continue
            left = node.child_by_field_name("left")
            right = node.child_by_field_name("right")
            if left is None or right is None:
                continue
            lt = text(left)
            name = lt
            if left.type == "subscript":  # app.config["SECRET_KEY"] = ...
                base = text(left.child_by_field_name("value"))
                key = string_value(left.child_by_field_name("subscript"))
                if not base.endswith("config") or key is None:
                    continue
                name = key
            elif left.type == "attribute":  # app.secret_key = ...
                attr = text(left.child_by_field_name("attribute"))
                name = {"secret_key": "SECRET_KEY", "debug": "DEBUG"}.get(attr, "")
                if not name or text(left.child_by_field_name("object")) in ("self", "cls"):
                    continue
            elif left.type != "identifier" or scope == "function":
                continue
            klass = node.parent.parent.parent if scope == "class" and node.parent and node.parent.parent else None
            class_name = text(klass.child_by_field_name("name")) if klass is not None and klass.type == "class_definition" else ""
            if _SECRET_NAMES.match(name):
                secret, sev = _literal_secret(right)
                if secret and dev_file:
                    sev = Severity.LOW  # a development-only settings module
                if secret:
                    report("py.config.secret-key", node, f"{name} is hard-coded: load it from the environment or a secret store", sev)
            elif name == "DEBUG" and text(right) == "True" and left.type != "identifier":
                report("py.config.debug", node, "debug mode on: the Werkzeug debugger runs code for anyone who reaches it", None)
            elif name == "DEBUG" and text(right) == "True" and scope == "class" and not _DEV_CLASS.search(class_name):
                report("py.config.debug", node, "DEBUG = True in a config class used outside development", None)
            elif name in _INSECURE_COOKIE_SETTINGS and left.type == "subscript" and text(right) == _INSECURE_COOKIE_SETTINGS[name][0]:
                report("py.config.insecure-cookie", node, f"{name} = {text(right)}: session cookies must be Secure and HttpOnly",
                       _INSECURE_COOKIE_SETTINGS[name][1])
            elif name == "WTF_CSRF_ENABLED" and text(right) == "False" and (left.type == "subscript" or not _DEV_CLASS.search(class_name)):
                report("py.config.csrf", node, "WTF_CSRF_ENABLED = False turns CSRF protection off", None)

    # -- calls -------------------------------------------------------------------------
    @staticmethod
    def _calls(src: SourceFile, facts: PyFacts, framework: str | None, is_test: bool, report: Report) -> None:
        flask_app: Node | None = None
        for call, q, m in facts.named_calls():
            if m not in _CONFIG_METHODS and not q.startswith(_CONFIG_PREFIXES):
                continue
            pos, kws = arguments(call)
            if q in ("flask.Flask", "quart.Quart"):
                flask_app = flask_app or call
            if m == "run" and text(kws.get("debug")) == "True" and (framework == "flask" or facts.imported("flask", "flask_socketio")):
                report("py.config.debug", call, "app.run(debug=True) exposes the Werkzeug debugger (remote code execution)", None)
            elif q in ("fastapi.FastAPI", "starlette.applications.Starlette") and text(kws.get("debug")) == "True":
                report("py.config.debug", call, "debug=True returns tracebacks to clients", None)
            elif q in ("werkzeug.serving.run_simple", "werkzeug.run_simple") and text(kws.get("use_debugger")) == "True":
                report("py.config.debug", call, "Werkzeug debugger enabled", None)
            elif q in ("aiohttp.web.Application", "aiohttp.web_app.Application") and text(kws.get("debug")) == "True":
                report("py.config.debug", call, "aiohttp Application(debug=True) runs in debug mode (tracebacks, slow callbacks "
                       "logged): read it from the environment", None)
            if q in ("aiohttp.web.Application", "aiohttp.web_app.Application") and not is_test:
                PyConfigCheck._aiohttp_csrf(kws.get("middlewares"), report)
            elif q.startswith("aiohttp_session") and q.endswith(_AIOHTTP_SESSION_STORAGES) and text(kws.get("httponly")) == "False":
                report("py.config.insecure-cookie", call, "session storage with httponly=False: page scripts (and any XSS) "
                       "read the session cookie", None)
            elif m in ("update", "from_mapping") and text(call.child_by_field_name("function")).endswith("config." + m):
                for k, v in kws.items():
                    if _SECRET_NAMES.match(k) and not is_test:
                        secret, sev = _literal_secret(v)
                        if secret and _CONFIG_OVERRIDE.search(src.text):
                            sev = Severity.LOW  # a development default that the instance config loaded next replaces
                        if secret:
                            report("py.config.secret-key", v, f"{k} is hard-coded: load it from the environment", sev)
                    elif k == "DEBUG" and text(v) == "True":
                        report("py.config.debug", v, "DEBUG=True in app config", None)
                    elif k in _INSECURE_COOKIE_SETTINGS and text(v) == _INSECURE_COOKIE_SETTINGS[k][0]:
                        report("py.config.insecure-cookie", v, f"{k}={text(v)}: session cookies must be Secure and HttpOnly",
                               _INSECURE_COOKIE_SETTINGS[k][1])
                    elif k == "WTF_CSRF_ENABLED" and text(v) == "False":
                        report("py.config.csrf", v, "WTF_CSRF_ENABLED=False turns CSRF protection off", None)
            elif q in ("django.conf.settings.configure",) and "SECRET_KEY" in kws and not is_test:
                secret, sev = _literal_secret(kws["SECRET_KEY"])
                if secret:
                    report("py.config.secret-key", kws["SECRET_KEY"], "SECRET_KEY is hard-coded", sev)
            elif q in ("jwt.encode", "jwt.decode", "jose.jwt.encode", "jose.jwt.decode") and len(pos) > 1 and pos[1].type == "string" and not is_test:
                if (string_value(pos[1]) or "").strip():
                    report("py.config.secret-key", pos[1], "JWT signing key is a literal: load it from the environment", None)
            if "CORSMiddleware" in text(call) and (q.endswith("CORSMiddleware") or m in ("add_middleware",) or q.endswith("Middleware")):
                if pos and text(pos[0]).endswith("CORSMiddleware") or q.endswith("CORSMiddleware"):
                    PyConfigCheck._starlette_cors(call, kws, report)
            elif q in ("flask_cors.CORS", "flask_cors.cross_origin"):
                PyConfigCheck._flask_cors(call, kws, report)
            if m in ("set_cookie", "set_signed_cookie"):
                PyConfigCheck._cookie(call, pos, kws, report)
            if m in ("as_view", "GraphQLView", "GraphQLRouter", "GraphQL") and not is_test:
                PyConfigCheck._graphql_view(kws, report)
        if flask_app is not None and not is_test:
            body = src.text
            if not re.search(r"Talisman|after_request|X-Frame-Options|Content-Security-Policy|secure_headers|flask_talisman", body):
                report("py.config.security-headers", flask_app,
                       "no security headers (CSP, HSTS, X-Frame-Options): add flask-talisman or an after_request hook", Severity.LOW)
            if ("request.form" in body and re.search(r"methods\s*=\s*\[[^\]]*POST", body)
                    and re.search(r"login_user|session\[|current_user", body) and not re.search(r"csrf|CSRF|FlaskForm|wtf", body)):
                report("py.config.csrf", flask_app, "form posts with a login session and no CSRF protection: use Flask-WTF CSRFProtect",
                       Severity.LOW)

    @staticmethod
    def _aiohttp_csrf(middlewares: Node | None, report: Report) -> None:
        """An aiohttp app whose middlewares keep a cookie session and none checks a CSRF token
        (a commented-out one does not count): every form it serves can be posted from
        another site with the user's cookie."""
        if middlewares is None or middlewares.type not in ("list", "tuple"):
            return
        names = [text(c) for c in middlewares.named_children if c.type != "comment"]
        if any(re.search(r"session", n, re.I) for n in names) and not any(re.search(r"csrf|xsrf", n, re.I) for n in names):
            report("py.config.csrf", middlewares, "session middleware with no CSRF middleware: forms posted from another "
                   "site carry the user's session cookie; check a token on state-changing requests", None)

    @staticmethod
    def _graphql_view(kws: dict[str, Node], report: Report) -> None:
        """A GraphQL view (Flask-GraphQL, graphene-django, strawberry, ariadne) serving the
        GraphiQL IDE, or answering errors with their tracebacks, by a literal switch."""
        if text(kws.get("graphiql")) == "True":
            report("py.config.graphiql", kws["graphiql"], "the GraphiQL IDE is served to every visitor: it browses the "
                   "schema and runs any query; turn it on from a development setting only", None)
        if text(kws.get("debug")) == "True" and "schema" in kws:
            report("py.config.graphiql", kws["debug"], "GraphQL errors are answered with tracebacks (debug=True)", None)

    @staticmethod
    def _starlette_cors(call: Node, kws: dict[str, Node], report: Report) -> None:
        origins = _strings(kws.get("allow_origins"))
        regex = string_value(kws.get("allow_origin_regex")) or ""
        if "*" not in origins and not _WILDCARD.match(regex or "x"):
            return
        creds = text(kws.get("allow_credentials")) == "True"
        report("py.config.cors", call, "CORS allows every origin" + (" with credentials: Starlette then echoes any Origin" if creds else ""),
               None if creds else Severity.LOW)

    @staticmethod
    def _flask_cors(call: Node, kws: dict[str, Node], report: Report) -> None:
        origins_node = kws.get("origins") or kws.get("resources")
        origins = _strings(origins_node)
        star = origins_node is None or "*" in origins or any(_WILDCARD.match(o) for o in origins)
        if not star:
            return
        creds = text(kws.get("supports_credentials")) == "True"
        report("py.config.cors", call, "Flask-CORS allows every origin" + (" with credentials: any site can read user data" if creds else ""),
               None if creds else Severity.LOW)

    @staticmethod
    def _cookie(call: Node, pos: list[Node], kws: dict[str, Node], report: Report) -> None:
        """set_cookie (Flask/Werkzeug, Django, Starlette/FastAPI) defaults Secure and HttpOnly
        to off. A session or auth cookie without them is the framework's cookie rule; any
        other cookie is reported under the language rule at low (CWE-614 is about sensitive
        cookies; a preference or cart cookie without flags is a hardening gap)."""
        if any(a.type == "dictionary_splat" for a in call.child_by_field_name("arguments").named_children):  # type: ignore[union-attr]
            return  # flags passed in a mapping we cannot see
        key = string_value(pos[0]) if pos else string_value(kws.get("key"))
        # A flag set from settings or a variable is the project's decision; only an absent
        # flag or a literal false one is reported.
        missing = [flag for flag in ("httponly", "secure") if text(kws.get(flag)) in ("", "False", "None", "0")]
        if not missing:
            return
        if key is not None and _SESSION_COOKIE.search(key):
            report("py.config.insecure-cookie", call, f"cookie {key!r} set without {' and '.join(missing)}=True", None)
            return
        report("py.config.cookie-flags", call,
               f"cookie {key or ''!r} set without {' and '.join(missing)}=True: pass secure=True, httponly=True, samesite='Lax'",
               Severity.LOW)

    @staticmethod
    def _decorators(facts: PyFacts, report: Report) -> None:
        for fn in facts.functions:
            for dec in fn.decorators:
                expr = decorator_call(dec)
                name = text(expr.child_by_field_name("function") if expr is not None and expr.type == "call" else expr)
                if name.endswith("csrf_exempt") or name.endswith("csrf.exempt"):
                    report("py.config.csrf", dec, "view exempted from CSRF protection: keep the check, or use token auth only",
                           Severity.MEDIUM)


CHECKS = [PyConfigCheck()]

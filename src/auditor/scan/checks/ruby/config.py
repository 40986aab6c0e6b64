"""Rails configuration checks: production environment switches, session cookie flags,
hard-coded secret_key_base, Devise initializer strength, rack-cors origins with
credentials, and Devise models without lockout. These are about a few well-known files
and lines, so they work on the text (anchored regexes) rather than the tree.

A hook or editor may hand in one config file under any name, so the kind of file is
read from its content as well as its path: `Rails.application.configure` outside
config/environments/ (application.rb, a pasted production.rb) holds settings that reach
production, and `session_store` is recognised wherever it is called."""

from __future__ import annotations

import re
from collections.abc import Iterable

from auditor.findings import Severity
from auditor.scan.interface import Check, Hit, SourceFile

CONSIDER_LOCAL = re.compile(r"^\s*config\.consider_all_requests_local\s*=\s*true\b", re.M)
FORCE_SSL = re.compile(r"^\s*config\.force_ssl\s*=\s*(true|false)\b", re.M)
FORGERY_OFF = re.compile(r"^\s*config\.action_controller\.allow_forgery_protection\s*=\s*false\b", re.M)
# secret_token is the Rails 2/3 name of the same key (config/initializers/secret_token.rb).
SECRET_KEY_BASE_RB = re.compile(r"(?:secret_key_base|secret_token|cookie_verifier_secret)\s*=\s*(['\"])([^'\"#{}]{16,})\1")
# Routes that reach every public method of every controller by name, for any verb:
# `match ':controller(/:action(/:id))'`, `get ':controller/:action'`, Rails 2 `map.connect`.
DEFAULT_ROUTE = re.compile(r"^\s*(?:match|get|post|put|patch|delete|map\.connect|connect)\b\s*\(?\s*['\"][^'\"\n]*"
                           r":controller\b[^'\"\n]*['\"]|^\s*(?:match|get|post|map\.connect)\b[^\n]*"
                           r"['\"][^'\"\n]*:action\b[^'\"\n]*['\"]", re.M)
# Rails 2: `ActionController::Base.session = { :key => "_app", :secret => "literal" }`.
# Any length: a short literal secret is as public as a long one, and easier to guess.
SESSION_SECRET_HASH = re.compile(r"\bsession\s*=\s*\{[^}]*?(?::secret\s*=>|\bsecret:)\s*(['\"])([^'\"#{}]+)\1", re.S)
# Rails 2 session cookie readable by page scripts: `:session_http_only => false` in that hash.
SESSION_HASH_HTTPONLY_OFF = re.compile(r"\bsession\s*=\s*\{[^}]*?(?P<flag>:session_http_only\s*=>|\bsession_http_only:)\s*false\b", re.S)
# Signed cookies read back with Marshal: whoever learns the secret runs code on the server.
COOKIE_MARSHAL = re.compile(r"^\s*(?:Rails\.application\.)?config\.action_dispatch\.cookies_serializer\s*=\s*:(marshal|hybrid)\b", re.M)
# Serialized columns (and Psych in Rails 7.0.3.1+) read back with YAML.unsafe_load.
YAML_UNSAFE_LOAD = re.compile(r"^\s*(?:Rails\.application\.)?config\.active_record\.use_yaml_unsafe_load\s*=\s*true\b|"
                              r"^\s*ActiveRecord(?:::Base)?\.use_yaml_unsafe_load\s*=\s*true\b", re.M)
# http_basic_authenticate_with name: "admin", password: "literal"
# (either hash syntax), or a constant the file sets to a literal (`password: PASSWORD`).
BASIC_AUTH_LITERAL = re.compile(r"^\s*http_basic_authenticate_with\b[^\n]*(?:\bpassword:|:password\s*=>)\s*"
                                r"(?:(['\"])[^'\"#{}]+\1|(?P<const>[A-Z][A-Z0-9_]*)\b)", re.M)
# authenticate_or_request_with_http_basic do |name, password| ... password == "literal" (or a
# name the file sets to a literal): the block's body, up to its `end`.
BASIC_AUTH_BLOCK = re.compile(r"authenticate_or_request_with_http_basic\b[^\n]*\|\s*\w+\s*,\s*(?P<pw>\w+)\s*\|"
                              r"(?P<body>(?:(?!^\s*end\b).*\n){1,12})", re.M)
# secret_key_base: <literal> (hex or words); `<%= ENV[...] %>` is read at boot, not written here.
# `NAME = "literal"` (a constant or local set once to a fixed string).
LITERAL_ASSIGN = re.compile(r"^\s*([A-Za-z_]\w*)\s*=\s*(['\"])[^'\"#{}\n]+\2\s*$", re.M)
SECRET_KEY_BASE_YML = re.compile(r"^\s*secret_key_base:\s*['\"]?(?!<%)([\w-]{8,})['\"]?\s*$", re.M)
PASSWORD_LENGTH = re.compile(r"^\s*config\.password_length\s*=\s*(\d+)\s*\.\.", re.M)
STRETCHES = re.compile(r"^\s*config\.stretches\s*=\s*(\d+)\s*$", re.M)
DEVISE_MODEL = re.compile(r"^\s*devise\s+:database_authenticatable\b(?:[^\n]*,[ \t]*\n)*[^\n]*", re.M)
# The call and its continuation lines (a line ending in a comma continues; comment lines between).
SESSION_STORE = re.compile(r"\bsession_store\b(?:[^\n]*,[ \t]*(?:#[^\n]*)?\n(?:[ \t]*#[^\n]*\n)*)*[^\n]*")
COOKIE_FLAG_OFF = re.compile(r"\b(secure|httponly|http_only):\s*false\b|:(secure|httponly|http_only)\s*=>\s*false\b")
# Strong parameters switched off for the whole app: every `new(params[:x])` takes any key.
PERMIT_ALL = re.compile(r"\bpermit_all_parameters\s*=\s*true\b")
# A constant whose name says it holds a password or secret, set to a literal string
# (`DEFAULT_PASSWORD = "..."`, also inside a literal: `STUFF = [ADMIN_PASSWORD = "..."]`).
PASSWORD_CONSTANT = re.compile(
    r"\b(?P<name>(?:[A-Z][A-Z0-9]*_)*(?:PASSWORD|PASSWD|PASSPHRASE|SECRET|SECRET_KEY|API_KEY|PRIVATE_KEY))"
    r"\s*=\s*(?P<q>['\"])(?P<value>[^'\"#{}\\\s]{4,})(?P=q)")
# Values that name a field, a route or a placeholder rather than being one.
PLACEHOLDER = re.compile(r"^(?:password|passwd|secret|changeme|change_me|xxx+|\*+|todo|none|null|\w*_(?:key|field|param))$|^/", re.I)
# A JWT signed or checked with a key written in the code: anyone who reads it forges tokens.
JWT_LITERAL_KEY = re.compile(r"\bJWT\.(?:encode|decode)\s*\(?[^,\n]+,\s*(['\"])[^'\"#{}\n]{3,}\1")
# A controller that shows Rails' debug error pages to every visitor.
DETAILED_EXCEPTIONS = re.compile(
    r"^\s*def\s+show_detailed_exceptions\?\s*(?:\(\s*\))?\s*(?:=\s*true\b|(?:;|\n)\s*true\s*(?:;|\n)\s*end\b)", re.M)
# JSON output without its HTML escaping: `<%= raw @x.to_json %>` in a script tag closes it.
JSON_ESCAPE_OFF = re.compile(r"\bescape_html_entities_in_json\s*=\s*false\b")
APP_CONFIG = re.compile(r"Rails\.application\.configure\b|<\s*Rails::Application\b")
CORS_ALLOW = re.compile(r"\ballow\s+do\b(.*?)\n\s*end\b", re.S)
CORS_ANY_ORIGIN = re.compile(r"origins\s*(?:\(\s*)?(?:['\"]\*['\"]|/\.\*/|/\.\+/|\{\s*\|[^|]*\|\s*true\s*\}|do\s*\|[^|]*\|\s*true\s*end)")
CORS_REFLECT = re.compile(r"origins\s*(?:\{|do)\s*\|\s*(\w+)[^|]*\|\s*\1\s*(?:\}|end)")


def _line(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _matches(t: str, detector: str, pattern: re.Pattern[str], message: str) -> list[Hit]:
    """One hit per match of `pattern` in `t`, at the match's line."""
    return [Hit(detector, _line(t, m.start()), 1, 0, message) for m in pattern.finditer(t)]


def _production(path: str) -> bool:
    return path.endswith("config/environments/production.rb") or path == "production.rb"


def _non_production(path: str) -> bool:
    """An environment file known to be for development, test or another non-production env."""
    name = path.rsplit("/", 1)[-1]
    return ("/environments/" in f"/{path}" and name != "production.rb") or name in ("development.rb", "test.rb")


def _test_code(path: str) -> bool:
    """Tests, specs, fixtures and seeds: sample passwords there protect nothing."""
    p = f"/{path}"
    return any(d in p for d in ("/test/", "/spec/", "/features/", "/fixtures/", "/db/seeds")) \
        or p.endswith(("_spec.rb", "_test.rb", "seeds.rb"))


class RailsConfigCheck(Check):
    languages = frozenset({"ruby", "yaml"})
    detectors = ("rb.config.debug", "rb.config.force-ssl", "rb.config.csrf", "rb.config.secret-key-base",
                 "rb.config.devise", "rb.config.devise-lockable", "rb.config.cors", "rb.config.session-cookie", "rb.config.default-routes",
                 "rb.config.basic-auth-password", "rb.config.cookie-marshal", "rb.config.permit-all-parameters",
                 "rb.config.password-constant", "rb.config.json-escape-off", "rb.config.jwt-literal-key",
                 "rb.config.yaml-unsafe-load")

    def run(self, src: SourceFile) -> Iterable[Hit]:
        t = src.text
        hits: list[Hit] = []
        if src.language == "yaml":
            if "secret_key_base" in t and src.path.endswith(("secrets.yml", "secrets.yaml")):
                hits.extend(Hit("rb.config.secret-key-base", _line(t, m.start()), 1, 0,
                                "secret_key_base is written in the repository: read it from credentials or ENV")
                            for m in SECRET_KEY_BASE_YML.finditer(t))
            return hits
        if _production(src.path):
            for m in CONSIDER_LOCAL.finditer(t):
                hits.append(Hit("rb.config.debug", _line(t, m.start()), 1, 0,
                                "Production shows full error pages with stack traces to every visitor"))
            ssl = list(FORCE_SSL.finditer(t))
            for m in ssl:
                if m.group(1) == "false":
                    hits.append(Hit("rb.config.force-ssl", _line(t, m.start()), 1, 0,
                                    "force_ssl is off in production: cookies and sessions travel over plain HTTP"))
            if not ssl and "configure" in t:
                hits.append(Hit("rb.config.force-ssl", _line(t, t.find("configure")), 1, 0,
                                "Production does not set `config.force_ssl = true` (HSTS, secure cookies, redirect)"))
        elif not _non_production(src.path) and "config." in t and APP_CONFIG.search(t):
            hits.extend(self._app_config(t))
        if "session_store" in t:
            hits.extend(self._session_store(t))
        if "allow_forgery_protection" in t and "/environments/test" not in src.path:
            hits.extend(_matches(t, "rb.config.csrf", FORGERY_OFF, "CSRF protection is disabled in configuration"))
        if src.path.endswith("config/routes.rb") or src.path == "routes.rb":
            hits.extend(_matches(t, "rb.config.default-routes", DEFAULT_ROUTE,
                                 "Catch-all route: every public controller method answers any verb (GET skips CSRF); "
                                 "declare each route with `resources`/`get`/`post`"))
        if "cookies_serializer" in t:
            hits.extend(Hit("rb.config.cookie-marshal", _line(t, m.start()), 1, 0,
                            f"Cookies serialized with :{m.group(1)}: a leaked secret_key_base becomes remote code "
                            "execution through Marshal.load; use :json", severity=Severity.MEDIUM)
                        for m in COOKIE_MARSHAL.finditer(t))
        if "yaml_unsafe_load" in t:
            hits.extend(Hit("rb.config.yaml-unsafe-load", _line(t, m.start()), 1, 0,
                            "Serialized YAML columns are loaded with YAML.unsafe_load: any row an attacker can "
                            "write builds arbitrary objects; list the classes in yaml_column_permitted_classes",
                            severity=Severity.MEDIUM)
                        for m in YAML_UNSAFE_LOAD.finditer(t))
        if "session_http_only" in t:
            hits.extend(Hit("rb.config.session-cookie", _line(t, m.start("flag")), 1, 0,
                            "Session cookie without HttpOnly: any injected script reads the session")
                        for m in SESSION_HASH_HTTPONLY_OFF.finditer(t))
        if "secret" in t and "session" in t:
            hits.extend(Hit("rb.config.secret-key-base", _line(t, m.start(2)), 1, 0,
                            "Session secret written in the code: anyone with the code can forge sessions")
                        for m in SESSION_SECRET_HASH.finditer(t))
        if "http_basic" in t:
            hits.extend(self._basic_auth(t))
        if "secret_key_base" in t or "secret_token" in t or "cookie_verifier_secret" in t:
            hits.extend(_matches(t, "rb.config.secret-key-base", SECRET_KEY_BASE_RB,
                                 "secret_key_base is a literal: anyone with the code can forge sessions and signed cookies"))
        if "Devise.setup" in t:
            hits.extend(self._devise(t))
        if "devise" in t and ":database_authenticatable" in t and "/models/" in f"/{src.path}":
            for m in DEVISE_MODEL.finditer(t):
                if ":lockable" not in m.group(0):
                    hits.append(Hit("rb.config.devise-lockable", _line(t, m.start()), 1, 0,
                                    "Devise model without :lockable: add it (and throttle logins) against password guessing",
                                    severity=Severity.LOW))
        if "origins" in t and "credentials" in t:
            hits.extend(self._cors(t))
        if "escape_html_entities_in_json" in t and not _non_production(src.path):
            hits.extend(_matches(t, "rb.config.json-escape-off", JSON_ESCAPE_OFF,
                                 "HTML entities in JSON are not escaped: a `</script>` in any value printed with "
                                 "`to_json` in a view ends the script tag; leave escape_html_entities_in_json on"))
        if "JWT." in t and not _test_code(src.path):
            hits.extend(_matches(t, "rb.config.jwt-literal-key", JWT_LITERAL_KEY,
                                 "JWT key written in the code: anyone with the code forges tokens; read it from credentials"))
        if "show_detailed_exceptions?" in t:
            hits.extend(_matches(t, "rb.config.debug", DETAILED_EXCEPTIONS,
                                 "show_detailed_exceptions? returns true: every visitor gets debug error pages with "
                                 "stack traces and code"))
        if "permit_all_parameters" in t and not _non_production(src.path):
            hits.extend(_matches(t, "rb.config.permit-all-parameters", PERMIT_ALL,
                                 "`permit_all_parameters = true` turns strong parameters off: every attribute of every "
                                 "params hash can be mass-assigned"))
        if any(w in t for w in ("PASSWORD", "PASSWD", "PASSPHRASE", "SECRET", "_KEY")) and not _test_code(src.path):
            hits.extend(Hit("rb.config.password-constant", _line(t, m.start("name")), 1, 0,
                            f"{m.group('name')} is a password written in the code: read it from credentials or ENV")
                        for m in PASSWORD_CONSTANT.finditer(t)
                        if not PLACEHOLDER.search(m.group("value")) and m.group("value").lower() != m.group("name").lower())
        return hits

    def _app_config(self, t: str) -> Iterable[Hit]:
        """Application config of unknown environment (application.rb, an initializer, a file
        handed in alone): settings written out explicitly still reach production unless an
        environment file overrides them, so the insecure ones are reported; debug pages,
        normal in development.rb, only at low severity."""
        for m in FORCE_SSL.finditer(t):
            if m.group(1) == "false":
                yield Hit("rb.config.force-ssl", _line(t, m.start()), 1, 0,
                          "force_ssl is turned off: in production cookies and sessions travel over plain HTTP; "
                          "set it only in config/environments/production.rb, to true")
        for m in CONSIDER_LOCAL.finditer(t):
            yield Hit("rb.config.debug", _line(t, m.start()), 1, 0,
                      "Full error pages for every visitor: keep this to config/environments/development.rb",
                      severity=Severity.LOW)

    @staticmethod
    def _basic_auth(t: str) -> list[Hit]:
        """HTTP basic auth checked against a password written in the code."""
        literal = {m.group(1) for m in LITERAL_ASSIGN.finditer(t)}
        found = [m.start() for m in BASIC_AUTH_LITERAL.finditer(t) if not m.group("const") or m.group("const") in literal]
        value = r"(?P<v>'[^'#]*'|\"[^\"#]*\"|[A-Za-z_]\w*)"
        for m in BASIC_AUTH_BLOCK.finditer(t):
            pw = re.escape(m.group("pw"))
            for side in (rf"\b{pw}\s*==\s*{value}", rf"{value}\s*==\s*{pw}\b"):
                for c in re.finditer(side, m.group("body")):
                    v = c.group("v")
                    if v[0] in "'\"" or v in literal:
                        found.append(m.start("body") + c.start())
        return [Hit("rb.config.basic-auth-password", _line(t, pos), 1, 0,
                    "HTTP basic-auth password written in the code: read it from credentials or ENV") for pos in found]

    def _session_store(self, t: str) -> Iterable[Hit]:
        for store in SESSION_STORE.finditer(t):
            for m in COOKIE_FLAG_OFF.finditer(store.group(0)):
                flag = m.group(1) or m.group(2)
                yield Hit("rb.config.session-cookie", _line(t, store.start() + m.start()), 1, 0,
                          f"Session cookie with `{flag}: false`: "
                          + ("it is sent over plain HTTP; use `secure: Rails.env.production?` or force_ssl"
                             if flag == "secure" else "page scripts can read it (XSS steals the session); drop the option"))

    def _devise(self, t: str) -> Iterable[Hit]:
        for m in PASSWORD_LENGTH.finditer(t):
            if int(m.group(1)) < 8:
                yield Hit("rb.config.devise", _line(t, m.start()), 1, 0,
                          f"Devise accepts {m.group(1)}-character passwords: require at least 12 (`password_length = 12..128`)")
        for m in STRETCHES.finditer(t):
            if int(m.group(1)) < 10:
                yield Hit("rb.config.devise", _line(t, m.start()), 1, 0,
                          "bcrypt cost below 10 outside tests: keep `Rails.env.test? ? 1 : 12`")

    def _cors(self, t: str) -> Iterable[Hit]:
        for block in CORS_ALLOW.finditer(t):
            body = block.group(1)
            if not re.search(r"credentials:\s*true", body):
                continue
            m = CORS_ANY_ORIGIN.search(body) or CORS_REFLECT.search(body)
            if m:
                yield Hit("rb.config.cors", _line(t, block.start(1) + m.start()), 1, 0,
                          "CORS allows any origin with credentials: list the trusted origins explicitly")


CHECKS = [RailsConfigCheck()]

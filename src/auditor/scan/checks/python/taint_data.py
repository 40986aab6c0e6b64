"""Sources, sinks, sanitizers and propagators for Python web code, as data.

Names are dotted after import resolution (`from flask import redirect` makes `redirect`
read `flask.redirect`); `.name` entries match a method on any receiver. Adding a library
is adding rows here, not code.
"""

from __future__ import annotations

from dataclasses import dataclass

# Taint kinds: one per sink family. A value from the request carries all of them; a
# sanitizer removes the ones it defends against (int() removes all, shlex.quote "command").
ALL_KINDS: frozenset[str] = frozenset(
    {"sql", "nosql", "command", "code", "ssti", "path", "ssrf", "redirect", "xss", "deser", "xxe", "mass",
     "xpath", "ldap", "trust", "prompt"}
)
# Scalar request values (query string, form fields, path parts) cannot carry Mongo
# operators; JSON bodies can. "mass" (a whole mapping of fields) is dropped when one
# field is picked out of a form (subscript, .get), kept when picked out of JSON.
SCALAR_KINDS: frozenset[str] = ALL_KINDS - {"nosql"}
# One value (a path part, a typed parameter): neither operators nor a mapping of fields.
FIELD_KINDS: frozenset[str] = SCALAR_KINDS - {"mass"}
# A public API parameter in library mode: any value the caller passes. Storing it in a session
# (a web app's trust boundary) and sending it to an LLM are the caller's business, not flaws.
LIBRARY_KINDS: frozenset[str] = FIELD_KINDS - {"trust", "prompt"}

DETECTORS: dict[str, str] = {
    "sql": "py.taint.sql",
    "nosql": "py.taint.nosql",
    "command": "py.taint.command",
    "code": "py.taint.code",
    "ssti": "py.taint.ssti",
    "path": "py.taint.path",
    "ssrf": "py.taint.ssrf",
    "redirect": "py.taint.redirect",
    "xss": "py.taint.xss",
    "deser": "py.taint.deserialization",
    "xxe": "py.taint.xxe",
    "mass": "py.taint.mass-assignment",
    "xpath": "py.taint.xpath",
    "ldap": "py.taint.ldap",
    "trust": "py.taint.trust-boundary",
    "prompt": "py.taint.prompt",
}

# -- sources ---------------------------------------------------------------------------
# Names that hold the request object (plus parameters annotated Request/HttpRequest).
REQUEST_NAMES: frozenset[str] = frozenset({"request", "req"})
REQUEST_TYPES: frozenset[str] = frozenset({"Request", "HttpRequest", "WSGIRequest", "ASGIRequest"})
# request.<attr>: scalar-valued request data (Flask, Django, DRF, Starlette).
SCALAR_ATTRS: frozenset[str] = frozenset(
    {"args", "form", "values", "cookies", "headers", "files", "GET", "POST", "COOKIES", "META", "FILES",
     "query_params", "path_params", "query_string", "view_args", "environ", "body", "stream", "referrer",
     "data_raw", "raw_post_data",
     # the requested URL and path: the client writes them (`/x?<script>`, `//evil.example`)
     "url", "full_path", "path", "base_url", "path_info",
     # aiohttp (`request.match_info`, `request.query`, `request.rel_url`) and Bottle
     # (`request.query`, `request.forms`, `request.params`, `request.fullpath`)
     "match_info", "query", "rel_url", "raw_path", "forms", "params", "fullpath"}
)
# request.<attr> holding parsed JSON (may be any object: dicts with $operators, extra fields).
JSON_ATTRS: frozenset[str] = frozenset({"json", "data"})
# request.<method>(): Flask get_json/get_data, Starlette json()/form()/body(), aiohttp json()/post().
JSON_METHODS: frozenset[str] = frozenset({"get_json", "json"})
SCALAR_METHODS: frozenset[str] = frozenset({"get_data", "form", "body", "stream", "get_full_path", "get_full_path_info",
                                            "build_absolute_uri",
                                            # aiohttp: `await request.post()` (the form), text(), read(),
                                            # multipart(); Bottle: get_cookie(), get_header()
                                            "post", "text", "read", "multipart", "get_cookie", "get_header"})
# The standard library's request handlers (http.server; the classes are frameworks.STDLIB_HANDLER_BASES): `self.path`
# (the request target with its query string), `self.headers`, `self.rfile` (the body) and the
# request line are the client's; `self.wfile.write(...)` is the response body.
STDLIB_HANDLER_ATTRS: frozenset[str] = frozenset({"path", "headers", "rfile", "requestline", "raw_requestline"})
# FastAPI parameter annotations that FastAPI converts (no string reaches the handler).
SAFE_ANNOTATIONS: frozenset[str] = frozenset(
    {"int", "float", "bool", "UUID", "uuid.UUID", "datetime", "date", "time", "Decimal", "PositiveInt",
     "conint", "NonNegativeInt", "timedelta"}
)
# FastAPI parameter annotations that are not request data at all.
NON_DATA_ANNOTATIONS: frozenset[str] = frozenset(
    {"Session", "AsyncSession", "Response", "BackgroundTasks", "WebSocket", "HTTPConnection",
     "SecurityScopes", "HTTPAuthorizationCredentials", "OAuth2PasswordRequestForm", "Connection"}
)
RAW_DICT_ANNOTATIONS: frozenset[str] = frozenset({"dict", "Dict", "Any", "object", "Json", "JSON"})
SAFE_FLASK_CONVERTERS: frozenset[str] = frozenset({"int", "float", "uuid"})

# -- sinks -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Sink:
    """A call whose argument(s) must not carry taint of `kind`.

    `args` are positional indexes checked, `keywords` keyword names checked; `requires`
    keyword=literal pairs that must be present (shell=True); `receiver` checks the object
    a method is called on (Path(user).read_text()). `weak_severity` reports values built
    from plain function parameters (no request source) at that severity, when the value
    is built by string formatting; None ignores them. `untainted_severity` reports even
    untainted non-literal arguments (pickle: dangerous whatever the source)."""

    kind: str
    names: frozenset[str] = frozenset()
    methods: frozenset[str] = frozenset()
    args: tuple[int, ...] = (0,)
    keywords: tuple[str, ...] = ()
    requires: tuple[tuple[str, str], ...] = ()
    receiver: bool = False
    weak_severity: str | None = None
    untainted_severity: str | None = None
    message: str = ""
    severity: str | None = None  # the hit's severity when not the rule's own (a lesser flaw of its family)


_HTTP_VERBS = ("get", "post", "put", "patch", "delete", "head", "options")
# Outbound HTTP clients: a sink for their URL (SSRF), and, when request data chose that URL,
# a source: the answer is whatever the attacker's server sends (remote file inclusion).
HTTP_FETCHES: frozenset[str] = frozenset(
    {f"requests.{v}" for v in (*_HTTP_VERBS, "request")} | {f"httpx.{v}" for v in (*_HTTP_VERBS, "request", "stream")}
    | {"urllib.request.urlopen", "urllib.request.urlretrieve", "urllib3.request", "aiohttp.request"})

SINKS: tuple[Sink, ...] = (
    Sink("sql", methods=frozenset({"execute", "executemany", "executescript", "mogrify", "raw", "fetch", "fetchrow",
                                   "fetchval", "exec_driver_sql", "text"}),
         keywords=("sql", "query", "raw_query", "statement"), weak_severity="medium",
         message="SQL text built from request data: pass values as bound parameters"),
    Sink("sql", names=frozenset({"sqlalchemy.text", "sqlalchemy.sql.text", "sqlalchemy.sql.expression.text",
                                 "sqlmodel.text", "django.db.models.expressions.RawSQL", "django.db.models.RawSQL",
                                 "pandas.read_sql", "pandas.read_sql_query", "psycopg2.sql.SQL", "psycopg.sql.SQL"}),
         weak_severity="medium", message="SQL text built from request data: use bound parameters"),
    Sink("sql", methods=frozenset({"extra"}), args=(), keywords=("where", "select", "tables", "order_by"),
         message="QuerySet.extra() with request data: use filter() or RawSQL with params"),
    Sink("command", names=frozenset({"os.system", "os.popen", "subprocess.getoutput", "subprocess.getstatusoutput",
                                     "commands.getoutput", "asyncio.create_subprocess_shell", "pty.spawn"}),
         weak_severity="medium", message="Shell command built from request data"),
    Sink("command", names=frozenset({"subprocess.run", "subprocess.call", "subprocess.check_call",
                                     "subprocess.check_output", "subprocess.Popen"}),
         keywords=("args",), requires=(("shell", "True"),), weak_severity="medium",
         message="shell=True with a command built from request data"),
    Sink("command", names=frozenset({"subprocess.run", "subprocess.call", "subprocess.check_call",
                                     "subprocess.check_output", "subprocess.Popen", "asyncio.create_subprocess_exec",
                                     "os.execv", "os.execvp", "os.spawnv", "os.spawnvp"}),
         message="program or shell script chosen by request data"),
    Sink("code", names=frozenset({"eval", "exec", "compile", "builtins.eval", "builtins.exec"}), weak_severity="medium",
         message="eval/exec of request data runs attacker code"),
    Sink("code", names=frozenset({"importlib.import_module", "__import__"}),
         message="module chosen by request data"),
    Sink("ssti", names=frozenset({"flask.render_template_string", "quart.render_template_string", "jinja2.Template",
                                  "django.template.Template", "mako.template.Template", "jinja2.Environment.from_string"}),
         keywords=("source",), message="template source built from request data (server-side template injection)"),
    Sink("ssti", methods=frozenset({"from_string"}), message="template source built from request data"),
    # Bottle's template() compiles its first argument as template source when it looks like one
    # (a newline, `{{`, `%`): a page built from request text is code the server runs.
    Sink("ssti", names=frozenset({"bottle.template", "bottle.SimpleTemplate", "bottle.jinja2_template",
                                  "bottle.mako_template"}),
         keywords=("source",), message="template source built from request data (server-side template injection)"),
    Sink("path", names=frozenset({"open", "io.open", "codecs.open", "aiofiles.open", "os.open", "os.remove",
                                  "os.unlink", "os.rmdir", "os.removedirs", "os.listdir", "os.scandir", "os.makedirs",
                                  "os.mkdir", "os.rename", "os.replace", "shutil.rmtree", "shutil.copy",
                                  "shutil.copyfile", "shutil.copy2", "shutil.move", "flask.send_file",
                                  "quart.send_file", "starlette.responses.FileResponse",
                                  "fastapi.responses.FileResponse", "fastapi.FileResponse", "werkzeug.utils.send_file",
                                  "django.http.FileResponse", "zipfile.ZipFile", "tarfile.open"}),
         keywords=("file", "path", "path_or_file", "filename", "name"),
         message="file path from request data: keep it inside a base folder"),
    Sink("path", methods=frozenset({"read_text", "read_bytes", "write_text", "write_bytes", "unlink", "rmdir",
                                    "open", "iterdir", "mkdir", "touch"}), receiver=True,
         message="file path from request data: keep it inside a base folder"),
    Sink("path", methods=frozenset({"save"}), keywords=("dst",), message="upload saved under a name from the request"),
    # Existence and metadata probes read no content but answer whether any path on the
    # server exists (and its size, owner, times): a file-system oracle outside the folder.
    Sink("path", names=frozenset({"os.path.exists", "os.path.lexists", "os.path.isfile", "os.path.isdir",
                                  "os.path.getsize", "os.path.getmtime", "os.stat", "os.lstat", "os.access"}),
         severity="low", message="existence/metadata probe of a path from request data: keep it inside a base folder"),
    Sink("path", methods=frozenset({"exists", "is_file", "is_dir", "stat", "lstat"}), receiver=True, severity="low",
         message="existence/metadata probe of a path from request data: keep it inside a base folder"),
    # Flask's app/blueprint resource readers open a path relative to the package folder.
    Sink("path", methods=frozenset({"open_resource", "open_instance_resource"}), keywords=("resource",),
         message="file path from request data: keep it inside a base folder"),
    Sink("ssrf", methods=frozenset({"goto"}), keywords=("url",),
         message="headless browser sent to a URL from request data: it reaches internal services and file:// URLs"),
    Sink("ssrf", names=HTTP_FETCHES | {"urllib.request.Request"},
         args=(0, 1), keywords=("url",), message="outbound request to a URL from request data (SSRF)"),
    Sink("redirect", names=frozenset({"flask.redirect", "quart.redirect", "werkzeug.utils.redirect",
                                      "django.shortcuts.redirect", "django.http.HttpResponseRedirect",
                                      "django.http.HttpResponsePermanentRedirect", "django.http.response.HttpResponseRedirect",
                                      "starlette.responses.RedirectResponse", "fastapi.responses.RedirectResponse",
                                      "fastapi.RedirectResponse"}),
         keywords=("location", "url", "to", "redirect_to"), message="redirect to a URL from request data"),
    Sink("xss", names=frozenset({"django.http.HttpResponse", "django.http.response.HttpResponse", "flask.make_response",
                                 "flask.Response", "werkzeug.Response", "werkzeug.wrappers.Response",
                                 "starlette.responses.HTMLResponse", "fastapi.responses.HTMLResponse"}),
         keywords=("content", "response"), message="HTML response built from request data without escaping"),
    Sink("deser", names=frozenset({"pickle.loads", "pickle.load", "pickle.Unpickler", "cPickle.loads", "_pickle.loads",
                                   "marshal.loads", "marshal.load", "shelve.open", "dill.loads", "dill.load",
                                   "jsonpickle.decode", "pandas.read_pickle", "joblib.load", "yaml.unsafe_load",
                                   "yaml.unsafe_load_all"}),
         untainted_severity="low", message="deserializing data that can come from the client runs its code"),
    Sink("xxe", names=frozenset({"lxml.etree.fromstring", "lxml.etree.XML", "lxml.etree.parse", "lxml.etree.iterparse",
                                 "xml.etree.ElementTree.fromstring", "xml.etree.ElementTree.parse",
                                 "xml.etree.ElementTree.XML", "xml.dom.minidom.parseString", "xml.dom.minidom.parse",
                                 "xml.sax.parseString", "xml.sax.parse", "xml.dom.pulldom.parseString"}),
         message="XML from the request parsed without defusedxml"),
)

# XPath: lxml's xpath()/XPath()/ETXPath() take a whole expression (any request text in it
# is injection); ElementTree's find*/iterfind take a path and are judged only when the path
# is built by formatting (`find` is also str.find and a Mongo method).
XPATH_EXPRESSION_METHODS: frozenset[str] = frozenset({"xpath", "evaluate"})
# Calls taking an XPath expression -> the position of the expression (elementpath's
# select(root, path) takes the document first; XPathEvaluator(doc) takes none: its calls do).
XPATH_EXPRESSION_NAMES: dict[str, int] = {"lxml.etree.XPath": 0, "lxml.etree.ETXPath": 0, "elementpath.select": 1,
                                          "elementpath.iter_select": 1, "elementpath.Selector": 0}
XPATH_PATH_METHODS: frozenset[str] = frozenset({"find", "findall", "iterfind", "findtext"})
# LDAP searches: method -> index of the filter argument, keyword names of the filter.
# ldap3: conn.search(search_base, search_filter, ...); python-ldap: l.search_s(base, scope, filterstr).
LDAP_FILTER_ARGS: dict[str, int] = {"search": 1, "search_s": 2, "search_st": 2, "search_ext": 2, "search_ext_s": 2,
                                    "paged_search": 1, "search_paged": 1}
LDAP_FILTER_KEYWORDS: tuple[str, ...] = ("search_filter", "filterstr")
# Receivers whose .search() is not a directory search.
NOT_LDAP_RECEIVERS: frozenset[str] = frozenset({"re", "regex", "pattern", "es", "elasticsearch", "client.search"})
# Objects that hold the server-side session: storing request data in them makes it look
# trusted to every later request (trust boundary violation, CWE-501).
SESSION_OBJECTS: frozenset[str] = frozenset({"session", "flask.session", "request.session", "self.request.session",
                                             "req.session", "quart.session"})
# LLM calls: receivers whose .create() sends a prompt (OpenAI chat/responses, Anthropic
# messages), the keywords holding the system prompt, and message classes for the system role.
LLM_RECEIVERS: tuple[str, ...] = ("completions", "messages", "responses", "chat")
LLM_SYSTEM_KEYWORDS: tuple[str, ...] = ("system", "instructions", "system_prompt", "system_message")
LLM_SYSTEM_MESSAGES: tuple[str, ...] = ("SystemMessage", "SystemMessagePromptTemplate.from_template")

# Methods that put their arguments into the receiver (containers and string builders).
CONTAINER_ADDERS: frozenset[str] = frozenset({"append", "extend", "insert", "add", "update", "appendleft",
                                              "extendleft", "write", "writelines", "setdefault", "push", "put",
                                              "put_nowait", "set", "read_string", "read_dict"})

# Response classes that are HTML only when told so (Starlette/FastAPI Response(media_type=...)).
HTML_MEDIA_RESPONSES: frozenset[str] = frozenset({"starlette.responses.Response", "fastapi.Response",
                                                   "fastapi.responses.Response"})
# Mongo collection methods whose first argument is a filter or pipeline.
MONGO_METHODS: frozenset[str] = frozenset(
    {"find", "find_one", "find_one_and_update", "find_one_and_delete", "find_one_and_replace", "update_one",
     "update_many", "delete_one", "delete_many", "count_documents", "aggregate", "replace_one", "distinct"}
)
# Constructors of HTTP clients whose .get/.post/... are SSRF sinks.
HTTP_CLIENTS: frozenset[str] = frozenset(
    {"requests.Session", "requests.session", "httpx.Client", "httpx.AsyncClient", "aiohttp.ClientSession",
     "urllib3.PoolManager"}
)
CLIENT_METHODS: frozenset[str] = frozenset({*_HTTP_VERBS, "request", "stream", "urlopen"})

# -- sanitizers and propagators ---------------------------------------------------------
# call -> kinds it defends against.
SANITIZERS: dict[str, frozenset[str]] = {
    **{n: ALL_KINDS for n in ("int", "float", "bool", "len", "abs", "round", "uuid.UUID", "UUID", "decimal.Decimal",
                              "Decimal", "bson.ObjectId", "bson.objectid.ObjectId", "ObjectId", "datetime.fromisoformat",
                              "hash", "isinstance", "ord", "hmac.compare_digest", "secrets.compare_digest")},
    **{n: frozenset({"path"}) for n in ("werkzeug.utils.secure_filename", "werkzeug.secure_filename",
                                        "secure_filename", "os.path.basename", "posixpath.basename",
                                        "werkzeug.utils.safe_join", "werkzeug.security.safe_join", "flask.safe_join",
                                        "safe_join", "django.utils._os.safe_join", "get_valid_filename",
                                        "django.utils.text.get_valid_filename")},
    **{n: frozenset({"xss"}) for n in ("html.escape", "markupsafe.escape", "flask.escape", "jinja2.escape",
                                       "django.utils.html.escape", "django.utils.html.conditional_escape",
                                       "django.utils.html.format_html", "django.utils.html.strip_tags",
                                       "django.utils.html.urlize", "bleach.clean", "nh3.clean", "escape",
                                       "markupsafe.Markup.escape")},
    **{n: frozenset({"command"}) for n in ("shlex.quote", "pipes.quote", "shlex.join")},
    **{n: frozenset({"sql"}) for n in ("psycopg2.sql.Identifier", "psycopg.sql.Identifier", "psycopg2.sql.Literal",
                                       "psycopg.sql.Literal", "sqlalchemy.bindparam", "sqlalchemy.literal")},
    **{n: frozenset({"nosql", "mass"}) for n in ("str", "re.escape")},
    **{n: frozenset({"ldap"}) for n in ("ldap3.utils.conv.escape_filter_chars", "ldap.filter.escape_filter_chars",
                                        "ldap.filter.filter_format", "ldap.dn.escape_dn_chars",
                                        "ldap3.utils.dn.escape_rdn", "escape_filter_chars")},
}
# calls whose result carries the taint of their arguments.
PROPAGATORS: frozenset[str] = frozenset(
    {"os.path.join", "posixpath.join", "ntpath.join", "pathlib.Path", "Path", "pathlib.PurePath", "PurePath",
     "urllib.parse.urljoin", "urljoin", "str", "bytes", "dict", "list", "tuple", "set", "sorted", "reversed",
     "base64.b64decode", "base64.urlsafe_b64decode", "base64.b64encode", "binascii.unhexlify", "bytes.fromhex",
     "codecs.decode", "urllib.parse.unquote", "urllib.parse.unquote_plus", "unquote", "os.path.realpath",
     "os.path.abspath", "os.path.normpath", "os.path.expanduser", "os.fspath", "io.BytesIO", "io.StringIO",
     "zlib.decompress", "gzip.decompress", "shlex.split", "next", "iter", "map", "filter", "min", "max",
     "urllib.parse.urlparse", "urlparse", "urllib.parse.urlsplit", "urllib.parse.parse_qs", "urllib.parse.parse_qsl",
     "parse_qs", "parse_qsl", "format", "textwrap.dedent", "sqlalchemy.text"}
)
# `re` functions whose result is (made of) their subject text: re.sub's subject and replacement,
# the others' subject. A match object carries the text it matched (`m.group(1)`).
RE_TEXT_FUNCTIONS: dict[str, tuple[int, ...]] = {
    "re.sub": (1, 2), "re.subn": (1, 2), "re.findall": (1,), "re.finditer": (1,), "re.split": (1,),
    "re.search": (1,), "re.match": (1,), "re.fullmatch": (1,)}
# calls that turn text into arbitrary objects: the result can hold $operators or extra fields.
JSON_PARSERS: frozenset[str] = frozenset({"json.loads", "orjson.loads", "ujson.loads", "simplejson.loads",
                                          "flask.json.loads", "json.load"})
# methods whose result carries no attacker text (booleans, counts).
BOOLEAN_METHODS: frozenset[str] = frozenset(
    {"isdigit", "isdecimal", "isnumeric", "isalnum", "isalpha", "isidentifier", "isascii", "startswith", "endswith",
     "count", "find", "rfind", "index", "exists", "is_file", "is_dir", "is_relative_to", "is_valid", "__len__"}
)
# methods whose result is still the client's text (accessors, case and whitespace, codecs).
TEXT_METHODS: frozenset[str] = frozenset(
    {"get", "getlist", "pop", "strip", "lstrip", "rstrip", "lower", "upper", "title", "capitalize", "casefold",
     "decode", "encode", "split", "rsplit", "splitlines", "partition", "rpartition", "replace", "removeprefix",
     "removesuffix", "dict", "items", "values", "keys", "copy", "read", "readline", "readlines", "getvalue",
     "model_dump", "to_dict", "json"})
# methods that build a string from their arguments even on a constant receiver.
BUILDING_METHODS: frozenset[str] = frozenset({"join", "format", "format_map", "replace", "__add__", "__mod__"})
# conditions that validate a value (the value is clean after `if not check(v): abort`).
VALIDATORS_ALL: frozenset[str] = frozenset({"isdigit", "isdecimal", "isnumeric", "isalnum", "isalpha",
                                            "isidentifier", "fullmatch", "match"})
VALIDATORS_REDIRECT: frozenset[str] = frozenset({"url_has_allowed_host_and_scheme", "is_safe_url", "is_safe_redirect_url",
                                                 "is_safe_redirect", "_is_safe_url", "safe_url"})
# Name prefixes (after leading underscores) of project helpers that answer "may we send the
# user, or a request, there?" (is_safe_next, is_allowed_host, is_trusted_origin): the value
# they test is clean for redirects and outbound requests.
VALIDATOR_PREFIXES_URL: tuple[str, ...] = ("is_safe", "is_allowed", "is_trusted", "is_whitelisted", "is_permitted",
                                           "is_local_url", "is_relative_url", "is_internal_url", "is_same_origin",
                                           "is_same_host")
# A helper defined in the file whose body tests the address class of a host (resolved or
# literal) is an SSRF guard whatever its name (`resolves_to_public_ip`, `check_url`).
ADDRESS_CLASS_TESTS: tuple[str, ...] = (".is_global", ".is_private", ".is_loopback", ".is_link_local", ".is_reserved")
VALIDATORS_PATH: frozenset[str] = frozenset({"startswith", "is_relative_to", "commonpath", "commonprefix"})

# Markup types whose .format()/% escape every argument (markupsafe's documented behaviour):
# `Markup("<b>{}</b>").format(name)` is safe HTML whatever `name` holds.
ESCAPING_MARKUP: frozenset[str] = frozenset({"markupsafe.Markup", "flask.Markup", "jinja2.Markup", "Markup"})

# Jinja environments that restrict what a template can reach (attributes, calls): rendering
# a user-written template in one is not template injection.
SANDBOXED_ENVIRONMENTS: frozenset[str] = frozenset({"SandboxedEnvironment", "ImmutableSandboxedEnvironment"})

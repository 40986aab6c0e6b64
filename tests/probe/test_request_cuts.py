"""Requests the probe no longer sends, each beside the confirmation it must keep: a stand-in app
(127.0.0.1, ephemeral port) counts what arrives. Every cut has a flawed app that is still
confirmed and a safe one that now costs fewer requests."""

from __future__ import annotations

import html
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from auditor.probe.checks.xss import ReflectedXss
from auditor.probe.engine import ProbeConfig, run_probe
from auditor.probe.interface import InjectionPoint, Param, ProbeContext, Route
from auditor.probe.profile import point_key, profile_point
from auditor.probe.safety import Limits, SafeClient
from auditor.probe.sender import PointSender

from .standin import standin

HTML = {"Content-Type": "text/html"}


def _q(path: str) -> str:
    return parse_qs(urlsplit(path).query).get("q", [""])[0]


def _xss(respond) -> tuple[object, int]:
    """The XSS check at /x?q after the point's profile: (its confirmation, requests it sent)."""
    with standin(respond) as app:
        client = SafeClient(app.url, Limits(rps=1000))
        route = Route("GET", "/x", [Param("q", "query")])
        point = InjectionPoint(route, route.params[0])
        sender = PointSender(client)
        ctx = ProbeContext(origin=client.base_url)
        ctx.profiles[point_key(point)] = profile_point(sender, point)
        before = len(app.seen)
        found = ReflectedXss().run(sender, ctx, point)
        return found, len(app.seen) - before


def test_an_html_escaped_echo_gets_two_xss_shapes_not_eight():
    found, sent = _xss(lambda m, p: (200, HTML, f"<p>{html.escape(_q(p))}</p>".encode()))
    # the plain tag (its `<` comes back encoded), then one shape with an earlier `<`; the old
    # check sent all eight context break-outs, each encoded alike
    assert found is None and sent == 2


def test_a_filter_that_encodes_only_the_first_bracket_is_still_confirmed():
    def respond(m: str, p: str) -> tuple[int, dict[str, str], bytes]:  # JavaScript's str.replace('<', ...)
        return 200, HTML, f"<p>{_q(p).replace('<', '&lt;', 1).replace('>', '&gt;', 1)}</p>".encode()

    found, sent = _xss(respond)
    assert found is not None and found.category == "xss" and sent == 2


def test_a_tag_inside_a_textarea_still_gets_the_break_outs():
    found, _ = _xss(lambda m, p: (200, HTML, f"<textarea>{_q(p)}</textarea>".encode()))
    assert found is not None and "textarea" in found.exchange.url  # the raw tag needed `</textarea>` first


def test_a_plain_text_echo_gets_one_xss_request():
    found, sent = _xss(lambda m, p: (200, {"Content-Type": "text/plain"}, f"resolving {_q(p)}".encode()))
    assert found is None and sent == 1  # a text answer is never rendered: no shape can change that


def _sql_app(m: str, p: str) -> tuple[int, dict[str, str], bytes]:
    if urlsplit(p).path != "/x":
        return (200, HTML, b'<a href="/x?q=1">x</a>') if urlsplit(p).path == "/" else (404, HTML, b"no")
    q = _q(p)
    if "'" in q:  # the query breaks: the database's own error, which quotes the statement
        return 500, HTML, f"<pre>sqlite3.OperationalError: unrecognized token: &#34;{html.escape(q)}&#34;</pre>".encode()
    return 200, HTML, b"<p>no rows</p>"


def test_a_point_proven_to_reach_sql_gets_no_xpath_or_ldap_differentials(tmp_path: Path):
    with standin(_sql_app) as app:
        cfg = ProbeConfig(base_url=app.url, project=tmp_path, limits=Limits(rps=1000, max_requests=500))
        run = run_probe(cfg)
    found = {(c.category, c.endpoint, c.point.param.name if c.point else None) for c in run.confirmations}
    assert ("sql-injection", "/x", "q") in found
    # the old engine went on with up to 13 XPath/LDAP requests at the same input
    at_q = [r for r in run.requests if r.phase == "xpath-ldap" and "q=" in urlsplit(r.url).query]
    assert not [r for r in at_q if _q("/?" + urlsplit(r.url).query) != "1"]


DOC = {"openapi": "3.0.0", "paths": {"/api/items": {"get": {"parameters": [{"name": "q", "in": "query"}]}}}}


def _api_app(m: str, p: str) -> tuple[int, dict[str, str], bytes]:
    import json

    if urlsplit(p).path == "/openapi.json":
        return 200, {"Content-Type": "application/json"}, json.dumps(DOC).encode()
    return 200, HTML, b"<p>home</p>"


def _discovered(project: Path) -> tuple[set[str], int]:
    from auditor.probe.engine import ProjectReading, discover
    from auditor.probe.routes.openapi import USUAL_PATHS

    with standin(_api_app) as app:
        client = SafeClient(app.url, Limits(rps=1000))
        routes, _ = discover(ProbeConfig(base_url=app.url, project=project, crawl=False), client, ProjectReading.of(project))
        asked = sum(urlsplit(s).path in USUAL_PATHS for s in app.seen)
    return {r.path for r in routes}, asked


def test_openapi_paths_are_asked_only_where_the_code_may_serve_a_document(tmp_path: Path):
    flask = tmp_path / "flask"
    flask.mkdir()
    (flask / "app.py").write_text("from flask import Flask\napp = Flask(__name__)\n\n"
                                  "@app.route('/hello')\ndef hello():\n    return 'hi'\n")
    (flask / "static").mkdir()
    (flask / "static" / "chart.js").write_text("el.ownerDocument.body")  # "redoc" only inside a word
    (flask / "static" / "jquery.min.js").write_text("var swagger")  # a minified library is not the app
    paths, asked = _discovered(flask)
    assert "/hello" in paths and asked == 0  # routes from the code, no OpenAPI library: no document asked for

    api = tmp_path / "api"
    api.mkdir()
    (api / "main.py").write_text("from fastapi import FastAPI\napp = FastAPI()\n\n"
                                 "@app.get('/hello')\ndef hello():\n    return 'hi'\n")
    paths, asked = _discovered(api)
    assert {"/hello", "/api/items"} <= paths and asked == 1  # FastAPI serves one: found at the first path

    documented = tmp_path / "documented"
    documented.mkdir()
    (documented / "app.py").write_text((flask / "app.py").read_text())
    (documented / "requirements.txt").write_text("flask\nflasgger\n")
    assert "/api/items" in _discovered(documented)[0]  # a dependency that serves one

    shipped = tmp_path / "shipped"
    shipped.mkdir()
    (shipped / "app.py").write_text((flask / "app.py").read_text())
    (shipped / "openapi.yaml").write_text("paths: {}\n")
    assert _discovered(shipped)[1] == 1  # a document beside the code, by its name

    paths, asked = _discovered(tmp_path / "missing")  # no code read: every usual path is asked
    assert "/api/items" in paths and asked == 1


def _site(m: str, p: str) -> tuple[int, dict[str, str], bytes]:
    path, q = urlsplit(p).path, _q(p)
    if path == "/":
        return 200, HTML, (b'<script src="/static/app.js"></script><link rel="icon" href="/static/logo.png">'
                           b'<a href="/static/logo.png">logo</a><a href="/hello?q=you">hi</a>'
                           b'<script src="/api/data.js?callback=cb"></script>')
    if path == "/static/app.js":  # the page's script sets a header for its API calls
        return 200, {"Content-Type": "text/javascript"}, b"fetch('/api', {headers: {'X-Api-Key': 'k'}})"
    if path == "/static/logo.png":
        return 200, {"Content-Type": "image/png"}, b"\x89PNG"
    if path == "/api/data.js":  # JSONP: a script built from its query
        return 200, {"Content-Type": "text/javascript"}, f"{parse_qs(urlsplit(p).query).get('callback', [''])[0]}(1)".encode()
    if path == "/hello":
        return 200, HTML, f"<p>hello {q}</p>".encode()
    return 404, HTML, b"no"


def test_static_assets_the_crawl_found_get_no_injection_points(tmp_path: Path):
    with standin(_site) as app:
        run = run_probe(ProbeConfig(base_url=app.url, project=tmp_path, limits=Limits(rps=1000, max_requests=800)))
        seen = list(app.seen)
    static = [s for s in seen if urlsplit(s).path.startswith("/static/")]
    assert len(static) == 2  # each asset once, by the crawl; before, each got a sweep, a Referer point, CORS...
    assert ("xss", "/hello") in {(c.category, c.endpoint) for c in run.confirmations}  # the page itself still is
    # a script built from its query is no static file: its input is probed
    assert any(r.phase == "profile" and urlsplit(r.url).path == "/api/data.js" for r in run.requests)
    assert {"/static/app.js", "/static/logo.png"} <= {r.path for r in run.routes}  # still listed as endpoints


def _numbered(text: str) -> str:  # the node twin's escapeHtml: every special character as &#N;
    return "".join(f"&#{ord(c)};" if c in "&<>\"'" else c for c in text)


def test_an_echo_escaped_as_numbered_entities_is_a_plain_echo():
    from auditor.probe.checks.code import CodeInjection

    with standin(lambda m, p: (200, HTML, f"<p>Hi {_numbered(_q(p))}</p>".encode())) as app:
        client = SafeClient(app.url, Limits(rps=1000))
        route = Route("GET", "/x", [Param("q", "query")])
        point = InjectionPoint(route, route.params[0])
        sender = PointSender(client)
        ctx = ProbeContext(origin=client.base_url)
        profile = ctx.profiles[point_key(point)] = profile_point(sender, point)
        worth = CodeInjection().worth(point, profile)
    # its quotes and brackets came back as text: the polyglot settles the point and no code
    # injection is tried (before, `&#60;` was not seen as an echo of `<`: 8 code requests)
    assert profile.reflected and not profile.special and not worth


def test_a_template_that_renders_behind_numbered_escapes_is_still_confirmed():
    import re

    from auditor.probe.checks.code import CodeInjection

    def respond(m: str, p: str) -> tuple[int, dict[str, str], bytes]:
        q = re.sub(r"\{\{(\d+)\*(\d+)\}\}", lambda g: str(int(g[1]) * int(g[2])), _q(p))  # a Jinja-like engine
        return 200, HTML, f"<p>Hi {_numbered(q)}</p>".encode()

    with standin(respond) as app:
        client = SafeClient(app.url, Limits(rps=1000))
        route = Route("GET", "/x", [Param("q", "query")])
        point = InjectionPoint(route, route.params[0])
        sender = PointSender(client)
        ctx = ProbeContext(origin=client.base_url)
        ctx.profiles[point_key(point)] = profile_point(sender, point)
        found = CodeInjection().run(sender, ctx, point)
    assert found is not None and found.category == "code-injection"


def _command(respond) -> tuple[object, int]:
    """The command check at /x?q after the point's profile (no time-based part): (its
    confirmation, requests it sent)."""
    from auditor.probe.checks.command import CommandInjection

    with standin(respond) as app:
        client = SafeClient(app.url, Limits(rps=1000))
        route = Route("GET", "/x", [Param("q", "query")])
        point = InjectionPoint(route, route.params[0])
        sender = PointSender(client)
        ctx = ProbeContext(origin=client.base_url, delay=0)
        ctx.profiles[point_key(point)] = profile_point(sender, point)
        before = len(app.seen)
        found = CommandInjection().run(sender, ctx, point)
        return found, len(app.seen) - before


def test_one_request_confirms_a_shell_in_each_quoting(tmp_path: Path):
    import subprocess

    for quoted in ("{}", "'{}'", '"{}"'):
        def respond(m: str, p: str, quoted: str = quoted) -> tuple[int, dict[str, str], bytes]:
            # a real shell, in the test's temp dir; the probe's payloads only echo
            out = subprocess.run(["sh", "-c", "echo resolving " + quoted.format(_q(p))], cwd=tmp_path,
                                 capture_output=True, timeout=5).stdout
            return 200, {"Content-Type": "text/plain"}, out

        found, sent = _command(respond)
        assert found is not None and found.category == "command-injection" and sent == 1, quoted


def test_an_echo_that_reaches_no_shell_costs_one_command_request():
    found, sent = _command(lambda m, p: (200, {"Content-Type": "text/plain"}, f"resolving {_q(p)}".encode()))
    assert found is None and sent == 1  # before: one request per quoting, three


def _items(safe: bool):
    """GET /x?q=ID on a real SQLite table; a query that fails answers like a missing row."""
    import sqlite3

    def respond(m: str, p: str) -> tuple[int, dict[str, str], bytes]:
        db = sqlite3.connect(":memory:")
        db.execute("CREATE TABLE items (id INTEGER, name TEXT)")
        db.execute("INSERT INTO items VALUES (1, 'lamp')")
        try:
            rows = (db.execute("SELECT name FROM items WHERE id = ?", (_q(p),)) if safe
                    else db.execute(f"SELECT name FROM items WHERE id = {_q(p)}")).fetchall()
        except sqlite3.Error:
            rows = []
        finally:
            db.close()
        return (200, HTML, f"<p>{rows[0][0]}</p>".encode()) if rows else (404, HTML, b"<p>no such item</p>")
    return respond


def _sqli(respond) -> tuple[object, int]:
    from auditor.probe.checks.sqli import SqlInjection

    with standin(respond) as app:
        client = SafeClient(app.url, Limits(rps=1000))
        route = Route("GET", "/x", [Param("q", "query")])
        point = InjectionPoint(route, route.params[0])
        sender = PointSender(client)
        ctx = ProbeContext(origin=client.base_url, delay=0)
        ctx.profiles[point_key(point)] = profile_point(sender, point)
        before = len(app.seen)
        found = SqlInjection().run(sender, ctx, point)
        return found, len(app.seen) - before


def test_a_true_condition_answered_like_a_random_value_ends_its_shape():
    found, sent = _sqli(_items(safe=True))
    # one true condition per shape (three, plus the LIKE wildcard shape on a GET); before, each with its false one
    assert found is None and sent == 4


def test_a_blind_numeric_sql_injection_is_still_confirmed():
    found, sent = _sqli(_items(safe=False))
    # the quoted shape's true condition fails like a random id (1 request), the numeric one is
    # confirmed (four rounds of two: 8)
    assert found is not None and found.category == "sql-injection"
    assert "1 AND " in unquote(found.exchange.url) and sent == 9


def _profiled(respond) -> tuple[object, int]:
    """The profile of /x?q and the requests the XPath/LDAP check then sends in a full run."""
    from auditor.probe.checks.query_languages import QueryLanguageInjection

    with standin(respond) as app:
        client = SafeClient(app.url, Limits(rps=1000))
        route = Route("GET", "/x", [Param("q", "query")])
        point = InjectionPoint(route, route.params[0])
        sender = PointSender(client)
        ctx = ProbeContext(origin=client.base_url)
        profile = ctx.profiles[point_key(point)] = profile_point(sender, point)
        check = QueryLanguageInjection()
        before = len(app.seen)
        found = check.run(sender, ctx, point) if check.worth(point, profile) else None
        return found, len(app.seen) - before


def test_a_value_whose_polyglot_changed_nothing_gets_no_xpath_or_ldap_breaker():
    found, sent = _profiled(lambda m, p: (200, HTML, f"<p>{html.escape(_q(p))}</p>".encode()))
    assert found is None and sent == 0  # before: the breaker, answered like the canary too


def test_an_xpath_lookup_that_hides_its_errors_is_still_confirmed():
    import pytest

    etree = pytest.importorskip("lxml.etree")
    doc = etree.fromstring(b"<staff><member><name>ann</name><phone>123</phone></member></staff>")

    def respond(m: str, p: str) -> tuple[int, dict[str, str], bytes]:
        try:
            found = doc.xpath(f"//member[name='{_q(p)}']/phone/text()")
        except etree.XPathError:
            return 400, HTML, b"<p>bad request</p>"  # no engine error shown
        return 200, HTML, f"<p>{' '.join(map(str, found))}</p>".encode()

    found, _ = _profiled(respond)
    assert found is not None and found.category == "xpath-injection"


def _cookie_app(render):
    """A stand-in (127.0.0.1, ephemeral port) that answers GET /x with `render(cookie q)`."""
    import threading
    from contextlib import contextmanager
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            seen.append(self.path)
            jar = {}
            for part in (self.headers.get("Cookie") or "").split(";"):  # raw, as most frameworks keep it
                k, _, v = part.strip().partition("=")
                jar[k] = v
            body = render(jar.get("q", "1")).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            return

    @contextmanager
    def run():
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        try:
            yield f"http://127.0.0.1:{httpd.server_address[1]}", seen
        finally:
            httpd.shutdown()
            httpd.server_close()
    return run()


def _cookie_point(render) -> tuple[object, object, int]:
    with _cookie_app(render) as (url, seen):
        client = SafeClient(url, Limits(rps=1000))
        route = Route("GET", "/x", [Param("q", "cookie")])
        point = InjectionPoint(route, route.params[0])
        sender = PointSender(client)
        ctx = ProbeContext(origin=client.base_url)
        profile = ctx.profiles[point_key(point)] = profile_point(sender, point)
        before = len(seen)
        found = ReflectedXss().run(sender, ctx, point)
        return profile, found, len(seen) - before


def test_a_cookie_echoed_escaped_is_a_plain_echo():
    profile, found, _ = _cookie_point(lambda q: f"<p>{html.escape(q)}</p>")
    # the cookie carried `%25` and `%3B` for `%` and `;`: that echo is the polyglot's own (before,
    # it looked special and drew quote, shell and template payloads)
    assert profile.reflected and not profile.special and found is None


def test_a_cookie_echoed_raw_into_html_is_still_xss():
    profile, found, sent = _cookie_point(lambda q: f"<p>{q}</p>")
    assert found is not None and found.category == "xss" and sent == 1


def test_a_shell_behind_a_separator_filter_goes_straight_to_the_other_separators():
    import re

    def respond(m: str, p: str) -> tuple[int, dict[str, str], bytes]:
        q = _q(p).replace(";", "")  # a filter that drops `;`: only a pipe gets a command through
        if m_ := re.search(r"\|echo (\w+)\$\(\((\d+)\*(\d+)\)\)", q):
            return 200, {"Content-Type": "text/plain"}, f"{m_[1]}{int(m_[2]) * int(m_[3])}".encode()
        if re.search(r"['\"#]", q):
            return 200, {"Content-Type": "text/plain"}, b"sh: 1: Syntax error: Unterminated quoted string"
        return 200, {"Content-Type": "text/plain"}, f"pinging {q}".encode()

    found, sent = _command(respond)
    # the three quotings in one request (the shell complained: not a plain echo), then the pipe;
    # before, the three quotings one by one
    assert found is not None and found.category == "command-injection" and sent == 2


def _nosql(find) -> tuple[object, int]:
    """The NoSQL check at POST /x {"q": ...} after the point's profile."""
    import json

    from auditor.probe.checks.nosql import NoSqlInjection

    class App:
        seen: list[str] = []

    def respond_json(body: bytes) -> tuple[int, dict[str, str], bytes]:
        return 200, {"Content-Type": "application/json"}, json.dumps(find(json.loads(body or b"{}").get("q"))).encode()

    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            App.seen.append(self.path)
            status, headers, out = respond_json(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
            self.send_response(status)
            for k, v in {**headers, "Content-Length": str(len(out))}.items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(out)

        def log_message(self, *args: object) -> None:
            return

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        client = SafeClient(f"http://127.0.0.1:{httpd.server_address[1]}", Limits(rps=1000))
        route = Route("POST", "/x", [Param("q", "json")])
        point = InjectionPoint(route, route.params[0])
        sender = PointSender(client)
        ctx = ProbeContext(origin=client.base_url)
        ctx.profiles[point_key(point)] = profile_point(sender, point)
        before = len(App.seen)
        found = NoSqlInjection().run(sender, ctx, point)
        return found, len(App.seen) - before
    finally:
        httpd.shutdown()
        httpd.server_close()


USERS = ["alice", "bob"]


def test_an_app_that_takes_no_operator_costs_one_nosql_request():
    found, sent = _nosql(lambda q: [u for u in USERS if u == q])  # an object never equals a name
    assert found is None and sent == 1  # `$ne` answered like the plain value; before, `$eq` went first


def test_an_operator_the_app_evaluates_is_still_confirmed():
    def find(q: object) -> list[str]:  # a Mongo-like matcher
        if isinstance(q, dict) and "$ne" in q:
            return [u for u in USERS if u != q["$ne"]]
        if isinstance(q, dict) and "$eq" in q:
            return [u for u in USERS if u == q["$eq"]]
        return [u for u in USERS if u == q]

    found, sent = _nosql(find)
    # ne, eq; plain, ne, eq; then twice ne, plain, eq (the reversed rounds)
    assert found is not None and found.category == "nosql-injection" and sent == 11


def test_the_sweep_uses_the_crawls_answer_for_a_page_it_already_fetched(tmp_path: Path):
    def respond(m: str, p: str) -> tuple[int, dict[str, str], bytes]:
        if urlsplit(p).path == "/":  # the app's one HTML page: no security headers
            return 200, HTML, b"<p>home</p>"
        return 404, {"Content-Type": "text/plain"}, b"no"

    with standin(respond) as app:
        (tmp_path / "app.py").write_text("from flask import Flask\napp = Flask(__name__)\n\n"
                                         "@app.route('/')\ndef home():\n    return 'home'\n")
        run = run_probe(ProbeConfig(base_url=app.url, project=tmp_path, limits=Limits(rps=1000, max_requests=300),
                                    checks=["headers"]))
    # the crawl's GET / only; before, the sweep asked for it again
    assert [r.phase for r in run.requests if urlsplit(r.url).path == "/"] == ["discovery"]
    # the passive check (the only check run) still saw the page, through the crawl's answer
    assert any(c.check == "headers" and c.endpoint == "/" for c in run.confirmations)


def test_an_xpath_login_with_a_condition_after_the_value_is_confirmed():
    """vulnerable_js_app's `//Employee[UserName/text()='${u}' and Password/text()='${p}']`: the
    condition after the name holds a plain `or` widening back (`and` binds first); the one that
    closes with `or 'x'='y'` widens it. A syntax error is a bare 500 (the app itself crashes)."""
    import pytest

    etree = pytest.importorskip("lxml.etree")
    doc = etree.fromstring(b"<people><Employee><UserName>ann</UserName><Password>s3cret</Password></Employee>"
                           b"</people>")

    def respond(m: str, p: str) -> tuple[int, dict[str, str], bytes]:
        try:
            hit = doc.xpath(f"//Employee[UserName/text()='{_q(p)}' and Password/text()='']")
        except etree.XPathError:
            return 500, HTML, b"Internal Server Error"
        return 200, {"Content-Type": "application/json"}, b'{"ok": true}' if hit else b'{"ok": false}'

    found, _ = _profiled(respond)
    assert found is not None and found.category == "xpath-injection"
    assert "'x'='y" in found.canary or "or count" in found.exchange.url


def test_an_answer_that_alternates_whatever_is_sent_is_no_boolean_proof():
    """vuln-task-manager's GET /api/tasks: every request fails, and the error's text flips (a
    random 'leak' branch) whatever the input. Two servers behind a balancer alternate the same
    way. The true/false pairs line up with that order twice, never in the reversed rounds."""
    turn = [0]

    def respond(m: str, p: str) -> tuple[int, dict[str, str], bytes]:
        turn[0] += 1
        detail = ', "details": "Invalid prisma.task.findMany() invocation"' if turn[0] % 2 else ""
        return 500, {"Content-Type": "application/json"}, ('{"error": "Failed to retrieve tasks"' + detail + "}").encode()

    found, _ = _sqli(respond)
    assert found is None


def test_a_route_that_forbids_the_identity_is_left_after_its_first_profile(tmp_path: Path):
    """Vulnerable-Ecommerce-App's admin routes answer a user's token 403 ("Insufficient
    permissions") before any handler runs: 1,626 of a 5,000-request budget went there. After one
    input's usual value, canary and polyglot are all refused, the route's other values get nothing;
    a route that answers is probed as before."""
    (tmp_path / "app.py").write_text(
        "from flask import Flask, request\napp = Flask(__name__)\n\n\n"
        "@app.get('/admin/reports')\ndef reports():\n"
        "    return run(request.args.get('format'), request.args.get('start'), request.args.get('end'))\n\n\n"
        "@app.get('/search')\ndef search():\n    return find(request.args.get('q'))\n")

    def respond(m: str, p: str) -> tuple[int, dict[str, str], bytes]:
        if urlsplit(p).path == "/admin/reports":
            return 403, {"Content-Type": "application/json"}, b'{"error": "Insufficient permissions"}'
        return 200, HTML, f"<p>{html.escape(_q(p))}</p>".encode()

    with standin(respond) as app:
        run_probe(ProbeConfig(base_url=app.url, project=tmp_path, limits=Limits(rps=1000, max_requests=2000, timeout=5)))
    admin = [p for p in app.seen if urlsplit(p).path == "/admin/reports"]
    search = [p for p in app.seen if urlsplit(p).path == "/search"]
    assert len(admin) <= 6 and len(search) > 10

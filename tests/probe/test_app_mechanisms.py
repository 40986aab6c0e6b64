"""Mechanisms found missing on whole apps (bench/probe_apps.py): the Django project that runs
when a tree holds several, query strings parsed by hand in Express handlers, sign-out links
never requested with a session, and filler values that pass a form's validation."""

from __future__ import annotations

import importlib.util
import json
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from auditor.probe.engine import ProbeConfig, run_probe
from auditor.probe.interface import Param, Route
from auditor.probe.routes import code_routes, settle
from auditor.probe.routes.common import signs_out
from auditor.probe.routes.inputs import filler
from auditor.probe.routes.javascript import server_routes
from auditor.probe.safety import Limits

needs_flask = pytest.mark.skipif(importlib.util.find_spec("flask") is None, reason="flask is not installed")


def _inputs(routes: list[Route], method: str, path: str) -> set[tuple[str, str]]:
    return {(p.name, p.location) for r in routes if (r.method, r.path) == (method, path) for p in r.params}


# -- Django: the project that runs ---------------------------------------------------------

def _django_project(base: Path, package: str, app: str, route: str, settings_as_package: bool = False) -> None:
    (base / package).mkdir(parents=True)
    (base / app).mkdir()
    (base / "manage.py").write_text(
        "import os\n\ndef main():\n"
        f"    os.environ.setdefault('DJANGO_SETTINGS_MODULE', '{package}.settings')\n")
    settings = f"ROOT_URLCONF = '{package}.urls'\n"
    if settings_as_package:
        (base / package / "settings").mkdir()
        (base / package / "settings" / "__init__.py").write_text("from .base import *\n")
        (base / package / "settings" / "base.py").write_text(settings)
    else:
        (base / package / "settings.py").write_text(settings)
    (base / package / "urls.py").write_text(
        f"from django.urls import include, path\nurlpatterns = [path('', include('{app}.urls'))]\n")
    (base / app / "urls.py").write_text(
        f"from django.urls import path\nfrom . import views\nurlpatterns = [path('{route}', views.page)]\n")
    (base / app / "views.py").write_text("def page(request):\n    return request.GET.get('q')\n")


def test_django_reads_the_project_manage_py_runs_not_the_first_settings_file(tmp_path: Path):
    """A second Django project in a sub-folder (a lab, an example) sorts before the real one's
    settings: the real one, named by the shallowest manage.py, is the one read."""
    _django_project(tmp_path, "shop", "store", "cart")
    _django_project(tmp_path / "a_labs" / "exposure", "labsite", "labapp", "lesson/")
    routes = code_routes(tmp_path)
    assert _inputs(routes, "GET", "/cart") == {("q", "query")}
    assert not any(r.path == "/lesson/" for r in routes)


def test_django_settings_package_and_manage_py_in_a_subfolder(tmp_path: Path):
    _django_project(tmp_path / "backend", "core", "orders", "orders/<int:pk>/", settings_as_package=True)
    _django_project(tmp_path / "backend" / "docs" / "example", "demo", "demoapp", "demo/")
    routes = code_routes(tmp_path)
    assert _inputs(routes, "GET", "/orders/{pk}/") == {("pk", "path"), ("q", "query")}
    assert not any(r.path == "/demo/" for r in routes)


def test_django_settings_named_by_wsgi_py_by_assignment(tmp_path: Path):
    """No manage.py: the settings module named in wsgi.py (`os.environ[...] = ...`) is used."""
    _django_project(tmp_path, "site_b", "blog", "posts/")
    _django_project(tmp_path, "a_demo", "demoapp", "demo/")  # its settings.py sorts first
    (tmp_path / "manage.py").unlink()
    (tmp_path / "site_b" / "wsgi.py").write_text('import os\nos.environ["DJANGO_SETTINGS_MODULE"] = "site_b.settings"\n')
    routes = code_routes(tmp_path)
    assert _inputs(routes, "GET", "/posts/") == {("q", "query")}
    assert not any(r.path == "/demo/" for r in routes)


def test_django_lone_sub_project_is_still_read(tmp_path: Path):
    """Only one project, deep in the tree: it is the one read (nothing dropped for its depth)."""
    _django_project(tmp_path / "labs" / "exposure", "labsite", "labapp", "lesson/")
    assert _inputs(code_routes(tmp_path), "GET", "/lesson/") == {("q", "query")}


# -- Express: query strings parsed by hand -------------------------------------------------

def test_express_hand_parsed_query_strings():
    src = """
var url = require('url');
var qs = require('querystring');
router.get('/products/detail', function(req, res) {
    var url_params = url.parse(req.url, true).query;
    db.getProduct(url_params.id);
});
router.get('/search', function(req, res) { res.send(url.parse(req.url, true).query.q); });
router.get('/list', (req, res) => {
    const u = new URL(req.url, 'http://localhost');
    res.send(u.searchParams.get('page') + new URL(req.url, base).searchParams.get('sort'));
});
router.get('/legacy', (req, res) => { const p = qs.parse(url.parse(req.url).query); res.send(p.lang); });
router.get('/plain', (req, res) => { res.send(url.parse(req.url).pathname); });
"""
    routes = server_routes("routes/products.js", src, "javascript")
    assert _inputs(routes, "GET", "/products/detail") == {("id", "query")}
    assert _inputs(routes, "GET", "/search") == {("q", "query")}
    assert _inputs(routes, "GET", "/list") == {("page", "query"), ("sort", "query")}
    assert _inputs(routes, "GET", "/legacy") == {("lang", "query")}
    assert _inputs(routes, "GET", "/plain") == set()  # the path, not an input


# -- sign-out links ------------------------------------------------------------------------

@pytest.mark.parametrize("path,out", [
    ("/logout", True), ("/logout/", True), ("/auth/sign-out", True), ("/account/log_out", True),
    ("/users/signout.json", True), ("/session/end", True), ("/logoff?next=/", True), ("/end_session", True),
    ("/login", False), ("/blog/logout-tips", False), ("/catalog", False), ("/exit", False), ("/signup", False),
])
def test_sign_out_paths(path: str, out: bool):
    assert signs_out(path) is out


def test_settle_makes_sign_outs_visitor_routes_only_with_a_session():
    for logged_in in (True, False):
        routes = [Route("GET", "/logout"), Route("GET", "/items", [Param("id", "query")])]
        kept = settle(routes, "http://127.0.0.1:9", logged_in=logged_in)
        assert [(r.path, r.visitor) for r in kept] == [("/logout", logged_in), ("/items", False)]


# A Flask app with a server-side session: /logout ends it, and every page then redirects to
# /login. /items reflects `id` unescaped (XSS) to a logged-in user only.
SESSION_APP = '''
from flask import Flask, redirect, request
app = Flask(__name__)
SESSIONS = {"S1"}

def logged_in():
    return request.cookies.get("sid") in SESSIONS

@app.route("/")
def home():
    if not logged_in():
        return redirect("/login")
    return '<a href="/logout">Sign out</a> <a href="/items?id=1">Item</a>'

@app.route("/logout")
def logout():
    SESSIONS.discard(request.cookies.get("sid"))
    return redirect("/login")

@app.route("/login")
def login():
    return "<form method=post action=/login><input name=username></form>"

@app.route("/items")
def items():
    if not logged_in():
        return redirect("/login")
    item = request.args.get("id", "")
    return "<p>Item " + ({escape}) + "</p>"
'''


@contextmanager
def _serve(tmp_path: Path, source: str, name: str, threaded: bool = True) -> Iterator[str]:
    """The Flask app in `source`, written to tmp_path (where the probe reads its code) and served
    in this process on 127.0.0.1 (ephemeral port) until the block ends."""
    from werkzeug.serving import make_server

    (tmp_path / "app.py").write_text(source)
    spec = importlib.util.spec_from_file_location(name, tmp_path / "app.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    server = make_server("127.0.0.1", 0, module.app, threaded=threaded)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        sys.modules.pop(name, None)


@needs_flask
@pytest.mark.parametrize("vulnerable", [True, False])
def test_a_logged_in_probe_never_signs_out(tmp_path: Path, vulnerable: bool):
    escape = "item" if vulnerable else "item.replace('<', '&lt;')"
    with _serve(tmp_path, SESSION_APP.replace("{escape}", escape), f"session_app_{vulnerable}") as url:
        cfg = ProbeConfig(base_url=url, project=tmp_path, limits=Limits(rps=500, max_requests=400, timeout=5),
                          identities=[("alice", {"Cookie": "sid=S1"})], checks=["xss"])
        run = run_probe(cfg)
        assert sys.modules[f"session_app_{vulnerable}"].SESSIONS == {"S1"}  # /logout only ever saw visitors
    found = {(c.category, c.endpoint, c.point.param.name) for c in run.confirmations if c.point is not None}
    assert (("xss", "/items", "id") in found) is vulnerable


# -- filler values that pass validation ----------------------------------------------------

@pytest.mark.parametrize("name,value", [
    ("mail", "probe@example.com"), ("userEmail", "probe@example.com"), ("e-mail", "probe@example.com"),
    ("ship_date", "2024-01-15"), ("contact-phone", "5550100"), ("price", "10"), ("zip", "12345"), ("scheme", "http"),
    ("callback_url", "http://127.0.0.1:9/"), ("returnUrl", "http://127.0.0.1:9/"),
    ("update", ""), ("q", ""), ("username", ""), ("id", ""),
    # a payment card's fields (Radware's API: card_number of 13 to 19 digits), not its id or holder
    ("card_number", "4111111111111111"), ("cardNumber", "4111111111111111"), ("cvv", "123"),
    ("expiry_month", "12"), ("expiry_year", "2030"), ("card_id", ""), ("cardholder_name", ""),
])
def test_filler_by_name(name: str, value: str):
    assert filler(name, "http://127.0.0.1:9") == value


def test_settle_fills_only_inputs_without_an_example():
    route = Route("POST", "/buy", [Param("mail", "form"), Param("phone", "form", "+44 20"), Param("note", "form"),
                                   Param("date", "path")])
    (out,) = settle([route], "http://127.0.0.1:9", logged_in=False)
    assert [p.example for p in out.params] == ["probe@example.com", "+44 20", "", ""]


# A shop form that checks its fields before it uses them: a mail, an ISO date, a phone of
# digits. The note is shown unescaped (XSS) once the form is valid.
SHOP_APP = '''
import re
from flask import Flask, request
app = Flask(__name__)

@app.route("/buy", methods=["POST"])
def buy():
    mail, when, phone = request.form.get("mail", ""), request.form.get("ship_date", ""), request.form.get("phone", "")
    if not re.fullmatch(r"[\\w.+-]+@[\\w-]+\\.[a-z]{2,}", mail) or not re.fullmatch(r"\\d{4}-\\d\\d-\\d\\d", when) \\
            or not re.fullmatch(r"\\d{6,15}", phone):
        return "invalid form", 400
    note = request.form.get("note", "")
    return "<p>Order for " + ({escape}) + "</p>"
'''


@needs_flask
@pytest.mark.parametrize("vulnerable", [True, False])
def test_fillers_get_past_form_validation(tmp_path: Path, vulnerable: bool):
    escape = "note" if vulnerable else "note.replace('<', '&lt;')"
    with _serve(tmp_path, SHOP_APP.replace("{escape}", escape), f"shop_app_{vulnerable}") as url:
        cfg = ProbeConfig(base_url=url, project=tmp_path, limits=Limits(rps=500, max_requests=400, timeout=5),
                          crawl=False, openapi=False, checks=["xss"])
        run = run_probe(cfg)
    found = {(c.category, c.endpoint, c.point.param.name) for c in run.confirmations if c.point is not None}
    assert (("xss", "/buy", "note") in found) is vulnerable


def test_settle_leaves_out_body_inputs_a_get_cannot_send():
    """A handler serving GET and POST (Express `router.all`, a Django view) lists its body fields
    on both: on the GET they would be points whose payload is never sent."""
    get = Route("GET", "/buy", [Param("id", "query"), Param("mail", "form"), Param("mail", "json"), Param("note", "form")])
    post = Route("POST", "/buy", [Param("id", "query"), Param("mail", "form"), Param("mail", "json")])
    lone = Route("GET", "/search", [Param("q", "form")])  # no POST: the sender sends it in the query
    out = {r.key: [(p.name, p.location) for p in r.params] for r in settle([get, post, lone], "http://x", False)}
    assert out[("GET", "/buy")] == [("id", "query"), ("note", "form")]
    assert out[("POST", "/buy")] == [("id", "query"), ("mail", "form"), ("mail", "json")]
    assert out[("GET", "/search")] == [("q", "form")]
    # A GET handler that reads a JSON body of its own (Express parses one on any method): kept for
    # a route the code declares, and sent as the GET's body; a crawled page's GET has none.
    own = Route("GET", "/test156", [Param("name", "json"), Param("name", "form"), Param("password", "json"),
                                    Param("q", "form")], "code")
    crawled = Route("GET", "/page", [Param("name", "json")], "crawl")
    kept = {r.key: [(p.name, p.location) for p in r.params] for r in settle([own, crawled], "http://x", False)}
    # (the form twin of a JSON key would go in the query, which the handler does not read)
    assert kept == {("GET", "/test156"): [("name", "json"), ("password", "json"), ("q", "form")], ("GET", "/page"): []}


def test_a_get_with_a_json_body_of_its_own_sends_it():
    from auditor.probe.interface import InjectionPoint
    from auditor.probe.safety import Limits, SafeClient
    from auditor.probe.sender import PointSender

    from .standin import serve

    seen: list[tuple[str, bytes]] = []

    def handle(method, path, headers, body):
        seen.append((method, body))
        return 200, {"Content-Type": "application/json"}, "{}"

    route = Route("GET", "/test156", [Param("name", "json"), Param("password", "json")], "code")
    with serve(handle) as url:
        PointSender(SafeClient(url, Limits(rps=1000))).send(InjectionPoint(route, route.params[0]), "audx1")
    assert [(m, json.loads(b)["name"]) for m, b in seen] == [("GET", "audx1")]


# -- a shell's quote error is not a database's ---------------------------------------------

def _shell_or_database(database: bool):
    """A debug page that shows the request and the error of what ran the input: PostgreSQL's
    unterminated string, or dash's (a command built from the input, as `nmap ' + ip`)."""
    from urllib.parse import parse_qs, urlsplit

    def respond(method: str, path: str) -> tuple[int, dict[str, str], bytes]:
        value = parse_qs(urlsplit(path).query).get("ip", [""])[0]
        if value.count("'") % 2 == 0:
            return 200, {"Content-Type": "text/html"}, b"<p>scan done</p>"
        error = (f'ERROR:  unterminated quoted string at or near "\'{value}"' if database
                 else "sh: 1: Syntax error: Unterminated quoted string")
        import html
        return 500, {"Content-Type": "text/html"}, f"<pre>{html.escape(error)}</pre><p>ip = {html.escape(value)}</p>".encode()
    return respond


@pytest.mark.parametrize("database", [True, False])
def test_shell_quote_error_is_no_sql_injection(database: bool):
    from auditor.probe.checks.sqli import SqlInjection, sql_error
    from auditor.probe.interface import InjectionPoint, ProbeContext
    from auditor.probe.profile import profile_point
    from auditor.probe.safety import SafeClient
    from auditor.probe.sender import PointSender

    from .standin import standin

    assert (sql_error("sh: 1: Syntax error: Unterminated quoted string") is None)
    assert sql_error('ERROR:  unterminated quoted string at or near "\'x"') is not None
    with standin(_shell_or_database(database)) as app:
        client = SafeClient(app.url, Limits(rps=1000))
        sender = PointSender(client)
        route = Route("GET", "/x", [Param("ip", "query")])
        point = InjectionPoint(route, route.params[0])
        ctx = ProbeContext(client.base_url)
        ctx.profiles[("GET", "/x", "ip", "query", False)] = profile_point(sender, point)
        found = SqlInjection().run(sender, ctx, point)
    assert (found is not None) is database


# -- a burst answered by error pages says nothing about a rate limit ------------------------

@pytest.mark.parametrize("crashes", [True, False])
def test_login_burst_of_server_errors_is_not_missing_rate_limiting(crashes: bool):
    """A login that fails with a 500 for an unknown user (a KeyError on a dict of users) answers
    every wrong password alike, limit or not: no finding. The same login answering 200 is one."""
    from auditor.probe.checks.ratelimit import LoginRateLimit
    from auditor.probe.interface import ProbeContext
    from auditor.probe.safety import SafeClient
    from auditor.probe.sender import PointSender

    from .standin import standin

    def respond(method: str, path: str) -> tuple[int, dict[str, str], bytes]:
        return (500, {}, b"KeyError") if crashes else (200, {}, b"<p>wrong password</p>")

    with standin(respond) as app:
        client = SafeClient(app.url, Limits(rps=1000))
        route = Route("POST", "/auth/login", [Param("username", "form"), Param("password", "form")])
        found = LoginRateLimit().run(PointSender(client), ProbeContext(client.base_url), [route])
    assert bool(found) is not crashes


@pytest.mark.parametrize("location,finding", [
    ("/auth/login", True),  # a refusal: back to the form (microblog)
    ("http://127.0.0.1/auth/login?next=%2F", True),
    ("/?error=invalid_credentials", True),
    ("/index", False),  # a signed-in session sent home: the password never ran
    ("/dashboard", False),
])
def test_login_burst_redirected_away_from_signing_in_is_not_judged(location: str, finding: bool):
    from auditor.probe.checks.ratelimit import LoginRateLimit
    from auditor.probe.interface import ProbeContext
    from auditor.probe.safety import SafeClient
    from auditor.probe.sender import PointSender

    from .standin import standin

    def respond(method: str, path: str) -> tuple[int, dict[str, str], bytes]:
        return 302, {"Location": location}, b"<p>Redirecting...</p>"

    with standin(respond) as app:
        client = SafeClient(app.url, Limits(rps=1000))
        route = Route("POST", "/auth/login", [Param("username", "form"), Param("password", "form")])
        found = LoginRateLimit().run(PointSender(client), ProbeContext(client.base_url), [route])
    assert bool(found) is finding


# -- the login route gets the recipe's own credentials -------------------------------------

LOGIN_APP = '''
from flask import Flask, redirect, request
app = Flask(__name__)

@app.route("/login", methods=["POST"])
def login():
    if request.form.get("username") != "alice" or request.form.get("password") != "pw-Zq9-secret":
        return redirect("/login?error=1")
    target = request.form.get("next") or "/"
    if {fixed} and not target.startswith("/") or target.startswith("//"):
        target = "/"
    response = redirect(target)
    response.set_cookie("sid", "s-alice")
    return response
'''


@needs_flask
@pytest.mark.parametrize("vulnerable", [True, False])
def test_login_route_probed_with_the_recipes_credentials(tmp_path: Path, vulnerable: bool):
    """An open redirect that only a successful login reaches: the login route's fields get the
    recipe's values, and its password never shows in the evidence."""
    import json

    from auditor.probe.login import parse_login
    from auditor.probe.results import to_result

    source = LOGIN_APP.replace("{fixed}", "False" if vulnerable else "True")
    with _serve(tmp_path, source, f"login_app_{vulnerable}") as url:
        cfg = ProbeConfig(base_url=url, project=tmp_path, limits=Limits(rps=500, max_requests=400, timeout=5),
                          crawl=False, openapi=False, checks=["redirect"],
                          logins=[parse_login("alice=POST:/login:username=alice&password=pw-Zq9-secret")])
        run = run_probe(cfg)
    found = {(c.category, c.endpoint, c.point.param.name) for c in run.confirmations if c.point is not None}
    assert (("open-redirect", "/login", "next") in found) is vulnerable
    out = json.dumps([f.extra for f in to_result(run).findings])
    assert "pw-Zq9-secret" not in out


# -- a session the app ended is logged in again --------------------------------------------

EXPIRING_APP = '''
import itertools
from flask import Flask, redirect, request
app = Flask(__name__)
LIVE = {}  # sid -> requests left
NEXT = itertools.count(1)

@app.route("/session", methods=["POST"])
def log_in():
    if request.form.get("password") != "pw-Tq4-secret":
        return redirect("/users/sign_in")
    sid = f"s{next(NEXT)}"
    LIVE[sid] = 2
    response = redirect("/")
    response.set_cookie("sid", sid)
    return response

@app.route("/page")
def page():
    sid = request.cookies.get("sid", "")
    if LIVE.get(sid, 0) <= 0:
        return redirect("{where}")
    LIVE[sid] -= 1
    return "<p>your page</p>"
'''


@needs_flask
@pytest.mark.parametrize("where", ["/users/sign_in?next=/page", "/home"])
def test_session_redirected_to_the_login_page_logs_in_again(tmp_path: Path, where: str):
    """The app ends the session (expiry, a sign-out) and answers with a redirect to its login
    page, not a 401: the user is logged in again and the request resent. A redirect elsewhere
    is an answer like any other."""
    from auditor.probe.login import SessionKeeper, parse_login
    from auditor.probe.safety import SafeClient

    with _serve(tmp_path, EXPIRING_APP.replace("{where}", where), f"expiring_app_{where[1]}") as url:
        client = SafeClient(url, Limits(rps=1000, timeout=5))
        client.sessions = keeper = SessionKeeper()
        alice = keeper.log_in(client, parse_login("alice=POST:/session:user=alice&password=pw-Tq4-secret"))
        old = dict(alice.headers)
        statuses = [client.send("GET", client.url_for("/page"), headers=old).status for _ in range(3)]
        client.close()
    to_login = where.startswith("/users/sign_in")
    assert statuses == ([200, 200, 200] if to_login else [200, 200, 302])
    assert alice.relogins == (1 if to_login else 0)
    assert len([r for r in client.log if r.url.endswith("/session") and r.method == "POST"]) == (2 if to_login else 1)


# -- a URL filler never makes a one-worker app wait on itself -------------------------------

CARD_APP = '''
import html
import urllib.request
from flask import Flask, request
app = Flask(__name__)

@app.route("/card")
def card():
    try:
        with urllib.request.urlopen(request.args.get("image_url", ""), timeout=4) as r:
            size = len(r.read())
    except (ValueError, OSError):
        size = -1
    caption = request.args.get("caption", "")
    return "<p>" + ({escape}) + f" ({size} bytes)</p>"
'''


@needs_flask
@pytest.mark.parametrize("vulnerable", [True, False])
def test_url_filler_does_not_block_a_one_worker_app(tmp_path: Path, vulnerable: bool):
    """A one-request-at-a-time app that fetches its `image_url` input and shows `caption`
    unescaped (XSS). A filler URL of the app itself would make it wait on itself until its
    fetch times out, past the probe's timeout; the filler names the probe's callback server."""
    escape = "caption" if vulnerable else "html.escape(caption)"
    with _serve(tmp_path, CARD_APP.replace("{escape}", escape), f"card_app_{vulnerable}", threaded=False) as url:
        cfg = ProbeConfig(base_url=url, project=tmp_path, limits=Limits(rps=500, max_requests=100, timeout=2),
                          crawl=False, openapi=False, checks=["xss"])
        run = run_probe(cfg)
    found = {(c.category, c.point.param.name) for c in run.confirmations if c.point is not None}
    assert (("xss", "caption") in found) is vulnerable
    assert not any(r.status == 0 for r in run.requests)  # no request waited out the timeout


# -- a filler is no prefix for the input under test ------------------------------------------

DOTLESS_REDIRECT_APP = '''
from flask import Flask, redirect, request
app = Flask(__name__)

@app.route("/leave")
def leave():
    target = request.args.get("return_url", "")
    if "." in target:
        return "no dots in the target, please", 400
    return {redirect}
'''


@needs_flask
@pytest.mark.parametrize("vulnerable", [True, False])
def test_filler_is_not_the_prefix_of_the_input_under_test(tmp_path: Path, vulnerable: bool):
    """`return_url` gets the URL filler for the requests that test other inputs. Profiling the
    input itself after that filler would put dots before the payload, and this filter (as in
    SKF's Url-redirection-harder) refuses the request before the redirect is reached."""
    target = "redirect(target)" if vulnerable else "redirect('/home?from=' + target.replace('/', ''))"
    with _serve(tmp_path, DOTLESS_REDIRECT_APP.replace("{redirect}", target), f"dotless_app_{vulnerable}") as url:
        cfg = ProbeConfig(base_url=url, project=tmp_path, limits=Limits(rps=500, max_requests=200, timeout=5),
                          crawl=False, openapi=False, checks=["redirect"])
        run = run_probe(cfg)
    found = {(c.category, c.point.param.name) for c in run.confirmations if c.point is not None}
    assert (("open-redirect", "return_url") in found) is vulnerable

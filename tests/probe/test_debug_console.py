"""Flask's `debug=True` in an app that no input makes fail: Werkzeug's debugger page shows only
on an unhandled error, so the error pages the probe provokes never show it; its interactive
console, served at `/console` while the debugger is on, does. A real Flask app, wrapped in
Werkzeug's own DebuggedApplication as `app.run(debug=True)` does, served on 127.0.0.1; the same
app without the debugger gets no finding."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flask import Flask
from werkzeug.debug import DebuggedApplication
from werkzeug.serving import make_server

from auditor.probe.checks.debug import DebugPages
from auditor.probe.checks.headers import ResponseHygiene
from auditor.probe.interface import ProbeContext, Route
from auditor.probe.safety import Limits, SafeClient
from auditor.probe.sender import PointSender


@pytest.fixture(autouse=True)
def _salt(monkeypatch):
    # The debugger draws its secret with `secrets.choice`; under pytest `tests/secrets` can shadow
    # the standard module of that name, so the draw is a fixed string here.
    monkeypatch.setattr("werkzeug.debug.gen_salt", lambda n: "s" * n)


@contextmanager
def _app(debugger: bool) -> Iterator[str]:
    app = Flask("careful")

    @app.route("/users")
    def users() -> dict[str, list[str]]:
        return {"users": ["alice"]}

    @app.errorhandler(404)
    def missing(_: Exception) -> tuple[dict[str, str], int]:
        return {"error": "not found"}, 404  # its own error pages: no input shows the debugger

    wsgi = DebuggedApplication(app, evalex=True) if debugger else app
    server = make_server("127.0.0.1", 0, wsgi, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(5)


def _check(url: str, language: str) -> tuple[list, SafeClient]:
    client = SafeClient(url, Limits(rps=1000))
    sender = PointSender(client)
    sender.request("GET", "/users")  # the sweep's plain answer: nothing to see there
    ctx, routes = ProbeContext(client.base_url), [Route("GET", "/users", language=language)]
    found = DebugPages().run(sender, ctx, routes)
    # The console's HTML page is the debugger's, not the app's: no "page without headers" on it.
    assert ResponseHygiene().run(sender, ctx, routes) == []
    return found, client


@pytest.mark.parametrize("debugger", [True, False])
def test_werkzeug_console_shows_debug_mode(debugger):
    with _app(debugger) as url:
        found, client = _check(url, "python")
    assert bool(found) is debugger
    assert [r.url.rsplit("/", 1)[-1] for r in client.log][-1] == "console"
    assert all(r.url.startswith(url) for r in client.log)
    if debugger:
        assert found[0].endpoint == "/console" and "Werkzeug Debugger" in found[0].canary


def test_console_path_only_for_a_python_server():
    with _app(True) as url:
        found, client = _check(url, "javascript")
    assert found == []
    assert not any(r.url.endswith("/console") for r in client.log)


@pytest.mark.parametrize("page,fix", [
    ("<title>Error</title>\n</head>\n<body>\n<pre>Error: boom<br> &nbsp; &nbsp;at Layer.handle", "NODE_ENV=production"),
    ("Traceback (most recent call last):\n  File \"app.py\"", "never return them"),
    ("You're seeing this error because you have <code>DEBUG = True</code>", "DEBUG = False"),
])
def test_debug_finding_says_what_turns_it_off(page: str, fix: str):
    from auditor.probe.checks.debug import _shown
    from auditor.probe.interface import Exchange

    found = _shown([Exchange("GET", "http://h:1/x", {}, "", 500, [], page, 0.0)])
    assert len(found) == 1 and fix in found[0].message


@pytest.mark.parametrize("page,shown", [
    # FastAPI's `return dict(os.environ)` (Damn Vulnerable RESTaurant's /debug), and a text dump
    ('{"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": "/home/app", "POSTGRES_PASSWORD": "x"}', True),
    ("PATH=/usr/local/sbin:/usr/local/bin:/usr/bin\nPWD=/srv/app\nSECRET_KEY=abc\n", True),
    # a page that names PATH and HOME but shows no environment: docs, a settings form
    ('<p>Set PATH to your tools and HOME to your home folder.</p>', False),
    ('{"path": "/api/items", "home": "/"}', False),
])
def test_an_environment_dump_is_reported(page: str, shown: bool):
    from auditor.probe.interface import ProbeContext
    from auditor.probe.safety import Limits, SafeClient
    from auditor.probe.sender import PointSender

    from .standin import serve

    def handle(method, path, headers, body):
        return (200, {"Content-Type": "application/json"}, page) if path == "/debug" else (404, {}, "no")

    with serve(handle) as url:
        client = SafeClient(url, Limits(rps=1000))
        sender = PointSender(client)
        sender.request("GET", "/debug")  # the sweep's request, kept in the history the check reads
        found = DebugPages().run(sender, ProbeContext(client.base_url), [])
    assert [f.endpoint for f in found if "environment" in f.message] == (["/debug"] if shown else [])


def test_each_route_that_hands_out_the_environment_is_its_own_finding():
    """damn-vulnerable-nestjs serves its environment at /admin/system/info and /api/env: two fixes."""
    from auditor.probe.interface import ProbeContext
    from auditor.probe.safety import Limits, SafeClient
    from auditor.probe.sender import PointSender

    from .standin import serve

    dump = '{"PATH": "/usr/local/bin:/usr/bin", "HOME": "/home/app", "JWT_SECRET": "x"}'

    def handle(method, path, headers, body):
        return (200, {"Content-Type": "application/json"}, dump) if path in ("/api/env", "/admin/info") else \
            (404, {}, "no")

    with serve(handle) as url:
        client = SafeClient(url, Limits(rps=1000))
        sender = PointSender(client)
        for path in ("/api/env", "/admin/info", "/api/env"):
            sender.request("GET", path)
        found = DebugPages().run(sender, ProbeContext(client.base_url), [])
    assert sorted(f.endpoint for f in found if "environment" in f.message) == ["/admin/info", "/api/env"]


def test_a_page_the_crawl_read_plain_is_judged_though_its_route_has_inputs(tmp_path):
    """damn-vulnerable-nestjs's /api/env shows the environment asked plain and nothing with its
    `filter`: the sweep skips a route with inputs, so the crawl's plain answer is the one to judge."""
    from auditor.probe.engine import ProbeConfig, run_probe
    from auditor.probe.safety import Limits

    from .standin import serve

    dump = '{"environment": {"PATH": "/usr/local/bin:/usr/bin", "HOME": "/home/app", "JWT_SECRET": "x"}}'

    def handle(method, path, headers, body):
        if path == "/":
            return 200, {"Content-Type": "text/html"}, ('<a href="/api/env">env</a>'
                                                        '<form action="/api/env"><input name="filter"></form>')
        if path == "/api/env":
            return 200, {"Content-Type": "application/json"}, dump
        if path.startswith("/api/env?"):
            return 200, {"Content-Type": "application/json"}, '{"environment": {}}'
        return 404, {}, "no"

    (tmp_path / "app.py").write_text("from flask import Flask, request\napp = Flask(__name__)\n\n\n"
                                     "@app.route('/api/env')\ndef env():\n    wanted = request.args.get('filter')\n")
    with serve(handle) as url:
        run = run_probe(ProbeConfig(base_url=url, project=tmp_path, checks=["debug"],
                                    limits=Limits(rps=1000, max_requests=100, timeout=5)))
    assert [c.endpoint for c in run.confirmations if "environment" in c.message] == ["/api/env"]


@pytest.mark.parametrize("answer,confirmed", [
    ('{"error":"Login failed","dbConnection":"postgres://admin:password123@db.internal:5432/patients"}', True),
    ('{"error":"Login failed","dbConnection":"postgres://admin:****@db.internal:5432/patients"}', False),
    ('{"error":"Login failed","hint":"set DATABASE_URL=postgres://user:${DB_PASSWORD}@db/app"}', False),
    ('{"error":"Login failed"}', False),
])
def test_a_database_url_with_its_password_in_an_answer(answer: str, confirmed: bool):
    """MedSecure's failed login answers the connection URL it uses, password and all; a masked or
    templated password is none handed out."""
    from auditor.probe.checks.debug import DebugPages
    from auditor.probe.interface import ProbeContext
    from auditor.probe.safety import Limits, SafeClient
    from auditor.probe.sender import PointSender

    from .standin import serve

    def handle(method, path, headers, body):
        if path != "/auth/login":
            return 404, {"Content-Type": "application/json"}, '{"error": "not found"}'
        return 401, {"Content-Type": "application/json"}, answer

    with serve(handle) as url:
        sender = PointSender(SafeClient(url, Limits(rps=1000)))
        sender.request("POST", "/auth/login", json_body={"username": "a", "password": "b"})
        found = [c for c in DebugPages().run(sender, ProbeContext(url), []) if "database URL" in c.message]
    assert bool(found) is confirmed
    if found:
        assert found[0].endpoint == "/auth/login" and "password123" not in found[0].message

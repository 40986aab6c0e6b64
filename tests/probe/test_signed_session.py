"""A Flask session signed with a key the code gives away is signed again as an administrator's:
a real Flask app (its own itsdangerous checks the forgery) whose SECRET_KEY falls back to a
literal, and its twin whose key is random, so the same forgery is refused."""

from __future__ import annotations

import importlib.util
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from auditor.probe.checks.signed_session import (
    SignedSessionForgery,
    as_admin,
    flask_data,
    flask_key,
    flask_signed,
)
from auditor.probe.interface import ProbeContext, Route
from auditor.probe.safety import Limits, SafeClient
from auditor.probe.sender import PointSender

flask = pytest.importorskip("flask")

APP = '''import os
from flask import Flask, session, request, redirect

app = Flask(__name__)
app.secret_key = {key}
SEEN = []


@app.route("/login", methods=["POST"])
def login():
    session["username"] = request.form["username"]
    session["user_id"] = 7
    return redirect("/home")


@app.route("/home")
def home():
    return "Hello " + session.get("username", "visitor")


@app.route("/admin")
def admin():
    SEEN.append(dict(session))
    if session.get("username") != "admin":
        return "Unauthorized", 403
    return "<h1>Admin panel</h1><p>every user: alice, bob</p>"
'''


@contextmanager
def _serve(tmp_path: Path, key: str, name: str) -> Iterator[tuple[str, object]]:
    from werkzeug.serving import make_server

    (tmp_path / "app.py").write_text(APP.replace("{key}", key))
    spec = importlib.util.spec_from_file_location(name, tmp_path / "app.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    server = make_server("127.0.0.1", 0, module.app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", module
    finally:
        server.shutdown()
        sys.modules.pop(name, None)


def _session_of(module: object) -> str:
    """The cookie the app itself sets at its login (its own signing, not ours)."""
    answer = module.app.test_client().post("/login", data={"username": "alice"})  # type: ignore[attr-defined]
    cookie = answer.headers["Set-Cookie"]
    return cookie.split(";")[0].split("=", 1)[1]


@pytest.mark.parametrize("vulnerable", [True, False])
def test_a_session_signed_with_a_key_of_the_code_is_forged_as_admin(tmp_path: Path, vulnerable: bool):
    key = "os.environ.get('FLASK_SECRET_KEY', 'your_secret_key')" if vulnerable else "os.urandom(24)"
    with _serve(tmp_path, key, f"signed_session_{vulnerable}") as (url, module):
        cookie = _session_of(module)
        client = SafeClient(url, Limits(rps=1000))
        sender = PointSender(client, identity={"Cookie": f"session={cookie}"})
        ctx = ProbeContext(client.base_url, project=tmp_path, pages=["/home"])
        routes = [Route("GET", "/admin", [], "code", "app.py", 22), Route("GET", "/home", [], "code", "app.py", 17)]
        found = SignedSessionForgery().run(sender, ctx, routes)
        seen = list(module.SEEN)
    assert bool(found) is vulnerable
    if vulnerable:
        hit = found[0]
        assert (hit.category, hit.endpoint, hit.severity) == ("weak-authentication", "/admin", "critical")
        assert "your_secret_key" in hit.message and "Admin panel" in hit.exchange.text
        assert {"username": "admin", "user_id": 1} in [{k: s.get(k) for k in ("username", "user_id")} for s in seen]
    else:
        assert all(s.get("username") != "admin" for s in seen)  # the guess failed offline: no forgery sent


def test_without_an_admin_page_the_forged_name_is_shown_back(tmp_path: Path):
    """No page refuses the identity: the user's name is signed again as a canary, and the page
    that greets the user by name greets the canary."""
    key = "'dev-key-in-the-code'"
    with _serve(tmp_path, key, "signed_session_shown") as (url, module):
        cookie = _session_of(module)
        client = SafeClient(url, Limits(rps=1000))
        sender = PointSender(client, identity={"Cookie": f"session={cookie}"})
        ctx = ProbeContext(client.base_url, project=tmp_path, pages=[])
        found = SignedSessionForgery().run(sender, ctx, [Route("GET", "/home", [], "code", "app.py", 17)])
    assert [(f.endpoint, f.point.param.name if f.point else None) for f in found] == [("/home", "session")]
    assert found[0].canary in found[0].exchange.text and "dev-key-in-the-code" in found[0].message


def test_the_cookie_format_round_trips_through_flask(tmp_path: Path):
    """What flask_signed writes, Flask's own serializer reads back under the same key, compressed
    or not, and flask_key finds the key of a cookie Flask signed."""
    from flask.sessions import SecureCookieSessionInterface

    app = flask.Flask("round_trip")
    app.secret_key = "k3y-of-the-code"
    serializer = SecureCookieSessionInterface().get_signing_serializer(app)
    for data in ({"username": "alice"}, {"blob": "x" * 400, "user_id": 3}):
        mine = flask_signed(data, "k3y-of-the-code")
        assert serializer.loads(mine) == data
        theirs = serializer.dumps(data)
        assert flask_data(theirs) == data
        assert flask_key(theirs, [("nope", "a"), ("k3y-of-the-code", "app.py")]) == ("k3y-of-the-code", "app.py")
        assert flask_key(theirs, [("nope", "a")]) is None
    assert flask_data("9f86d081884c7d659a2feaa0c55ad015") is None
    assert flask_data("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.c2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJl") is None


def test_an_administrators_session_reads_as_one():
    data = {"username": "alice", "user_id": 7, "role": "user", "is_admin": False, "theme": "dark", "_fresh": True}
    assert as_admin(data, add=False) == {"username": "admin", "user_id": 1, "role": "admin", "is_admin": True,
                                         "theme": "dark", "_fresh": True}
    added = as_admin({"uid": "12"}, add=True)
    assert added["uid"] == "1" and added["role"] == "admin" and added["isAdmin"] is True

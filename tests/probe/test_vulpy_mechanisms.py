"""Mechanisms found on vulpy's first run (fportantier/vulpy, a Flask app in modules): inputs read
by helpers in other modules, a body merged into a dict, a membership test on the headers, a
blueprint's `/`, password fields that must match, a session cookie of plain JSON, and an MFA
set-up form that is no sign-in."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from urllib.parse import parse_qs

import pytest

from auditor.probe.checks.ratelimit import LoginRateLimit, enrolls
from auditor.probe.checks.session import SessionForgery, decoded, identity_fields
from auditor.probe.interface import InjectionPoint, Param, ProbeContext, Route
from auditor.probe.routes import code_routes
from auditor.probe.routes.inputs import body_inputs, repeats
from auditor.probe.safety import Limits, SafeClient
from auditor.probe.sender import PointSender

from .standin import serve

APP = """from flask import Flask
from mod_api import mod_api

app = Flask(__name__)
app.register_blueprint(mod_api, url_prefix='/api')
"""
MOD_API = """from flask import Blueprint, request, jsonify
import libapi
from libposts import post as save_post

mod_api = Blueprint('mod_api', __name__)


@mod_api.route('/', methods=['GET'])
def index():
    return 'api'


@mod_api.route('/post', methods=['POST'])
def do_post_create():
    data = {'username': libapi.authenticate(request)}
    if not data['username']:
        return jsonify({'error': 'invalid authentication'}), 401
    data.update(request.get_json())
    save_post(data['username'], data['text'])
    return 'ok'
"""
LIBAPI = """from flask import request


def authenticate(request):
    if 'X-APIKEY' not in request.headers:
        return None
    return lookup(request.headers['X-APIKEY'])
"""


def test_inputs_of_a_helper_in_another_module(tmp_path):
    """`libapi.authenticate(request)` reads the X-APIKEY header in libapi.py: the view reads it.
    `data.update(request.get_json())` makes `data` the body: its keys are JSON inputs. The
    blueprint's `/` under `/api` is `/api/` (Flask redirects `/api` there)."""
    (tmp_path / "app.py").write_text(APP)
    (tmp_path / "mod_api.py").write_text(MOD_API)
    (tmp_path / "libapi.py").write_text(LIBAPI)
    (tmp_path / "libposts.py").write_text("def post(user, text):\n    pass\n")
    routes = {(r.method, r.path): r for r in code_routes(tmp_path)}
    assert ("GET", "/api/") in routes
    inputs = [(p.name, p.location) for p in routes[("POST", "/api/post")].params]
    assert ("X-APIKEY", "header") in inputs
    assert ("username", "json") in inputs and ("text", "json") in inputs


def test_a_helper_of_an_unimported_module_is_not_followed(tmp_path):
    (tmp_path / "app.py").write_text(APP)
    (tmp_path / "mod_api.py").write_text(MOD_API.replace("import libapi\n", ""))
    (tmp_path / "libapi.py").write_text(LIBAPI)
    route = next(r for r in code_routes(tmp_path) if r.path == "/api/post")
    assert ("X-APIKEY", "header") not in [(p.name, p.location) for p in route.params]


def test_a_membership_test_names_its_key_and_is_no_iteration():
    body = "    if 'X-APIKEY' not in request.headers:\n        return None\n"
    assert [(p.name, p.location) for p in body_inputs(body, "python")] == [("X-APIKEY", "header")]
    loop = "    for k in request.args:\n        print(k)\n"
    assert len(body_inputs(loop, "python")) == 1  # the stand-in for "every key"


@pytest.mark.parametrize("name,of,twin", [
    ("password_again", "password", True), ("confirm_password", "password", True),
    ("password2", "password", True), ("confirmPassword", "newPassword", True),
    ("id2", "id", False), ("email", "password", False), ("password", "password", False),
])
def test_repeated_inputs(name, of, twin):
    assert repeats(name, of) is twin


def _form_sent(route: Route, at: int, payload: str) -> dict[str, list[str]]:
    """The form body the sender posts for `payload` in `route`'s input number `at`."""
    bodies: list[dict[str, list[str]]] = []

    def handle(method, path, headers, body):
        bodies.append(parse_qs(body.decode(), keep_blank_values=True))
        return 200, {}, "ok"

    with serve(handle) as url:
        PointSender(SafeClient(url, Limits(rps=1000))).send(InjectionPoint(route, route.params[at]), payload)
    return bodies[0]


def test_a_repeated_password_takes_the_payload_too():
    """vulpy's /user/chpasswd only runs its UPDATE when `password_again` equals `password`."""
    route = Route("POST", "/chpasswd", [Param("password", "form"), Param("password_again", "form"),
                                        Param("note", "form")])
    body = _form_sent(route, 0, "x'y")
    assert body["password"] == body["password_again"] == ["x'y"] and body["note"] == ["1"]


def test_a_sign_up_form_keeps_its_confirmation_apart():
    """On a sign-up form matching passwords would make accounts nobody asked for."""
    route = Route("POST", "/register", [Param("username", "form"), Param("password", "form"),
                                        Param("confirm_password", "form")])
    body = _form_sent(route, 1, "x'y")
    assert body["password"] == ["x'y"] and body["confirm_password"] == ["1"]


def _b64(obj: dict[str, str], spaced: bool = True) -> str:
    text = json.dumps(obj) if spaced else json.dumps(obj, separators=(",", ":"))
    return base64.b64encode(text.encode()).decode()


KEY = b"server-side key"


def _session_app(signed: bool):
    """A page that greets the user its `sess` cookie names: plain base64 JSON, or that with an
    HMAC the server checks (an edited cookie is then nobody)."""

    def handle(method, path, headers, body):
        raw = dict(p.strip().split("=", 1) for p in headers.get("Cookie", "").split(";") if "=" in p).get("sess", "")
        value, _, sig = raw.partition(".")
        user = "nobody"
        try:
            if not signed or hmac.compare_digest(sig, hmac.new(KEY, value.encode(), hashlib.sha256).hexdigest()):
                user = json.loads(base64.b64decode(value))["username"]
        except ValueError:
            pass
        return 200, {}, f"<h2>{user} (you)</h2>"

    return handle


@pytest.mark.parametrize("signed", [False, True])
def test_an_unsigned_json_session_is_forged(signed):
    value = _b64({"username": "alice"})
    if signed:
        value += "." + hmac.new(KEY, value.encode(), hashlib.sha256).hexdigest()
    with serve(_session_app(signed)) as url:
        client = SafeClient(url, Limits(rps=1000))
        sender = PointSender(client, identity={"Cookie": f"sess={value}"})
        ctx = ProbeContext(client.base_url, pages=["/me"])
        found = SessionForgery().run(sender, ctx, [])
        sent = client.sent
    assert bool(found) is not signed
    if found:
        assert found[0].category == "weak-authentication" and found[0].endpoint == "/me"
    else:
        assert sent == 0  # a signed value never decodes as JSON: nothing is sent


@pytest.mark.parametrize("value,fields", [
    (_b64({"username": "alice", "theme": "dark"}), ["username"]),
    (_b64({"user_id": "42x", "cart": "3"}, spaced=False), ["user_id"]),
    ("j%3A%7B%22email%22%3A%22a%40b.c%22%7D", ["email"]),
    ("9f86d081884c7d659a2feaa0c55ad015", None),
    ("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln", None),
])
def test_session_cookie_decoding(value, fields):
    found = decoded(value)
    assert (identity_fields(found[0]) if found else None) == fields
    if found:  # written back the way it came
        assert decoded(found[1](found[0]))[0] == found[0]


def test_an_mfa_set_up_form_is_no_sign_in(tmp_path):
    """vulpy's POST /mfa/ (`def do_mfa_enable`) checks the code of a secret it just showed the
    signed-in user: guessing it gains nothing, so its burst is not sent."""
    (tmp_path / "mod_mfa.py").write_text("@mod_mfa.route('/', methods=['POST'])\ndef do_mfa_enable():\n    pass\n")
    setup = Route("POST", "/mfa/", [Param("otp", "form")], "code", "mod_mfa.py", 2)
    assert enrolls(setup, tmp_path)
    assert enrolls(Route("POST", "/2fa/setup", [Param("code", "form")]), None)
    assert not enrolls(Route("POST", "/2fa/verify", [Param("code", "form")]), None)
    hits: list[str] = []

    def handle(method, path, headers, body):
        hits.append(path)
        return 200, {}, "Invalid OTP"

    with serve(handle) as url:
        client = SafeClient(url, Limits(rps=1000))
        assert LoginRateLimit().run(PointSender(client), ProbeContext(client.base_url, project=tmp_path), [setup]) == []
    assert hits == []

"""Site checks behind a login recipe (SKF JWT-null and CORS labs, Flask and Express): the JWT
comes from the login's answer and goes back with the scheme it came with, `alg` is spelled as
code that compares it case-sensitively expects, and CORS is read with the session on. Stand-ins
written here, in the shape of those labs; each fixed one must stay unconfirmed."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import pytest

from auditor.probe.checks.cors import CorsReflection
from auditor.probe.checks.jwt import JwtForgery
from auditor.probe.interface import ProbeContext, Route
from auditor.probe.login import parse_login, recipe_from, sign_in
from auditor.probe.safety import Limits, SafeClient
from auditor.probe.sender import PointSender

from .standin import Handler as Handle
from .standin import serve

SECRET = b"stand-in-signing-key"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _sign(head: str, body: str) -> str:
    return _b64(hmac.new(SECRET, f"{head}.{body}".encode(), hashlib.sha256).digest())


def _issue(user_id: int) -> str:
    head = _b64(b'{"typ":"JWT","alg":"HS256"}')
    body = _b64(json.dumps({"identity": user_id}).encode())
    return f"{head}.{body}.{_sign(head, body)}"


def _flask_jwt_lab(vulnerable: bool) -> Handle:
    """Flask-JWT's shape: POST /auth (JSON) answers access_token; /protected takes
    `Authorization: JWT <token>`, decodes the header with padding-strict b64decode, and (the flaw)
    skips verification when alg is exactly "NONE"."""
    users = {1: "user: guest", 3: "immortal: admin"}

    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], str]:
        if method == "POST" and path == "/auth":
            data = json.loads(body or b"{}")
            if data.get("username") == "user" and data.get("password") == "user":
                return 200, {"Content-Type": "application/json"}, json.dumps({"access_token": _issue(1)})
            return 401, {}, "bad credentials"
        if path == "/protected":
            auth = headers.get("Authorization", "")
            try:
                head, claims, sig = auth[4:].split(".")
                alg = json.loads(base64.b64decode(head))["alg"]  # not urlsafe, padding required
                if not (vulnerable and alg == "NONE") and not hmac.compare_digest(sig, _sign(head, claims)):
                    return 500, {}, "signature verification failed"
                data = json.loads(base64.urlsafe_b64decode(claims + "=" * (-len(claims) % 4)))
                return 200, {}, f"Welcome {users.get(data['identity'], 'nobody')}"
            except (ValueError, KeyError):
                return 200, {}, "User does not exist"
        return 200, {}, "<a href='/protected'>protected</a>"

    return handle


def _site(url: str, logins: list, check, routes: list[Route]):
    client = SafeClient(url, Limits(rps=1000))
    sender = PointSender(client)
    ctx = ProbeContext(client.base_url)
    ctx.identities = sign_in(client, logins)
    client.identities = [h for _, h in ctx.identities]
    return check.run(sender, ctx, routes), client


@pytest.mark.parametrize("vulnerable", [True, False])
def test_jwt_from_a_login_with_its_scheme_and_alg_spelling(vulnerable):
    recipe = recipe_from("user", {"method": "POST", "path": "/auth", "json": {"username": "user", "password": "user"},
                                  "scheme": "JWT"})
    with serve(_flask_jwt_lab(vulnerable)) as url:
        found, client = _site(url, [recipe], JwtForgery(), [Route("GET", "/protected", [])])
    assert bool(found) is vulnerable
    if vulnerable:
        assert "alg NONE" in found[0].message
        assert found[0].exchange.request_headers.get("authorization", "").startswith("JWT ")
    assert len(client.log) <= 12


def test_forged_parts_need_no_padding():
    from auditor.probe.checks.jwt import forged

    for _, tok in forged(_issue(1), "audcanary"):
        head, claims, _ = tok.split(".")
        assert len(head) % 4 == 0 and len(claims) % 4 == 0
        assert json.loads(base64.b64decode(head))["alg"]


def _cors_lab(vulnerable: bool) -> Handle:
    """The SKF CORS lab's shape: any Origin reflected (flask-cors with origins '*'), and the
    confidential page sets Access-Control-Allow-Credentials only for a logged-in session."""

    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], str]:
        if method == "POST" and path == "/login":
            if body == b"username=admin&password=admin":
                return 302, {"Location": "/confidential", "Set-Cookie": "session=s3ss10n; HttpOnly; Path=/"}, ""
            return 200, {}, "login"
        out: dict[str, str] = {}
        if origin := headers.get("Origin"):
            out["Access-Control-Allow-Origin"] = origin if vulnerable else "https://app.example"
        if path == "/confidential" and "session=s3ss10n" in headers.get("Cookie", ""):
            out["Access-Control-Allow-Credentials"] = "true"
            return 200, out, "secret notes"
        return (500 if path == "/confidential" else 200), out, "please log in"

    return handle


@pytest.mark.parametrize("vulnerable", [True, False])
def test_cors_with_credentials_behind_a_login(vulnerable):
    recipe = parse_login("admin=POST:/login:username=admin&password=admin")
    with serve(_cors_lab(vulnerable)) as url:
        found, _ = _site(url, [recipe], CorsReflection(), [Route("GET", "/login", []), Route("GET", "/confidential", [])])
    assert bool(found) is vulnerable


WEAK = b"secret"  # on jwt_keys' list of keys people leave in place


def _two_verifiers(vulnerable: bool) -> Handle:
    """we45's Vulnerable-Flask-App's shape: the raw token in `Authorization` (no scheme); GET
    /get/<id> decodes it without verifying (the flaw), POST /search (JSON body) verifies HS256
    with a guessable key (the flaw). Fixed: both verify with a strong key."""
    key = WEAK if vulnerable else SECRET

    def valid(tok: str, verify: bool) -> bool:
        try:
            head, claims, sig = tok.split(".")
            json.loads(base64.urlsafe_b64decode(claims + "=" * (-len(claims) % 4)))
        except ValueError:
            return False
        good = _b64(hmac.new(key, f"{head}.{claims}".encode(), hashlib.sha256).digest())
        return not verify or hmac.compare_digest(sig, good)

    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], str]:
        tok = headers.get("Authorization", "")
        if path.startswith("/get/") and method == "GET":
            return (200, {}, f"customer {path[5:]}") if valid(tok, verify=not vulnerable) else (403, {}, "no")
        if path == "/search" and method == "POST":
            term = json.loads(body or b"{}").get("search", "")
            return (200, {}, f"results for {term}") if valid(tok, verify=True) else (403, {}, "no")
        return 200, {}, "index"

    return handle


def _issue_with(key: bytes) -> str:
    head = _b64(b'{"typ":"JWT","alg":"HS256"}')
    body = _b64(json.dumps({"user": "admin", "iss": "we45"}).encode())
    return f"{head}.{body}.{_b64(hmac.new(key, f'{head}.{body}'.encode(), hashlib.sha256).digest())}"


@pytest.mark.parametrize("vulnerable", [True, False])
def test_jwt_on_a_path_route_and_a_json_post_each_verifier_once(vulnerable):
    from auditor.probe.interface import Param

    routes = [Route("GET", "/", []),
              Route("GET", "/get/{cust_id}", [Param("cust_id", "path"), Param("Authorization", "header")]),
              Route("POST", "/search", [Param("Authorization", "header"), Param("search", "json")]),
              Route("POST", "/fetch", [Param("Authorization", "header"), Param("id", "json")])]
    with serve(_two_verifiers(vulnerable)) as url:
        client = SafeClient(url, Limits(rps=1000))
        sender = PointSender(client, identity={"Authorization": _issue_with(WEAK if vulnerable else SECRET)})
        found = JwtForgery().run(sender, ProbeContext(client.base_url), routes)
    assert bool(found) is vulnerable
    if vulnerable:
        by_route = {(f.method, f.endpoint): f.message for f in found}
        assert set(by_route) == {("GET", "/get/{cust_id}"), ("POST", "/search")}  # /fetch shares /search's verifier
        assert "junk signature" in by_route[("GET", "/get/{cust_id}")]
        assert "guessed offline" in by_route[("POST", "/search")]
        assert all(f.exchange.request_headers["authorization"].count(".") == 2 for f in found)  # no scheme added

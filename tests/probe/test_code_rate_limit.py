"""Missing rate limiting on a one-time-code form (an OTP, a 2FA code, a PIN): the login burst's
30 wrong values, sent to the code input. A form that locks after five wrong codes is clean."""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest

from auditor.probe.checks.ratelimit import LoginRateLimit, code_field
from auditor.probe.interface import Param, ProbeContext, Route
from auditor.probe.safety import Limits, SafeClient
from auditor.probe.sender import PointSender

from .standin import serve


def _otp_app(limited: bool, codes: list[str]):
    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], bytes]:
        code = parse_qs(body.decode()).get("otp", [""])[0]
        codes.append(code)
        if not code.isdigit():  # the code is looked up in a number column: a letter crashes it
            return 500, {"Content-Type": "text/html"}, b"<p>ValueError</p>"
        if limited and len(codes) > 5:
            return 429, {"Content-Type": "text/html", "Retry-After": "60"}, b"<p>Too many attempts</p>"
        return 200, {"Content-Type": "text/html"}, b"<p>Invalid OTP, please try again</p>"

    return handle


@pytest.mark.parametrize("limited", [False, True])
def test_otp_form_without_a_limit_is_confirmed(limited: bool):
    codes: list[str] = []
    with serve(_otp_app(limited, codes)) as url:
        client = SafeClient(url, Limits(rps=1000))
        route = Route("POST", "/otp", [Param("otp", "form")])
        found = LoginRateLimit().run(PointSender(client), ProbeContext(client.base_url), [route])
    assert bool(found) is not limited
    if found:
        assert found[0].endpoint == "/otp" and "one-time-code" in found[0].message
    assert len(codes) <= 30 and all(c.isdigit() for c in codes)  # bounded, and digits (a number column)


@pytest.mark.parametrize("name,is_code", [
    ("otp", True), ("totp_code", True), ("mfaToken", True), ("pin", True), ("verification_code", True),
    ("oneTimePassword", True), ("code", False), ("coupon", False), ("username", False), ("spinner", False),
])
def test_code_field_by_name(name: str, is_code: bool):
    route = Route("POST", "/verify", [Param(name, "form")])
    assert (code_field(route) is not None) is is_code


def test_code_field_not_in_a_large_form_nor_on_a_get():
    big = Route("POST", "/checkout", [Param(n, "form") for n in ("pin", "street", "city", "zip")])
    assert code_field(big) is None
    assert code_field(Route("GET", "/otp", [Param("otp", "query")])) is None


def _query_otp_app(limited: bool, codes: list[str]):
    """vuln-express-app's shape: POST /v1/user/<id>/validate-otp?token=NNNNNN (the code in the query)."""

    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], bytes]:
        from urllib.parse import urlsplit

        parts = urlsplit(path)
        if method != "POST" or parts.path != "/v1/user/1/validate-otp":
            return 404, {}, b"not found"
        codes.append(parse_qs(parts.query).get("token", [""])[0])
        if limited and len(codes) > 5:
            return 429, {"Retry-After": "60"}, b'{"error": "too many"}'
        return 401, {"Content-Type": "application/json"}, b'{"error": "invalid token"}'

    return handle


@pytest.mark.parametrize("limited", [False, True])
def test_a_code_in_the_query_of_a_path_that_names_it(limited: bool):
    codes: list[str] = []
    route = Route("POST", "/v1/user/{id}/validate-otp", [Param("id", "path"), Param("seed", "query"),
                                                         Param("token", "query")])
    assert code_field(route) == route.params[2]
    with serve(_query_otp_app(limited, codes)) as url:
        client = SafeClient(url, Limits(rps=1000))
        found = LoginRateLimit().run(PointSender(client), ProbeContext(client.base_url), [route])
    assert bool(found) is not limited
    assert codes and all(c.isdigit() and len(c) == 6 for c in codes) and len(codes) <= 30


@pytest.mark.parametrize("path,name,is_code", [
    ("/2fa/verify", "code", True), ("/account/otp", "token", True), ("/api/token", "token", False),
    ("/reset/verify", "token", False), ("/user/otp-settings", "theme", False),
])
def test_code_field_by_path(path: str, name: str, is_code: bool):
    assert (code_field(Route("POST", path, [Param(name, "query")])) is not None) is is_code


def _two_logins_app(sent: dict[str, int]):
    """A site with two login handlers: `/api/auth/login` locks after five tries, the older
    `/legacy/login` never does (DemoCyberSecurity's shape, one limiter per route)."""

    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], bytes]:
        sent[path] = sent.get(path, 0) + 1
        if path == "/api/auth/login" and sent[path] > 5:
            return 429, {"Retry-After": "300"}, b'{"error": "too many attempts"}'
        if path in ("/api/auth/login", "/legacy/login", "/legacy/signin"):
            return 401, {"Content-Type": "application/json"}, b'{"error": "invalid credentials"}'
        return 404, {}, b"not found"

    return handle


def test_each_login_handler_is_burst_on_its_own():
    sent: dict[str, int] = {}
    body = [Param("username", "json"), Param("password", "json")]
    routes = [Route("POST", "/api/auth/login", list(body), file="auth.ts", line=10),
              Route("POST", "/legacy/login", list(body), file="legacy.ts", line=5),
              Route("POST", "/legacy/signin", list(body), file="legacy.ts", line=5)]  # the same handler again
    with serve(_two_logins_app(sent)) as url:
        client = SafeClient(url, Limits(rps=1000))
        found = LoginRateLimit().run(PointSender(client), ProbeContext(client.base_url), routes)
    assert [f.endpoint for f in found] == ["/legacy/login"]  # the limited login is no finding
    assert "/legacy/signin" not in sent  # one handler mounted twice is burst once
    assert sent["/api/auth/login"] <= 6 and sent["/legacy/login"] <= 30


def _visitor_only_login(limited: bool, tries: list[str]):
    """dvpwa's shape: the login form at `/` is shown to visitors only (a signed-in session is
    shown its home page, with no form and no link to one), and nothing limits wrong passwords."""

    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], bytes]:
        signed_in = "sid=good" in headers.get("Cookie", "")
        if path == "/" and method == "POST":
            form = parse_qs(body.decode())
            if form.get("password") == ["pw-of-alice"] and form.get("username") == ["alice"]:
                return 302, {"Location": "/", "Set-Cookie": "sid=good; Path=/"}, b""
            tries.append(form.get("password", [""])[0])
            if limited and len(tries) > 5:
                return 429, {"Retry-After": "60"}, b"<p>slow down</p>"
            return 200, {"Content-Type": "text/html"}, b"<p>Invalid username or password</p>"
        if path == "/":
            page = b"<h1>Welcome back</h1>" if signed_in else \
                b'<form method="post" action="/"><input name="username"><input type="password" name="password"></form>'
            return 200, {"Content-Type": "text/html"}, page
        return 404, {}, b"not found"

    return handle


@pytest.mark.parametrize("limited", [False, True])
def test_a_recipe_login_shown_to_visitors_only_is_burst(tmp_path, limited: bool):
    from auditor.probe.engine import ProbeConfig, run_probe
    from auditor.probe.login import parse_login

    tries: list[str] = []
    with serve(_visitor_only_login(limited, tries)) as url:
        cfg = ProbeConfig(base_url=url, project=tmp_path, limits=Limits(rps=500, max_requests=200, timeout=5),
                          logins=[parse_login("alice=POST:/:username=alice&password=pw-of-alice")],
                          checks=["ratelimit"])
        run = run_probe(cfg)
    found = [c for c in run.confirmations if c.category == "missing-rate-limiting"]
    assert [c.endpoint for c in found] == ([] if limited else ["/"])
    assert any(t.startswith("wrong") for t in tries)  # the burst reached the recipe's login


def test_routes_that_name_a_login_are_burst_before_forms_that_only_look_like_one(monkeypatch):
    from auditor.probe.checks import ratelimit

    sent: dict[str, int] = {}

    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], bytes]:
        sent[path] = sent.get(path, 0) + 1
        return 401, {"Content-Type": "application/json"}, b'{"error": "invalid credentials"}'

    monkeypatch.setattr(ratelimit, "MAX_LOGINS", 1)
    body = [Param("user", "json"), Param("password", "json")]
    routes = [Route("POST", "/db/connect", list(body)), Route("POST", "/api/login", list(body))]
    with serve(handle) as url:
        client = SafeClient(url, Limits(rps=1000))
        found = LoginRateLimit().run(PointSender(client), ProbeContext(client.base_url), routes)
    assert [f.endpoint for f in found] == ["/api/login"] and "/db/connect" not in sent

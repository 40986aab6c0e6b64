"""A privilege the client claims in a header (damn-vulnerable-nestjs's `X-Admin-Override: true`,
Tiredful-API's `IsAdmin: True`): refused without it, let through with it, refused again without
it. A route whose header changes nothing (or that lets everyone through) is no finding."""

from __future__ import annotations

import json

import pytest

from auditor.probe.checks.claimed_privilege import ClaimedPrivilege
from auditor.probe.interface import Param, ProbeContext, Route
from auditor.probe.safety import Limits, SafeClient
from auditor.probe.sender import PointSender

from .standin import serve


def _app(mode: str):
    def handle(method, path, headers, body):
        if headers.get("Authorization") != "Bearer alice":
            return 401, {"Content-Type": "application/json"}, '{"error": "login"}'
        claimed = headers.get("X-Admin-Override") == "true"
        if mode == "open" or (mode == "override" and claimed):
            return 201, {"Content-Type": "application/json"}, json.dumps({"created": json.loads(body or b"{}")})
        return 403, {"Content-Type": "application/json"}, '{"error": "admins only"}'

    return handle


@pytest.mark.parametrize("mode,found", [("override", True), ("checked", False), ("open", False)])
def test_a_header_that_claims_admin(mode: str, found: bool):
    route = Route("POST", "/products", [Param("name", "json"), Param("Authorization", "header"),
                                        Param("X-Admin-Override", "header", "true")], "code")
    with serve(_app(mode)) as url:
        client = SafeClient(url, Limits(rps=1000))
        sender = PointSender(client, identity={"Authorization": "Bearer alice"})
        out = ClaimedPrivilege().run(sender, ProbeContext(client.base_url), [route])
    assert [(c.category, c.endpoint, c.point.param.name) for c in out if c.point] == \
        ([("broken-access-control", "/products", "X-Admin-Override")] if found else [])


def test_only_privilege_headers_with_a_compared_value():
    from auditor.probe.checks.claimed_privilege import claims

    route = Route("GET", "/x", [Param("IsAdmin", "header", "True"), Param("X-Request-Id", "header", "abc"),
                                Param("X-Role", "header"), Param("X-Debug", "header", "1", filled=True)])
    assert [p.name for p in claims(route)] == ["IsAdmin"]


ADMIN_VIEW = """from flask import Flask, redirect, request

app = Flask(__name__)


@app.route('/admin/users')
def admin_users():
    is_admin = request.cookies.get('is_admin', 'false')
    if is_admin.lower() in ['true', '1', 'yes']:
        return 'every user'
    return redirect('/')
"""


@pytest.mark.parametrize("refusal", ["redirect", "message"])
@pytest.mark.parametrize("trusts_cookie", [True, False])
def test_a_cookie_that_claims_admin_on_a_page_that_refuses_others(tmp_path, trusts_cookie: bool, refusal: str):
    # the route and its cookie's compared value are read from the code (`.lower() in [...]`); the
    # page sends a visitor without the claim home with a redirect, or says no in a line (a 200);
    # the login set `is_admin=False` among the identity's cookies, and a server reads the first
    from auditor.probe.routes import code_routes

    (tmp_path / "admin.py").write_text(ADMIN_VIEW)
    routes = code_routes(tmp_path)
    assert [(p.name, p.location, p.example) for p in routes[0].params] == [("is_admin", "cookie", "true")]

    def handle(method, path, headers, body):
        cookies: dict[str, str] = {}
        for pair in headers.get("Cookie", "").split(";"):
            name, _, value = pair.strip().partition("=")
            cookies.setdefault(name, value)
        if trusts_cookie and cookies.get("is_admin") == "true" and cookies.get("sid") == "alice":
            return 200, {}, "<table>" + "<tr><td>user</td><td>mail</td></tr>" * 20 + "</table>"
        return (302, {"Location": "/"}, "") if refusal == "redirect" else (200, {}, "<p>admins only</p>")

    with serve(handle) as url:
        client = SafeClient(url, Limits(rps=1000))
        sender = PointSender(client, identity={"Cookie": "sid=alice; is_admin=False"})
        out = ClaimedPrivilege().run(sender, ProbeContext(client.base_url), routes)
    assert [(c.endpoint, c.point.param.name) for c in out if c.point] == \
        ([("/admin/users", "is_admin")] if trusts_cookie else [])
    if out:
        assert "a cookie any client sets" in out[0].message

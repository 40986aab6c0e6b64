"""A login that takes a wrong password for an account that exists (the password never
compared): the session it opens is shown a private page. Not where the password is checked,
nor where any made-up name is let in too (nothing then tells the account's password apart)."""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest

from auditor.probe.checks.wrong_password import WrongPassword
from auditor.probe.interface import Param, ProbeContext, Route
from auditor.probe.safety import Limits, SafeClient
from auditor.probe.sender import PointSender

from .standin import serve

ROUTES = [Route("POST", "/login", [Param("username", "form"), Param("password", "form")], "code", "app.js", 5),
          Route("GET", "/dashboard", [], "code", "app.js", 20)]


def _app(checks: str):
    sessions: dict[str, str] = {}

    def handle(method, path, headers, body):
        if method == "POST" and path == "/login":
            form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
            name, password = form.get("username", ""), form.get("password", "")
            known = name == "alice"
            ok = {"password": known and password == "alice-Pw-1", "name only": known, "nothing": True}[checks]
            if not ok:
                return 302, {"Location": "/login?error=1"}, ""
            sid = f"s{len(sessions)}"
            sessions[sid] = name
            return 302, {"Location": "/dashboard", "Set-Cookie": f"sid={sid}; Path=/"}, ""
        if path == "/dashboard":
            sid = headers.get("Cookie", "").removeprefix("sid=")
            if sid not in sessions and sid != "alice-session":
                return 302, {"Location": "/login"}, ""
            return 200, {}, "<h1>Your orders</h1>"
        return 200, {}, "<form method=post action=/login><input name=username><input type=password name=password></form>"
    return handle


@pytest.mark.parametrize("checks,confirmed", [("name only", True), ("password", False), ("nothing", False)])
def test_a_wrong_password_for_an_existing_account(checks: str, confirmed: bool):
    with serve(_app(checks)) as url:
        client = SafeClient(url, Limits(rps=1000))
        sender = PointSender(client, identity={"Cookie": "sid=alice-session"})
        ctx = ProbeContext(client.base_url, identities=[("alice", {"Cookie": "sid=alice-session"})], accounts=["alice"])
        found = WrongPassword().run(sender, ctx, ROUTES)
    assert [(f.category, f.endpoint) for f in found] == ([("weak-authentication", "/login")] if confirmed else [])

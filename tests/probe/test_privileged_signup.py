"""Mass assignment at sign-up: two throwaway accounts, one signed up with privileged fields
(is_staff, isAdmin, role...), the other without; confirmed when only the first opens the admin
pages. Stand-ins: a Django-like form site (session cookie) and a JSON API (bearer token), each
saving the flags (vulnerable) or dropping them (fixed)."""

from __future__ import annotations

import json
import os
from urllib.parse import parse_qs

import pytest

from auditor.probe.checks.privileged_signup import PrivilegedSignup, admin_pages
from auditor.probe.interface import Param, ProbeContext, Route
from auditor.probe.safety import Limits, SafeClient
from auditor.probe.sender import PointSender

from .standin import serve

LOGIN_FORM = '<form method="post"><input name="username"><input type="password" name="password"></form>'


class Site:
    """Accounts by name: password and whether staff; sessions by cookie or token."""

    def __init__(self, saves_flags: bool, json_api: bool, staff_login_only: bool = False) -> None:
        self.saves_flags, self.json_api, self.staff_login_only = saves_flags, json_api, staff_login_only
        self.users: dict[str, tuple[str, bool]] = {}
        self.sessions: dict[str, str] = {}

    def _fields(self, body: bytes) -> dict[str, object]:
        if self.json_api:
            return json.loads(body or b"{}")
        return {k: v[0] for k, v in parse_qs(body.decode()).items()}

    def _user(self, headers: dict[str, str]) -> str | None:
        cookie = headers.get("Cookie", "")
        sid = cookie.split("sid=", 1)[1].split(";")[0] if "sid=" in cookie else ""
        token = headers.get("Authorization", "").removeprefix("Bearer ")
        return self.sessions.get(sid or token)

    def handle(self, method: str, path: str, headers: dict[str, str], body: bytes):
        if path == "/register" and method == "POST":
            f = self._fields(body)
            staff = self.saves_flags and f.get("is_staff") in ("on", True)
            self.users[str(f["username"])] = (str(f["password"]), staff)
            return (201, {"Content-Type": "application/json"}, b'{"ok": true}') if self.json_api else \
                (302, {"Location": "/login"}, b"")
        if path == "/login" and method == "POST":
            f = self._fields(body)
            known = self.users.get(str(f.get("username")))
            if known is None or known[0] != f.get("password") or (self.staff_login_only and not known[1]):
                return (401, {}, b'{"error": "bad credentials"}') if self.json_api else (200, {}, LOGIN_FORM)
            sid = os.urandom(8).hex()
            self.sessions[sid] = str(f["username"])
            if self.json_api:
                return 200, {"Content-Type": "application/json"}, json.dumps({"data": {"token": sid}}).encode()
            return 302, {"Location": "/home", "Set-Cookie": f"sid={sid}; Path=/"}, b""
        if path in ("/register", "/login"):
            return 200, {}, LOGIN_FORM
        if path == "/admin/":
            user = self._user(headers)
            if user is None:
                return 302, {"Location": "/admin/login/?next=/admin/"}, b""
            if not self.users[user][1]:
                return 403, {}, b"<p>staff only</p>"
            return 200, {}, b"<h1>Site administration</h1>"
        return 404, {}, b"not found"


def _routes(json_api: bool) -> list[Route]:
    where = "json" if json_api else "form"
    return [Route("POST", "/register", [Param("username", where), Param("email", where), Param("password", where)]),
            Route("POST", "/login", [Param("username", where), Param("password", where)]),
            Route("GET", "/admin/", []), Route("GET", "/admin/login/", [])]


def _run(site: Site) -> list:
    with serve(site.handle) as url:
        client = SafeClient(url, Limits(rps=1000))
        return PrivilegedSignup().run(PointSender(client), ProbeContext(client.base_url), _routes(site.json_api))


@pytest.mark.parametrize("json_api", [False, True])
@pytest.mark.parametrize("saves_flags", [True, False])
def test_signup_that_saves_staff_flags_is_confirmed(saves_flags: bool, json_api: bool):
    site = Site(saves_flags, json_api)
    found = _run(site)
    assert bool(found) is saves_flags
    assert len(site.users) == 2  # two throwaway accounts, nothing else touched
    if found:
        assert found[0].category == "mass-assignment" and found[0].endpoint == "/register"
        assert found[0].method == "POST" and "Site administration" in found[0].exchange.text


def test_no_finding_when_the_plain_account_never_logged_in():
    # a back-office whose login takes staff only: the plain account's login is refused (its form
    # shown again), so the two accounts differ by more than the flags and nothing is concluded
    assert _run(Site(True, False, staff_login_only=True)) == []


def test_admin_pages_leave_out_logins_and_templates():
    routes = [Route("GET", "/admin/", []), Route("GET", "/admin/login/", []), Route("GET", "/admin/users/{id}", []),
              Route("GET", "/api/admin/stats", []), Route("POST", "/admin/", []), Route("GET", "/administration", [])]
    assert admin_pages(routes) == ["/admin/", "/api/admin/stats"]

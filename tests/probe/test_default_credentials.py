"""Default credentials at the site's login: confirmed where admin's password is one of the usual
ones and a made-up account is refused; not where the password is strong, nor where the login
lets every account in (nothing then tells a success apart). An address the seed data names is
tried where the login asks for a mail."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs

import pytest

from auditor.probe.checks.default_credentials import DefaultCredentials, admin_mails, tries
from auditor.probe.interface import Param, ProbeContext, Route
from auditor.probe.safety import Limits, SafeClient
from auditor.probe.sender import PointSender

from .standin import serve

FORM_LOGIN = Route("POST", "/login", [Param("username", "form"), Param("password", "form")], "code", "app.js", 5)
JSON_LOGIN = Route("POST", "/api/auth/login", [Param("email", "json"), Param("password", "json")], "code", "auth.ts", 9)


def _form_app(password: str, lets_all_in: bool = False):
    attempts: list[tuple[str, str]] = []

    def handle(method, path, headers, body):
        if method == "POST" and path == "/login":
            form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
            attempts.append((form.get("username", ""), form.get("password", "")))
            if lets_all_in or (form.get("username"), form.get("password")) == ("admin", password):
                return 302, {"Location": "/dashboard", "Set-Cookie": "sid=S-admin; Path=/"}, ""
            return 302, {"Location": "/login?error=1"}, ""
        return 200, {}, "<form method=post><input name=username><input type=password name=password></form>"
    return handle, attempts


@pytest.mark.parametrize("password,found", [("admin123", True), ("x7!Vq-correct-horse", False)])
def test_a_default_admin_password_at_a_form_login(password: str, found: bool):
    handle, attempts = _form_app(password)
    with serve(handle) as url:
        client = SafeClient(url, Limits(rps=1000))
        ctx = ProbeContext(client.base_url)
        hits = DefaultCredentials().run(PointSender(client), ctx, [FORM_LOGIN])
    assert [(h.category, h.endpoint, h.point.param.name if h.point else None) for h in hits] == \
        ([("weak-authentication", "/login", "password")] if found else [])
    assert [r.form for r, _ in ctx.default_logins] == ([{"password": "admin123", "username": "admin"}] if found else [])
    # a handful of passwords per name at most: no lockout of a real administrator
    assert max(sum(1 for u, _ in attempts if u == name) for name in {u for u, _ in attempts}) <= 6


def test_a_login_that_lets_everyone_in_is_not_judged():
    handle, attempts = _form_app("admin", lets_all_in=True)
    with serve(handle) as url:
        client = SafeClient(url, Limits(rps=1000))
        assert DefaultCredentials().run(PointSender(client), ProbeContext(client.base_url), [FORM_LOGIN]) == []
    assert len(attempts) == 1  # the control only


def test_an_address_of_the_seed_data_at_a_mail_login(tmp_path: Path):
    (tmp_path / "seed.sql").write_text("INSERT INTO users (email, password) VALUES ('Admin@Telco.com', 'admin123');\n")
    assert admin_mails(tmp_path) == ["admin@telco.com"]
    assert tries(Param("email", "json"), ["admin@telco.com"], ["alice@example.com"])[:2] == \
        [("admin@telco.com", "admin"), ("admin@telco.com", "admin123")]

    def handle(method, path, headers, body):
        if method == "POST":
            sent = json.loads(body or b"{}")
            if (sent.get("email"), sent.get("password")) == ("admin@telco.com", "admin123"):
                return 200, {"Content-Type": "application/json"}, json.dumps({"token": "eyJhbGciOiJIUzI1NiJ9.e30.x"})
            return 401, {"Content-Type": "application/json"}, '{"error": "Invalid credentials"}'
        return 404, {}, ""

    with serve(handle) as url:
        client = SafeClient(url, Limits(rps=1000))
        ctx = ProbeContext(client.base_url, project=tmp_path, accounts=["alice@example.com"])
        hits = DefaultCredentials().run(PointSender(client), ctx, [JSON_LOGIN])
    assert [h.endpoint for h in hits] == ["/api/auth/login"] and "admin@telco.com" in hits[0].message
    assert ctx.default_logins[0][0].json_body == {"password": "admin123", "email": "admin@telco.com"}

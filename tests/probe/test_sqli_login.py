"""SQL injection in a login's user name, with the password condition after it and errors
hidden: a stand-in login form backed by a real in-memory SQLite database. An AND on the name
alone answers "login failed" true or false (the password is wrong either way); the account
shape cuts the password condition after a likely account name. The fixed form binds both."""

from __future__ import annotations

import base64
import html
import os
import sqlite3
import threading
from urllib.parse import parse_qs

import pytest

from auditor.probe.checks.sqli import SqlInjection, account_values
from auditor.probe.interface import InjectionPoint, Param, ProbeContext, Route
from auditor.probe.profile import point_key, profile_point
from auditor.probe.safety import Limits, SafeClient
from auditor.probe.sender import PointSender

from .standin import serve


def _login_app(vulnerable: bool, sent: list[str], csrf: bool = False):
    db = sqlite3.connect(":memory:", check_same_thread=False)
    db.execute("CREATE TABLE users (name TEXT, password TEXT)")
    db.executemany("INSERT INTO users VALUES (?, ?)", [("admin", "s3cret-admin"), ("jack", "jack-pw")])
    lock = threading.Lock()  # one connection, a threaded server

    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], bytes]:
        form = {k: v[0] for k, v in parse_qs(body.decode(), keep_blank_values=True).items()}
        name, password = form.get("name", ""), form.get("password", "")
        sent.append(name)
        row = None
        with lock:
            try:
                if vulnerable:
                    row = db.execute("SELECT name FROM users WHERE name='" + name + "' AND password='" + password + "'").fetchone()
                else:
                    row = db.execute("SELECT name FROM users WHERE name=? AND password=?", (name, password)).fetchone()
            except sqlite3.Error:
                row = None  # errors hidden: the same page as a wrong password
        page = f"<h2>Welcome {html.escape(row[0])}</h2>" if row else "<p>Login failed</p>"
        if csrf:  # a form token masked anew on every page, as Django's and Rails' are
            page += f'<form><input type="hidden" name="csrfmiddlewaretoken" value="{base64.urlsafe_b64encode(os.urandom(48)).decode()}"></form>'

        return 200, {"Content-Type": "text/html"}, page.encode()

    return handle


ROUTE = Route("POST", "/injection_lab", [Param("name", "form"), Param("password", "form")])


def _probe(vulnerable: bool, with_profile: bool, csrf: bool = False):
    sent: list[str] = []
    with serve(_login_app(vulnerable, sent, csrf)) as url:
        client = SafeClient(url, Limits(rps=1000))
        sender = PointSender(client)
        point = InjectionPoint(ROUTE, ROUTE.params[0])
        ctx = ProbeContext(client.base_url, delay=0)  # no time-based tries: the differential alone
        check = SqlInjection()
        if with_profile:  # as a full run does: the polyglot profile first, then worth()
            ctx.profiles[point_key(point)] = profile = profile_point(sender, point)
            if not check.worth(point, profile):
                return None, sent
        return check.run(sender, ctx, point), sent


@pytest.mark.parametrize("csrf", [False, True])
@pytest.mark.parametrize("with_profile", [True, False])
def test_login_name_injection_confirmed(with_profile: bool, csrf: bool):
    found, sent = _probe(True, with_profile, csrf)
    assert found is not None and "evaluated as SQL" in found.message
    assert found.canary.startswith("admin' AND ")
    # only ever AND-ed: no payload widens the statement past the named account
    assert not any(" OR " in s.upper() for s in sent)


@pytest.mark.parametrize("csrf", [False, True])
@pytest.mark.parametrize("with_profile", [True, False])
def test_login_name_bound_not_confirmed(with_profile: bool, csrf: bool):
    found, _ = _probe(False, with_profile, csrf)
    assert found is None


def test_account_shape_only_for_a_logins_user_name():
    login_point = InjectionPoint(ROUTE, ROUTE.params[0])
    assert account_values(login_point) == ["admin"]
    assert account_values(InjectionPoint(ROUTE, ROUTE.params[1])) == []  # the password field
    search = Route("POST", "/search", [Param("name", "form"), Param("sort", "form")])
    assert account_values(InjectionPoint(search, search.params[0])) == []
    own = Route("POST", "/login", [Param("user", "form", "jack"), Param("pass", "form")])
    assert account_values(InjectionPoint(own, own.params[0])) == ["jack", "admin"]

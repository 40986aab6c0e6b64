"""An administrator's routes probed as an administrator the probe made: a route that refuses the
run's identity outright (403) is probed again as an account signed up with privilege fields,
where the sign-up keeps them (vulnerable), and left where it does not (fixed). Stand-ins: a form
sign-up that answers the new account's token, and one that sends it to a cookie login."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from auditor.probe.engine import ProbeConfig, run_probe
from auditor.probe.safety import Limits

from .standin import serve

HOME = ('<a href="/admin/report?format=csv">report</a> <a href="/profile?tab=info">profile</a>'
        '<form method="post" action="/register"><input name="username"><input name="email">'
        '<input type="password" name="password"></form>'
        '<form method="post" action="/login"><input name="username"><input type="password" name="password"></form>')


class Shop:
    """Users by name (password, role); sessions by bearer token or `sid` cookie. The admin report
    prints its `format` unescaped: an XSS only an administrator reaches."""

    def __init__(self, keeps_role: bool, token_at_signup: bool) -> None:
        self.keeps_role, self.token_at_signup = keeps_role, token_at_signup
        self.users: dict[str, tuple[str, str]] = {"alice": ("pw", "user")}
        self.sessions: dict[str, str] = {"alice-token": "alice"}
        self.report_asked: list[str] = []  # who asked the report, each time

    def _session(self, name: str) -> str:
        sid = os.urandom(8).hex()
        self.sessions[sid] = name
        return sid

    def _user(self, headers: dict[str, str]) -> str | None:
        cookie = headers.get("Cookie", "")
        sid = cookie.split("sid=", 1)[1].split(";")[0] if "sid=" in cookie else ""
        return self.sessions.get(sid or headers.get("Authorization", "").removeprefix("Bearer "))

    def handle(self, method: str, path: str, headers: dict[str, str], body: bytes):
        parts = urlsplit(path)
        fields = {k: v[0] for k, v in parse_qs(body.decode()).items()}
        if parts.path == "/register" and method == "POST":
            role = fields.get("role", "user") if self.keeps_role else "user"
            if role not in ("user", "admin") or not fields.get("username") or not fields.get("password"):
                return 400, {}, "bad sign-up"
            self.users[fields["username"]] = (fields["password"], role)
            if self.token_at_signup:
                return 201, {"Content-Type": "application/json"}, json.dumps({"token": self._session(fields["username"])})
            return 302, {"Location": "/login"}, ""
        if parts.path == "/login" and method == "POST":
            known = self.users.get(fields.get("username", ""))
            if known is None or known[0] != fields.get("password"):
                return 200, {}, HOME
            return 302, {"Location": "/", "Set-Cookie": f"sid={self._session(fields['username'])}; Path=/"}, ""
        user = self._user(headers)
        if parts.path == "/admin/report":
            self.report_asked.append(user or "")
            if user is None:
                return 401, {}, "log in"
            if self.users[user][1] != "admin":
                return 403, {}, "admins only"
            return 200, {}, "<p>Report as " + parse_qs(parts.query).get("format", [""])[0] + "</p>"
        if parts.path == "/profile":
            return 200, {}, "<p>" + ("hello" if user else "who?") + "</p>"
        return 200, {}, HOME


def _run(shop: Shop, tmp_path: Path):
    with serve(shop.handle) as url:
        return run_probe(ProbeConfig(base_url=url, project=tmp_path, limits=Limits(rps=0), openapi=False,
                                     identities=[("alice", {"Authorization": "Bearer alice-token"})],
                                     checks=["xss"]))


@pytest.mark.parametrize("token_at_signup", [True, False])
def test_admin_route_is_probed_as_an_account_the_signup_made_admin(tmp_path: Path, token_at_signup: bool):
    shop = Shop(keeps_role=True, token_at_signup=token_at_signup)
    run = _run(shop, tmp_path)
    found = [c for c in run.confirmations if c.endpoint == "/admin/report"]
    assert [c.category for c in found] == ["xss"]
    assert "signed up at /register with" in found[0].message and "role=admin" in found[0].message
    admins = [n for n, (_, role) in shop.users.items() if role == "admin"]
    assert len(admins) == 1  # the first variant that is let through is the one used
    assert set(shop.report_asked) == {"alice", admins[0]}
    if not token_at_signup:  # logged in through the site's login; its password never in the report
        password = shop.users[admins[0]][0]
        assert all(password not in c.exchange.text and password not in c.exchange.request_body
                   for c in run.confirmations)


@pytest.mark.parametrize("token_at_signup", [True, False])
def test_a_signup_that_drops_the_role_gives_no_admin_and_no_finding(tmp_path: Path, token_at_signup: bool):
    shop = Shop(keeps_role=False, token_at_signup=token_at_signup)
    run = _run(shop, tmp_path)
    assert not [c for c in run.confirmations if c.endpoint == "/admin/report"]
    made = [n for n in shop.users if re.fullmatch(r"aud[0-9a-f]{8}", n)]  # the escalation's accounts
    assert 1 <= len(made) <= 4  # one account per variant tried, nothing more
    assert all(role == "user" for _, role in shop.users.values())
    # each asked the report once (refused), then nothing more was sent there as any of them
    assert sorted(u for u in shop.report_asked if u != "alice") == sorted(made)


def test_nothing_is_signed_up_where_no_route_refuses_the_identity(tmp_path: Path):
    shop = Shop(keeps_role=True, token_at_signup=True)
    shop.sessions["alice-token"] = "root"
    shop.users["root"] = ("pw", "admin")
    run = _run(shop, tmp_path)
    assert [c.endpoint for c in run.confirmations if c.category == "xss"] == ["/admin/report"]
    assert "signed up" not in run.confirmations[0].message
    assert not [n for n in shop.users if re.fullmatch(r"aud[0-9a-f]{8}", n)]


# -- a login bypass: the first account the statement finds is the administrator ----------------

BYPASS_APP = '''from flask import Flask, request

app = Flask(__name__)


@app.route("/login", methods=["POST"])
def login():
    name = request.form["username"]
    password = request.form["password"]
    row = db.execute(f"SELECT id FROM users WHERE username = '{name}' AND password = '{password}'").fetchone()
    return str(row)


@app.route("/admin/report")
def report():
    return "<p>" + request.args.get("format", "") + "</p>"
'''


class Board:
    """A real SQLite login (in memory) built from strings when `injectable`; the first account is
    `first_role`. Sessions by `sid` cookie; /admin/report prints `format` raw, to admins only."""

    def __init__(self, injectable: bool, first_role: str = "admin") -> None:
        import sqlite3

        self.injectable = injectable
        self.db = sqlite3.connect(":memory:", check_same_thread=False)
        self.db.executescript("CREATE TABLE users (id INTEGER PRIMARY KEY, username TEXT, password TEXT, role TEXT);")
        self.db.executemany("INSERT INTO users (username, password, role) VALUES (?, ?, ?)",
                            [("root", os.urandom(8).hex(), first_role), ("alice", "pw", "user")])
        self.sessions = {"alice-sid": 2}
        self.report_roles: list[str] = []

    def handle(self, method: str, path: str, headers: dict[str, str], body: bytes):
        import sqlite3

        parts = urlsplit(path)
        if parts.path == "/login" and method == "POST":
            f = {k: v[0] for k, v in parse_qs(body.decode(), keep_blank_values=True).items()}
            name, password = f.get("username", ""), f.get("password", "")
            try:
                row = (self.db.execute(f"SELECT id FROM users WHERE username = '{name}' AND password = '{password}'")
                       if self.injectable else
                       self.db.execute("SELECT id FROM users WHERE username = ? AND password = ?", (name, password))
                       ).fetchone()
            except sqlite3.Error as exc:
                return 500, {}, f"sqlite3.OperationalError: {exc}"
            if row is None:
                return 401, {}, "bad credentials"
            sid = os.urandom(8).hex()
            self.sessions[sid] = row[0]
            return 302, {"Location": "/", "Set-Cookie": f"sid={sid}; Path=/"}, ""
        cookie = headers.get("Cookie", "")
        uid = self.sessions.get(cookie.split("sid=", 1)[1].split(";")[0] if "sid=" in cookie else "")
        if parts.path == "/admin/report":
            role = self.db.execute("SELECT role FROM users WHERE id = ?", (uid,)).fetchone() if uid else None
            self.report_roles.append(role[0] if role else "")
            if role is None or role[0] != "admin":
                return 403, {}, "admins only"
            return 200, {}, "<p>" + parse_qs(parts.query).get("format", [""])[0] + "</p>"
        return 200, {}, '<a href="/admin/report?format=csv">report</a>'


def _run_board(board: Board, tmp_path: Path):
    (tmp_path / "app.py").write_text(BYPASS_APP)
    with serve(board.handle) as url:
        return run_probe(ProbeConfig(base_url=url, project=tmp_path, limits=Limits(rps=0), openapi=False,
                                     identities=[("alice", {"Cookie": "sid=alice-sid"})], checks=["xss", "sqli"]))


def test_a_login_bypass_opens_the_administrators_routes(tmp_path: Path):
    board = Board(injectable=True)
    run = _run_board(board, tmp_path)
    assert {(c.category, c.endpoint) for c in run.confirmations} >= {("sql-injection", "/login"),
                                                                     ("xss", "/admin/report")}
    found = next(c for c in run.confirmations if c.endpoint == "/admin/report")
    assert "login bypass" in found.message and "/login" in found.message
    assert "admin" in board.report_roles


@pytest.mark.parametrize("injectable, first_role", [(False, "admin"), (True, "user")])
def test_no_bypass_or_a_bypass_to_a_plain_user_leaves_the_admin_route(tmp_path: Path, injectable: bool,
                                                                      first_role: str):
    board = Board(injectable, first_role)
    run = _run_board(board, tmp_path)
    assert not [c for c in run.confirmations if c.endpoint == "/admin/report"]
    assert "admin" not in board.report_roles

"""Throwaway accounts: with no identity given, the probe signs up two accounts where the app has
a sign-up and a login form, logs them in, and probes the pages behind the login."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from auditor.probe.engine import ProbeConfig, run_probe
from auditor.probe.interface import Param, Route
from auditor.probe.safety import Limits
from auditor.probe.signup import new_account, signup_body, signup_route
from auditor.probe.target import Target

from .twinrun import free_port

pytest.importorskip("flask")

APP = '''
import html, os, sys, json
from flask import Flask, redirect, request, session

app = Flask(__name__)
app.secret_key = os.urandom(16)
FIXED = os.environ.get("TWIN_MODE") == "fixed"
USERS = {}
LOG = os.path.join(os.path.dirname(os.path.abspath(__file__)), "signups.json")


@app.route("/register", methods=["GET", "POST"])
def register():
    if request.method == "POST":
        f = request.form
        if not f.get("username") or "@" not in f.get("email", "") or len(f.get("password", "")) < 8 \\
                or f.get("password") != f.get("confirm_password"):
            return "<p>Please fill in every field</p>", 400
        USERS[f["username"]] = f["password"]
        with open(LOG, "w") as out:
            json.dump(sorted(USERS), out)
        return redirect("/login")
    return ('<form method="post"><input name="username"><input name="email">'
            '<input name="password" type="password"><input name="confirm_password" type="password"></form>')


@app.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        name = request.form.get("username", "")
        if USERS.get(name) == request.form.get("password"):
            session["user"] = name
            return redirect("/dashboard")
        return "<p>Invalid username or password</p>", 401
    return '<form method="post"><input name="username"><input name="password" type="password"></form>'


@app.route("/dashboard")
def dashboard():
    if "user" not in session:
        return redirect("/login")
    note = request.args.get("note", "")
    return "<p>Welcome back. Your note: " + (html.escape(note) if FIXED else note) + "</p>"


@app.route("/")
def index():
    return '<a href="/register">sign up</a> <a href="/login">sign in</a> <a href="/dashboard?note=hi">home</a>'


if __name__ == "__main__":
    app.run("127.0.0.1", int(sys.argv[1]))
'''


def _run(tmp_path: Path, mode: str, signup: bool):
    project = tmp_path / "app"
    project.mkdir()
    (project / "app.py").write_text(textwrap.dedent(APP))
    port = free_port()
    command = f"TWIN_MODE={mode} PYTHONDONTWRITEBYTECODE=1 exec {sys.executable} app.py {port}"
    with Target.launch(command, port, project, startup_timeout=30) as target:
        cfg = ProbeConfig(base_url=target.base_url, project=project, signup=signup,
                          limits=Limits(rps=1000, max_requests=3000, timeout=5))
        run = run_probe(cfg)
    made = (project / "signups.json").read_text() if (project / "signups.json").exists() else "[]"
    return run, made


@pytest.mark.parametrize("mode,signup,xss", [("vulnerable", True, True), ("vulnerable", False, False),
                                              ("fixed", True, False)])
def test_pages_behind_a_login_are_probed_as_throwaway_accounts(tmp_path: Path, mode: str, signup: bool, xss: bool):
    run, made = _run(tmp_path, mode, signup)
    found = {(c.category, c.endpoint) for c in run.confirmations}
    assert (("xss", "/dashboard") in found) is xss
    if signup:
        assert made.count("aud") == 2  # two accounts of the probe's own, nothing else
        assert not [e for e in run.errors if "sign-up" in e]
    else:
        assert made == "[]"
    for c in run.confirmations:  # a throwaway account's password never reaches the evidence
        assert "Aud-" not in c.exchange.request_body and "Aud-" not in c.exchange.url


def test_signup_form_is_told_from_login_and_filled_as_a_person_would():
    routes = [Route("POST", "/login", [Param("email", "form"), Param("password", "form")]),
              Route("POST", "/users/sign_up", [Param("user[name]", "form"), Param("user[email]", "form"),
                                               Param("user[password]", "form"),
                                               Param("user[password_confirmation]", "form"),
                                               Param("terms", "form"), Param("first_name", "form"),
                                               Param("csrfmiddlewaretoken", "form")])]
    route = signup_route(routes)
    assert route is not None and route.path == "/users/sign_up"
    account = new_account()
    where, body = signup_body(route, account)
    assert where == "form"
    assert body == {"user[name]": account.name, "user[email]": account.email, "user[password]": account.password,
                    "user[password_confirmation]": account.password, "terms": "on", "first_name": "Aud"}
    assert signup_route(routes[:1]) is None  # a login form alone is no sign-up

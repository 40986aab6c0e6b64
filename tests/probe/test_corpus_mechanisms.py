"""One vulnerable and one fixed stand-in per mechanism added after the first run on the SKF
corpus (bench/probe_corpus.py): each flaw is one the first run missed on a real lab, and each
fixed twin must stay unconfirmed."""

from __future__ import annotations

import html
import re
import sqlite3
import time
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import httpx
import pytest

from auditor.probe.callback import CallbackServer
from auditor.probe.checks.command import CommandInjection
from auditor.probe.checks.redirect import OpenRedirect, browser_target
from auditor.probe.checks.sqli import SqlInjection
from auditor.probe.checks.ssrf import Ssrf
from auditor.probe.checks.traversal import PathTraversal
from auditor.probe.checks.xss import ReflectedXss
from auditor.probe.interface import InjectionPoint, Param, PointCheck, ProbeContext, Route
from auditor.probe.profile import profile_point
from auditor.probe.routes.common import login_fields
from auditor.probe.safety import Limits, SafeClient
from auditor.probe.sender import PointSender

from .standin import standin

HTML = {"Content-Type": "text/html; charset=utf-8"}


def _arg(path: str, name: str) -> str:
    return parse_qs(urlsplit(path).query).get(name, [""])[0]


def _run(respond, check: PointCheck, name: str, ctx_extra: dict | None = None, profiled: bool = True):
    with standin(respond) as app:
        client = SafeClient(app.url, Limits(rps=1000))
        sender = PointSender(client)
        route = Route("GET", "/x", [Param(name, "query")])
        point = InjectionPoint(route, route.params[0])
        ctx = ProbeContext(client.base_url, **(ctx_extra or {}))
        if profiled:
            ctx.profiles[("GET", "/x", name, "query", False)] = profile_point(sender, point)
        return check.run(sender, ctx, point)


def _db() -> sqlite3.Connection:
    db = sqlite3.connect(":memory:", check_same_thread=False)
    db.execute("CREATE TABLE pages(id INT, title TEXT)")
    db.executemany("INSERT INTO pages VALUES(?, ?)", [(1, "Welcome"), (2, "About")])
    return db


@pytest.mark.parametrize("vulnerable", [True, False])
def test_sql_error_shown_html_escaped(vulnerable):
    """A login that shows the database error through an escaping template (`near &#34;x&#34;`)."""
    db = _db()

    def respond(method, path):
        user = _arg(path, "username")
        try:
            if vulnerable:
                rows = db.execute(f"SELECT title FROM pages WHERE title='{user}'").fetchall()
            else:
                rows = db.execute("SELECT title FROM pages WHERE title=?", (user,)).fetchall()
        except sqlite3.Error as exc:
            return 500, HTML, f"<p>{html.escape(str(exc))}</p>".encode()
        return 200, HTML, b"welcome" if rows else b"<p>wrong</p>"

    found = _run(respond, SqlInjection(), "username", {"delay": 0})
    assert (found is not None) is vulnerable


@pytest.mark.parametrize("vulnerable", [True, False])
def test_boolean_when_true_answer_is_not_the_baseline(vulnerable):
    """A row is found for `1 AND 5=5`, but the page shows a title only for the exact id `1`."""
    db = _db()

    def respond(method, path):
        page = _arg(path, "id")
        try:
            row = (db.execute("SELECT title FROM pages WHERE id=" + page).fetchone() if vulnerable
                   else db.execute("SELECT title FROM pages WHERE id=?", (page,)).fetchone())
        except sqlite3.Error:
            row = None
        if row is None:
            return 404, HTML, b"not found"
        return 200, HTML, (f"<h1>{row[0]}</h1>" if page == "1" else "<h1></h1>").encode()

    found = _run(respond, SqlInjection(), "id", {"delay": 0})
    assert (found is not None) is vulnerable


def _fake_shell(value: str, vulnerable: bool) -> None:
    """What `os.system("echo " + value + " >> log")` would do with the probe's payloads."""
    m = re.search(r"\$\(sleep ([\d.]+)\)", value)
    if vulnerable and m:
        time.sleep(float(m.group(1)))


@pytest.mark.parametrize("vulnerable", [True, False])
def test_blind_command_by_time(vulnerable):
    def respond(method, path):
        _fake_shell(_arg(path, "text"), vulnerable)
        return 200, HTML, b"WELCOME!"

    found = _run(respond, CommandInjection(), "text", {"delay": 0.4})
    assert (found is not None) is vulnerable
    if vulnerable:
        assert "time-based" in found.message


def test_blind_command_not_tried_on_the_guessed_referer():
    # A header the code reads is tried blind since vulnpy's User-Input (test_blind_header_command.py);
    # the Referer every crawled page gets as a guess is not.
    route = Route("GET", "/x", [Param("Referer", "header")], "crawl")
    assert not CommandInjection._blind_point(InjectionPoint(route, route.params[0]))


@pytest.mark.parametrize(("mode", "vulnerable"), [("strip", True), ("twice", True), ("strip", False)])
def test_filtered_traversal_on_a_file_named_input(tmp_path: Path, mode, vulnerable):
    """`../` stripped once, or refused and then decoded a second time; reads stay under a root."""
    root = tmp_path / "app"
    root.mkdir()
    canary = tmp_path / "canary.txt"
    canary.write_text("the-known-content-1234567890")

    def respond(method, path):
        name = _arg(path, "filename")
        if mode == "strip":
            name = name.replace("../", "")
        elif "../" in name:
            return 200, HTML, b"try harder"
        else:
            name = unquote(name)
        target = (root / name).resolve()
        if not vulnerable and not target.is_relative_to(root):
            return 200, HTML, b"try harder"
        if target.is_file():
            return 200, HTML, target.read_bytes()
        return 200, HTML, b"try harder"

    ctx = {"traversal_targets": [(str(canary), "the-known-content-1234567890")]}
    found = _run(respond, PathTraversal(), "filename", ctx)
    assert (found is not None) is vulnerable


@pytest.mark.parametrize("vulnerable", [True, False])
def test_redirect_filter_of_dots_and_slashes(vulnerable):
    def respond(method, path):
        target = _arg(path, "newurl")
        if "." in target or "/" in target or (not vulnerable and ":" in target):
            return 200, HTML, b"Sorry, you cannot use that"
        return 302, {"Location": target}, b""

    found = _run(respond, OpenRedirect(), "newurl")
    assert (found is not None) is vulnerable


def test_browser_target():
    assert browser_target("http://127.0.0.1:1", "https:evil") == "https://evil"
    assert browser_target("http://127.0.0.1:1", "http:evil") == "http://127.0.0.1:1/evil"
    assert browser_target("http://127.0.0.1:1", "/\\evil.invalid/") == "http://evil.invalid/"


@pytest.mark.parametrize("vulnerable", [True, False])
def test_javascript_url_in_an_escaped_href(vulnerable):
    def respond(method, path):
        value = _arg(path, "string")
        if not vulnerable and value.lower().startswith("javascript:"):
            value = "#"
        return 200, HTML, f'<a href="{html.escape(value)}">visit my website!</a>'.encode()

    found = _run(respond, ReflectedXss(), "string")
    assert (found is not None) is vulnerable
    if vulnerable:
        assert "javascript:" in found.canary


@pytest.mark.parametrize("evaluates", [True, False])
def test_remote_inclusion_through_the_callback(evaluates):
    """The app fetches the URL it is given; the vulnerable one also evaluates the text."""
    def respond(method, path):
        url = _arg(path, "filename")
        if not url.startswith("http://127.0.0.1:"):
            return 200, HTML, b"error"
        text = httpx.get(url, timeout=2).text
        m = re.fullmatch(r"(\d+)\*(\d+)", text)
        result = str(int(m.group(1)) * int(m.group(2))) if (evaluates and m) else "done"
        return 200, HTML, f"<pre>{result}</pre>".encode()

    with CallbackServer() as callback:
        found = _run(respond, Ssrf(), "filename", {"callback": callback})
    assert found is not None
    assert found.category == ("code-injection" if evaluates else "ssrf")


def test_login_form_at_any_path():
    form = [Param("username", "form"), Param("password", "form")]
    assert login_fields(Route("POST", "/", form)) is not None
    assert login_fields(Route("POST", "/register", form)) is None
    assert login_fields(Route("POST", "/", [*form, Param("email", "form")])) is None
    # an OAuth2 password-grant form's client secret is no password confirmation (FastAPI's /token)
    oauth = [*form, Param("scope", "form"), Param("client_id", "form"), Param("client_secret", "form")]
    assert login_fields(Route("POST", "/token", oauth)) is not None
    # a hidden anti-CSRF token beside them is no third field (dvpwa's login form at /)
    assert login_fields(Route("POST", "/", [Param("_csrf_token", "form"), *form])) is not None
    assert login_fields(Route("POST", "/login", [*form, Param("remember", "form")])) is not None
    assert login_fields(Route("GET", "/", form)) is None
    # paths that say "auth" but create or recover an account (microblog's /auth/register)
    assert login_fields(Route("POST", "/auth/register", form)) is None
    assert login_fields(Route("POST", "/auth/reset_password", [Param("password", "form")])) is None
    assert login_fields(Route("POST", "/auth/login", [*form, Param("password2", "form")])) is None
    assert login_fields(Route("POST", "/auth/jwt/create", form)) is not None  # Djoser's login


@pytest.mark.parametrize("escaped", [False, True])
def test_tag_inside_a_title_needs_the_breakout(escaped):
    """A debugger page puts the error message, input included, in <title>: a tag there is only
    text, so confirmation needs `</title>` to come back unescaped too."""
    def respond(method, path):
        value = _arg(path, "f")
        shown = value.replace("</", "&lt;/") if escaped else value
        return 500, HTML, f"<html><head><title>No such file: {shown}</title></head><body>x</body></html>".encode()

    found = _run(respond, ReflectedXss(), "f")
    assert (found is not None) is (not escaped)
    if found is not None:
        assert found.exchange.request_body == "" and "title" in found.exchange.url.lower()


def test_tag_inside_a_comment_is_not_proof():
    from auditor.probe.checks.xss import inside_raw_text

    page = "<p>a</p><!-- traceback: <audx x=1> --><p><audx x=1></p>"
    assert inside_raw_text(page, page.index("<audx"))
    assert not inside_raw_text(page, page.rindex("<audx"))


def test_javascript_url_not_claimed_in_a_redirect_body():
    def respond(method, path):
        value = _arg(path, "string")
        return 302, {**HTML, "Location": "/"}, f'<a href="{html.escape(value)}">here</a>'.encode()

    assert _run(respond, ReflectedXss(), "string") is None


@pytest.mark.parametrize("vulnerable", [True, False])
def test_shell_whose_value_only_shows_through_special_characters(vulnerable):
    """A log viewer that runs `tail logs/<type>`: a plain token is answered like the baseline
    (no such log, nothing echoed), while quotes and separators make the shell complain. The
    polyglot's `special` must be enough to send the echo shapes (SKF's Express CMD2)."""
    echo = re.compile(r"echo (\w+)\$\(\((\d+)\*(\d+)\)\)")

    def respond(method: str, path: str):
        value = _arg(path, "log_type")
        if not vulnerable or not re.search(r"[;|&`$\n'\"]", value):
            return 200, HTML, b"<p>no such log</p>"
        m = echo.search(value)
        out = f"{m.group(1)}{int(m.group(2)) * int(m.group(3))}" if m else "sh: 1: Syntax error: Unterminated quoted string"
        return 200, HTML, f"<pre>{html.escape(out)}</pre>".encode()

    found = _run(respond, CommandInjection(), "log_type")
    assert (found is not None) == vulnerable

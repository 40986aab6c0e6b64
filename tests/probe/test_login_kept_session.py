"""A login that signs in the session its page started, setting no cookie again (express-session:
nodejs-goof's POST /login answers a redirect home and no Set-Cookie), is a login; one sent back to
its form is not. And sessions the app kept in memory are logged in again after the app was
started again (goof's restart emptied its session store; its guard then redirects home, which is
neither a 401 nor a login page)."""

from __future__ import annotations

import re
import uuid
from urllib.parse import parse_qs

import pytest

from auditor.errors import AuditorError
from auditor.probe.login import SessionKeeper, parse_login
from auditor.probe.safety import Limits, SafeClient

from .standin import serve


def _app(store: set[str]):
    def handle(method, path, headers, body):
        sid = (re.search(r"sid=(\w+)", headers.get("Cookie", "")) or [None, None])[1]
        if path == "/login" and method == "GET":
            if sid:
                return 200, {}, "<form method=post><input name=password type=password></form>"
            return 200, {"Set-Cookie": f"sid={uuid.uuid4().hex}; Path=/; HttpOnly"}, "<form method=post></form>"
        if path == "/login" and method == "POST":
            form = parse_qs(body.decode())
            if form.get("password") == ["right"] and sid:
                store.add(sid)  # the session the page started is now signed in
                return 302, {"Location": "/"}, ""
            return 302, {"Location": "/login"}, ""
        if path == "/private":
            return (200, {}, "secret page") if sid in store else (302, {"Location": "/"}, "")
        return 200, {}, "home"

    return handle


def test_the_pages_session_signed_in_without_a_new_cookie():
    store: set[str] = set()
    with serve(_app(store)) as url:
        client = SafeClient(url, Limits(rps=1000))
        client.sessions = keeper = SessionKeeper()
        alice = keeper.log_in(client, parse_login("alice=POST:/login:username=alice&password=right"))
        assert alice.headers["Cookie"].startswith("sid=")
        assert client.send("GET", client.url_for("/private"), headers=alice.headers).text == "secret page"
        with pytest.raises(AuditorError, match="set no cookie"):
            keeper.log_in(client, parse_login("bob=POST:/login:username=bob&password=wrong"))
        client.close()


def test_sessions_are_logged_in_again_after_the_app_was_started_again():
    store: set[str] = set()
    with serve(_app(store)) as url:
        client = SafeClient(url, Limits(rps=1000))
        client.sessions = keeper = SessionKeeper()
        alice = keeper.log_in(client, parse_login("alice=POST:/login:username=alice&password=right"))
        old = dict(alice.headers)
        store.clear()  # the restart: the sessions it kept in memory are gone
        client.revivals.append("GET /crash")
        assert client.send("GET", client.url_for("/private"), headers=old).text == "secret page"
        assert alice.headers != old and alice.relogins == 1
        # no restart since: a redirect home is an answer like any other, not a lost session
        store.clear()
        assert client.send("GET", client.url_for("/private"), headers=dict(alice.headers)).status == 302
        assert alice.relogins == 1
        client.close()

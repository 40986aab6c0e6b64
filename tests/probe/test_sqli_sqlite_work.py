"""Blind SQL injection on SQLite, which has no sleep: the delay is work (a recursive count), sized
by one calibration request. The stand-in runs every statement in a real SQLite database and
answers the same page whatever happens, as vulnpy's sqlite3 routes do; the fixed twin binds the
value. The handler is read from a Flask project, so the scanner's finding is what sends the
blind payloads, for a form field and for a header the code reads."""

from __future__ import annotations

import re
import sqlite3
import threading
from pathlib import Path
from urllib.parse import parse_qs

import pytest

from auditor.probe.checks import sql_code, sqli
from auditor.probe.checks.sqli import SqlInjection, blind_candidate, code_names
from auditor.probe.interface import InjectionPoint, Param, ProbeContext, Route
from auditor.probe.profile import point_key, profile_pair
from auditor.probe.routes import code_routes
from auditor.probe.safety import Limits, SafeClient
from auditor.probe.sender import PointSender
from auditor.probe.static import scan_handlers

from .standin import serve

FLASK_APP = """import sqlite3

from flask import Flask, request

app = Flask(__name__)
db = sqlite3.connect(":memory:")


@app.route("/note", methods=["POST"])
def note():
    text = request.form["text"]
    db.execute("INSERT INTO notes(text, n) VALUES('" + text + "', 1)")
    return "<p>saved</p>"


@app.route("/tag", methods=["GET"])
def tag():
    label = request.headers.get("User-Label", "")
    db.execute("INSERT INTO notes(text, n) VALUES('%s', 1)" % label)
    return "<p>saved</p>"
"""


def _notes(vulnerable: bool, source: str):
    """The stand-in: one real SQLite INSERT per request, from the form field `text` or the header
    `User-Label`, concatenated or bound; always the same answer."""
    db = sqlite3.connect(":memory:", check_same_thread=False)
    db.execute("CREATE TABLE notes(text TEXT, n INTEGER)")
    lock = threading.Lock()
    sent: list[str] = []

    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], str]:
        if source == "form":
            value = parse_qs(body.decode()).get("text", [""])[0]
        else:
            value = next((v for k, v in headers.items() if k.lower() == "user-label"), "")
        sent.append(value)
        with lock:
            try:
                if vulnerable:
                    db.execute(f"INSERT INTO notes(text, n) VALUES('{value}', 1)")
                else:
                    db.execute("INSERT INTO notes(text, n) VALUES(?, 1)", (value,))
            except sqlite3.Error:
                pass
        return 200, {}, "<p>saved</p>"

    return handle, sent, db


def _probe(tmp_path: Path, vulnerable: bool, path: str, source: str):
    (tmp_path / "app.py").write_text(FLASK_APP)
    routes = code_routes(tmp_path)
    view = scan_handlers(tmp_path, routes)
    route = next(r for r in routes if r.path == path)
    if source == "header":  # the header the handler reads, as the probe's code discovery lists it
        route = Route(route.method, route.path, [Param("User-Label", "header")], source="code",
                      file=route.file, line=route.line)
    point = InjectionPoint(route, route.params[0] if source == "header" else
                           next(p for p in route.params if p.name == "text"))
    handle, sent, db = _notes(vulnerable, source)
    with serve(handle) as url:
        client = SafeClient(url, Limits(rps=1000))
        sender = PointSender(client)
        ctx = ProbeContext(client.base_url, delay=0.4, project=tmp_path, static=view)
        profile, _ = profile_pair(sender, point, None)
        ctx.profiles[point_key(point)] = profile
        check = SqlInjection()
        assert check.worth(point, profile)
        # a hint from the project's statements alone is tried at the end of the run (`last`)
        found = check.run(sender, ctx, point) or next(check.last(ctx, sender), None)
    rows = db.execute("SELECT text FROM notes").fetchall()
    return found, profile, sent, rows


@pytest.mark.parametrize("source,path", [("form", "/note"), ("header", "/tag")])
@pytest.mark.parametrize("vulnerable", [True, False])
def test_blind_sqlite_insert_confirmed_by_work(tmp_path, vulnerable, source, path):
    found, profile, sent, rows = _probe(tmp_path, vulnerable, path, source)
    assert not profile.influenced and not profile.special  # every answer is alike
    assert (found is not None) is vulnerable
    counts = [int(n) for v in sent for n in re.findall(r"WHERE i<(\d+)", v)]
    assert counts and max(counts) <= sqli.MAX_ROWS  # the work asked for is bounded
    if vulnerable:
        assert "blind" in found.message and "SQLite has no sleep" in found.message
        assert "WITH RECURSIVE" in found.canary and "||" in found.canary
        # the payload kept the value: every row the probe's requests wrote holds plain text
        assert not any("WITH" in text for (text,) in rows)
    else:
        assert any("WITH RECURSIVE" in text for (text,) in rows)  # stored as the text it is


def test_a_target_slow_on_every_long_payload_is_not_confirmed(tmp_path):
    """A stand-in that answers any request carrying the count slowly, whatever the count (a
    filter that takes its time over long values): the zero count is as slow, so no finding."""
    import time

    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], str]:
        if b"RECURSIVE" in body:
            time.sleep(0.6)
        return 200, {}, "<p>saved</p>"

    (tmp_path / "app.py").write_text(FLASK_APP)
    routes = code_routes(tmp_path)
    route = next(r for r in routes if r.path == "/note")
    point = InjectionPoint(route, next(p for p in route.params if p.name == "text"))
    with serve(handle) as url:
        client = SafeClient(url, Limits(rps=1000))
        sender = PointSender(client)
        ctx = ProbeContext(client.base_url, delay=0.4, project=tmp_path, static=scan_handlers(tmp_path, routes))
        profile, _ = profile_pair(sender, point, None)
        ctx.profiles[point_key(point)] = profile
        assert SqlInjection().run(sender, ctx, point) is None


def test_header_blind_candidates_and_names():
    route = Route("GET", "/t", [], source="code")
    assert blind_candidate(InjectionPoint(route, Param("User-Label", "header")))
    # a Referer or a cookie of a route read from the code is one the code reads (the Referer guess
    # goes to crawled routes only)
    assert blind_candidate(InjectionPoint(route, Param("Referer", "header")))
    assert blind_candidate(InjectionPoint(route, Param("session", "cookie")))
    assert not blind_candidate(InjectionPoint(Route("GET", "/t", [], source="crawl"), Param("q", "query")))
    assert code_names(InjectionPoint(route, Param("User-Label", "header"))) == ["User-Label", "User_Label"]
    assert code_names(InjectionPoint(route, Param("user-label", "query"))) == ["user-label"]


@pytest.mark.parametrize("code,engines", [
    ("import sqlite3\ndb = sqlite3.connect('app.db')\n", {"sqlite"}),
    ("const pgp = require('pg-promise')();\n", {"postgres"}),
    ("import pymysql\n", {"mysql"}),
    ("DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql'}}\n", {"postgres"}),
    ("new Sequelize('db', 'u', 'p', {dialect: 'mysql'});\n", {"mysql"}),
    ("def add(a, b):\n    return a + b\n", set()),
])
def test_database_engines_from_the_code(tmp_path, code, engines):
    (tmp_path / "app.py").write_text(code)
    assert sql_code.database_engines(tmp_path) == engines


def test_only_the_named_engines_shapes_are_sent():
    shapes = sqli.for_engines(sqli.KEEPING_TIMED, frozenset({"sqlite"}))
    assert shapes and all("WITH RECURSIVE" in s for s in shapes)
    assert sqli.for_engines(sqli.KEEPING_TIMED, frozenset()) == [s for _, s in sqli.KEEPING_TIMED]

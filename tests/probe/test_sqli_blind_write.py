"""Blind SQL injection into an INSERT: a stand-in for a handler that concatenates its form into
`INSERT ... VALUES('...', '...')` on PostgreSQL and answers the same JSON whatever happens (the
profile sees nothing). The statement is run by SQLite, with PostgreSQL's `(SELECT '' FROM
PG_SLEEP(n))` given as the sleep it is and an empty string: a payload that does not stay a valid
value in the VALUES list (an AND turns it into a boolean the column refuses) never sleeps.

What makes the probe send the delays is the scanner: its SQL finding in the route's handler,
mapped to the route and to the input that reaches the statement. Where the scanner sees no SQL
flow in any handler (a route that hands the request to a model module through an exported
object, on pg-promise: vulnerable-node's `/products/buy`, which it does not follow), the
project's statements built from strings that name the input stand in."""

from __future__ import annotations

import re
import sqlite3
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs

import pytest

from auditor.probe.checks.sql_code import built_sql_names, reaches_built_sql
from auditor.probe.checks.sqli import SqlInjection
from auditor.probe.interface import InjectionPoint, Param, ProbeContext, Route
from auditor.probe.profile import point_key, profile_pair
from auditor.probe.routes import code_routes
from auditor.probe.safety import Limits, SafeClient
from auditor.probe.sender import PointSender
from auditor.probe.static import StaticView, scan_handlers

from .standin import serve

PG_SLEEP = re.compile(r"\(SELECT '' FROM PG_SLEEP\(([\d.]+)\)\)")

# The vulnerable-node shape: the route passes the request's fields on to a model module.
ROUTES_JS = """var express = require('express');
var products = require('./model');
var router = express.Router();

router.post('/buy', function(req, res) {
    var cart = {mail: req.body.mail, address: req.body.address};
    products.purchase(cart).then(function () { res.json({message: 'ok'}); });
});

module.exports = router;
"""
MODEL_JS = """var pgp = require('pg-promise')();
var db = pgp('postgres://localhost/shop');

function purchase(cart) {
    var q = "INSERT INTO purchases(mail, address) VALUES('" +
            cart.mail + "', '" +
            cart.address + "');";
    return db.one(q);
}
"""
SAFE_MODEL_JS = """var pgp = require('pg-promise')();
var db = pgp('postgres://localhost/shop');

function purchase(cart) {
    return db.one("INSERT INTO purchases(mail, address) VALUES($1, $2)", [cart.mail, cart.address]);
}
"""
MODEL_JS += "\nmodule.exports = {purchase: purchase};\n"
SAFE_MODEL_JS += "\nmodule.exports = {purchase: purchase};\n"

# A Flask handler on PostgreSQL the scanner reads: `address` is concatenated into the INSERT,
# `mail` is bound; the second handler binds everything. The code names its database, so only
# PostgreSQL's delays are sent (the stand-in's SQLite would count rows for SQLite's too).
FLASK_APP = """import psycopg2

from flask import Flask, request

app = Flask(__name__)
db = psycopg2.connect("dbname=shop").cursor()


@app.route("/buy", methods=["POST"])
def buy():
    mail = request.form["mail"]
    address = request.form["address"]
    db.execute("INSERT INTO purchases(mail, address) VALUES(?, '" + address + "')", (mail,))
    return {"message": "Product purchased correctly"}


@app.route("/subscribe", methods=["POST"])
def subscribe():
    db.execute("INSERT INTO subscribers(mail, address) VALUES(?, ?)", (request.form["mail"], request.form["address"]))
    return {"message": "ok"}
"""

def _shop(vulnerable: bool):
    db = sqlite3.connect(":memory:", check_same_thread=False)
    db.execute("CREATE TABLE purchases(mail TEXT NOT NULL, address TEXT NOT NULL)")
    lock = threading.Lock()

    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], str]:
        form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
        mail, address = form.get("mail", ""), form.get("address", "")
        with lock:
            if vulnerable:
                stmt = f"INSERT INTO purchases(mail, address) VALUES('{mail}', '{address}')"
                sleeps = [float(s) for s in PG_SLEEP.findall(stmt)]
                try:
                    db.execute(PG_SLEEP.sub("''", stmt))
                    time.sleep(sum(sleeps))
                except sqlite3.Error:
                    pass
            else:
                db.execute("INSERT INTO purchases(mail, address) VALUES(?, ?)", (mail, address))
        return 200, {"Content-Type": "application/json"}, '{"message": "Product purchased correctly"}'

    return handle


def _probe(project: Path, route: Route, vulnerable: bool, static: StaticView, shop=None):
    point = InjectionPoint(route, next(p for p in route.params if p.name == "address"))
    with serve((shop or _shop)(vulnerable), content_type=None) as url:
        client = SafeClient(url, Limits(rps=1000))
        sender = PointSender(client)
        ctx = ProbeContext(client.base_url, delay=0.4, project=project, static=static)
        profile, _ = profile_pair(sender, point, None)
        ctx.profiles[point_key(point)] = profile
        check = SqlInjection()
        assert check.worth(point, profile)
        # a hint from the project's statements alone is tried at the end of the run (`last`)
        found = check.run(sender, ctx, point) or next(check.last(ctx, sender), None)
        return found, profile, len(client.log)


def _flask(tmp_path: Path, vulnerable: bool, path: str = "/buy"):
    """The Flask project read as the probe reads it: its routes, then one scan of their handlers."""
    tmp_path.mkdir(exist_ok=True)
    (tmp_path / "app.py").write_text(FLASK_APP)
    routes = code_routes(tmp_path)
    view = scan_handlers(tmp_path, routes)
    route = next(r for r in routes if r.path == path)
    return (*_probe(tmp_path, route, vulnerable, view), view, route)


def _run(tmp_path: Path, vulnerable: bool, model: str):
    """The vulnerable-node shape: a route file handing the request to a model module."""
    (tmp_path / "routes.js").write_text(ROUTES_JS)
    (tmp_path / "model.js").write_text(model)
    route = Route("POST", "/buy", [Param("mail", "form", "probe@example.com", filled=True), Param("address", "form")],
                  source="code", file="routes.js", line=5)
    view = scan_handlers(tmp_path, [route])
    assert view.scanned and view.sql_reach(route, "address") is None  # the scanner does not follow it
    return _probe(tmp_path, route, vulnerable, view)


@pytest.mark.parametrize("vulnerable", [True, False])
def test_scanner_finding_sends_the_blind_delays(tmp_path, vulnerable):
    found, profile, _, view, route = _flask(tmp_path, vulnerable)
    assert view.sql_reach(route, "address") is True
    assert not profile.influenced and not profile.special  # every answer is alike
    assert (found is not None) is vulnerable
    if vulnerable:
        assert "blind" in found.message and "PG_SLEEP(0.4)" in found.canary


def test_no_delays_on_a_parametrised_handler(tmp_path):
    """The scanner finds nothing in /subscribe's handler (every value bound): no delays are sent
    there, even though the project builds an INSERT from `address` elsewhere and the stand-in
    behind it is vulnerable (it answers every path alike)."""
    found, _, sent, view, route = _flask(tmp_path / "a", True, path="/subscribe")
    assert view.sql_reach(route, "address") is False and reaches_built_sql(tmp_path / "a", "address")
    assert found is None
    found, _, sent_hint, _, _ = _flask(tmp_path / "b", True)
    assert found is not None and sent < sent_hint


@pytest.mark.parametrize("vulnerable", [True, False])
def test_blind_insert_where_the_scanner_is_silent(tmp_path, vulnerable):
    """A model module the scanner does not follow (vulnerable-node's shape before the scanner
    followed exported objects into pg-promise): the regex fallback."""
    found, profile, _ = _run(tmp_path, vulnerable, MODEL_JS)
    assert not profile.influenced and not profile.special  # every answer is alike
    assert (found is not None) is vulnerable
    if vulnerable:
        assert "blind" in found.message and "PG_SLEEP(0.4)" in found.canary and "||" in found.canary


def test_no_delays_where_the_code_builds_no_statement_from_the_input(tmp_path):
    """The same vulnerable handler, the scanner silent, and the project's code shows no statement
    built from strings: the blind delays are not sent (nothing after the profile and its baseline)."""
    (tmp_path / "safe").mkdir()
    (tmp_path / "built").mkdir()
    found, _, sent = _run(tmp_path / "safe", True, SAFE_MODEL_JS)
    assert found is None
    found, _, sent_with_hint = _run(tmp_path / "built", True, MODEL_JS)
    assert found is not None and sent < sent_with_hint


def test_built_sql_names(tmp_path):
    (tmp_path / "app.py").write_text(
        'def find(name):\n    return db.execute("SELECT * FROM users WHERE name = \'" + name + "\'")\n\n'
        'def safe(email):\n    return db.execute("SELECT * FROM users WHERE email = ?", (email,))\n'
        'def upd(city):\n    db.execute(f"UPDATE users SET city = \'{city}\'")\n')
    (tmp_path / "node_modules").mkdir()
    (tmp_path / "node_modules" / "lib.js").write_text('q = "DELETE FROM t WHERE zone=" + zone;\n')
    (tmp_path / "queries.py").write_text(
        'INSERT_FMT = "INSERT INTO notes VALUES (\'{}\', 1)"\nBOUND = "SELECT * FROM t WHERE a = %s"\n\n'
        'def add(label):\n    sql = INSERT_FMT.format(label)\n    cur.execute(sql)\n\n'
        'def get(token):\n    cur.execute(BOUND, (token,))\n')
    names = built_sql_names(tmp_path)
    assert reaches_built_sql(tmp_path, "name") and reaches_built_sql(tmp_path, "City")
    assert "label" in names  # a statement template constant filled by .format
    assert "token" not in names  # the same kind of constant given to the driver with its values
    assert "email" not in names  # a parameterized statement
    assert "zone" not in names  # dependencies are not the project's code
    assert not reaches_built_sql(None, "name")


MYSQL_SLEEP = re.compile(r"\bSLEEP\(([\d.]+)\)")


def _mysql_shop(vulnerable: bool):
    """The shop on MySQL, where `||` is OR: the statement is run by SQLite with MySQL's SLEEP(n)
    given as the sleep it is and its 0 (an AND inside VALUES would not be a value)."""
    db = sqlite3.connect(":memory:", check_same_thread=False)
    db.execute("CREATE TABLE purchases(mail TEXT NOT NULL, address TEXT NOT NULL)")

    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], str]:
        form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
        address = form.get("address", "")
        stmt = f"INSERT INTO purchases(mail, address) VALUES('m', '{address}')"
        if vulnerable and " AND " not in stmt:
            try:
                db.execute(MYSQL_SLEEP.sub("0", stmt))
                time.sleep(sum(float(s) for s in MYSQL_SLEEP.findall(stmt)))
            except sqlite3.Error:
                pass
        return 200, {"Content-Type": "application/json"}, '{"message": "ok"}'

    return handle


@pytest.mark.parametrize("vulnerable", [True, False])
def test_a_blind_mysql_insert_is_delayed_by_a_value_that_stays_one(tmp_path, vulnerable):
    (tmp_path / "app.py").write_text(FLASK_APP.replace("import psycopg2", "import pymysql")
                                     .replace('psycopg2.connect("dbname=shop")', 'pymysql.connect(db="shop")'))
    routes = code_routes(tmp_path)
    view = scan_handlers(tmp_path, routes)
    route = next(r for r in routes if r.path == "/buy")
    found, *_ = _probe(tmp_path, route, vulnerable, view, _mysql_shop)
    assert (found is not None) is vulnerable

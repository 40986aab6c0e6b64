"""Blind SQL injection into an INSERT: a stand-in for a handler that concatenates its form into
`INSERT ... VALUES('...', '...')` on PostgreSQL and answers the same JSON whatever happens (the
profile sees nothing). The statement is run by SQLite, with PostgreSQL's `(SELECT '' FROM
PG_SLEEP(n))` given as the sleep it is and an empty string: a payload that does not stay a valid
value in the VALUES list (an AND turns it into a boolean the column refuses) never sleeps. The
project's code (a model file that builds the INSERT) is what makes the probe send the delays."""

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
from auditor.probe.safety import Limits, SafeClient
from auditor.probe.sender import PointSender

from .standin import serve

PG_SLEEP = re.compile(r"\(SELECT '' FROM PG_SLEEP\(([\d.]+)\)\)")

MODEL_JS = """function purchase(cart) {
    var q = "INSERT INTO purchases(mail, address) VALUES('" +
            cart.mail + "', '" +
            cart.address + "');";
    return db.one(q);
}
"""
SAFE_MODEL_JS = """function purchase(cart) {
    return db.one("INSERT INTO purchases(mail, address) VALUES($1, $2)", [cart.mail, cart.address]);
}
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


def _run(tmp_path: Path, vulnerable: bool, model: str):
    (tmp_path / "model.js").write_text(model)
    route = Route("POST", "/buy", [Param("mail", "form", "probe@example.com", filled=True), Param("address", "form")],
                  source="code")
    point = InjectionPoint(route, route.params[1])
    with serve(_shop(vulnerable), content_type=None) as url:
        client = SafeClient(url, Limits(rps=1000))
        sender = PointSender(client)
        ctx = ProbeContext(client.base_url, delay=0.4, project=tmp_path)
        profile, _ = profile_pair(sender, point, None)
        ctx.profiles[point_key(point)] = profile
        check = SqlInjection()
        assert check.worth(point, profile)
        found = check.run(sender, ctx, point)
        return found, profile, len(client.log)


@pytest.mark.parametrize("vulnerable", [True, False])
def test_blind_insert_confirmed_by_value_keeping_delay(tmp_path, vulnerable):
    found, profile, _ = _run(tmp_path, vulnerable, MODEL_JS)
    assert not profile.influenced and not profile.special  # every answer is alike
    assert (found is not None) is vulnerable
    if vulnerable:
        assert "blind" in found.message and "PG_SLEEP(0.4)" in found.canary and "||" in found.canary


def test_no_delays_where_the_code_builds_no_statement_from_the_input(tmp_path):
    """The same vulnerable handler, but the project's code shows no statement built from strings:
    the blind delays are not sent (nothing after the profile and its baseline)."""
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
    names = built_sql_names(tmp_path)
    assert reaches_built_sql(tmp_path, "name") and reaches_built_sql(tmp_path, "City")
    assert "email" not in names  # a parameterized statement
    assert "zone" not in names  # dependencies are not the project's code
    assert not reaches_built_sql(None, "name")

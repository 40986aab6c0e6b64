"""SQL injection where the input is a column name (`WHERE <filter> = '...'`, vuln-express-app's
/v1/search/{filter}/{query}): a quote's syntax error is no proof there, since any word that is not
a column errors too, but the database naming the request's token as an unknown column is, twice.
The stand-in runs a real SQLite statement; the fixed twin allows only known columns."""

from __future__ import annotations

import sqlite3
import threading
from urllib.parse import unquote

import pytest

from auditor.probe.checks.sqli import SqlInjection, names_a_column
from auditor.probe.interface import InjectionPoint, Param, ProbeContext, Route
from auditor.probe.profile import point_key, profile_pair
from auditor.probe.safety import Limits, SafeClient
from auditor.probe.sender import PointSender

from .standin import serve


def _search(vulnerable: bool):
    db = sqlite3.connect(":memory:", check_same_thread=False)
    db.execute("CREATE TABLE beers(id, name)")
    db.execute("INSERT INTO beers VALUES (1, 'bud')")
    lock = threading.Lock()

    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], str]:
        parts = path.split("/")  # /search/<filter>/<query>
        column, value = unquote(parts[2]), unquote(parts[3])
        if not vulnerable and column not in ("id", "name"):
            return 400, {}, "unknown filter"
        try:
            with lock:
                rows = db.execute(f"SELECT * FROM beers WHERE {column} = ?", (value,)).fetchall()
            return 200, {"Content-Type": "application/json"}, str(rows)
        except sqlite3.Error as exc:
            return 501, {}, f"error, query failed: SQLITE_ERROR: {exc}"

    return handle


@pytest.mark.parametrize("vulnerable", [True, False])
def test_a_column_name_input(vulnerable):
    route = Route("GET", "/search/{filter}/{query}", [Param("filter", "path", "id"), Param("query", "path", "1")],
                  source="code")
    point = InjectionPoint(route, route.params[0])
    with serve(_search(vulnerable)) as url:
        client = SafeClient(url, Limits(rps=1000))
        sender = PointSender(client)
        ctx = ProbeContext(client.base_url)
        profile, _ = profile_pair(sender, point, None)
        ctx.profiles[point_key(point)] = profile
        found = SqlInjection().run(sender, ctx, point)
    assert (found is not None) is vulnerable
    if vulnerable:
        assert "column name" in found.message and found.canary in found.exchange.text


def test_names_a_column():
    assert names_a_column("SQLITE_ERROR: no such column: audx1", "audx1")
    assert names_a_column('ERROR: column "audx1" does not exist', "audx1")
    assert names_a_column("Unknown column 'audx1' in 'where clause'", "audx1")
    assert not names_a_column("no such column: other", "audx1")
    assert not names_a_column("user audx1 not found", "audx1")

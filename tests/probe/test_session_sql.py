"""SQL injection through the session: a middleware that pastes the bearer token into a statement
before any route runs (sec-bank's tokens lookup), shown by a quote after the identity's own
token; not where the token is bound as a parameter."""

from __future__ import annotations

import pytest

from auditor.probe.checks.session_sql import SessionSql, carriers
from auditor.probe.interface import ProbeContext, Route
from auditor.probe.safety import Limits, SafeClient
from auditor.probe.sender import PointSender

from .standin import serve

TOKEN = "tok-alice-0123456789"


def _app(pasted: bool):
    def handle(method, path, headers, body):
        given = headers.get("Authorization", "").removeprefix("Bearer ")
        if not given:
            return 401, {"Content-Type": "application/json"}, '{"error": "No token provided"}'
        if pasted and given.count("'") % 2:
            statement = f"SELECT * FROM tokens WHERE token = '{given}'"
            return 500, {"Content-Type": "application/json"}, \
                f'{{"error": "unterminated quoted string at or near \\"{statement[-40:]}\\""}}'
        if given != TOKEN:
            return 401, {"Content-Type": "application/json"}, '{"error": "Session expired or logged out"}'
        return 200, {"Content-Type": "application/json"}, '{"users": [{"id": 1}]}'
    return handle


@pytest.mark.parametrize("pasted", [True, False])
def test_a_quote_after_the_sessions_own_token(pasted: bool):
    identity = {"Authorization": f"Bearer {TOKEN}"}
    assert [(p.name, v, s) for p, v, s in carriers(identity)] == [("Authorization", TOKEN, "Bearer ")]
    with serve(_app(pasted)) as url:
        client = SafeClient(url, Limits(rps=1000))
        found = SessionSql().run(PointSender(client, identity=identity), ProbeContext(client.base_url),
                                 [Route("GET", "/api/admin/users", [], "code", "routes/admin.js", 7)])
    assert [(f.category, f.point.param.name if f.point else None) for f in found] == \
        ([("sql-injection", "Authorization")] if pasted else [])

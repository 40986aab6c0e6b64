"""A JSON login that answers a wrong password with 404 ("No User here...", we45's Flask app): the
burst is judged when that 404 is the login's own answer, told apart from the server's page for a
path nothing serves. A login that limits is clean; a route that does not exist stays unknown."""

from __future__ import annotations

import json

import pytest

from auditor.probe.checks.ratelimit import LoginRateLimit
from auditor.probe.interface import Param, ProbeContext, Route
from auditor.probe.safety import Limits, SafeClient
from auditor.probe.sender import PointSender

from .standin import serve

NOT_FOUND = "<h1>Not Found</h1><p>The requested URL {path} was not found on the server.</p>"


def _app(mode: str, tries: list[str]):
    """`open`: no limit; `limited`: 429 after five; `absent`: no login route at all."""

    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], str]:
        if path != "/login" or mode == "absent":
            return 404, {"Content-Type": "text/html"}, NOT_FOUND.format(path=path)
        tries.append(json.loads(body or b"{}").get("password", ""))
        if mode == "limited" and len(tries) > 5:
            return 429, {"Content-Type": "application/json"}, '{"Error": "slow down"}'
        return 404, {"Content-Type": "application/json"}, '{"Error": "No User here..."}'

    return handle


@pytest.mark.parametrize("mode,confirmed", [("open", True), ("limited", False), ("absent", False)])
def test_a_login_answering_404(mode, confirmed):
    tries: list[str] = []
    route = Route("POST", "/login", [Param("username", "json"), Param("password", "json")])
    with serve(_app(mode, tries)) as url:
        client = SafeClient(url, Limits(rps=1000))
        found = LoginRateLimit().run(PointSender(client), ProbeContext(client.base_url), [route])
    assert bool(found) is confirmed
    assert len(tries) <= 30

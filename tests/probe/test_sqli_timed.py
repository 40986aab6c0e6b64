"""Time-based SQL injection against a stand-in for a MySQL-backed handler whose answers never
change: it sleeps only when the input closes the string and calls SLEEP(n)."""

from __future__ import annotations

import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest

from auditor.probe.checks.sqli import SqlInjection
from auditor.probe.interface import InjectionPoint, Param, ProbeContext, Route
from auditor.probe.safety import Limits, SafeClient
from auditor.probe.sender import PointSender

from .standin import standin


def _mysql_like(vulnerable: bool):
    def respond(method: str, path: str) -> tuple[int, dict[str, str], bytes]:
        q = parse_qs(urlsplit(path).query).get("id", [""])[0]
        m = re.match(r"^[^']*' AND SLEEP\(([\d.]+)\) AND '1'='1$", q)
        if vulnerable and m:
            time.sleep(float(m.group(1)))
        return 200, {}, b"ok"

    return respond


@pytest.mark.parametrize("vulnerable", [True, False])
def test_time_based(vulnerable):
    with standin(_mysql_like(vulnerable)) as app:
        client = SafeClient(app.url, Limits(rps=1000))
        route = Route("GET", "/item", [Param("id", "query")])
        found = SqlInjection().run(PointSender(client), ProbeContext(client.base_url, delay=0.4),
                                   InjectionPoint(route, route.params[0]))
    assert (found is not None) is vulnerable
    if vulnerable:
        assert "time-based" in found.message and "SLEEP(0.4)" in found.canary

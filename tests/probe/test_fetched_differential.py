"""A value the server fetches as a URL (SSRF confirmed at the point) changes the answer by what it
fetched: damn-vulnerable-nestjs's `/upload/from-url` answered `url' AND 'a'='a` and `... 'a'='b`
differently, the same way twice, with no SQL anywhere. Once SSRF is confirmed at a point, no
differential (SQL boolean, XPath/LDAP, NoSQL) is judged there."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from auditor.probe.checks.sqli import SqlInjection
from auditor.probe.interface import InjectionPoint, Param, ProbeContext, Route
from auditor.probe.profile import point_key
from auditor.probe.safety import Limits, SafeClient
from auditor.probe.sender import PointSender

from .standin import serve


def _fetcher(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], str]:
    """What a fetched page says depends on its URL: here, whether the URL's two numbers are equal
    (a stand-in for any remote answer that varies with its path)."""
    url = parse_qs(urlsplit(path).query).get("url", [""])[0]
    parts = url.split("'")
    same = len(parts) >= 5 and parts[2] == parts[4]
    return 200, {"Content-Type": "application/json"}, f'{{"saved": true, "size": {10 if same else 0}}}'


@pytest.mark.parametrize("fetched", [False, True])
def test_no_differential_where_the_server_fetches_the_value(fetched: bool):
    route = Route("GET", "/from-url", [Param("url", "query", "http://127.0.0.1:9/x")])
    point = InjectionPoint(route, route.params[0])
    with serve(_fetcher) as url:
        client = SafeClient(url, Limits(rps=1000))
        ctx = ProbeContext(client.base_url)
        if fetched:
            ctx.fetched.add(point_key(point))
        found = SqlInjection().run(PointSender(client), ctx, point)
    assert (found is not None) is not fetched

"""Open redirect by meta refresh (no Location header): confirmed only when the host is the
probe's own."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from auditor.probe.checks.redirect import OpenRedirect
from auditor.probe.interface import InjectionPoint, Param, ProbeContext, Route
from auditor.probe.safety import Limits, SafeClient
from auditor.probe.sender import PointSender

from .standin import standin


def _refresh(vulnerable: bool):
    def respond(method: str, path: str) -> tuple[int, dict[str, str], bytes]:
        to = parse_qs(urlsplit(path).query).get("to", ["/"])[0]
        target = to if vulnerable else "/"
        return 200, {"Content-Type": "text/html"}, \
            f'<html><head><meta http-equiv="refresh" content="0; url={target}"></head></html>'.encode()

    return respond


@pytest.mark.parametrize("vulnerable", [True, False])
def test_meta_refresh_redirect_is_confirmed_and_a_fixed_one_is_not(vulnerable):
    with standin(_refresh(vulnerable)) as app:
        client = SafeClient(app.url, Limits(rps=1000))
        route = Route("GET", "/go", [Param("to", "query")])
        found = OpenRedirect().run(PointSender(client), ProbeContext(client.base_url),
                                   InjectionPoint(route, route.params[0]))
    assert (found is not None) is vulnerable

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


def test_redirect_back_to_the_referer_is_not_an_open_redirect():
    """Express's `res.redirect(req.get('Referrer') || '/')`: a page can only make the Referer name
    itself, so the victim is sent back where they came from. A `next` query input is judged."""
    from auditor.probe.checks.redirect import OpenRedirect
    from auditor.probe.interface import Exchange, InjectionPoint, Param, Route
    from auditor.probe.profile import PointProfile

    answer = Exchange("GET", "http://h:1/forget", {}, "", 302, [("Location", "aud1")], "", 0.0)
    profile = PointProfile("aud1", "aud1", answer, answer, reflected=False, in_header=True, influenced=True)
    for name, judged in (("Referrer", False), ("Referer", False), ("next", True)):
        where = "query" if name == "next" else "header"
        point = InjectionPoint(Route("GET", "/forget", [Param(name, where)]), Param(name, where))
        assert OpenRedirect().worth(point, profile) is judged

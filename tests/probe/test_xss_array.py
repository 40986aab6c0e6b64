"""A JavaScript app whose template escapes a string but prints an array whole (nodejs-goof's
Dust page: `device=<tag>` comes back escaped, `device[]=<tag>` raw): the array form is sent where
the string came back escaped, on a JavaScript route only."""

from __future__ import annotations

import html
from urllib.parse import parse_qs, urlsplit

import pytest

from auditor.probe.checks.xss import ReflectedXss
from auditor.probe.interface import InjectionPoint, Param, ProbeContext, Route
from auditor.probe.safety import Limits, SafeClient
from auditor.probe.sender import PointSender

from .standin import serve


def _app(arrays_raw: bool):
    def handle(method, path, headers, body):
        query = parse_qs(urlsplit(path).query)
        if "device[]" in query:
            value = ",".join(query["device[]"])
            shown = value if arrays_raw else html.escape(value)
        else:
            shown = html.escape(query.get("device", [""])[0])
        return 200, {"Content-Type": "text/html"}, f"<html><body><p>{shown}</p></body></html>"

    return handle


@pytest.mark.parametrize("arrays_raw,language,found", [(True, "javascript", True), (False, "javascript", False),
                                                         (True, "python", False)])
def test_an_array_value_where_the_string_is_escaped(arrays_raw: bool, language: str, found: bool):
    with serve(_app(arrays_raw)) as url:
        client = SafeClient(url, Limits(rps=1000))
        route = Route("GET", "/about_new", [Param("device", "query")], "code", language=language)
        hit = ReflectedXss().run(PointSender(client), ProbeContext(client.base_url), InjectionPoint(route, route.params[0]))
    assert (hit is not None) is found
    if hit is not None:
        assert "device%5B%5D=" in hit.exchange.url

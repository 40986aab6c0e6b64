"""A CORS middleware that allows every origin with credentials may answer `*` to a request
without a cookie, and name the origin (with credentials) only to a preflight or a request with a
cookie (Starlette's CORSMiddleware before 0.50 did: gemini-inventory's pinned FastAPI): the check
asks those too. An allow-list names no stranger's origin."""

from __future__ import annotations

import pytest

from auditor.probe.checks.cors import CorsReflection
from auditor.probe.interface import ProbeContext, Route
from auditor.probe.safety import Limits, SafeClient
from auditor.probe.sender import PointSender

from .standin import serve


def _middleware(any_origin: bool):
    def handle(method, path, headers, body):
        origin = headers.get("Origin", "")
        out = {"Content-Type": "application/json", "Vary": "Origin"}
        named = any_origin or origin == "https://app.example"
        if method == "OPTIONS" and headers.get("Access-Control-Request-Method"):
            if named:
                out.update({"Access-Control-Allow-Origin": origin, "Access-Control-Allow-Credentials": "true"})
            return 200, out, "OK"
        if origin and named:
            cookie = "Cookie" in headers
            out.update({"Access-Control-Allow-Origin": origin if cookie or not any_origin else "*",
                        "Access-Control-Allow-Credentials": "true"})
        return (200, out, '[{"id": 1}]') if path == "/products" else (404, out, '{"detail": "Not Found"}')
    return handle


@pytest.mark.parametrize("any_origin", [True, False])
def test_an_origin_named_only_to_a_preflight_or_a_cookie(any_origin: bool):
    with serve(_middleware(any_origin)) as url:
        client = SafeClient(url, Limits(rps=1000))
        found = CorsReflection().run(PointSender(client), ProbeContext(client.base_url),
                                     [Route("GET", "/products", [], "code", "main.py", 9)])
    assert [(c.category, c.method) for c in found] == ([("cors-misconfiguration", "OPTIONS")] if any_origin else [])

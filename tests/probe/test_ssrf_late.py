"""SSRF without waiting after each request: a fetch made while handling the request is seen at
once, and one the app makes after it has answered is collected when the run settles."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

from auditor.probe.callback import CallbackServer
from auditor.probe.checks.ssrf import Ssrf
from auditor.probe.interface import InjectionPoint, Param, ProbeContext, Route
from auditor.probe.safety import Limits, SafeClient
from auditor.probe.sender import PointSender

from .standin import fetch_later, standin


def test_a_callback_after_the_answer_is_confirmed_when_the_run_settles():
    def respond(m: str, p: str) -> tuple[int, dict[str, str], bytes]:
        fetch_later(parse_qs(urlsplit(p).query).get("u", [""])[0])
        return 202, {"Content-Type": "text/plain"}, b"queued"

    with standin(respond) as app, CallbackServer() as callback:
        client = SafeClient(app.url, Limits(rps=1000))
        route = Route("GET", "/hook", [Param("u", "query")])
        point = InjectionPoint(route, route.params[0])
        ctx = ProbeContext(origin=client.base_url, callback=callback)
        check = Ssrf()
        start = time.monotonic()
        assert check.run(PointSender(client), ctx, point) is None  # not yet called back
        assert time.monotonic() - start < 0.15  # and the check did not wait for it
        found = check.settle(ctx)
        assert [c.category for c in found] == ["ssrf"] and found[0].canary in found[0].exchange.url
        assert check.settle(ctx) == []  # settled once


def test_checks_that_settle_one_after_another_share_one_grace():
    # SSRF and out-of-band command injection both settle at the run's end: the grace runs from
    # the last callback URL handed out, so the second check does not wait a grace of its own,
    # and a URL handed out later moves the deadline with it.
    with CallbackServer() as callback:
        callback.url("aud1")
        first = callback.grace_until(0.5)
        assert callback.grace_until(0.5) == first
        time.sleep(0.01)
        callback.url("aud2")
        assert callback.grace_until(0.5) > first


def _ticket_pdf(renders_images: bool):
    """vuln-nodejs-app's /ticket/booking shape: the passenger's name goes into HTML that a
    headless browser turns into a PDF; the browser loads the markup's images (here: a fetch of
    each <img src> when `renders_images`, as Chromium does; text only otherwise)."""
    import re as _re

    def respond(m: str, p: str) -> tuple[int, dict[str, str], bytes]:
        name = parse_qs(urlsplit(p).query).get("passenger_name", [""])[0]
        if renders_images:
            for src in _re.findall(r'<img src="([^"]+)"', name):
                if src.startswith("http://127.0.0.1:"):  # the stand-in fetches loopback only
                    fetch_later(src, after=0)
        return 200, {"Content-Type": "application/pdf"}, b"%PDF-1.4"

    return respond


def test_markup_for_a_handler_that_renders_html_in_a_browser(tmp_path):
    handler = "const booking = async (req, res) => {\n  const html = `<p>${req.query.passenger_name}</p>`;\n" \
              "  const pdf = await html_to_pdf.generatePdf({content: html}, options);\n  res.send(pdf);\n};\n"
    (tmp_path / "ctl.js").write_text(handler)
    for renders in (True, False):
        with standin(_ticket_pdf(renders)) as app, CallbackServer() as callback:
            client = SafeClient(app.url, Limits(rps=1000))
            route = Route("GET", "/ticket/booking", [Param("passenger_name", "query")], "code", "ctl.js", 1,
                          "express", "javascript")
            ctx = ProbeContext(origin=client.base_url, callback=callback, project=tmp_path)
            check = Ssrf()
            found = [check.run(PointSender(client), ctx, InjectionPoint(route, route.params[0]))] + check.settle(ctx)
        assert bool([f for f in found if f is not None]) is renders

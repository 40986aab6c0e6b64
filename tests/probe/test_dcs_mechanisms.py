"""False confirmations a fresh app's diagnosis run showed (jedelacarrera/DemoCyberSecurity, a
Koa app): a length check and a partial echo are no query language. Stand-ins written here: no
XPath or LDAP behind them, so nothing may be confirmed."""

from __future__ import annotations

import json

import pytest

from auditor.probe.checks.query_languages import QueryLanguageInjection, whole_expression
from auditor.probe.interface import InjectionPoint, Param, ProbeContext, Route
from auditor.probe.profile import point_key, profile_pair
from auditor.probe.safety import Limits, SafeClient
from auditor.probe.sender import PointSender

from .standin import serve


def _run(handle, param: str, whole: bool):
    route = Route("POST", "/x", [Param(param, "json")])
    point = InjectionPoint(route, route.params[0])
    with serve(handle, content_type="application/json") as url:
        client = SafeClient(url, Limits(rps=1000))
        sender = PointSender(client)
        ctx = ProbeContext(client.base_url)
        profile, _ = profile_pair(sender, point, None)
        ctx.profiles[point_key(point)] = profile
        if whole:
            return whole_expression(sender, ctx, point)
        return QueryLanguageInjection().run(sender, ctx, point)


def test_a_password_length_check_is_no_xpath():
    """A sign-up that refuses passwords under 8 characters: the short true paths (`.//*[1]`,
    `*[1]`) are refused, the long false ones are not."""

    def handle(method, path, headers, body):
        password = json.loads(body or b"{}").get("password", "")
        if len(password) < 8:
            return 400, {}, json.dumps({"error": "password must have at least 8 characters"})
        return 201, {}, json.dumps({"created": True})

    assert _run(handle, "password", whole=True) is None


def test_an_echo_of_the_last_characters_is_no_differential():
    """A payment form that answers with the card's last four characters: an always-true and an
    always-false payload end differently, so their answers differ by that echo alone."""

    def handle(method, path, headers, body):
        card = str(json.loads(body or b"{}").get("creditCard", ""))
        return 200, {}, json.dumps({"saved": True, "card": "**** " + card[-4:]})

    assert _run(handle, "creditCard", whole=False) is None


def _exchange(path: str, text: str, headers: list[tuple[str, str]]):
    from auditor.probe.interface import Exchange

    return Exchange("GET", "http://127.0.0.1:9" + path, {}, "", 200, [("Content-Type", "text/html"), *headers], text, 0.01)


def test_passive_checks_see_each_routes_first_answer_past_the_window():
    """The sweep saw a stack trace and a page without headers early; hundreds of answers later
    they had left the history the passive checks read at the end."""
    from auditor.probe.checks.debug import _shown
    from auditor.probe.checks.headers import ResponseHygiene
    from auditor.probe.sender import MAX_HISTORY

    sender = PointSender(SafeClient("http://127.0.0.1:9", Limits()))
    guarded = [("X-Frame-Options", "DENY"), ("X-Content-Type-Options", "nosniff"),
               ("Content-Security-Policy", "default-src 'self'")]
    sender.observe(_exchange("/secure-page", "<p>ok</p>", guarded))
    sender.observe(_exchange("/insecure-page", "<p>hello</p>", []))
    sender.observe(_exchange("/error", "Error: boom\n    at handler (/srv/app/dist/x.js:1:2)", []))
    for i in range(MAX_HISTORY + 5):
        sender.observe(_exchange(f"/page/{i}", "<p>guarded</p>", guarded))
    assert all(ex.url.rsplit("/", 2)[-2] == "page" for ex in sender.history)  # both left the window
    assert _shown(list(sender.first_answers.values()))
    found = ResponseHygiene().run(sender, ProbeContext("http://127.0.0.1:9"), [])
    assert [(c.check, c.endpoint) for c in found] == [("headers", "/insecure-page")]


@pytest.mark.parametrize("banner", ["Express", None])
def test_an_x_powered_by_banner_is_reported_once(banner):
    from auditor.probe.checks.headers import ResponseHygiene

    sender = PointSender(SafeClient("http://127.0.0.1:9", Limits()))
    guarded = [("X-Frame-Options", "DENY"), ("X-Content-Type-Options", "nosniff"),
               ("Content-Security-Policy", "default-src 'self'")]
    extra = [("X-Powered-By", banner)] if banner else []
    sender.observe(_exchange("/healthcheck", '{"ok": true}', extra))
    sender.observe(_exchange("/", "<p>home</p>", guarded + extra))
    found = ResponseHygiene().run(sender, ProbeContext("http://127.0.0.1:9"), [])
    banners = [(c.endpoint, c.severity) for c in found if "X-Powered-By" in c.message]
    assert banners == ([("/healthcheck", "low")] if banner else [])

"""The canary that profiles each injection point: what it learns decides which checks are
sent, so an input the app ignores gets only the checks that can be blind, an echoed one is
seen as reflected, and an endpoint that hands out a new id each time is not mistaken for one
the input changes."""

from __future__ import annotations

import html
import itertools
from urllib.parse import parse_qs, unquote, urlsplit

from auditor.probe.interface import InjectionPoint, Param, Route
from auditor.probe.profile import plain_echo, point_key, profile_point
from auditor.probe.safety import Limits, SafeClient
from auditor.probe.sender import PointSender

from .standin import standin


def _q(path: str) -> str:
    return parse_qs(urlsplit(path).query).get("q", [""])[0]


def _profile(respond):
    with standin(respond) as app:
        client = SafeClient(app.url, Limits(rps=1000))
        route = Route("GET", "/x", [Param("q", "query")])
        point = InjectionPoint(route, route.params[0])
        sender = PointSender(client)
        profile = profile_point(sender, point)
        probe = sender.send(point, "1'")
        return profile, plain_echo(profile, probe, "1'"), len(app.seen)


def test_ignored_input_is_neither_reflected_nor_influencing():
    profile, echo, sent = _profile(lambda m, p: (200, {"Content-Type": "text/html"}, b"<p>same</p>"))
    assert not profile.reflected and not profile.influenced and not profile.noisy and echo and sent == 3


def test_echoed_input_is_reflected_and_a_quote_that_changes_the_answer_is_no_plain_echo():
    def respond(m: str, p: str) -> tuple[int, dict[str, str], bytes]:
        q = _q(p)
        return (500 if "'" in q else 200), {"Content-Type": "text/html"}, f"<p>{q}</p>".encode()

    profile, echo, sent = _profile(respond)
    assert profile.reflected and not profile.influenced and profile.special and not echo
    assert sent == 4  # baseline, polyglot, the bare token (the polyglot's answer was not the baseline's), probe
    assert profile.first is not None and profile.first.status == 500 and profile.tag in profile.exchange.text


def test_an_escaped_echo_is_settled_by_the_polyglot_alone():
    def respond(m: str, p: str) -> tuple[int, dict[str, str], bytes]:
        return 200, {"Content-Type": "text/html"}, f"<p>{html.escape(_q(p))}</p>".encode()

    profile, _, sent = _profile(respond)
    assert profile.reflected and not profile.influenced and not profile.special
    assert sent == 3  # baseline, polyglot, probe


def test_a_new_id_per_request_is_noise_not_influence():
    ids = itertools.count(1)

    def respond(m: str, p: str) -> tuple[int, dict[str, str], bytes]:
        return 201, {"Content-Type": "application/json"}, f'{{"id": {next(ids)}, "text": "{_q(p)}"}}'.encode()

    profile, echo, sent = _profile(respond)
    assert profile.noisy and not profile.influenced and echo and sent == 4  # baseline, canary, one repeat, probe


def test_an_input_that_decides_the_answer_influences_it():
    def respond(m: str, p: str) -> tuple[int, dict[str, str], bytes]:
        return (200, {}, b"found") if unquote(_q(p)) == "1" else (404, {}, b"no such item")

    profile, _, _ = _profile(respond)
    assert profile.influenced and not profile.noisy


def test_a_parameter_name_rides_on_its_value_polyglot():
    """The name point's tag goes as an extra parameter in the value's polyglot request: one
    request profiles both, and a key echoed raw is seen on the name point's profile."""
    from auditor.probe.profile import profile_pair

    def respond(m: str, p: str) -> tuple[int, dict[str, str], bytes]:
        keys = " ".join(k for k in parse_qs(urlsplit(p).query) if k != "q")
        return 200, {"Content-Type": "text/html"}, f"<p>other keys: {keys}</p>".encode()

    with standin(respond) as app:
        client = SafeClient(app.url, Limits(rps=1000))
        route = Route("GET", "/x", [Param("q", "query")])
        value, name = InjectionPoint(route, route.params[0]), InjectionPoint(route, route.params[0], in_name=True)
        profile, named = profile_pair(PointSender(client), value, name)
        assert len(app.seen) == 2  # baseline, polyglot
    assert not profile.influenced and not profile.special and named is not None
    assert named.reflected and named.first is not None and f"<{named.tag} x=1>" in named.first.text


def test_a_meta_refresh_to_the_input_is_seen_even_when_the_polyglot_cuts_its_url_short():
    def respond(m: str, p: str) -> tuple[int, dict[str, str], bytes]:
        return 200, {"Content-Type": "text/html"}, \
            f'<html><head><meta http-equiv="refresh" content="0; url={_q(p)}"></head></html>'.encode()

    profile, _, _ = _profile(respond)
    assert profile.redirects


def test_a_tag_echoed_only_inside_an_html_comment_is_no_xss():
    from auditor.probe.checks.xss import ReflectedXss
    from auditor.probe.interface import ProbeContext

    def respond(m: str, p: str) -> tuple[int, dict[str, str], bytes]:
        q = _q(p)
        return 500 if "'" in q else 200, {"Content-Type": "text/html"}, \
            f"<p>{html.escape(q)}</p><!-- debug: {q.replace('-->', '')} -->".encode()  # no way out of the comment

    with standin(respond) as app:
        client = SafeClient(app.url, Limits(rps=1000))
        route = Route("GET", "/x", [Param("q", "query")])
        point = InjectionPoint(route, route.params[0])
        sender = PointSender(client)
        ctx = ProbeContext(origin=client.base_url)
        ctx.profiles[point_key(point)] = profile_point(sender, point)
        assert ReflectedXss().run(sender, ctx, point) is None

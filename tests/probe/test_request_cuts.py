"""Requests the probe no longer sends, each beside the confirmation it must keep: a stand-in app
(127.0.0.1, ephemeral port) counts what arrives. Every cut has a flawed app that is still
confirmed and a safe one that now costs fewer requests."""

from __future__ import annotations

import html
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from auditor.probe.checks.xss import ReflectedXss
from auditor.probe.engine import ProbeConfig, run_probe
from auditor.probe.interface import InjectionPoint, Param, ProbeContext, Route
from auditor.probe.profile import point_key, profile_point
from auditor.probe.safety import Limits, SafeClient
from auditor.probe.sender import PointSender

from .standin import standin

HTML = {"Content-Type": "text/html"}


def _q(path: str) -> str:
    return parse_qs(urlsplit(path).query).get("q", [""])[0]


def _xss(respond) -> tuple[object, int]:
    """The XSS check at /x?q after the point's profile: (its confirmation, requests it sent)."""
    with standin(respond) as app:
        client = SafeClient(app.url, Limits(rps=1000))
        route = Route("GET", "/x", [Param("q", "query")])
        point = InjectionPoint(route, route.params[0])
        sender = PointSender(client)
        ctx = ProbeContext(origin=client.base_url)
        ctx.profiles[point_key(point)] = profile_point(sender, point)
        before = len(app.seen)
        found = ReflectedXss().run(sender, ctx, point)
        return found, len(app.seen) - before


def test_an_html_escaped_echo_gets_two_xss_shapes_not_eight():
    found, sent = _xss(lambda m, p: (200, HTML, f"<p>{html.escape(_q(p))}</p>".encode()))
    # the plain tag (its `<` comes back encoded), then one shape with an earlier `<`; the old
    # check sent all eight context break-outs, each encoded alike
    assert found is None and sent == 2


def test_a_filter_that_encodes_only_the_first_bracket_is_still_confirmed():
    def respond(m: str, p: str) -> tuple[int, dict[str, str], bytes]:  # JavaScript's str.replace('<', ...)
        return 200, HTML, f"<p>{_q(p).replace('<', '&lt;', 1).replace('>', '&gt;', 1)}</p>".encode()

    found, sent = _xss(respond)
    assert found is not None and found.category == "xss" and sent == 2


def test_a_tag_inside_a_textarea_still_gets_the_break_outs():
    found, _ = _xss(lambda m, p: (200, HTML, f"<textarea>{_q(p)}</textarea>".encode()))
    assert found is not None and "textarea" in found.exchange.url  # the raw tag needed `</textarea>` first


def test_a_plain_text_echo_gets_one_xss_request():
    found, sent = _xss(lambda m, p: (200, {"Content-Type": "text/plain"}, f"resolving {_q(p)}".encode()))
    assert found is None and sent == 1  # a text answer is never rendered: no shape can change that


def _sql_app(m: str, p: str) -> tuple[int, dict[str, str], bytes]:
    if urlsplit(p).path != "/x":
        return (200, HTML, b'<a href="/x?q=1">x</a>') if urlsplit(p).path == "/" else (404, HTML, b"no")
    q = _q(p)
    if "'" in q:  # the query breaks: the database's own error, which quotes the statement
        return 500, HTML, f"<pre>sqlite3.OperationalError: unrecognized token: &#34;{html.escape(q)}&#34;</pre>".encode()
    return 200, HTML, b"<p>no rows</p>"


def test_a_point_proven_to_reach_sql_gets_no_xpath_or_ldap_differentials(tmp_path: Path):
    with standin(_sql_app) as app:
        cfg = ProbeConfig(base_url=app.url, project=tmp_path, limits=Limits(rps=1000, max_requests=500))
        run = run_probe(cfg)
    found = {(c.category, c.endpoint, c.point.param.name if c.point else None) for c in run.confirmations}
    assert ("sql-injection", "/x", "q") in found
    # the old engine went on with up to 13 XPath/LDAP requests at the same input
    at_q = [r for r in run.requests if r.phase == "xpath-ldap" and "q=" in urlsplit(r.url).query]
    assert not [r for r in at_q if _q("/?" + urlsplit(r.url).query) != "1"]

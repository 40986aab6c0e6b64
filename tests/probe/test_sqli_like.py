"""SQL injection inside a LIKE pattern with errors hidden: a stand-in search page backed by a
real in-memory SQLite database. The vulnerable variant builds `name LIKE '%<q>%'` by string
concatenation and answers an empty list on any database error; the fixed one binds `q`; the
echo-only one never queries and only shows what it was sent."""

from __future__ import annotations

import html
import sqlite3
import threading
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from auditor.probe.checks.sqli import SqlInjection
from auditor.probe.interface import InjectionPoint, Param, ProbeContext, Route
from auditor.probe.profile import point_key, profile_point
from auditor.probe.safety import Limits, SafeClient
from auditor.probe.sender import PointSender

from .standin import serve, standin

PRODUCTS = ["USB rocket", "Potty Putter", "Phone Fingers", "Walker watermelons"]


def _search_app(variant: str):
    db = sqlite3.connect(":memory:", check_same_thread=False)
    db.execute("CREATE TABLE products (name TEXT)")
    db.executemany("INSERT INTO products VALUES (?)", [(p,) for p in PRODUCTS])
    lock = threading.Lock()  # one connection, a threaded server

    def respond(method: str, path: str) -> tuple[int, dict[str, str], bytes]:
        q = parse_qs(urlsplit(path).query, keep_blank_values=True).get("q", [""])[0]
        rows: list[str] = []
        if variant != "echo":
            with lock:
                try:
                    if variant == "vulnerable":
                        cur = db.execute("SELECT name FROM products WHERE name LIKE '%" + q + "%'")
                    else:
                        cur = db.execute("SELECT name FROM products WHERE name LIKE '%' || ? || '%'", (q,))
                    rows = [r[0] for r in cur.fetchall()]
                except sqlite3.Error:
                    rows = []  # errors hidden: the same page with no products
        items = "".join(f"<li>{html.escape(r)}</li>" for r in rows) or "<p>No products</p>"
        page = f"<h2>Results for: {html.escape(q)}</h2><ul>{items}</ul>"
        return 200, {"Content-Type": "text/html"}, page.encode()

    return respond


def _probe(variant: str, with_profile: bool):
    with standin(_search_app(variant)) as app:
        client = SafeClient(app.url, Limits(rps=1000))
        sender = PointSender(client)
        route = Route("GET", "/products/search", [Param("q", "query")])
        point = InjectionPoint(route, route.params[0])
        ctx = ProbeContext(client.base_url, delay=0)  # no time-based tries: the differential alone
        check = SqlInjection()
        if with_profile:  # as a full run does: the polyglot profile first, then worth()
            ctx.profiles[point_key(point)] = profile = profile_point(sender, point)
            if not check.worth(point, profile):
                return None, len(app.seen)
        return check.run(sender, ctx, point), len(app.seen)


@pytest.mark.parametrize("with_profile", [True, False])
def test_like_pattern_vulnerable_confirmed(with_profile):
    found, _ = _probe("vulnerable", with_profile)
    assert found is not None
    assert "LIKE" in found.canary and "evaluated as SQL" in found.message


@pytest.mark.parametrize("variant", ["fixed", "echo"])
@pytest.mark.parametrize("with_profile", [True, False])
def test_like_pattern_safe_not_confirmed(variant, with_profile):
    found, requests = _probe(variant, with_profile)
    assert found is None
    if with_profile:
        # a full run pays at most one request for the LIKE shape where nothing answers to it
        # (the baseline, the polyglot, the canary and the LIKE shape's first true payload)
        assert requests <= 5


def test_like_wildcard_not_sent_on_post():
    """A POST may run a DELETE ... LIKE: the wildcard that would widen it is sent on GET only,
    and the shape is tried with nothing else answering only where a search term travels."""
    from auditor.probe.checks.sqli import like_anyway, like_value

    def point(method: str, location: str) -> InjectionPoint:
        param = Param("q", location, example="ab")
        return InjectionPoint(Route(method, "/s", [param]), param)

    assert like_value(point("GET", "query")) == "%" and like_anyway(point("GET", "query"))
    assert like_value(point("POST", "form")) is None and not like_anyway(point("POST", "form"))
    assert like_value(point("GET", "header")) == "%" and not like_anyway(point("GET", "header"))


def test_like_shape_never_sent_on_post():
    """The same vulnerable search taking a form field by POST: no value sent holds a wildcard."""
    respond = _search_app("vulnerable")
    sent: list[str] = []

    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], bytes]:
        q = parse_qs(body.decode(), keep_blank_values=True).get("q", [""])[0]
        sent.append(q)
        return respond(method, "/products/search?" + urlencode({"q": q}))

    with serve(handle) as url:
        client = SafeClient(url, Limits(rps=1000))
        route = Route("POST", "/products/search", [Param("q", "form")])
        point = InjectionPoint(route, route.params[0])
        SqlInjection().run(PointSender(client), ProbeContext(client.base_url, delay=0), point)
    assert sent and not any("%" in q for q in sent)

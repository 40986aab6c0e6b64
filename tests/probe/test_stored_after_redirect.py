"""A POST answered by a redirect to the app's own page (post/redirect/get): a stored value
shows on the page it leads to. The stand-in is a blog whose post is saved as a template and
rendered at /blog/<id> (server-side template injection seen only after the redirect) by a
small engine with Django's arithmetic: no multiplication, an `add` filter, and a syntax error
for any other `{{ }}`. The fixed blog renders the post as text."""

from __future__ import annotations

import html
import itertools
import re
import threading
from urllib.parse import parse_qs

import pytest

from auditor.probe.checks.code import CodeInjection
from auditor.probe.interface import InjectionPoint, Param, ProbeContext, Route
from auditor.probe.profile import point_key, profile_point
from auditor.probe.safety import Limits, SafeClient
from auditor.probe.sender import PointSender

from .standin import serve


class TemplateSyntaxError(Exception):
    pass


def _render(source: str) -> str:
    """`{{ a|add:b }}` is the sum; any other tag is a syntax error, as Django answers `{{ a*b }}`."""
    def tag(m: re.Match[str]) -> str:
        add = re.fullmatch(r"\s*(-?\d+)\|add:(-?\d+)\s*", m.group(1))
        if add is None:
            raise TemplateSyntaxError(f"Could not parse the remainder: {m.group(1)!r}")
        return str(int(add.group(1)) + int(add.group(2)))
    return re.sub(r"\{\{(.*?)\}\}", tag, source)


def _blog(vulnerable: bool, location: str, seen: list[str]):
    posts: dict[str, str] = {}
    ids = itertools.count(1)
    lock = threading.Lock()

    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], bytes]:
        seen.append(f"{method} {path}")
        if method == "POST" and path == "/blog":
            text = parse_qs(body.decode(), keep_blank_values=True).get("blog", [""])[0]
            with lock:
                post = str(next(ids))
                posts[post] = text
            return 302, {"Location": location.format(id=post)}, b""
        if method == "GET" and path.startswith("/blog/") and path[6:] in posts:
            source = posts[path[6:]]
            try:
                page = "<article>" + (_render(source) if vulnerable else html.escape(source)) + "</article>"
            except TemplateSyntaxError as exc:
                return 500, {"Content-Type": "text/html"}, f"<pre>TemplateSyntaxError: {html.escape(str(exc))}</pre>".encode()
            return 200, {"Content-Type": "text/html"}, page.encode()
        return 404, {"Content-Type": "text/html"}, b"not found"

    return handle


def _probe(vulnerable: bool, location: str = "/blog/{id}"):
    seen: list[str] = []
    with serve(_blog(vulnerable, location, seen)) as url:
        client = SafeClient(url, Limits(rps=1000))
        sender = PointSender(client)
        route = Route("POST", "/blog", [Param("blog", "form")])
        point = InjectionPoint(route, route.params[0])
        ctx = ProbeContext(client.base_url)
        ctx.profiles[point_key(point)] = profile = profile_point(sender, point)
        check = CodeInjection()
        found = check.run(sender, ctx, point) if check.worth(point, profile) else None
    return found, seen


def test_template_stored_and_shown_after_the_redirect_is_confirmed():
    found, seen = _probe(True)
    assert found is not None and "django" in found.message and "sum" in found.message
    assert any(s.startswith("GET /blog/") for s in seen)


def test_post_rendered_as_a_variable_is_not_confirmed():
    found, _ = _probe(False)
    assert found is None


@pytest.mark.parametrize("location", ["//evil.example/blog/{id}", "/\\evil.example/{id}", "http://10.0.0.9/blog/{id}",
                                      "/logout?next=/blog/{id}"])
def test_redirect_elsewhere_or_to_sign_out_is_not_followed(location: str):
    found, seen = _probe(True, location)
    assert found is None
    assert not any(s.startswith("GET ") for s in seen)  # only the POSTs reached the stand-in


def test_redirect_to_the_input_itself_is_not_followed():
    """`redirect(request.form["next"])`: the page it leads to is the input's own path (a 404
    that may echo it), not a page where something was stored: left to the redirect check."""
    seen: list[str] = []

    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], bytes]:
        seen.append(f"{method} {path}")
        target = parse_qs(body.decode(), keep_blank_values=True).get("next", ["/"])[0]
        return (302, {"Location": target}, b"") if method == "POST" else (404, {}, f"no page {target}".encode())

    with serve(handle) as url:
        sender = PointSender(SafeClient(url, Limits(rps=1000)))
        route = Route("POST", "/go", [Param("next", "form")])
        point = InjectionPoint(route, route.params[0])
        sender.baseline(point)
        sender.send(point, "<audx1 x=1>")
        sender.send(point, "/account/audx2")
    assert seen == ["POST /go"] * 3


@pytest.mark.parametrize("location", ["https:aud3.invalid", "javascript:alert(1)", "mailto:x@example.com"])
def test_malformed_or_other_scheme_location_is_not_followed(location: str):
    seen: list[str] = []

    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], bytes]:
        seen.append(f"{method} {path}")
        return 302, {"Location": location}, b""

    with serve(handle) as url:
        sender = PointSender(SafeClient(url, Limits(rps=1000)))
        route = Route("POST", "/go", [Param("q", "form")])
        ex = sender.send(InjectionPoint(route, route.params[0]), "x")
    assert ex.status == 302 and seen == ["POST /go"]  # sent once, and nothing followed


def _guestbook(escaped: bool):
    """POST /sign stores the name and redirects to /book, which lists the names (raw unless
    `escaped`); POST /echo answers the name at once, raw."""
    names: list[str] = []

    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], bytes]:
        name = parse_qs(body.decode(), keep_blank_values=True).get("name", [""])[0]
        if method == "POST" and path == "/sign":
            names.append(name)
            return 303, {"Location": "/book?page=1"}, b""
        if method == "POST" and path == "/echo":
            return 200, {}, f"<p>hello {name}</p>".encode()
        if method == "GET" and path.startswith("/book"):
            return 200, {}, "".join(f"<li>{html.escape(n) if escaped else n}</li>" for n in names).encode()
        return 404, {}, b"not found"

    return handle


@pytest.mark.parametrize("escaped", [False, True])
def test_xss_on_the_followed_page_says_where_it_was_found(escaped):
    from auditor.probe.checks.xss import ReflectedXss

    with serve(_guestbook(escaped)) as url:
        client = SafeClient(url, Limits(rps=1000))
        sender = PointSender(client)
        found = {}
        for path in ("/sign", "/echo"):
            route = Route("POST", path, [Param("name", "form")])
            found[path] = ReflectedXss().run(sender, ProbeContext(client.base_url), InjectionPoint(route, route.params[0]))
    if escaped:
        assert found["/sign"] is None
    else:
        assert found["/sign"] is not None and "GET /book?page=1" in found["/sign"].message
        assert not found["/sign"].message.startswith("reflected")
    assert found["/echo"] is not None and found["/echo"].message.startswith("reflected XSS")


@pytest.mark.parametrize("vulnerable", [True, False])
def test_a_plain_text_redirect_leads_to_the_html_page_that_shows_the_value(tmp_path, vulnerable: bool):
    """Express's res.redirect answers `Found. Redirecting to /products` as text/plain to a client
    that accepts anything (DVNA's product form); the page it leads to is HTML, and a stored tag
    there is judged as HTML at once."""
    from auditor.probe.engine import ProbeConfig, run_probe

    names: list[str] = []

    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], str]:
        if method == "POST" and path == "/products":
            names[:] = [parse_qs(body.decode()).get("name", [""])[0]]  # one product, overwritten
            return 302, {"Location": "/products", "Content-Type": "text/plain"}, "Found. Redirecting to /products"
        if path == "/products":
            shown = "".join(f"<td>{n if vulnerable else html.escape(n)}</td>" for n in names)
            return 200, {"Content-Type": "text/html"}, f"<table><tr>{shown}</tr></table>"
        return 200, {"Content-Type": "text/html"}, ('<form method="post" action="/products">'
                                                    '<input name="name"></form>')

    with serve(handle) as url:
        run = run_probe(ProbeConfig(base_url=url, project=tmp_path / "none", checks=["xss"],
                                    limits=Limits(rps=1000, max_requests=300, timeout=5)))
    found = [c for c in run.confirmations if c.category == "xss"]
    assert bool(found) is vulnerable
    if vulnerable:  # judged on the answer of the POST itself, not at the run's end
        assert "the page the request redirects to" in found[0].message

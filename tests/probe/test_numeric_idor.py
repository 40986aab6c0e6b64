"""NodeGoat's `/allocations/{userId}`: each user's page links their own allocations, whose only
data is numbers (stocks, funds and bonds percentages) beside the owner's name. bob's page read
with alice's session shows bob's numbers: an IDOR, though no text of bob's is long enough to be a
marker. Numbers that change with every request, or the id the page only repeats, prove nothing."""

from __future__ import annotations

import itertools

import pytest

from auditor.probe.checks.idor import LinkedObjects
from auditor.probe.interface import Param, ProbeContext, Route
from auditor.probe.safety import Limits, SafeClient
from auditor.probe.sender import PointSender

from .standin import serve

USERS = {"sid=A": ("2", "Ann Lee", (10, 20, 70)), "sid=B": ("3", "Will Smith", (35, 45, 20))}


def _app(mode: str):
    counter = itertools.count(1000)

    def handle(method, path, headers, body):
        user = USERS.get(headers.get("Cookie", "").split(";")[0].strip())
        if user is None:
            return 302, {"Location": "/login"}, ""
        nav = f'<p>Welcome {user[1]}</p><a href="/allocations/{user[0]}">Allocations</a>'
        if path == "/":
            return 200, {"Content-Type": "text/html"}, nav + f"<p>Served {next(counter)}</p>"
        wanted = path.rsplit("/", 1)[-1]
        owner = next((u for u in USERS.values() if u[0] == wanted), None)
        if owner is None:
            return 500, {"Content-Type": "text/html"}, "<pre>TypeError: Cannot read property 'stocks'</pre>"
        if owner is not user and mode == "checked":
            return 403, {"Content-Type": "text/html"}, nav + "<p>Forbidden</p>"
        if owner is not user and mode == "echo":  # the id repeated, a request counter: no data of bob's
            return 200, {"Content-Type": "text/html"}, nav + f"<p>User {wanted}: none (request {next(counter)})</p>"
        cells = "".join(f"<td>{n}</td>" for n in owner[2])
        return 200, {"Content-Type": "text/html"}, nav + f"<h2>{owner[1]}</h2><table><tr>{cells}</tr></table>"

    return handle


@pytest.mark.parametrize("mode,confirmed", [("open", True), ("checked", False), ("echo", False)])
def test_another_users_numbers_shown_with_the_first_session(mode: str, confirmed: bool):
    with serve(_app(mode)) as url:
        client = SafeClient(url, Limits(rps=1000))
        ctx = ProbeContext(client.base_url, identities=[("alice", {"Cookie": "sid=A"}), ("bob", {"Cookie": "sid=B"})],
                           pages=["/"])
        sender = PointSender(client, identity={"Cookie": "sid=A"})
        found = LinkedObjects().run(sender, ctx, [Route("GET", "/allocations/{userId}", [Param("userId", "path")])])
    assert bool(found) is confirmed
    if found:
        assert found[0].endpoint == "/allocations/{userId}" and "35" in found[0].canary


def test_a_conditional_comment_hides_no_text():
    """NodeGoat's head: `<!--[if lt IE 9]><script src="html5shiv.js"><![endif]-->`, a script it
    never closes inside a comment: the page's text after it is still text."""
    from auditor.probe.checks.idor import page_numbers, visible_text

    page = ('<head><!--[if lt IE 9]><script src="/vendor/html5shiv.js"><![endif]--></head><body>'
            '<p>Domestic Stocks : <strong>39 %</strong></p><p>Asset Allocations for Will Smith</p>'
            '<script src="/vendor/jquery.min.js"></script></body>')
    assert page_numbers(page)["39"] == 1
    assert "Asset Allocations for Will Smith" in visible_text(page)

"""A create whose answer is the server-rendered list of the objects (no id in JSON, no Location
to the object): the object made once more, and the one new link to the read route is its page.
An IDOR where the object page shows another user's object; none where it checks the owner."""

from __future__ import annotations

import html
from urllib.parse import parse_qs

import pytest

from auditor.probe.checks.idor import Idor
from auditor.probe.interface import Param, ProbeContext, Route
from auditor.probe.safety import Limits, SafeClient
from auditor.probe.sender import PointSender

from .standin import serve

ROUTES = [Route("POST", "/settings/notes", [Param("title", "form"), Param("body", "form")], "code", "s.js", 38),
          Route("GET", "/settings/notes/{id}", [Param("id", "path")], "code", "s.js", 69)]
USERS = {"sid=A": "alice", "sid=B": "bob"}


def _app(checks_owner: bool):
    notes: list[tuple[str, str]] = [("seeded note", "admin")]

    def handle(method, path, headers, body):
        user = USERS.get(headers.get("Cookie", ""))
        if user is None:
            return 302, {"Location": "/login"}, ""
        if method == "POST" and path == "/settings/notes":
            notes.append((parse_qs(body.decode()).get("title", [""])[0], user))
            links = "".join(f'<li><a href="/settings/notes/{i + 1}">{html.escape(t)}</a></li>' for i, (t, _) in
                            enumerate(notes))
            return 200, {}, f"<h1>Settings</h1><ul>{links}</ul>"
        if path.startswith("/settings/notes/"):
            n = int(path.rsplit("/", 1)[1]) - 1
            if not 0 <= n < len(notes) or (checks_owner and notes[n][1] != user):
                return 404, {}, "<p>Not found</p>"
            return 200, {}, f"<h1>Note</h1><p>{html.escape(notes[n][0])}</p>"
        return 404, {}, "not found"
    return handle


@pytest.mark.parametrize("checks_owner", [False, True])
def test_an_object_known_by_its_new_link_in_the_list(checks_owner: bool):
    with serve(_app(checks_owner)) as url:
        client = SafeClient(url, Limits(rps=1000))
        ctx = ProbeContext(client.base_url, identities=[("alice", {"Cookie": "sid=A"}), ("bob", {"Cookie": "sid=B"})])
        found = Idor().run(PointSender(client, identity={"Cookie": "sid=A"}), ctx, ROUTES)
    assert [(f.category, f.endpoint) for f in found] == \
        ([] if checks_owner else [("broken-access-control", "/settings/notes/{id}")])

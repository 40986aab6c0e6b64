"""NoSQL operator payloads go where an operator object can be a query: not to a handler the code
shows querying no document store in an app built on a relational database (vuln-nodejs-app's
Sequelize `Notes.create(...)` threw on the object, unhandled, and the app stopped)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from auditor.probe.checks.nosql import NoSqlInjection
from auditor.probe.interface import InjectionPoint, Param, ProbeContext, Route
from auditor.probe.safety import Limits, SafeClient
from auditor.probe.sender import PointSender

from .standin import serve

SQL_HANDLER = "const notes_post = (req, res) => {\n  Notes.create({noteTitle: req.body.noteTitle});\n};\n"
MONGO_HANDLER = "const show = (req, res) => {\n  db.collection('notes').find({username: req.body.noteTitle});\n};\n"


@pytest.mark.parametrize("handler,sent", [(SQL_HANDLER, False), (MONGO_HANDLER, True)])
def test_operator_objects_only_where_a_document_store_is_queried(tmp_path: Path, handler: str, sent: bool):
    (tmp_path / "package.json").write_text(json.dumps({"dependencies": {"sequelize": "^6", "mongodb": "^4"}}))
    (tmp_path / "ctl.js").write_text(handler)
    bodies: list[bytes] = []

    def handle(method, path, headers, body):
        bodies.append(body)
        return 200, {"Content-Type": "application/json"}, "[]"

    with serve(handle) as url:
        client = SafeClient(url, Limits(rps=1000))
        route = Route("POST", "/notes", [Param("noteTitle", "json")], "code", "ctl.js", 1, "express", "javascript")
        NoSqlInjection().run(PointSender(client), ProbeContext(client.base_url, project=tmp_path),
                             InjectionPoint(route, route.params[0]))
    assert any(b"$ne" in b for b in bodies) is sent


USERS = {"admin": "hash"}


@pytest.mark.parametrize("vulnerable", [True, False])
def test_an_answer_that_echoes_the_value_prints_the_operator_object(vulnerable: bool):
    """dvws-node's login answers `User <name> not found!`, and `User [object Object] not found!` for
    `{"$eq": r}`: the echo of the object is not a different answer. `{"$ne": r}` found the admin."""

    def handle(method, path, headers, body):
        name = json.loads(body or b"{}").get("username")
        if isinstance(name, dict) and vulnerable:
            user = next((u for u in USERS if "$ne" in name and u != name["$ne"] or u == name.get("$eq")), None)
        else:
            user = name if name in USERS else None
        if user is None:
            shown = "[object Object]" if isinstance(name, dict) else name
            return 404, {"Content-Type": "application/json"}, json.dumps({"error": f"User {shown} not found!"})
        return 401, {"Content-Type": "application/json"}, '{"error": "Authentication error"}'

    with serve(handle) as url:
        client = SafeClient(url, Limits(rps=1000))
        route = Route("POST", "/login", [Param("username", "json"), Param("password", "json")])
        found = NoSqlInjection().run(PointSender(client), ProbeContext(client.base_url),
                                     InjectionPoint(route, route.params[0]))
    assert (found is not None) is vulnerable


@pytest.mark.parametrize("vulnerable", [True, False])
def test_an_answer_that_prints_each_operator_object_differently_is_no_operator(vulnerable: bool):
    """DVGA's uploadPaste answers the content it was given, an object as Python's repr
    (`{'$ne': 'aud...'}`, `{'$eq': 'aud...'}`): each object printed, no query run. A store that runs
    the object as a query finds the admin with `$ne` and prints nothing of it."""

    def handle(method, path, headers, body):
        content = json.loads(body or b"{}").get("content")
        if vulnerable and isinstance(content, dict):
            found = [u for u in USERS if ("$ne" in content and u != content["$ne"]) or u == content.get("$eq")]
            return 200, {"Content-Type": "application/json"}, json.dumps({"result": found})
        if vulnerable:
            return 200, {"Content-Type": "application/json"}, json.dumps({"result": [u for u in USERS if u == content]})
        return 200, {"Content-Type": "application/json"}, json.dumps({"result": str(content)})

    with serve(handle) as url:
        client = SafeClient(url, Limits(rps=1000))
        route = Route("POST", "/paste", [Param("content", "json")])
        found = NoSqlInjection().run(PointSender(client), ProbeContext(client.base_url),
                                     InjectionPoint(route, route.params[0]))
    assert (found is not None) is vulnerable


def test_an_answer_that_alternates_whatever_is_sent_is_no_operator():
    """Two answers in turn whatever the request holds (a random branch, two servers behind a
    balancer): plain, `$ne`, `$eq` line up as A, B, A in every round sent in that order; the rounds
    that send `$ne` first do not."""
    turn = [0]

    def handle(method, path, headers, body):
        turn[0] += 1
        return 200, {"Content-Type": "application/json"}, json.dumps({"result": ["admin"] if turn[0] % 2 else []})

    with serve(handle) as url:
        client = SafeClient(url, Limits(rps=1000))
        route = Route("POST", "/search", [Param("name", "json")])
        found = NoSqlInjection().run(PointSender(client), ProbeContext(client.base_url),
                                     InjectionPoint(route, route.params[0]))
    assert found is None

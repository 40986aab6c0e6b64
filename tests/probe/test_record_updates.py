"""Changes to records that exist (--allow-destructive only): another user's record changed with
the first identity's session, by a body field naming them (`PUT /profile {"username": ...}`) or
by their id in the path (`PUT /users/{id}`); a privileged field of one's own record (role,
isAdmin) changed by an update and seen on a re-read. Stand-ins: a profile API and a users API,
each vulnerable or checked. And the engine: routes that delete go after the site checks."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest

from auditor.probe.checks.updates import RecordUpdates, changed
from auditor.probe.engine import ProbeConfig, run_probe
from auditor.probe.interface import Param, ProbeContext, Route
from auditor.probe.safety import Limits, SafeClient
from auditor.probe.sender import PointSender

from .standin import serve

SEED = {"alice": {"id": 3, "username": "alice", "first_name": "Alice", "role": "Customer", "isAdmin": False},
        "bob": {"id": 4, "username": "bob", "first_name": "Bob", "role": "Chef", "isAdmin": False}}
TOKENS = {"tok-alice": "alice", "tok-bob": "bob"}
JSON = {"Content-Type": "application/json"}


def _app(users: dict, checked: bool, seen: list[tuple[str, str]]):
    by_id = {str(u["id"]): name for name, u in users.items()}

    def handle(method, path, headers, body):
        seen.append((method, path))
        caller = TOKENS.get(headers.get("Authorization", "").removeprefix("Bearer "))
        if caller is None:
            return 401, JSON, '{"error": "login"}'
        data = json.loads(body or b"{}") if method in ("PUT", "PATCH") else {}
        if path == "/profile" and method == "GET":
            return 200, JSON, json.dumps(users[caller])
        if path == "/profile" and method == "PUT":  # the body's username picks the record
            name = data.get("username")
            if name not in users:
                return 500, {}, "Internal Server Error"
            if checked and name != caller:
                return 403, JSON, '{"error": "not yours"}'
            users[name].update({k: v for k, v in data.items() if k in ("first_name",)})
            return 200, JSON, json.dumps(users[name])
        if path == "/profile" and method == "PATCH":  # every field set, or the editable ones only
            editable = ("first_name",) if checked else tuple(data)
            users[caller].update({k: v for k, v in data.items() if k in editable and k in users[caller]})
            return 200, JSON, json.dumps(users[caller])
        if m := re.fullmatch(r"/users/(\d+)(\?.*)?", path):
            name = by_id.get(m[1])
            if name is None:
                return 404, JSON, "{}"
            if method == "GET":
                return 200, JSON, json.dumps({"data": users[name]})
            if checked and name != caller:
                return 403, JSON, '{"error": "not yours"}'
            users[name].update({k: v for k, v in data.items() if k in ("first_name", "isAdmin") and not checked
                                or k == "first_name"})
            return 200, JSON, json.dumps(users[name])
        return 404, JSON, "{}"

    return handle


ROUTES = [Route("GET", "/profile", []),
          Route("PUT", "/profile", [Param("username", "json", "a"), Param("first_name", "json", "a")]),
          Route("PATCH", "/profile", [Param("first_name", "json", "a")]),
          Route("GET", "/users/{id}", []),
          Route("PUT", "/users/{id}", [Param("first_name", "json", "a"), Param("isAdmin", "json", "", shape="false")])]


def _run(checked: bool, destructive: bool = True, routes: list[Route] | None = None):
    users, seen = copy.deepcopy(SEED), []
    identities = [("alice", {"Authorization": "Bearer tok-alice"}), ("bob", {"Authorization": "Bearer tok-bob"})]
    with serve(_app(users, checked, seen)) as url:
        client = SafeClient(url, Limits(rps=1000, allow_destructive=destructive))
        ctx = ProbeContext(client.base_url, identities=identities, destructive=destructive)
        found = RecordUpdates().run(PointSender(client), ctx, copy.deepcopy(routes or ROUTES))
    return found, users, seen


def test_another_users_record_changed_and_a_role_set_on_a_profile_api():
    found, users, _ = _run(checked=False)
    assert sorted((c.category, c.method, c.endpoint) for c in found) == \
        [("broken-access-control", "PUT", "/profile"), ("mass-assignment", "PATCH", "/profile")]
    assert "'role'" in next(c.message for c in found if c.category == "mass-assignment")
    # what was changed is written back: bob's name, alice's role
    assert users["bob"]["first_name"] == "Bob" and users["alice"]["role"] == "Customer"


def test_a_checked_profile_api_gives_nothing():
    found, _, _ = _run(checked=True)
    assert found == []


def test_by_the_id_in_the_path():
    routes = [r for r in ROUTES if r.path != "/profile" or r.method == "GET"]
    found, users, _ = _run(checked=False, routes=routes)
    assert sorted((c.category, c.method, c.endpoint) for c in found) == \
        [("broken-access-control", "PUT", "/users/{id}"), ("mass-assignment", "PUT", "/users/{id}")]
    assert users["alice"]["isAdmin"] is False  # set back
    assert _run(checked=True, routes=routes)[0] == []


def test_nothing_is_written_without_allow_destructive():
    found, users, seen = _run(checked=False, destructive=False)
    assert found == [] and users == SEED
    assert [m for m, _ in seen if m != "GET"] == []


def test_changed_values():
    assert changed(False, None) is True and changed(1, 0) == 0
    assert changed("Customer", "Chef") == "Chef"
    assert changed("user", "user").startswith("aud")  # no other value known: a canary
    assert changed(None, "x") is None


def test_routes_that_delete_go_after_the_site_checks(tmp_path: Path):
    spec = {"openapi": "3.0.0", "paths": {
        "/items/{id}": {"delete": {"parameters": [{"name": "id", "in": "path", "schema": {"type": "string"}}]},
                        "get": {"parameters": [{"name": "id", "in": "path", "schema": {"type": "string"}}]}},
        "/search": {"get": {"parameters": [{"name": "q", "in": "query", "schema": {"type": "string"}}]}}}}
    seen: list[tuple[str, str]] = []

    def handle(method, path, headers, body):
        seen.append((method, path))
        if path == "/openapi.json":
            return 200, JSON, json.dumps(spec)
        return 200, JSON, '{"ok": true}'

    with serve(handle) as url:
        cfg = ProbeConfig(base_url=url, project=tmp_path, crawl=False,
                          limits=Limits(rps=1000, allow_destructive=True, max_requests=3000))
        run = run_probe(cfg)
    assert not run.partial
    methods = [m for m, _ in seen]
    first_delete = methods.index("DELETE")
    # every request to the other routes' points came first, and the site checks' (the home page's headers)
    assert all(not p.startswith("/search") for _, p in seen[first_delete:])
    assert ("GET", "/") in seen[seen.index(("GET", "/search?q=1")):first_delete]


@pytest.mark.parametrize("value,other", [(True, None), ("admin", "admin")])
def test_changed_never_keeps_the_value(value: object, other: object):
    assert changed(value, other) != value


def test_an_update_that_sets_a_password_is_left_alone():
    routes = [Route("GET", "/profile", []), Route("PUT", "/users/{id}/password", [Param("newPassword", "json", "a")])]
    found, _, seen = _run(checked=False, routes=routes)
    assert found == [] and [p for m, p in seen if m == "PUT"] == []

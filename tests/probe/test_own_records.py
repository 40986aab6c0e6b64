"""IDOR on records keyed by the user's own id: the ids come from each session's JWT or from a
who-am-I route; bob's record read with alice's session must show bob's data (a private kind of
record, or a sensitive key) that alice's own record and a missing id's answer do not. Stand-ins:
a notes API and a users API, each vulnerable or owner-checked, and a public profile by id."""

from __future__ import annotations

import base64
import json
import re

import pytest

from auditor.probe.checks.own_records import OwnRecords, session_ids
from auditor.probe.interface import Param, ProbeContext, Route
from auditor.probe.safety import Limits, SafeClient
from auditor.probe.sender import PointSender

from .standin import serve


def _jwt(claims: dict) -> str:
    part = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"eyJhbGciOiJIUzI1NiJ9.{part}.c2ln"


USERS = {"3": {"id": 3, "username": "alice", "email": "alice@example.com", "password": "$2b$10$aliceHashHashHash"},
         "4": {"id": 4, "username": "bob", "email": "bob@example.com", "password": "$2b$10$bobHashHashHashHa"}}
NOTES = {"3": ["groceries for the weekend"], "4": ["bob's bank pin is in the drawer"]}
TOKENS = {"alice": _jwt({"id": 3, "username": "alice"}), "bob": _jwt({"id": 4, "username": "bob"})}


def _app(owner_checked: bool, public_profiles: bool = False):
    def handle(method, path, headers, body):
        auth = headers.get("Authorization", "").removeprefix("Bearer ")
        caller = next((str(USERS[k]["id"]) for k, t in zip(("3", "4"), TOKENS.values(), strict=True) if t == auth), None)
        if caller is None:
            return 401, {}, '{"error": "login"}'
        if m := re.fullmatch(r"/notes/user/(\d+)", path):
            if owner_checked and m[1] != caller:
                return 403, {}, '{"error": "forbidden"}'
            return 200, {"Content-Type": "application/json"}, json.dumps(NOTES.get(m[1], []))
        if path == "/api/users":  # the directory: everyone's record (vulnerable), or only the caller's
            listed = [u for k, u in USERS.items() if not owner_checked or k == caller]
            return 200, {"Content-Type": "application/json"}, json.dumps({"data": listed})
        if m := re.fullmatch(r"/api/users/(\d+)", path):
            user = USERS.get(m[1])
            if user is None:
                return 404, {}, '{"error": "no such user"}'
            if public_profiles:  # a public profile: the name and a joined date only
                return 200, {"Content-Type": "application/json"}, json.dumps({"id": user["id"], "name": user["username"],
                                                                               "joined": f"2024-01-0{m[1]}"})
            if owner_checked and m[1] != caller:
                return 403, {}, '{"error": "forbidden"}'
            return 200, {"Content-Type": "application/json"}, json.dumps({"success": True, "data": user})
        return 404, {}, "{}"

    return handle


def _run(owner_checked: bool, public_profiles: bool = False):
    routes = [Route("GET", "/notes/user/{userid}", []), Route("GET", "/api/users/{id}", []),
              Route("GET", "/api/users", [])]
    identities = [("alice", {"Authorization": f"Bearer {TOKENS['alice']}"}),
                  ("bob", {"Authorization": f"Bearer {TOKENS['bob']}"})]
    with serve(_app(owner_checked, public_profiles)) as url:
        client = SafeClient(url, Limits(rps=1000))
        ctx = ProbeContext(client.base_url, identities=identities)
        return OwnRecords().run(PointSender(client), ctx, routes)


@pytest.mark.parametrize("owner_checked", [False, True])
def test_records_keyed_by_the_users_id(owner_checked: bool):
    found = _run(owner_checked)
    assert sorted(c.endpoint for c in found) == \
        ([] if owner_checked else ["/api/users", "/api/users/{id}", "/notes/user/{userid}"])


def test_a_members_directory_with_emails_is_no_idor():
    # DemoCyberSecurity's secure twin: id, name, email and role of any user, never the hash
    directory = {k: {f: v for f, v in u.items() if f != "password"} for k, u in USERS.items()}
    saved = dict(USERS)
    USERS.update(directory)
    try:
        found = _run(owner_checked=False)
    finally:
        USERS.update(saved)
    assert [c.endpoint for c in found] == ["/notes/user/{userid}"]


def test_a_public_profile_by_id_is_no_idor():
    # its name and joined date are bob's, but neither a private kind of record nor a sensitive key
    assert "/api/users/{id}" not in [c.endpoint for c in _run(owner_checked=False, public_profiles=True)]


def test_session_ids_from_a_bearer_or_a_cookie_jwt():
    assert session_ids({"Authorization": f"Bearer {TOKENS['bob']}"}) == ["4"]
    assert session_ids({"Cookie": f"theme=dark; authToken={_jwt({'userId': 'ab12' * 6, 'role': 'user'})}"}) == ["ab12" * 6]
    assert session_ids({"Cookie": "sid=opaque-session-id"}) == []


@pytest.mark.parametrize("hashes_listed", [True, False])
def test_a_list_of_users_known_by_the_names_the_sessions_carry(hashes_listed: bool):
    """dvws-node's tokens carry `{"user": "bob"}` and no id, and GET /api/v2/users shows any signed-in
    user every account with its bcrypt hash."""
    tokens = {"alice": _jwt({"user": "alice", "permissions": ["user:read"]}),
              "bob": _jwt({"user": "bob", "permissions": ["user:read"]})}
    accounts = [{"username": "admin", "password": "$2b$10$adminHashHashHash"},
                {"username": "alice", "password": "$2b$10$aliceHashHashHash"},
                {"username": "bob", "password": "$2b$10$bobHashHashHashHa"}]

    def handle(method, path, headers, body):
        if headers.get("Authorization", "").removeprefix("Bearer ") not in tokens.values():
            return 401, {}, '{"error": "login"}'
        listed = accounts if hashes_listed else [{"username": a["username"]} for a in accounts]
        return 200, {"Content-Type": "application/json"}, json.dumps({"result": listed})

    identities = [(n, {"Authorization": f"Bearer {t}"}) for n, t in tokens.items()]
    with serve(handle) as url:
        client = SafeClient(url, Limits(rps=1000))
        found = OwnRecords().run(PointSender(client), ProbeContext(client.base_url, identities=identities),
                                 [Route("GET", "/api/v2/users", [])])
    assert [c.endpoint for c in found] == (["/api/v2/users"] if hashes_listed else [])


@pytest.mark.parametrize("flag_honoured", [True, False])
def test_a_query_flag_the_code_compares_is_sent_with_the_read(flag_honoured: bool):
    """damn-vulnerable-nestjs's GET /users/:id answers any user's profile (name and mail only: a
    directory, no IDOR) and adds the password where `admin_access === 'true'`: the route's query
    input holds that literal (read from the code), and the reads carry it."""
    def handle(method, path, headers, body):
        auth = headers.get("Authorization", "").removeprefix("Bearer ")
        if auth not in TOKENS.values():
            return 401, {}, '{"error": "login"}'
        m = re.fullmatch(r"/users/(\d+)(\?admin_access=true)?", path)
        user = USERS.get(m[1]) if m else None
        if user is None:
            return 404, {}, '{"error": "no such user"}'
        shown = {k: v for k, v in user.items() if k != "password" or (m[2] and flag_honoured)}
        return 200, {"Content-Type": "application/json"}, json.dumps({"success": True, "data": shown})

    from auditor.probe.interface import Param

    routes = [Route("GET", "/users/{id}", [Param("id", "path"), Param("admin_access", "query", "true")])]
    identities = [("alice", {"Authorization": f"Bearer {TOKENS['alice']}"}),
                  ("bob", {"Authorization": f"Bearer {TOKENS['bob']}"})]
    with serve(handle) as url:
        client = SafeClient(url, Limits(rps=1000))
        found = OwnRecords().run(PointSender(client), ProbeContext(client.base_url, identities=identities), routes)
    assert [c.endpoint for c in found] == (["/users/{id}"] if flag_honoured else [])
    assert all("admin_access=true" in c.exchange.url for c in found)


@pytest.mark.parametrize("kind,confirmed", [("tasks", True), ("posts", False)])
def test_a_users_tasks_are_private_and_a_users_posts_are_not(kind: str, confirmed: bool):
    """vuln-task-manager's GET /api/tasks/user/{userId} answers any user's tasks to anyone signed
    in: a task is its owner's. A blog's posts by a user are public by design."""
    items = {"3": [{"title": "alice plans the quarterly review"}], "4": [{"title": "bob renews the lease quietly"}]}

    def handle(method, path, headers, body):
        auth = headers.get("Authorization", "").removeprefix("Bearer ")
        if auth not in TOKENS.values():
            return 401, {}, '{"error": "login"}'
        if m := re.fullmatch(rf"/api/{kind}/user/(\d+)", path):
            return 200, {"Content-Type": "application/json"}, json.dumps(items.get(m[1], []))
        return 404, {}, "{}"

    identities = [("alice", {"Authorization": f"Bearer {TOKENS['alice']}"}),
                  ("bob", {"Authorization": f"Bearer {TOKENS['bob']}"})]
    with serve(handle) as url:
        client = SafeClient(url, Limits(rps=1000))
        found = OwnRecords().run(PointSender(client), ProbeContext(client.base_url, identities=identities),
                                 [Route("GET", f"/api/{kind}/user/{{userId}}", [])])
    assert bool(found) is confirmed


@pytest.mark.parametrize("owner_checked", [False, True])
def test_records_asked_by_a_user_id_in_the_query(owner_checked: bool):
    """Westbridge's `GET /api/transactions?user_id=`: the ids come from the plain `user_id` cookie
    the login sets; bob's transactions, asked for with alice's cookies, are bob's data."""
    assert session_ids({"Cookie": "user_id=2; theme=dark"}) == ["2"]
    rows = {"1": [{"amount": 12.5, "memo": "alice's coffee fund"}], "2": [{"amount": 990.0, "memo": "bob's rent to Marta"}]}

    def handle(method, path, headers, body):
        caller = re.search(r"user_id=(\d+)", headers.get("Cookie", ""))
        m = re.fullmatch(r"/api/transactions\?user_id=(\d+)", path)
        if caller is None or m is None:
            return 401, {}, '{"error": "login"}'
        if owner_checked and m[1] != caller[1]:
            return 403, {}, '{"error": "forbidden"}'
        return 200, {"Content-Type": "application/json"}, json.dumps(rows.get(m[1], []))

    routes = [Route("GET", "/api/transactions", [Param("user_id", "query")])]
    identities = [("alice", {"Cookie": "user_id=1"}), ("bob", {"Cookie": "user_id=2"})]
    with serve(handle) as url:
        client = SafeClient(url, Limits(rps=1000))
        found = OwnRecords().run(PointSender(client), ProbeContext(client.base_url, identities=identities), routes)
    assert [(f.endpoint, f.point.param.name if f.point else None) for f in found] == \
        ([] if owner_checked else [("/api/transactions", "user_id")])

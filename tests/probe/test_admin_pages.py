"""An administrator's page shown to every signed-in user: confirmed where a visitor is refused
and the run's ordinary identities are shown the page; not where the page refuses them, where it
is open to anyone, or where an identity is itself an administrator."""

from __future__ import annotations

import json

import pytest

from auditor.probe.checks.admin_pages import AdminPagesOpen, claims_admin
from auditor.probe.interface import ProbeContext, Route
from auditor.probe.safety import Limits, SafeClient
from auditor.probe.sender import PointSender

from .standin import serve

TOKENS = {"Bearer ta": "user", "Bearer tb": "user", "Bearer root": "admin"}
ROUTES = [Route("GET", "/api/admin/transactions", [], "code", "routes/adminRoutes.js", 8),
          Route("GET", "/api/admin/login", [], "code", "routes/adminRoutes.js", 9),
          Route("GET", "/api/accounts", [], "code", "routes/accountRoutes.js", 3)]


def _app(role_checked: bool, public: bool = False):
    def handle(method, path, headers, body):
        role = TOKENS.get(headers.get("Authorization", ""))
        if path == "/api/admin/transactions":
            if role is None and not public:
                return 401, {"Content-Type": "application/json"}, '{"error": "No token provided"}'
            if role_checked and role != "admin":
                return 403, {"Content-Type": "application/json"}, '{"error": "Admins only"}'
            return 200, {"Content-Type": "application/json"}, json.dumps({"transactions": [{"id": 1, "amount": 10}]})
        return 404, {}, "not found"
    return handle


@pytest.mark.parametrize("role_checked", [False, True])
def test_an_admin_page_shown_to_every_signed_in_user(role_checked: bool):
    with serve(_app(role_checked)) as url:
        client = SafeClient(url, Limits(rps=1000))
        ctx = ProbeContext(client.base_url, identities=[("alice", {"Authorization": "Bearer ta"}),
                                                        ("bob", {"Authorization": "Bearer tb"})])
        sender = PointSender(client, identity={"Authorization": "Bearer ta"})
        found = AdminPagesOpen().run(sender, ctx, ROUTES)
    assert [(f.category, f.endpoint) for f in found] == ([] if role_checked else
                                                        [("broken-access-control", "/api/admin/transactions")])


def test_a_page_open_to_visitors_or_an_admin_identity_is_not_judged():
    with serve(_app(False, public=True)) as url:
        client = SafeClient(url, Limits(rps=1000))
        ctx = ProbeContext(client.base_url, identities=[("alice", {"Authorization": "Bearer ta"})])
        assert AdminPagesOpen().run(PointSender(client), ctx, ROUTES) == []
    with serve(_app(False)) as url:
        client = SafeClient(url, Limits(rps=1000))
        ctx = ProbeContext(client.base_url, identities=[("admin@telco.com", {"Authorization": "Bearer root"})])
        assert AdminPagesOpen().run(PointSender(client), ctx, ROUTES) == []
        assert client.sent == 0


def test_an_identity_that_says_it_is_an_administrator():
    jwt_admin = "eyJhbGciOiJIUzI1NiJ9.eyJ1c2VySWQiOjEsInJvbGUiOiJhZG1pbiJ9.c2ln"  # {"userId":1,"role":"admin"}
    jwt_user = "eyJhbGciOiJIUzI1NiJ9.eyJ1c2VySWQiOjEsInJvbGUiOiJ1c2VyIn0.c2ln"  # {"userId":1,"role":"user"}
    assert claims_admin("bob", {"Authorization": f"Bearer {jwt_admin}"})
    assert not claims_admin("bob", {"Authorization": f"Bearer {jwt_user}"})
    assert claims_admin("bob", {"Cookie": "user_id=2; is_admin=True"})
    assert not claims_admin("bob", {"Cookie": "user_id=2; is_admin=False; role=user"})
    assert claims_admin("superuser", {})


@pytest.mark.parametrize("listed", [True, False])
def test_an_administrators_list_of_users_open_to_a_visitor(listed: bool):
    """gethuksec-api-lab's `/api/v0/admin/users` answers anyone with every user's record: judged
    without a session at all; a page open to anyone that lists no people is not."""
    users = [{"id": 1, "username": "alice", "email": "alice@lab.test"}, {"id": 2, "username": "bob", "email": "b@lab.test"}]
    body = json.dumps({"users": users} if listed else {"status": "ok", "uptime": 12})

    def handle(method, path, headers, b):
        if path == "/api/v0/admin/users":
            return 200, {"Content-Type": "application/json"}, body
        return 404, {}, "not found"

    with serve(handle) as url:
        client = SafeClient(url, Limits(rps=1000))
        found = AdminPagesOpen().run(PointSender(client), ProbeContext(client.base_url),
                                     [Route("GET", "/api/v0/admin/users", [], "code", "routes/v0.ts", 4)])
    assert [(f.endpoint, "visitor" in f.message) for f in found] == ([("/api/v0/admin/users", True)] if listed else [])

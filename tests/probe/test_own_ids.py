"""Radware's vulnerable API: every path under `/api/users/{user_id}` takes a UUID (FastAPI answers
422 to `1` before any handler runs), and records under a user (`/orders/{order_id}`) are keyed by
both ids. The first identity's own id (its JWT's `sub`) and the id of the first order its own
list shows fill those placeholders; bob's order read under bob's id with alice's session is an
IDOR where the handler checks no owner."""

from __future__ import annotations

import base64
import json
import re
from urllib.parse import urlsplit

import pytest

from auditor.probe.checks.own_records import OwnRecords, fill_own_ids
from auditor.probe.interface import Param, ProbeContext, Route
from auditor.probe.safety import Limits, SafeClient
from auditor.probe.sender import PointSender

from .standin import serve

ALICE, BOB = "00000002-0000-4000-8000-000000000000", "00000003-0000-4000-8000-000000000000"
ORDERS = {ALICE: [{"id": "a1000000-0000-4000-8000-000000000000", "total": 12.5, "shipping": "1 Elm Street"}],
          BOB: [{"id": "b2000000-0000-4000-8000-000000000000", "total": 99.0, "shipping": "789 Pine Avenue"}]}
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def _token(sub: str) -> str:
    part = base64.urlsafe_b64encode(json.dumps({"sub": sub}).encode()).decode().rstrip("=")
    return f"Bearer eyJhbGciOiJIUzI1NiJ9.{part}.c2ln"


def _caller(headers: dict[str, str]) -> str | None:
    token = headers.get("Authorization", "")
    return ALICE if token == _token(ALICE) else BOB if token == _token(BOB) else None


def _app(checks_owner: bool):
    def handle(method, path, headers, body):
        caller = _caller(headers)
        parts = urlsplit(path).path.strip("/").split("/")
        if caller is None:
            return 401, {}, '{"detail": "Not authenticated"}'
        if parts[:2] != ["api", "users"] or len(parts) < 4 or parts[3] != "orders":
            return 404, {}, '{"detail": "Not Found"}'
        if not all(re.fullmatch(UUID, p) for p in parts[2::2]):
            return 422, {}, '{"detail": "value is not a valid uuid"}'
        if checks_owner and parts[2] != caller:
            return 403, {}, '{"detail": "Forbidden"}'
        orders = ORDERS.get(parts[2], [])
        if len(parts) == 4:
            return 200, {}, json.dumps(orders)
        order = next((o for o in orders if o["id"] == parts[4]), None)
        return (200, {}, json.dumps(order)) if order else (404, {}, '{"detail": "Order not found"}')

    return handle


def _routes() -> list[Route]:
    return [Route("GET", "/api/users/{user_id}/orders", [Param("user_id", "path")]),
            Route("GET", "/api/users/{user_id}/orders/{order_id}", [Param("user_id", "path"), Param("order_id", "path")])]


def test_own_ids_fill_the_users_placeholders():
    routes = _routes()
    with serve(_app(True), content_type="application/json") as url:
        sender = PointSender(SafeClient(url, Limits(rps=1000)), identity={"Authorization": _token(ALICE)})
        assert fill_own_ids(sender, routes, [("alice", {"Authorization": _token(ALICE)})]) == 3
    assert [p.example for p in routes[1].params] == [ALICE, ORDERS[ALICE][0]["id"]]
    assert routes[0].params[0].example == ALICE


@pytest.mark.parametrize("checks_owner", [False, True])
def test_another_users_record_under_their_id(checks_owner: bool):
    identities = [("alice", {"Authorization": _token(ALICE)}), ("bob", {"Authorization": _token(BOB)})]
    with serve(_app(checks_owner), content_type="application/json") as url:
        sender = PointSender(SafeClient(url, Limits(rps=1000)), identity=identities[0][1])
        found = OwnRecords().run(sender, ProbeContext(url, identities=identities), _routes())
    nested = [c for c in found if c.endpoint == "/api/users/{user_id}/orders/{order_id}"]
    assert bool(nested) is not checks_owner
    if nested:
        assert "789 Pine Avenue" in nested[0].canary and nested[0].point.param.name == "user_id"


@pytest.mark.parametrize("checks_owner", [False, True])
def test_a_search_under_another_users_id_sent_with_its_required_query_empty(checks_owner: bool):
    """Radware's deprecated `/api/users/{user_id}/addresses/search-legacy?q=`: FastAPI answers 422
    without `q`; with it empty, the substring search lists every address of the user in the path."""
    addresses = {ALICE: [{"id": 1, "street": "1 Elm Street"}], BOB: [{"id": 2, "street": "789 Pine Avenue"}]}

    def handle(method, path, headers, body):
        caller = _caller(headers)
        parts = urlsplit(path)
        user = parts.path.split("/")[3]
        if caller is None:
            return 401, {}, '{"detail": "Not authenticated"}'
        if "q=" not in parts.query:
            return 422, {}, '{"detail": [{"loc": ["query", "q"], "msg": "field required"}]}'
        if checks_owner and user != caller:
            return 403, {}, '{"detail": "Forbidden"}'
        q = parts.query.split("q=")[1].split("&")[0]
        return 200, {}, json.dumps([a for a in addresses.get(user, []) if q.lower() in a["street"].lower()])

    identities = [("alice", {"Authorization": _token(ALICE)}), ("bob", {"Authorization": _token(BOB)})]
    route = Route("GET", "/api/users/{user_id}/addresses/search-legacy", [Param("user_id", "path"), Param("q", "query")])
    with serve(handle, content_type="application/json") as url:
        sender = PointSender(SafeClient(url, Limits(rps=1000)), identity=identities[0][1])
        found = OwnRecords().run(sender, ProbeContext(url, identities=identities), [route])
    assert bool(found) is not checks_owner


@pytest.mark.parametrize("checks_owner", [False, True])
def test_a_record_created_under_another_users_id(checks_owner: bool):
    """Radware's `POST /api/users/{user_id}/addresses?street=...`: with alice's session and bob's id
    in the path, the address lands in bob's own list."""
    from urllib.parse import parse_qs

    addresses: dict[str, list[dict[str, object]]] = {ALICE: [], BOB: [{"id": 2, "street": "789 Pine Avenue"}]}

    def handle(method, path, headers, body):
        caller = _caller(headers)
        parts = urlsplit(path)
        user = parts.path.split("/")[3]
        if caller is None:
            return 401, {}, '{"detail": "Not authenticated"}'
        if checks_owner and user != caller:
            return 403, {}, '{"detail": "Forbidden"}'
        if method == "POST":
            street = parse_qs(parts.query).get("street", [""])[0]
            addresses.setdefault(user, []).append({"id": 9, "street": street})
            return 201, {}, json.dumps(addresses[user][-1])
        return 200, {}, json.dumps(addresses.get(user, []))

    identities = [("alice", {"Authorization": _token(ALICE)}), ("bob", {"Authorization": _token(BOB)})]
    routes = [Route("GET", "/api/users/{user_id}/addresses", [Param("user_id", "path")]),
              Route("POST", "/api/users/{user_id}/addresses", [Param("user_id", "path"), Param("street", "query"),
                                                                Param("zip_code", "query")])]
    with serve(handle, content_type="application/json") as url:
        sender = PointSender(SafeClient(url, Limits(rps=1000)), identity=identities[0][1])
        found = OwnRecords().run(sender, ProbeContext(url, identities=identities), routes)
    created = [c for c in found if c.method == "POST"]
    assert bool(created) is not checks_owner
    if created:
        assert created[0].endpoint == "/api/users/{user_id}/addresses" and created[0].point.param.name == "user_id"

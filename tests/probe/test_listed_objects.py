"""IDOR on objects each user already has (Vulnerable-Ecommerce-App's `GET /api/v1/orders` lists
the caller's orders; `GET /api/v1/orders/{id}` and `/api/v1/payments/{orderId}` answer any
order): an id listed to bob and not to alice, read with alice's session, shows bob's data. A
read route that checks the owner, or a public catalogue listed alike to both, is clean."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from auditor.probe.checks.listed_objects import collection_of
from auditor.probe.engine import ProbeConfig, run_probe
from auditor.probe.interface import Route
from auditor.probe.safety import Limits

from .standin import serve

ORDERS = {"o-11": {"id": "o-11", "owner": "alice", "address": "1 Alice Road", "total": 12.5},
          "o-22": {"id": "o-22", "owner": "bob", "address": "22 Bob Street", "total": 99.9}}
PRODUCTS = [{"id": 1, "name": "Blue lamp"}, {"id": 2, "name": "Red chair"}]
TOKENS = {"Bearer alice-token": "alice", "Bearer bob-token": "bob"}


def test_the_collection_of_a_read_route():
    routes = [Route("GET", "/api/v1/orders"), Route("GET", "/api/v1/orders/{id}"), Route("GET", "/api/v1/payments"),
              Route("GET", "/api/v1/payments/{orderId}"), Route("GET", "/api/v1/users/{id}")]
    assert collection_of(routes[1], routes) == ("/api/v1/orders", "id")
    assert collection_of(routes[3], routes) == ("/api/v1/orders", "orderId")  # not /api/v1/payments
    assert collection_of(routes[4], routes) is None


def test_a_users_own_list_beside_the_objects_route():
    from auditor.probe.checks.listed_objects import collections_of

    routes = [Route("GET", "/api/proposals/{id}"), Route("GET", "/api/proposals/my-proposals"),
              Route("GET", "/api/proposals/search"), Route("GET", "/api/messages/{id}"), Route("GET", "/api/messages"),
              Route("GET", "/api/messages/inbox")]
    assert collections_of(routes[0], routes) == [("/api/proposals/my-proposals", "id")]  # not the search
    assert collections_of(routes[3], routes) == [("/api/messages", "id"), ("/api/messages/inbox", "id")]


PROPOSALS_APP = """const router = require('express').Router();
router.get('/api/v1/proposals/my-proposals', listMine);
router.get('/api/v1/proposals/:id', getProposal);
module.exports = router;
"""


@pytest.mark.parametrize("checks_owner, kind", [(False, "proposals"), (True, "proposals"), (False, "gigs")])
def test_an_object_from_a_users_own_list_beside_its_route(tmp_path: Path, checks_owner: bool, kind: str):
    # a gig is a published offer: shown to a visitor with no session too, so bob's is no IDOR
    (tmp_path / "routes.js").write_text(PROPOSALS_APP.replace("proposals", kind))
    (tmp_path / "package.json").write_text('{"dependencies": {"express": "4"}}')

    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], str]:
        who = TOKENS.get(headers.get("Authorization", ""))
        if path == f"/api/v1/{kind}/my-{kind}" and who is not None:
            return 200, {}, json.dumps([o for o in ORDERS.values() if o["owner"] == who])
        if who is None and kind != "gigs":
            return 401, {}, '{"error": "login"}'
        if m := re.fullmatch(rf"/api/v1/{kind}/([\w-]+)", path):
            order = ORDERS.get(m[1])
            if order is None or (checks_owner and order["owner"] != who):
                return 404, {}, '{"message": "Proposal not found"}'
            return 200, {}, json.dumps(order)
        return 404, {}, "{}"

    with serve(handle, content_type="application/json") as url:
        run = run_probe(ProbeConfig(base_url=url, project=tmp_path, checks=["idor"],
                                    identities=[("alice", {"Authorization": "Bearer alice-token"}),
                                                ("bob", {"Authorization": "Bearer bob-token"})],
                                    limits=Limits(rps=1000, max_requests=300, timeout=5)))
    found = {c.endpoint for c in run.confirmations if c.category == "broken-access-control"}
    assert found == (set() if checks_owner or kind == "gigs" else {"/api/v1/proposals/{id}"})


def _app(checks_owner: bool):
    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], str]:
        who = TOKENS.get(headers.get("Authorization", ""))
        if who is None:
            return 401, {}, '{"error": "login"}'
        if path == "/api/v1/orders":
            mine = [o for o in ORDERS.values() if o["owner"] == who]
            return 200, {}, json.dumps({"status": "success", "data": {"orders": mine}})
        if path == "/api/v1/products":
            return 200, {}, json.dumps(PRODUCTS)
        if m := re.fullmatch(r"/api/v1/(?:orders|payments)/([\w-]+)", path):
            order = ORDERS.get(m[1])
            if order is None or (checks_owner and order["owner"] != who):
                return 404, {}, '{"status": "error", "message": "Order not found"}'
            return 200, {}, json.dumps({"status": "success", "data": {"order": order}})
        if m := re.fullmatch(r"/api/v1/products/(\d+)", path):
            return 200, {}, json.dumps(PRODUCTS[int(m[1]) - 1] if m[1] in ("1", "2") else {})
        return 404, {}, "{}"

    return handle


APP = """const router = require('express').Router();
router.get('/api/v1/orders', listMine);
router.get('/api/v1/orders/:id', getOrder);
router.get('/api/v1/payments/:orderId', getPayment);
router.get('/api/v1/products', listProducts);
router.get('/api/v1/products/:id', getProduct);
module.exports = router;
"""


@pytest.mark.parametrize("checks_owner", [False, True])
def test_an_object_listed_only_to_bob_read_with_alices_session(tmp_path: Path, checks_owner: bool):
    (tmp_path / "routes.js").write_text(APP)
    (tmp_path / "package.json").write_text('{"dependencies": {"express": "4"}}')
    with serve(_app(checks_owner), content_type="application/json") as url:
        run = run_probe(ProbeConfig(base_url=url, project=tmp_path, checks=["idor"],
                                    identities=[("alice", {"Authorization": "Bearer alice-token"}),
                                                ("bob", {"Authorization": "Bearer bob-token"})],
                                    limits=Limits(rps=1000, max_requests=300, timeout=5)))
    found = {(c.endpoint, c.point.param.name if c.point else None) for c in run.confirmations
             if c.category == "broken-access-control"}
    expected = set() if checks_owner else {("/api/v1/orders/{id}", "id"), ("/api/v1/payments/{orderId}", "orderId")}
    assert found == expected  # the products, listed alike to both, are never judged

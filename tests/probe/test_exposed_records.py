"""Records with their secrets listed to a visitor with no session (damn-vulnerable-nestjs's
`/orders/export/all`: every order with its customer's password): confirmed from a request with
no session at all. Behind a login, only several users' passwords (or hashes) listed to a
signed-in user are (DVNA's `/app/admin/usersapi`): other secrets there may be the user's own (her
orders' tokens). With the secrets masked, nothing is."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from auditor.probe.engine import ProbeConfig, run_probe
from auditor.probe.safety import Limits

from .standin import serve

ORDERS = [{"id": 1, "total": 10, "user": {"id": 7, "email": "a@example.com", "password": "$2b$10$abcdefghijkl"}},
          {"id": 2, "total": 12, "user": {"id": 8, "email": "b@example.com", "password": "$2b$10$mnopqrstuvwx"}}]


def _app(mode: str):
    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], str]:
        if path == "/":
            return 200, {"Content-Type": "text/html"}, '<a href="/orders/export/all">export</a>'
        if path != "/orders/export/all":
            return 404, {}, "{}"
        if mode.startswith("login") and headers.get("Authorization") != "Bearer alice-token":
            return 401, {}, '{"error": "login first"}'
        orders = json.loads(json.dumps(ORDERS))
        if mode == "login-tokens":  # each order's own token, no password: possibly all alice's
            for o in orders:
                o["user"] = {"id": 7, "apiToken": o["user"]["password"]}
        if mode == "masked":
            for o in orders:
                o["user"]["password"] = "********"
        if mode == "envelope":  # Vulnerable-Ecommerce-App's answers: {status, data: {orders: [...]}}
            return 200, {}, json.dumps({"status": "success", "data": {"orders": orders, "count": 2}})
        return 200, {}, json.dumps({"orders": orders})

    return handle


@pytest.mark.parametrize("mode,confirmed", [("open", True), ("login", True), ("login-tokens", False),
                                            ("masked", False), ("envelope", True)])
def test_secrets_listed_to_a_visitor(tmp_path: Path, mode: str, confirmed: bool):
    with serve(_app(mode), content_type="application/json") as url:
        run = run_probe(ProbeConfig(base_url=url, project=tmp_path / "none", checks=["idor"],
                                    identities=[("alice", {"Authorization": "Bearer alice-token"})],
                                    limits=Limits(rps=1000, max_requests=200, timeout=5)))
    found = [(c.category, c.endpoint) for c in run.confirmations]
    assert (("broken-access-control", "/orders/export/all") in found) is confirmed


@pytest.mark.parametrize("path,confirmed", [("/admin/orders", True), ("/products", False)])
def test_records_of_several_users_listed_to_a_visitor(tmp_path: Path, path: str, confirmed: bool):
    """damn-vulnerable-nestjs's GET /admin/orders: every order (a private kind of record) of two
    customers, by their `userId`, to a visitor. A catalogue that names who added each product is
    no private record."""
    rows = [{"id": 2, "userId": 3, "totalAmount": 349.98, "shippingAddress": "456 Oak Ave"},
            {"id": 3, "userId": 4, "totalAmount": 19.5, "shippingAddress": "9 Elm St"}]

    def handle(method: str, p: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], str]:
        if p == "/":
            return 200, {"Content-Type": "text/html"}, f'<a href="{path}">list</a>'
        if p != path:
            return 404, {}, "{}"
        return 200, {}, json.dumps({"success": True, "data": rows})

    with serve(handle, content_type="application/json") as url:
        run = run_probe(ProbeConfig(base_url=url, project=tmp_path / "none", checks=["idor"],
                                    identities=[("alice", {"Authorization": "Bearer alice-token"})],
                                    limits=Limits(rps=1000, max_requests=200, timeout=5)))
    found = [(c.category, c.endpoint) for c in run.confirmations]
    assert (("broken-access-control", path) in found) is confirmed


@pytest.mark.parametrize("mode,who", [("open", "visitor"), ("signed-in", "signed-in"), ("masked", None)])
def test_a_graphql_query_that_lists_users_with_their_hashes(mode: str, who: str | None):
    """very_vulnerable_gql_api's `users { username password resetToken }`: every user's bcrypt hash
    to any signed-in user (and, open, to a visitor). Without the hashes it is a directory."""
    from auditor.probe.checks.own_records import ExposedRecords
    from auditor.probe.interface import ProbeContext, Route
    from auditor.probe.safety import SafeClient
    from auditor.probe.sender import PointSender

    users = [{"username": "ann", "password": "$2b$10$annHashHashHashHash"},
             {"username": "bob", "password": "$2b$10$bobHashHashHashHash"}]

    def handle(method: str, p: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], str]:
        if mode == "signed-in" and headers.get("Authorization") != "Bearer alice-token":
            return 200, {}, json.dumps({"errors": [{"message": "not signed in"}]})
        shown = [{"username": u["username"], "password": None if mode == "masked" else u["password"]} for u in users]
        return 200, {}, json.dumps({"data": {"users": shown}})

    route = Route("POST", "/graphql#users", [], "graphql", graphql="query { users { username password } }")
    with serve(handle, content_type="application/json") as url:
        client = SafeClient(url, Limits(rps=1000))
        ctx = ProbeContext(client.base_url, identities=[("alice", {"Authorization": "Bearer alice-token"})])
        found = ExposedRecords().run(PointSender(client, identity={"Authorization": "Bearer alice-token"}), ctx,
                                     [route])
    assert [c.endpoint for c in found] == ([] if who is None else ["/graphql"])
    assert all(("visitor" in c.message) is (who == "visitor") for c in found)


@pytest.mark.parametrize("mode,confirmed", [("open", True), ("login", False), ("public profile", False),
                                            ("masked", False)])
def test_a_persons_record_with_a_secret_read_by_id_by_a_visitor(tmp_path: Path, mode: str, confirmed: bool):
    """vuln-sast-python-web's /vuln11/profile?id=: any visitor reads any user's username and SSN
    by id. Behind a login (a visitor refused), a public profile without secrets, or the secret
    masked: nothing."""
    people = {"1": {"username": "alice", "ssn": "123-45-6789"}, "2": {"username": "bob", "ssn": "987-65-4321"}}
    (tmp_path / "app.py").write_text(
        "from flask import Flask, request, jsonify\napp = Flask(__name__)\n\n\n"
        "@app.get('/profile')\ndef profile():\n    uid = request.args.get('id', '1')\n    return jsonify(load(uid))\n")

    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], str]:
        from urllib.parse import parse_qs, urlsplit

        parts = urlsplit(path)
        if parts.path != "/profile":
            return 404, {}, "{}"
        if mode == "login" and "Authorization" not in headers:
            return 401, {}, '{"error": "login first"}'
        record = dict(people.get(parse_qs(parts.query).get("id", ["1"])[0], {}))
        if mode == "public profile":
            record.pop("ssn", None)
        if mode == "masked" and record:
            record["ssn"] = "***-**-" + record["ssn"][-4:].replace("-", "")[:0] + "****"
        return 200, {}, json.dumps(record)

    with serve(handle, content_type="application/json") as url:
        run = run_probe(ProbeConfig(base_url=url, project=tmp_path, checks=["idor"],
                                    limits=Limits(rps=1000, max_requests=200, timeout=5)))
    found = {(c.endpoint, c.point.param.name if c.point else None) for c in run.confirmations}
    assert (("/profile", "id") in found) is confirmed


def test_a_graphql_list_of_people_is_asked_before_the_others():
    """api-security-dojo's schema declares `users` ninth among its argument-less queries: lists
    of people and of private records go first, so it is asked within the check's few queries."""
    import json

    from auditor.probe.checks.own_records import MAX_ROUTES, graphql_lists
    from auditor.probe.interface import ProbeContext, Route
    from auditor.probe.safety import Limits, SafeClient
    from auditor.probe.sender import PointSender

    asked: list[str] = []

    def handle(method: str, p: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], str]:
        query = json.loads(body)["query"]
        asked.append(query)
        if "users" in query:
            return 200, {}, json.dumps({"data": {"users": [{"username": "admin", "password": "s3cr3t-admin-pw"},
                                                           {"username": "bob", "password": "bob-password-1"}]}})
        return 200, {}, json.dumps({"data": {"things": [{"id": 1}]}})

    routes = [Route("POST", f"/graphql#thing{i}", [], "graphql", graphql=f"query {{ thing{i} {{ id }} }}")
              for i in range(MAX_ROUTES + 1)]
    routes.append(Route("POST", "/graphql#users", [], "graphql", graphql="query { users { username password } }"))
    with serve(handle, content_type="application/json") as url:
        client = SafeClient(url, Limits(rps=1000))
        found = graphql_lists(PointSender(client), ProbeContext(client.base_url), routes)
    assert "users" in asked[0] and [c.endpoint for c in found] == ["/graphql"]

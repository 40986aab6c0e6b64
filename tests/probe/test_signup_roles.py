"""Accounts created with the role their creator names: a GraphQL sign-up that takes the caller's
role (very_vulnerable_gql_api's `signupUser(..., roles: [String!]!)`: an account signed up with
`admin` is an admin to `me`, one signed up with `user` is not), and a REST create of accounts that
a visitor reaches with a declared role field. A create that keeps every new account a user, or
refuses visitors, is clean."""

from __future__ import annotations

import base64
import json

import pytest

from auditor.probe.checks.mass_assignment import MassAssignment
from auditor.probe.interface import Param, ProbeContext, Route
from auditor.probe.safety import Limits, SafeClient
from auditor.probe.sender import PointSender

from .standin import serve

SIGNUP = ("mutation($username: String!, $email: String!, $password: String!, $practice: String, "
          "$roles: [String!]!) { signupUser(username: $username, email: $email, password: $password, "
          "practice: $practice, roles: $roles) { token } }")
ME = "query { me { username roles } }"


def _token(name: str) -> str:
    claims = base64.urlsafe_b64encode(json.dumps({"username": name}).encode()).rstrip(b"=").decode()
    return f"eyJhbGciOiJIUzI1NiJ9.{claims}.c2ln"


@pytest.mark.parametrize("takes_role", [True, False])
def test_a_signup_that_takes_the_callers_role(takes_role: bool):
    accounts: dict[str, list[str]] = {}

    def handle(method, path, headers, body):
        request = json.loads(body or b"{}")
        if "signupUser" in request.get("query", ""):
            v = request["variables"]
            if v.get("practice") is not None:  # an optional argument a client leaves out
                return 200, {}, json.dumps({"errors": [{"message": "Cast to ObjectId failed for practice"}]})
            roles = v["roles"] if isinstance(v["roles"], list) else [v["roles"]]
            accounts[v["username"]] = roles if takes_role else ["user"]
            return 200, {}, json.dumps({"data": {"signupUser": {"token": _token(v["username"])}}})
        name = next((n for n in accounts if _token(n) == headers.get("Authorization", "").removeprefix("Bearer ")), None)
        if name is None:
            return 200, {}, json.dumps({"errors": [{"message": "not signed in"}]})
        return 200, {}, json.dumps({"data": {"me": {"username": name, "roles": accounts[name]}}})

    routes = [Route("POST", "/graphql#signupUser", [Param(n, "json") for n in ("username", "email", "password",
                                                                              "practice", "roles")],
                    "graphql", graphql=SIGNUP),
              Route("POST", "/graphql#me", [], "graphql", graphql=ME)]
    with serve(handle, content_type="application/json") as url:
        client = SafeClient(url, Limits(rps=1000))
        found = MassAssignment().run(PointSender(client), ProbeContext(client.base_url), routes)
    assert [(c.endpoint, c.point.param.name if c.point else None) for c in found] == \
        ([("/graphql#signupUser", "roles")] if takes_role else [])
    assert len(accounts) == 2  # one plain, one flagged: nothing more


@pytest.mark.parametrize("mode,confirmed", [("takes role", True), ("keeps users", False), ("admins only", False)])
def test_an_account_a_visitor_creates_with_the_role_it_names(mode: str, confirmed: bool):
    """weak-website-backend's POST /user (email, password, role; no guard): a visitor's account
    with role admin is stored admin. A create that keeps new accounts users, or one that refuses
    visitors (an administrators' tool), is clean."""
    import re

    users: dict[str, dict] = {}

    def handle(method, path, headers, body):
        if method == "POST" and path == "/user":
            if mode == "admins only" and headers.get("Authorization") != "Bearer admin-token":
                return 401, {}, '{"error": "login"}'
            data = json.loads(body)
            uid = str(len(users) + 1)
            users[uid] = {"id": int(uid), "email": data["email"], "role": data["role"] if mode != "keeps users" else "user"}
            return 201, {}, json.dumps(users[uid])
        if m := re.fullmatch(r"/user/(\d+)", path):
            return (200, {}, json.dumps(users[m[1]])) if m[1] in users else (404, {}, "{}")
        return 404, {}, "{}"

    routes = [Route("POST", "/user", [Param("email", "json"), Param("password", "json"), Param("role", "json")]),
              Route("GET", "/user/{id}", [Param("id", "path")])]
    with serve(handle, content_type="application/json") as url:
        client = SafeClient(url, Limits(rps=1000))
        client.identities = [{"Authorization": "Bearer admin-token"}]
        found = MassAssignment().run(PointSender(client), ProbeContext(client.base_url), routes)
    assert [(c.endpoint, c.point.param.name) for c in found if c.point] == ([("/user", "role")] if confirmed else [])


@pytest.mark.parametrize("mode,confirmed", [("takes role", True), ("keeps users", False), ("echoes request", False),
                                            ("enum", True)])
def test_a_form_signup_with_no_read_route_judged_by_its_own_answer(mode: str, confirmed: bool):
    """A form sign-up that binds the posted role (`role = request.form.get("role", "user")`) and
    answers the account it made, with no route to read it back: the answer says admin for the
    account asked as admin. One that keeps every account a user, or one that echoes whatever it was
    sent (the control field too), is clean. An enum that refuses `admin` is asked `ADMIN`."""
    from urllib.parse import parse_qs

    def handle(method, path, headers, body):
        if method == "POST" and path == "/register":
            form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
            if mode == "echoes request":
                return 200, {}, json.dumps({"status": "registered", **form})
            if mode == "enum" and form.get("role") not in ("USER", "ADMIN"):  # Prisma's enum Role { USER ADMIN }
                return 500, {}, json.dumps({"status": "error", "message": "Invalid value for argument `role`"})
            role = form.get("role", "user") if mode in ("takes role", "enum") else "user"
            if mode == "enum":  # and its answer in an envelope, as Vulnerable-Ecommerce-App's
                return 201, {}, json.dumps({"status": "success", "data": {"user": {"email": form.get("username"),
                                                                                   "role": role}, "token": "t"}})
            return 200, {}, json.dumps({"status": "registered", "role": role})
        return 404, {}, "{}"

    routes = [Route("POST", "/register", [Param(n, "form") for n in ("username", "password", "role")])]
    with serve(handle, content_type="application/json") as url:
        client = SafeClient(url, Limits(rps=1000))
        found = MassAssignment().run(PointSender(client), ProbeContext(client.base_url), routes)
    assert [(c.endpoint, c.point.param.name) for c in found if c.point] == ([("/register", "role")] if confirmed else [])

"""A GraphQL sign-up that takes the caller's role (very_vulnerable_gql_api's `signupUser(...,
roles: [String!]!)`): an account signed up with `admin` is an admin to `me`, one signed up with
`user` is not. A sign-up that keeps every new account a user is clean; nothing else is sent."""

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

"""A token checked only by a route that creates (weak-website-backend's POST /posts behind its
JwtAuthGuard, HS256 with the key its code signs with, 'hardcoded-secret'): each answer is new (an
id, a time), so a token is taken when its answer has the real token's status where a request with
no token is refused. The forged token, signed with the key the code names, is taken; a key the
code does not name is not guessed, and nothing is confirmed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from auditor.probe.checks.jwt import JwtForgery
from auditor.probe.checks.jwt_keys import b64url, resigned, unb64url
from auditor.probe.interface import Param, ProbeContext, Route
from auditor.probe.safety import Limits, SafeClient
from auditor.probe.sender import PointSender

from .standin import serve

KEY = "hardcoded-secret"


def _token(key: str) -> str:
    header = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    return resigned(f"{header}.x.x", b64url(json.dumps({"userId": 1}).encode()), key)


@pytest.mark.parametrize("key_in_code", [True, False])
def test_a_forged_token_taken_by_a_create(tmp_path: Path, key_in_code: bool):
    key = KEY if key_in_code else "k7#Qz!9vX2$mLp0Rw8@Tn4&Ys6^Hb1*C"
    (tmp_path / "auth.service.ts").write_text(f"const token = jwt.sign({{ userId: user.id }}, '{KEY}');\n"
                                              if key_in_code else "const token = jwt.sign(p, process.env.K);\n")
    posts: list[int] = []

    def handle(method, path, headers, body):
        tok = headers.get("Authorization", "").removeprefix("Bearer ")
        parts = tok.split(".")
        if len(parts) != 3 or resigned(tok, parts[1], key) != tok:
            return 401, {}, '{"message": "Unauthorized"}'
        posts.append(len(posts) + 1)
        return 201, {}, json.dumps({"id": posts[-1], "content": "1", "createdAt": f"2026-12-07T13:18:0{len(posts)}Z"})

    route = Route("POST", "/posts", [Param("content", "json")])
    real = _token(key)
    with serve(handle, content_type="application/json") as url:
        client = SafeClient(url, Limits(rps=1000))
        ctx = ProbeContext(client.base_url, identities=[("alice", {"Authorization": f"Bearer {real}"})],
                           project=tmp_path)
        found = JwtForgery().run(PointSender(client, identity={"Authorization": f"Bearer {real}"}), ctx, [route])
    assert [(c.category, c.endpoint) for c in found] == ([("weak-authentication", "/posts")] if key_in_code else [])


def test_forged_tokens_go_first_to_routes_the_identity_was_answered():
    """Vulnerable-Ecommerce-App: the first GET routes are an admin's, which refuse a user's own
    token (403); a forgery sent there proves nothing. Routes already answered 2xx with the
    identity's token come first, after those whose code reads the token."""
    from auditor.probe.checks.jwt import MAX_ROUTES, token_routes

    admin = [Route("GET", f"/api/v1/admin/r{i}") for i in range(MAX_ROUTES + 2)]
    mine = Route("GET", "/api/v1/users/profile")
    reads = Route("POST", "/api/v1/session", [Param("Authorization", "header")])
    chosen = token_routes([*admin, mine, reads], "Authorization", frozenset({("GET", "/api/v1/users/profile")}))
    assert chosen[:2] == [reads, mine] and len(chosen) == MAX_ROUTES
    assert token_routes([*admin, mine], "Authorization")[0] is admin[0]  # nothing answered: as before


@pytest.mark.parametrize("answered", [True, False])
def test_the_signing_key_answered_by_the_app(tmp_path: Path, answered: bool):
    """vuln-task-manager's GET /api/auth/session-info returns the JWT key it signs with (its code's
    fallback, guessable offline): anyone who reads it signs any user's token. A route that answers
    other text is clean."""
    (tmp_path / "auth.ts").write_text(f"const secret = process.env.JWT_SECRET || '{KEY}';\n")
    real = _token(KEY)

    def handle(method, path, headers, body):
        if path == "/api/auth/session-info":
            shown = {"algorithm": "HS256", "secret": KEY} if answered else {"algorithm": "HS256", "expiresIn": "30d"}
            return 200, {}, json.dumps(shown)
        return 404, {}, "{}"

    with serve(handle, content_type="application/json") as url:
        client = SafeClient(url, Limits(rps=1000))
        sender = PointSender(client, identity={"Authorization": f"Bearer {real}"})
        sender.observe(client.send("GET", client.url_for("/api/auth/session-info")))  # the sweep's read
        ctx = ProbeContext(client.base_url, identities=[("alice", {"Authorization": f"Bearer {real}"})],
                           project=tmp_path)
        found = JwtForgery().run(sender, ctx, [])
    assert [(c.category, c.endpoint) for c in found if c.category == "security-misconfiguration"] == \
        ([("security-misconfiguration", "/api/auth/session-info")] if answered else [])


@pytest.mark.parametrize("weak_second", [True, False])
def test_each_token_the_app_hands_out_is_forged_in_turn(tmp_path: Path, weak_second: bool):
    # two JWT cookies: `score` signed with a random key, then `token` signed with a key the code holds
    # (weak) or not; the route that reads `token` takes a forgery only where its key is weak
    token_key = KEY if weak_second else "k7#Qz!9vX2$mLp0Rw8@Tn4&Ys6^Hb1*C"
    (tmp_path / "app.py").write_text(f"SECRET = '{KEY}'\n")
    score_key = "a-random-key-made-at-start-0b6f3"

    def handle(method, path, headers, body):
        cookies = dict(c.strip().split("=", 1) for c in headers.get("Cookie", "").split(";") if "=" in c)
        name, key = ("token", token_key) if path == "/private" else ("score", score_key)
        tok = cookies.get(name, "")
        parts = tok.split(".")
        try:  # HS256 only, as the app's verifier: another alg is refused
            verified = len(parts) == 3 and json.loads(unb64url(parts[0]))["alg"] == "HS256" and \
                resigned(tok, parts[1], key) == tok
        except (ValueError, KeyError):
            verified = False
        if not verified:
            return 401, {}, '{"message": "Unauthorized"}'
        return 200, {}, json.dumps({"page": name})

    routes = [Route("GET", "/score", [Param("score", "cookie")]), Route("GET", "/private", [Param("token", "cookie")])]
    identity = {"Cookie": f"score={_token(score_key)}; token={_token(token_key)}"}
    with serve(handle, content_type="application/json") as url:
        client = SafeClient(url, Limits(rps=1000))
        ctx = ProbeContext(client.base_url, identities=[("alice", identity)], project=tmp_path)
        found = JwtForgery().run(PointSender(client, identity=identity), ctx, routes)
    assert [(c.category, c.endpoint) for c in found] == ([("weak-authentication", "/private")] if weak_second else [])

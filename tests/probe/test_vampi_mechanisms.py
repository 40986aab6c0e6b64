"""Mechanisms found on VAmPI (a fresh holdout): routes that reset the app's data are never
requested, and a JWT whose HMAC key is guessable (a common one, or a literal in the project's
code) is found offline and re-signed."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from pathlib import Path

import pytest

from auditor.probe.checks.jwt_keys import candidates, keys_in_code, resigned, signing_key
from auditor.probe.safety import Limits, SafeClient, ScopeError, resets_state


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _token(key: str) -> str:
    head = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    body = _b64(json.dumps({"sub": "alice"}).encode())
    sig = hmac.new(key.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{_b64(sig)}"


@pytest.mark.parametrize(("path", "resets"), [("/createdb", True), ("/api/reset_db", True), ("/seed", True),
                                              ("/reset", False), ("/password/reset", False), ("/users/create", False)])
def test_reset_routes(path: str, resets: bool):
    assert resets_state(path) is resets


def test_safety_refuses_a_reset_route_unless_destructive():
    with pytest.raises(ScopeError):
        SafeClient("http://127.0.0.1:9", Limits()).check("GET", "http://127.0.0.1:9/createdb")
    SafeClient("http://127.0.0.1:9", Limits(allow_destructive=True)).check("GET", "http://127.0.0.1:9/createdb")


def test_key_from_the_projects_code_is_found_offline_and_resigns(tmp_path: Path):
    (tmp_path / "config.py").write_text("app.config['SECRET_KEY'] = 'tulip-42-horse'\n")
    tok = _token("tulip-42-horse")
    found = signing_key(tok, candidates(keys_in_code(tmp_path)))
    assert found == ("tulip-42-horse", "config.py")
    forged = resigned(tok, _b64(b'{"sub":"bob"}'), found[0])
    assert signing_key(forged, [("tulip-42-horse", "x")]) is not None


def test_common_key_found_and_a_strong_key_not(tmp_path: Path):
    assert signing_key(_token("changeme"), candidates([])) == ("changeme", "a common weak key")
    assert signing_key(_token("x7Gq!9vLr2#pZ0wQe4tY"), candidates(keys_in_code(tmp_path))) is None


def test_a_key_given_inline_to_sign_or_verify_is_found(tmp_path: Path):
    (tmp_path / "auth.service.ts").write_text(
        "const token = jwt.sign({ sub: user.id, role: user.role }, 'hardcoded-secret', { expiresIn: '1h' });\n")
    (tmp_path / "guard.ts").write_text("const claims = jwt.verify(token, `guard-key-77`);\n")
    keys = dict(keys_in_code(tmp_path))
    assert keys["hardcoded-secret"] == "auth.service.ts" and keys["guard-key-77"] == "guard.ts"
    assert signing_key(_token("hardcoded-secret"), candidates(keys_in_code(tmp_path))) == \
        ("hardcoded-secret", "auth.service.ts")


def test_a_key_the_environment_falls_back_to_or_a_compose_file_sets(tmp_path: Path):
    """damn-vulnerable-nestjs: `process.env.JWT_SECRET || '...'` in its code and `- JWT_SECRET=...`
    in docker-compose.yml's environment list."""
    (tmp_path / "jwt.strategy.ts").write_text("secretOrKey: process.env.JWT_SECRET || 'fallback-key-1',\n")
    (tmp_path / "settings.py").write_text("SIGNING = os.getenv('JWT_SECRET', 'fallback-key-2')\n")
    (tmp_path / "application.java").write_text('@Value("${app.jwt.secret:fallback-key-3}") String key;\n')
    (tmp_path / "docker-compose.yml").write_text("services:\n  api:\n    environment:\n"
                                                 "      - NODE_ENV=production\n      - JWT_SECRET=compose-key-4\n")
    (tmp_path / "views.py").write_text("page = request.args.get('page', 'home-page')\n")
    keys = dict(keys_in_code(tmp_path))
    assert {"fallback-key-1", "fallback-key-2", "fallback-key-3", "compose-key-4"} <= set(keys)
    assert "home-page" not in keys and "production" not in keys
    assert signing_key(_token("compose-key-4"), candidates(keys_in_code(tmp_path))) == \
        ("compose-key-4", "docker-compose.yml")

"""Shared by the Python twin apps (copied beside each app by the tests): the data folder, a
tiny sqlite database, an in-memory document matcher with Mongo-style operators, and HS256 JWTs.

A twin is a deliberately vulnerable app: it touches only its own data folder (TWIN_DATA)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import sqlite3
from pathlib import Path

VULNERABLE = os.environ.get("TWIN_MODE", "vulnerable") == "vulnerable"
DATA = Path(os.environ["TWIN_DATA"]).resolve()
FILES = DATA / "files"
SECRET = b"twin-signing-key-not-a-secret"
USERS = [{"username": "alice", "role": "admin"}, {"username": "bob", "role": "user"}]


def setup() -> None:
    FILES.mkdir(parents=True, exist_ok=True)
    (FILES / "readme.txt").write_text("hello from the twin\n")
    db = sqlite3.connect(DATA / "twin.db")
    db.execute("CREATE TABLE IF NOT EXISTS items (id TEXT, name TEXT)")
    db.execute("DELETE FROM items")
    db.executemany("INSERT INTO items VALUES (?, ?)", [("1", "apple"), ("2", "pear")])
    db.commit()
    db.close()


def query(sql: str, args: tuple = ()) -> list[tuple]:
    db = sqlite3.connect(DATA / "twin.db")
    try:
        return db.execute(sql, args).fetchall()
    finally:
        db.close()


def match(doc: dict, cond: dict) -> bool:
    for key, want in cond.items():
        have = doc.get(key)
        if isinstance(want, dict):
            for op, arg in want.items():
                ok = {"$eq": have == arg, "$ne": have != arg, "$gt": str(have) > str(arg)}.get(op, False)
                if not ok:
                    return False
        elif have != want:
            return False
    return True


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def make_jwt(claims: dict) -> str:
    head = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    body = _b64(json.dumps(claims).encode())
    sig = _b64(hmac.new(SECRET, f"{head}.{body}".encode(), hashlib.sha256).digest())
    return f"{head}.{body}.{sig}"


def read_jwt(token: str) -> dict | None:
    """Vulnerable: trusts alg none and never checks the signature. Fixed: HS256 only, verified."""
    try:
        head, body, sig = token.split(".")
        header = json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))
        claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    except ValueError:
        return None
    if VULNERABLE:
        if header.get("alg") == "none":
            return claims
        return claims if sig else None
    want = _b64(hmac.new(SECRET, f"{head}.{body}".encode(), hashlib.sha256).digest())
    return claims if header.get("alg") == "HS256" and hmac.compare_digest(want, sig) else None


SECURITY_HEADERS = {"Content-Security-Policy": "default-src 'self'", "X-Content-Type-Options": "nosniff",
                    "X-Frame-Options": "DENY"}


def debug_page(exc: BaseException) -> tuple[str, int]:
    """A 500 answer: the traceback in the vulnerable form (a debug page), a bare line when fixed."""
    if not VULNERABLE:
        return "internal error", 500
    import html
    import traceback

    cause = getattr(exc, "original_exception", None) or exc
    return "<pre>" + html.escape("".join(traceback.format_exception(cause))) + "</pre>", 500

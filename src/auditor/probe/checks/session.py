"""Forgeable sessions: an identity's cookie that says who the user is in readable form (JSON,
as base64 or URL-encoded, or Express's `j:` JSON) and carries no signature the app checks.

The cookie is decoded, a field that names the user (`username`, `user_id`, `email`...) is
given a unique canary, and the cookie goes back re-encoded the same way on the pages that show
that field's real value. The canary in the answer, with the status of the real cookie's answer,
proves the app took the edited cookie as the session: anyone can sign in as anyone by writing
the name. A signed cookie (Flask's session, cookie-session with keys) is refused once edited,
so it never shows the canary."""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable
from urllib.parse import quote, unquote

from auditor.probe.checks.canary import token
from auditor.probe.cookies import cookie_pairs, with_cookie
from auditor.probe.interface import Confirmation, Exchange, ProbeContext, Route, Sender, SiteCheck
from auditor.probe.routes.inputs import name_words

# Field-name words that say the field is the user (`username`, `userId`, `sub`, `email`).
IDENTITY_WORDS = frozenset({"user", "username", "userid", "uid", "login", "email", "mail", "account", "sub",
                            "name", "owner", "member", "customer", "id"})
MAX_PAGES = 8  # pages read with the real cookie, looking for one that shows the field's value

Encoder = Callable[[dict[str, object]], str]


def _b64_json(value: str) -> tuple[dict[str, object], Encoder] | None:
    if not re.fullmatch(r"[A-Za-z0-9+/_-]{8,}={0,2}", value):
        return None
    url_safe = "-" in value or "_" in value
    padded = len(value) % 4 == 0  # standard base64 pads; a value cut short of four has dropped it
    try:
        raw = base64.b64decode(value + "=" * (-len(value) % 4), altchars=b"-_" if url_safe else None, validate=True)
        data = json.loads(raw.decode("utf-8"))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict):
        return None
    compact = b", " not in raw and b": " not in raw  # keep the app's own JSON spacing

    def encode(obj: dict[str, object]) -> str:
        text = json.dumps(obj, separators=(",", ":") if compact else None).encode()
        out = base64.urlsafe_b64encode(text) if url_safe else base64.b64encode(text)
        return out.decode() if padded else out.decode().rstrip("=")

    return data, encode


def _plain_json(value: str) -> tuple[dict[str, object], Encoder] | None:
    text = unquote(value)
    prefix = "j:" if text.startswith("j:") else ""  # cookie-parser's JSON cookie
    try:
        data = json.loads(text[len(prefix):]) if text[len(prefix):].startswith("{") else None
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    return data, lambda obj: quote(prefix + json.dumps(obj, separators=(",", ":")), safe="")


def decoded(value: str) -> tuple[dict[str, object], Encoder] | None:
    """The cookie's JSON object and how to write one back the same way, or None when the value
    is not plain JSON (a random id, a signed or encrypted value: `data.signature` never decodes)."""
    return _b64_json(value) or _plain_json(value)


def identity_fields(data: dict[str, object]) -> list[str]:
    """Keys of string values that name the user: `username`, `user_id`, `email`, `sub`."""
    return [k for k, v in data.items() if isinstance(v, str) and len(v) >= 2 and
            any(w in IDENTITY_WORDS for w in name_words(k))]


def session_pages(ctx: ProbeContext, routes: list[Route]) -> list[str]:
    """Pages that may show who is signed in: those the run read, then GET routes without
    placeholders, those without inputs first (a page that reads an optional input or a cookie
    still shows the header with the user's name)."""
    gets = sorted((r for r in routes if r.method == "GET" and "{" not in r.path), key=lambda r: bool(r.params))
    return list(dict.fromkeys([*ctx.pages, *(r.path for r in gets)]))[:MAX_PAGES]


class SessionForgery(SiteCheck):
    name = "session"

    def run(self, sender: Sender, ctx: ProbeContext, routes: list[Route]) -> list[Confirmation]:
        identities = [getattr(sender, "identity", {}), *(headers for _, headers in ctx.identities)]
        pages = session_pages(ctx, routes)
        seen: set[str] = set()
        for identity in identities:
            cookie_header = next((v for k, v in identity.items() if k.lower() == "cookie"), "")
            for name, value in cookie_pairs(cookie_header).items():
                if not name or not value or name in seen or (found := decoded(value)) is None:
                    continue
                seen.add(name)
                data, encode = found
                for field in identity_fields(data):
                    if (hit := shown_forged(sender, identity, cookie_header, name, data, encode, field, pages)):
                        ex, canary, page = hit
                        return [Confirmation("weak-authentication", self.name,
                                             f"forgeable session: the {name} cookie is unsigned JSON; with its "
                                             f"{field!r} changed the app takes the edited value as the signed-in "
                                             "user", ex, canary, endpoint=page, method="GET", severity="critical")]
        return []


def shown_forged(sender: Sender, identity: dict[str, str], cookie_header: str, name: str, data: dict[str, object],
                 encode: Encoder, field: str, pages: list[str]) -> tuple[Exchange, str, str] | None:
    """(answer, canary, page) where the cookie `name`, written back by `encode` with `field`
    given a canary, is taken as the session: a page that shows the field's real value with the
    real cookie shows the canary, with the same status, with the edited one."""
    real = str(data[field])
    canary = token()
    forged = encode({**data, field: canary})
    header = with_cookie(cookie_header, name, forged)
    for page in pages:
        shown = sender.request("GET", page, headers=identity)
        if shown.status <= 0 or real not in shown.text:
            continue
        rest = {k: v for k, v in identity.items() if k.lower() != "cookie"}
        ex = sender.request("GET", page, headers={**rest, "Cookie": header})
        if ex.status == shown.status and canary in ex.text:
            return ex, canary, page
    return None

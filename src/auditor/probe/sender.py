"""Builds requests for injection points and sends them through the safety layer.

A point's request carries every other input of the route with a harmless default (an
example value, or `1`), and the payload in the one input under test: a path segment, a query
or form field, a JSON key, a header, a cookie, or a parameter's name."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from urllib.parse import quote, unquote, urljoin, urlsplit

from auditor.probe.cookies import cookie_value
from auditor.probe.interface import Exchange, InjectionPoint, Param, Route
from auditor.probe.routes.common import login_fields, signs_out
from auditor.probe.routes.inputs import repeats
from auditor.probe.safety import SafeClient, destroys, origin_of
from auditor.probe.signup import signup_route

MAX_HISTORY = 400
MAX_FIRST_ANSWERS = 500


# An account's password field by its whole name (not `new_password`: a change form needs it).
ACCOUNT_PASSWORD = re.compile(r"pass(?:word|wd)?|pwd", re.I)
# What a file input of a multipart form gets: a few bytes of plain text, harmless wherever stored.
UPLOADED_FILE = ("auditor.txt", b"auditor probe upload\n", "text/plain")
NAMED_FILE_EXTENSION = ".png"  # after a payload in an upload's file name
# Redirects followed after a POST, to the page that shows what it stored.
FOLLOWED_HOPS = 3


def default_value(param: Param) -> str:
    return param.example or "1"


def scalar_array(shape: str) -> bool:
    """Whether a JSON input's shape is an array of plain values (`["1"]`, `[1, 2]`), not of objects."""
    if not shape.startswith("["):
        return False
    try:
        items = json.loads(shape)
    except ValueError:
        return False
    return isinstance(items, list) and not any(isinstance(x, (dict, list)) for x in items)


@dataclass
class PointSender:
    client: SafeClient
    identity: dict[str, str] = field(default_factory=dict)  # headers that identify the user (--as)
    history: list[Exchange] = field(default_factory=list)  # recent exchanges, for passive checks
    token_responses: list[Exchange] = field(default_factory=list)  # responses that carried a JWT
    # Each route's first answer, kept past the history's window for the passive checks (a stack
    # trace or a page without headers that the sweep saw early in a long run).
    first_answers: dict[tuple[str, str], Exchange] = field(default_factory=dict)
    # Values sent as a sign-up's inputs: an account of that name (and the filler password) may now
    # exist, so a login that takes one proves nothing of how the login reads it.
    account_values: set[str] = field(default_factory=set)
    _baselines: dict[tuple[str, str, str], Exchange] = field(default_factory=dict)
    # Per route, the inputs left out of its requests (but the point's own): optional inputs whose
    # usual value a validator refuses (`min_budget must be a number`), named by a 400 answer.
    omitted: dict[tuple[str, str], frozenset[str]] = field(default_factory=dict)

    def _build(self, route: Route, point: InjectionPoint | None, payload: str | None,
               raw_value: object = None, group: str = "", extra_name: str | None = None,
               others: dict[str, str] | None = None) -> tuple[str, dict[str, object]]:
        path = route.path
        query: list[tuple[str, str]] = []
        form: dict[str, str] = {}
        body: dict[str, object] = {}
        headers = dict(self.identity)
        cookies: dict[str, str] = {}
        files: dict[str, tuple[str, bytes, str]] = {}
        raw: str | None = None  # the whole body, when the code reads it raw and it is the point
        group = point.param.group if point is not None else group
        creates_account = signup_route([route]) is not None
        # A password beside the input under test, on a form that neither signs in nor signs up (a
        # profile, a settings page), is left empty: `1` there would set the account's password,
        # and the framework then ends the session the rest of the run uses.
        keeps_password = point is not None and not creates_account and login_fields(route) is None
        left_out = self.omitted.get(route.key, frozenset())
        for p in route.params:
            if p.group != group and p.location != "path":
                continue  # inputs of another link or form: that page would not send them
            hit = point is not None and p == point.param
            if not hit and p.name in left_out and p.location in ("query", "form", "json"):
                continue
            if hit and creates_account and payload is not None:
                self.account_values.add(payload)
            name = payload if hit and point.in_name and payload is not None else p.name
            value: object = default_value(p) if not hit or point.in_name or payload is None else payload
            if not hit and creates_account and any(repeats(p.name, q.name) for q in route.params if q is not p):
                # a sign-up's confirmation left unequal, whatever a check sends beside it (the
                # traversal's `.` in every other input would make the two equal): no account nobody
                # asked for, and no login of it that ends the identity's session
                value = "1"
            elif not hit and others and p.name in others:
                value = others[p.name]
            elif not hit and keeps_password and p.location in ("form", "json") and ACCOUNT_PASSWORD.fullmatch(p.name) and \
                    not (point.param.location == p.location and repeats(p.name, point.param.name)):  # type: ignore[union-attr]
                value = ""
            elif not hit and point is not None and not point.in_name and payload is not None and \
                    p.location == point.param.location and not creates_account and \
                    (repeats(p.name, point.param.name) or repeats(point.param.name, p.name)):
                # `password_again` must equal `password` for the code past the check to run (not on
                # a sign-up form: matching passwords would make accounts nobody asked for)
                value = payload if raw_value is None else raw_value
            if hit and raw_value is not None:
                value = raw_value
            if hit and p.decoded == "base64" and not point.in_name and isinstance(value, str):
                value = base64.b64encode(value.encode()).decode()  # the code decodes it first
            if p.location == "file":  # the form is multipart: a small text file of ours rides along,
                # the payload its content when the file is the point (an import parses it), or its
                # name (with an image's extension, which uploads most often require)
                named = point is not None and payload is not None and point.param.location == "filename" and \
                    point.param.name == p.name
                files[p.name] = (UPLOADED_FILE[0], str(value).encode(), UPLOADED_FILE[2]) if hit else \
                    (f"{payload}{NAMED_FILE_EXTENSION}", UPLOADED_FILE[1], UPLOADED_FILE[2]) if named else UPLOADED_FILE
            elif p.location == "body":
                raw = str(value) if hit else raw
            elif p.location == "path":
                path = path.replace("{" + p.name + "}", quote(str(value), safe=""))
            elif p.location in ("query", "form") and isinstance(value, list):
                # an array in the query-string syntax of qs and Rack (`device[]=x`)
                if p.location == "query":
                    query += [(f"{name}[]", str(v)) for v in value]
                else:
                    form[f"{name}[]"] = str(value[0]) if value else ""
            elif p.location == "query":
                query.append((name, str(value)))
            elif p.location == "form":
                form[name] = str(value)
            elif p.location == "json":
                if hit and raw_value is None and isinstance(value, str) and scalar_array(p.shape):
                    value = [value]  # an input the code joins or maps: the payload as its one item
                body[name] = json.loads(p.shape) if p.shape and not hit and value == default_value(p) else value
            elif p.location in ("header", "cookie") and not hit and (not p.example or p.filled) and \
                    not (others and p.name in others):
                continue  # a header or cookie the page does not send: its mere presence can change the
                # answer (`if request.headers.get("X") is not None: value = ...` wins over the form),
                # and a made-up value would replace the session the identity or the app's jar holds
            elif p.location == "header":
                # Header names are case-insensitive: the input replaces an identity's header of the
                # same name (`req.headers.authorization` read in the code, `Authorization` sent by
                # --login), never travels beside it (a server keeps the first of two).
                for same_name in [k for k in headers if k.lower() == name.lower()]:
                    del headers[same_name]
                headers[name] = str(value).replace("\r", "").replace("\n", " ") if hit else str(value)
            elif p.location == "cookie":
                cookies[name] = cookie_value(str(value), route.language) if hit else str(value)
            if hit and extra_name is not None:  # one more input beside this one, named by a payload
                if p.location == "query":
                    query.append((extra_name, "1"))
                elif p.location == "form":
                    form[extra_name] = "1"
                elif p.location == "json":
                    body[extra_name] = "1"
        for leftover in ("{" + x.split("}")[0] + "}" for x in path.split("{")[1:]):
            path = path.replace(leftover, "1")
        url = self.client.url_for(path.split("#")[0])  # a GraphQL operation's `#field` is no part of its URL
        if query:
            url += "?" + "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in query)
        kwargs: dict[str, object] = {"headers": headers, "cookies": cookies}
        if route.method not in ("GET", "HEAD"):
            wants_form = point is not None and point.param.location == "form"
            if raw is not None:  # the body itself is the payload (text: the code reads bytes)
                kwargs["content"] = raw
                headers.setdefault("Content-Type", "text/plain")
            elif route.graphql:  # the operation's document, its inputs as variables
                kwargs["json_body"] = {"query": route.graphql, "variables": body}
            elif files:
                kwargs["data"], kwargs["files"] = form, files
            elif body and not wants_form:
                kwargs["json_body"] = body
            elif form:
                kwargs["data"] = form
        else:
            if body and route.method == "GET":  # the GET's own handler reads a JSON body (routes.settle)
                kwargs["json_body"] = body
            if form and not query:
                url += "?" + "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in form.items())
        return url, kwargs

    @property
    def cookie_setters(self) -> list[Exchange]:
        """Every response that set a cookie, from the first request of the run."""
        return self.client.cookie_setters

    def _send(self, method: str, url: str, payload: str | None, **kwargs: object) -> Exchange:
        return self.observe(self.client.send(method, url, payload=payload, **kwargs))  # type: ignore[arg-type]

    def observe(self, ex: Exchange) -> Exchange:
        """Record an answer for the passive checks (history, tokens), also one sent before."""
        self.history.append(ex)
        del self.history[:-MAX_HISTORY]
        key = (ex.method, urlsplit(ex.url).path)
        if key not in self.first_answers and len(self.first_answers) < MAX_FIRST_ANSWERS:
            self.first_answers[key] = ex
        if len(self.token_responses) < 20 and "eyJ" in ex.text + " ".join(ex.header_values("set-cookie")):
            self.token_responses.append(ex)
        return ex

    def _followed(self, method: str, url: str, ex: Exchange, sent: list[str]) -> Exchange:
        """A POST answered by a redirect to a page of the target's own (post/redirect/get): that
        page is where a stored value shows (a comment, a blog post rendered as a template), so
        its text follows the POST's own in the exchange; status and headers stay the POST's,
        for the redirect check. Not followed: other origins, `//host` and `/\\host` forms,
        sign-out pages, and a target made of a value `sent` (`redirect(next)`: that page shows
        the input, not what was stored; the redirect check judges it)."""
        if method != "POST":
            return ex
        values = [v.strip().lstrip("/") for v in sent]
        shown, at = ex, url
        for _hop in range(FOLLOWED_HOPS):  # the page may redirect again (Django's slash, a login)
            target = self._own_redirect(shown, at, values)
            if target is None:
                break
            nxt = self.client.send("GET", target, headers=dict(self.identity))
            if nxt.status <= 0:
                break
            shown, at = nxt, target
        if shown is ex:
            return ex
        parts = urlsplit(at)
        page = parts.path + (f"?{parts.query}" if parts.query else "")
        return replace(ex, text=ex.text + "\n" + shown.text, followed=page, followed_at=len(ex.text) + 1,
                       followed_type=shown.header("content-type") or "")

    def _own_redirect(self, ex: Exchange, url: str, values: list[str]) -> str | None:
        """Where a redirect answer sends the client, when that is a page of the target's own that
        no sent value chose and that does not sign out; else None."""
        location = ex.header("location") or ""
        if not 300 <= ex.status < 400 or not location or location.startswith(("//", "/\\", "\\")):
            return None
        plain = unquote(location).strip().lstrip("/")
        if any(v and (v in plain if len(v) >= 4 else plain == v) for v in values):
            return None
        target = urljoin(url, location.strip())
        parts = urlsplit(target)
        if parts.scheme not in ("http", "https") or not parts.hostname or origin_of(target) != self.client.origin or \
                signs_out(parts.path) or destroys(target):
            return None
        return target

    def send(self, point: InjectionPoint, payload: str, *, raw_value: object = None,
             extra_headers: dict[str, str] | None = None, extra_name: str | None = None,
             others: dict[str, str] | None = None) -> Exchange:
        """`extra_name`: one more parameter beside the point's, with that name (a query, form or
        JSON input only). `others`: values for inputs beside the point's, by name (an account
        name beside a password), instead of their defaults."""
        with self.as_route_wants(point.route):
            url, kwargs = self._build(point.route, point, payload, raw_value, extra_name=extra_name, others=others)
            if extra_headers:
                kwargs["headers"] = {**kwargs["headers"], **extra_headers}  # type: ignore[dict-item]
            check = (payload if raw_value is None else payload + json.dumps(raw_value)) + (extra_name or "")
            return self._followed(point.route.method, url, self._send(point.route.method, url, check, **kwargs),
                                  [payload])

    def as_route_wants(self, route: Route) -> AbstractContextManager[None]:
        """A sign-out route (`Route.visitor`) is sent as a first-time visitor, whoever sends it."""
        return self.new_visitor() if route.visitor and not self.client.visitor else nullcontext()

    def baseline(self, point: InjectionPoint) -> Exchange:
        key = (*point.route.key, point.param.group)
        if key not in self._baselines:
            phase, self.client.phase = self.client.phase, "baseline"
            try:
                with self.as_route_wants(point.route):
                    url, kwargs = self._build(point.route, None, None, group=point.param.group)
                    self._baselines[key] = self._followed(point.route.method, url,
                                                          self._send(point.route.method, url, None, **kwargs),
                                                          [default_value(p) for p in point.route.params])
                    if self._baselines[key].status == 400 and point.route.key not in self.omitted:
                        self._without_refused_inputs(point, key)
            finally:
                self.client.phase = phase
        return self._baselines[key]

    def _without_refused_inputs(self, point: InjectionPoint, key: tuple[str, str, str]) -> None:
        """A baseline refused (400) with an answer that names some of the route's query, form or
        JSON inputs: asked again without them, and where that is answered, they are left out of
        the route's requests from now on (optional inputs a validator refuses as we fill them)."""
        route, text = point.route, self._baselines[key].text
        named = frozenset(p.name for p in route.params if p.location in ("query", "form", "json") and
                          re.search(rf"(?<![\w-]){re.escape(p.name)}(?![\w-])", text))
        self.omitted[route.key] = frozenset()  # asked once per route
        if not named:
            return
        self.omitted[route.key] = named
        url, kwargs = self._build(route, None, None, group=point.param.group)
        again = self._followed(route.method, url, self._send(route.method, url, None, **kwargs),
                               [default_value(p) for p in route.params])
        if 0 < again.status < 400:
            self._baselines[key] = again
        else:
            self.omitted[route.key] = frozenset()

    @contextmanager
    def new_visitor(self) -> Iterator[None]:
        """Requests inside go as a first-time visitor (SafeClient.new_visitor), without --as."""
        identity, self.identity = self.identity, {}
        try:
            with self.client.new_visitor():
                yield
        finally:
            self.identity = identity

    @contextmanager
    def acting_as(self, headers: dict[str, str]) -> Iterator[None]:
        """Requests inside are another account's (`headers` identify it, and a re-login updates
        them in place): it is the first identity, and its baselines are its own."""
        saved = (self.identity, self._baselines, self.client.identities)
        self.identity, self._baselines = headers, {}
        self.client.identities = [headers, *self.client.identities[1:]]
        try:
            yield
        finally:
            self.identity, self._baselines, self.client.identities = saved

    def request(self, method: str, path: str, *, headers: dict[str, str] | None = None,
                body: dict[str, str] | None = None, json_body: object = None,
                files: dict[str, tuple[str, bytes, str]] | None = None) -> Exchange:
        return self._send(method, self.client.url_for(path), None, headers={**self.identity, **(headers or {})},
                          data=body, json_body=json_body, files=files)

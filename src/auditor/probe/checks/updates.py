"""Changes to records that exist: run only with --allow-destructive, since they write to them.

- Another user's record changed (broken access control): an update route (PUT or PATCH, or a
  POST to a path with a placeholder) is sent with alice's session but aimed at bob's record, by
  bob's id in the path or by a body field that holds a value of bob's own record (his user
  name), with a canary in a text field. Confirmed when bob's own record, read with bob's
  session, holds the canary. The value is then written back with bob's session.
- Mass assignment on an update: alice's own record is updated with a privileged field (role,
  isAdmin...) set to a value it does not hold: the other identity's value for that key, a
  canary for free text, the other truth value for a flag. Confirmed on a re-read of alice's
  record, never on the update's own answer (which may echo the request); the old value is
  written back at once.

Each identity's record is read where its session shows it: a who-am-I route (`GET /profile`)
or a user-keyed route with the identity's id (see own_records)."""

from __future__ import annotations

import json
import re
from urllib.parse import urlencode

from auditor.probe.checks.canary import token
from auditor.probe.checks.mass_assignment import FLAGS, PRIVILEGED
from auditor.probe.checks.objects import body_of, read_path
from auditor.probe.checks.own_records import USER_PATH, USER_PLACEHOLDER, WHOAMI, identity_id, user_keyed
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

# Body keys that name whose record an update is for, when the path does not.
NAMES_THE_USER = re.compile(r"^(?:user_?name|username|login|email|user_?id|userId|account_?id)$", re.I)
# Keys never used to carry the canary: who the record is, its secrets, its privileges.
NOT_FOR_TEXT = re.compile(r"id$|^_?id$|user|login|mail|pass|token|secret|hash|role|admin|owner|perm|staff|super",
                          re.I)
CREDENTIAL = re.compile(r"pass|secret|token|pin$", re.I)
PREFERRED_TEXT = re.compile(r"name|title|bio|about|description|phone|address|city|note|text|comment|nick", re.I)
MAX_ROUTES = 8


def update_routes(routes: list[Route]) -> list[Route]:
    """Routes that change a record that exists: PUT and PATCH, and POSTs to a path with a
    placeholder (`POST /user/{id}`), each with a body."""
    return [r for r in routes if not r.graphql and any(p.location in ("json", "form") for p in r.params)
            and (r.method in ("PUT", "PATCH") or r.method == "POST" and "{" in r.path)][:MAX_ROUTES]


def leaves(data: object, depth: int = 0) -> dict[str, object]:
    """A JSON record's scalar fields by name: its own first, then those of the records it wraps
    (`{"success": true, "data": {...}}`)."""
    out: dict[str, object] = {}
    if not isinstance(data, dict) or depth > 2:
        return out
    for key, value in data.items():
        if value is None or isinstance(value, (str, int, float, bool)):
            out.setdefault(str(key), value)
    for value in data.values():
        for key, inner in leaves(value, depth + 1).items():
            out.setdefault(key, inner)
    return out


class OwnView:
    """Where an identity's own record shows, and what it held when first read."""

    def __init__(self, headers: dict[str, str], user_id: str | None, path: str, fields: dict[str, object]):
        self.headers, self.user_id, self.path, self.fields = headers, user_id, path, fields

    def reread(self, sender: Sender) -> tuple[Exchange, dict[str, object]]:
        ex = sender.request("GET", self.path, headers=self.headers)
        return ex, leaves(_json(ex)) if ex.status == 200 else {}


def _json(ex: Exchange) -> object:
    try:
        return json.loads(ex.text)
    except ValueError:
        return None


def own_view(sender: Sender, headers: dict[str, str], routes: list[Route]) -> OwnView | None:
    """The identity's record: the first who-am-I route, else user-keyed route with its id,
    whose JSON answer is a record of two fields or more."""
    user_id = identity_id(sender, headers, routes)
    paths = [r.path for r in routes if r.method == "GET" and "{" not in r.path and WHOAMI.search(r.path)]
    paths += [read_path(r, user_id) for r in user_keyed(routes)] if user_id is not None else []
    for path in paths:
        ex = sender.request("GET", path, headers=headers)
        fields = leaves(_json(ex)) if ex.status == 200 else {}
        if len(fields) >= 2:
            return OwnView(headers, user_id, path, fields)
    return None


def aimed_at(route: Route, view: OwnView) -> tuple[str, dict[str, object], bool] | None:
    """(path with query, body, is_json) of `route` aimed at the record `view` shows: by its id
    in a user-keyed path, or by the values of its record under the body keys that name a user.
    Every body key the record holds keeps the record's value, so nothing else changes."""
    names = re.findall(r"\{(\w+)\}", route.path)
    if names:
        if len(names) != 1 or view.user_id is None or \
                not (USER_PLACEHOLDER.match(names[0]) or USER_PATH.search(route.path)):
            return None
        path = read_path(route, view.user_id)
    else:
        path = route.path
    body, is_json = body_of(route, {})
    if any(CREDENTIAL.search(k) and k not in view.fields for k in body):
        return None  # it would set a password of the probe's choosing: an account no one could sign in to
    for key in body:
        value = view.fields.get(key)
        if isinstance(value, (str, int, bool)) and (is_json or not isinstance(value, bool)):
            body[key] = value if is_json else str(value)
    query = {p.name: p.example or "1" for p in route.params if p.location == "query"}
    return (path + ("?" + urlencode(query) if query else ""), body, is_json)


def _names_user(route: Route, body: dict[str, object], view: OwnView) -> bool:
    """Whether the request names the record's user: in the path, or by a body key holding a value
    of the record's."""
    return "{" in route.path or any(NAMES_THE_USER.match(k) and view.fields.get(k) == v for k, v in body.items())


def _send(sender: Sender, route: Route, path: str, body: dict[str, object], is_json: bool,
          headers: dict[str, str]) -> Exchange:
    return sender.request(route.method, path, headers=headers, json_body=body if is_json else None,
                          body=None if is_json else {k: str(v) for k, v in body.items()})


class RecordUpdates(SiteCheck):
    name = "updates"

    def run(self, sender: Sender, ctx: ProbeContext, routes: list[Route]) -> list[Confirmation]:
        updates = update_routes(routes)
        if not ctx.destructive or len(ctx.identities) < 2 or not updates:
            return []
        (_, alice), (_, bob) = ctx.identities[0], ctx.identities[1]
        mine, theirs = own_view(sender, alice, routes), own_view(sender, bob, routes)
        if mine is None or theirs is None or mine.fields == theirs.fields:
            return []
        found = self._other_users(sender, updates, mine, theirs)
        return found + self._privileged(sender, updates, mine, theirs)

    def _other_users(self, sender: Sender, updates: list[Route], mine: OwnView, theirs: OwnView) -> list[Confirmation]:
        for route in updates:
            aimed = aimed_at(route, theirs)
            if aimed is None:
                continue
            path, body, is_json = aimed
            text = sorted((k for k in body if not NOT_FOR_TEXT.search(k) and not isinstance(body[k], (bool, int))),
                          key=lambda k: not PREFERRED_TEXT.search(k))
            if not text or not _names_user(route, body, theirs):
                continue
            canary = token()
            ex = _send(sender, route, path, {**body, text[0]: canary}, is_json, mine.headers)
            if ex.status >= 400:
                continue
            after, _ = theirs.reread(sender)
            if canary not in after.text:
                continue
            _send(sender, route, path, body, is_json, theirs.headers)  # bob's own value back
            return [Confirmation("broken-access-control", self.name,
                                 f"IDOR: {route.method} {route.path} changed another user's record with the first "
                                 f"identity's session (their `{text[0]}` now holds what it sent)",
                                 ex if canary in ex.text else after, canary, endpoint=route.path, method=route.method)]
        return []

    def _privileged(self, sender: Sender, updates: list[Route], mine: OwnView, theirs: OwnView) -> list[Confirmation]:
        keys = [k for k in mine.fields if k in PRIVILEGED or k in FLAGS]
        for route in updates:
            aimed = aimed_at(route, mine)
            wanted = {k: changed(mine.fields[k], theirs.fields.get(k)) for k in keys
                      if k.lower() not in route.path.lower()}  # a route that sets roles by name is for that
            wanted = {k: v for k, v in wanted.items() if v is not None}
            if aimed is None or not wanted:
                continue
            path, body, is_json = aimed
            if not is_json and any(isinstance(v, bool) for v in wanted.values()):
                continue
            ex = _send(sender, route, path, {**body, **wanted, token("audfield"): "1"}, is_json, mine.headers)
            if ex.status >= 400:
                continue
            after, now = mine.reread(sender)
            hit = next((k for k, v in wanted.items() if now.get(k) == v or str(now.get(k)) == str(v)), None)
            if hit is None:
                continue
            _send(sender, route, path, {**body, **{k: mine.fields[k] for k in wanted}}, is_json, mine.headers)
            return [Confirmation("mass-assignment", self.name,
                                 f"mass assignment: {route.method} {route.path} lets the client change its own "
                                 f"{hit!r} ({mine.fields[hit]!r} -> {wanted[hit]!r}, re-read at {mine.path})",
                                 after, str(wanted[hit]), InjectionPoint(route, Param(hit, "json" if is_json else "form")),
                                 endpoint=route.path, method=route.method)]
        return []


def changed(value: object, other: object) -> object:
    """A value for a privileged field that it does not hold: the other truth value of a flag (or
    of a 0/1 column), the other identity's value, else a canary for text; None where there is
    none to try."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int) and value in (0, 1):
        return 1 - value
    if isinstance(value, str):
        return other if isinstance(other, str) and other and other != value else token()
    return None

"""IDOR on records keyed by the user's own id (`/notes/user/{userid}`, `/api/users/{id}`): no
create route pairs with them and no page links them, but the id is the user's. Each identity's
id is learnt from its session (a JWT's claims) or from a who-am-I route's JSON (`/me`,
`/userinfo`). bob's record, asked for with alice's session, is confirmed when it is bob's data:
values of bob's own answer that neither alice's own record nor a missing id's answer holds, in
a record of a private kind (the path names notes, messages, orders...) or under a sensitive key
(a password hash, a token, a card number). A public profile keyed by id shows neither. A list of
users (`GET /users`) shown to alice is confirmed when bob's record in it holds such a secret. A
record under a user (`/users/{user_id}/orders/{order_id}`) is bob's first listed one, read the
same way; a record created with alice's session under bob's id and listed in bob's own
collection is confirmed too. Before the checks, `fill_own_ids` sends such routes with the first
identity's own ids (the engine calls it), so the app's handlers run at all.

ExposedRecords needs no identity: a list whose records hold such secrets (each its own), or
records of a private kind that belong to several users (orders of two customers), shown to a
visitor with no session at all, is other users' data open to anyone. Behind a login, a list of
several users' passwords or password hashes shown to the first identity is too (a user has one
password; the others are other users')."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from urllib.parse import urlencode

from auditor.probe.checks.canary import token
from auditor.probe.checks.idor import MISSING_ID, id_point, visible_text
from auditor.probe.checks.jwt import JWT, claims_of
from auditor.probe.checks.objects import ID_PATTERN, PRIVATE_KIND, read_path
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

ID_CLAIMS = ("id", "userId", "user_id", "userid", "uid", "sub")
WHOAMI = re.compile(r"/(?:me|whoami|userinfo|user-?info|current[-_]?user|account|profile|user|session)/?$", re.I)
USER_PLACEHOLDER = re.compile(r"^(?:user_?id|userid|uid|owner_?id|account_?id|member_?id)$", re.I)
USER_SEGMENT = r"/(?:users?|accounts?|members?|profiles?|customers?)/"
USER_PATH = re.compile(USER_SEGMENT + r"\{\w+\}", re.I)
PEOPLE = re.compile(r"users?|accounts?|members?|customers?|profiles?|employees?|patients?|clients?", re.I)
COLLECTION_PATH = re.compile(r"/(?:users?|accounts|members|customers|profiles)/?$", re.I)
# Keys whose value is never another user's to see. An email or a name is left out: a members'
# directory shows them by design (DemoCyberSecurity's secure twin answers id, name, email, role).
SENSITIVE_KEY = re.compile(r"pass(?:word)?|hash|secret|token|ssn|card_?number|cvv|salary|balance|iban|api_?key", re.I)
ID_VALUE = re.compile(rf"^(?:{ID_PATTERN})$")
MAX_ROUTES = 8


def _id(value: object) -> str | None:
    text = str(value) if isinstance(value, (int, str)) and not isinstance(value, bool) else ""
    return text if ID_VALUE.match(text) else None


def _ids_in(data: object, depth: int = 0) -> list[str]:
    """Id-like values under an id key of a JSON answer: at the top, or under `user`/`data`."""
    if not isinstance(data, dict) or depth > 2:
        return []
    found = [v for k in ID_CLAIMS if (v := _id(data.get(k))) is not None]
    for key in ("user", "data", "account", "profile"):
        found += _ids_in(data.get(key), depth + 1)
    return found


def session_ids(headers: dict[str, str]) -> list[str]:
    """The user ids a session carries in a JWT's claims (bearer header or cookie), or in a plain
    cookie named for one (`user_id=2`, which the app reads back as who is signed in)."""
    values = [v for k, v in headers.items() if k.lower() != "cookie"]
    cookies = {n: v for k, c in headers.items() if k.lower() == "cookie" for n, v in cookie_pairs(c).items()}
    values += list(cookies.values())
    claimed = [i for v in values if (m := JWT.search(v)) for i in _ids_in(claims_of(m.group(0)))]
    return claimed + [i for n, v in cookies.items() if USER_PLACEHOLDER.match(n) and (i := _id(v)) is not None]


NAME_CLAIMS = re.compile(r"^(?:user(?:_?name)?|login|email|name|sub)$", re.I)


def session_names(headers: dict[str, str]) -> list[str]:
    """The user names a session carries in a JWT's claims (`{"user": "bob"}`): text values, not ids."""
    values = [v for k, v in headers.items() if k.lower() != "cookie"]
    values += [v for k, v in headers.items() if k.lower() == "cookie" for v in cookie_pairs(v).values()]
    claims = [c for v in values if (m := JWT.search(v)) and isinstance(c := claims_of(m.group(0)), dict)]
    return [str(v) for c in claims for k, v in c.items()
            if NAME_CLAIMS.match(str(k)) and isinstance(v, str) and len(v) >= 3 and _id(v) is None]


def identity_id(sender: Sender, headers: dict[str, str], routes: list[Route]) -> str | None:
    """The identity's own id: from its session's JWT, else from the first who-am-I route whose
    JSON answer names one."""
    if ids := session_ids(headers):
        return ids[0]
    for r in routes:
        if r.method == "GET" and "{" not in r.path and WHOAMI.search(r.path):
            ex = sender.request("GET", r.path, headers=headers)
            if ex.status == 200 and (ids := _ids_in(json_of(ex))):
                return ids[0]
    return None


def _user_placeholder(name: str, path: str) -> bool:
    """`{user_id}`, or an `{id}` right under a users/accounts segment (`/users/{id}`)."""
    return bool(USER_PLACEHOLDER.match(name)) or bool(re.search(USER_SEGMENT + r"\{" + re.escape(name) + r"\}", path))


MAX_COLLECTIONS = 10
# A free-text input, which takes a canary and shows it back as given.
TEXT_FIELD = re.compile(r"name|street|city|title|text|body|content|description|comment|note|label|message|address",
                        re.I)


def fill_own_ids(sender: Sender, routes: list[Route], identities: list[tuple[str, dict[str, str]]]) -> int:
    """Routes keyed by the user's id (`/api/users/{user_id}/orders`) are sent with the first
    identity's own id, not a made-up `1` that a UUID-typed path refuses before the handler runs;
    a placeholder under it (`{order_id}` in `/api/users/{user_id}/orders/{order_id}`) takes the id
    of the first record that identity's own collection (`GET /api/users/<id>/orders`) lists.
    Placeholders with a value of their own (from a link) keep it. Returns how many were filled."""
    if not identities or (me := identity_id(sender, identities[0][1], routes)) is None:
        return 0
    filled = 0
    listed: dict[str, str | None] = {}
    for route in routes:
        names = re.findall(r"\{(\w+)\}", route.path)
        users = [n for n in names if _user_placeholder(n, route.path)]
        if not users:
            continue
        values = {n: me for n in users}
        for name in names[names.index(users[0]) + 1:]:
            if name in values:
                continue
            collection = route.path.split("{" + name + "}")[0].rstrip("/")
            if "{" in collection.replace("{" + users[0] + "}", ""):
                break  # another unknown placeholder before it
            if collection not in listed and len(listed) < MAX_COLLECTIONS:
                listed[collection] = first_listed(sender, route, users[0], name, me, identities[0][1])
            if listed.get(collection) is None:
                break
            values[name] = str(listed[collection])
        for i, p in enumerate(route.params):
            if p.location == "path" and not p.example and p.name in values:
                route.params[i] = replace(p, example=values[p.name])
                filled += 1
    return filled


def json_of(ex: Exchange) -> object:
    try:
        return json.loads(ex.text)
    except ValueError:
        return None


def answer_values(ex: Exchange) -> dict[str, str]:
    """An answer's values, by the key that holds each: a JSON answer's leaves (the key path's last
    name), else an HTML page's text runs (under "")."""
    data = json_of(ex)
    if data is None:
        return {t: "" for t in visible_text(ex.text)}
    out: dict[str, str] = {}

    def walk(node: object, key: str) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, str(k))
        elif isinstance(node, list):
            for v in node:
                walk(v, key)
        elif isinstance(node, (str, int, float)) and not isinstance(node, bool):
            out.setdefault(str(node), key)

    walk(data, "")
    return out


def user_keyed(routes: list[Route]) -> list[Route]:
    """GET routes with one placeholder that is a user's id by its name, or an `id` under a
    users/accounts path."""
    out = []
    for r in routes:
        names = re.findall(r"\{(\w+)\}", r.path)
        if r.method == "GET" and len(names) == 1 and (USER_PLACEHOLDER.match(names[0]) or USER_PATH.search(r.path)):
            out.append(r)
    return out[:MAX_ROUTES]


def query_keyed(routes: list[Route]) -> list[tuple[Route, str]]:
    """GET routes without placeholders whose query takes a user's id by its name
    (`/api/transactions?user_id=`): (route, that input's name)."""
    out = []
    for r in routes:
        name = next((p.name for p in r.params if p.location == "query" and USER_PLACEHOLDER.match(p.name)), None)
        if r.method == "GET" and "{" not in r.path and name is not None:
            out.append((r, name))
    return out[:MAX_ROUTES]


def nested_keyed(routes: list[Route]) -> list[tuple[Route, str, str]]:
    """GET routes of a record under a user (`/users/{user_id}/orders/{order_id}`): (route, the user's
    placeholder, the record's)."""
    out = []
    for r in routes:
        names = re.findall(r"\{(\w+)\}", r.path)
        if r.method == "GET" and len(names) == 2 and _user_placeholder(names[0], r.path) and \
                r.path.endswith("{" + names[1] + "}"):
            out.append((r, names[0], names[1]))
    return out[:MAX_ROUTES]


def first_listed(sender: Sender, route: Route, user: str, child: str, user_id: str,
                 headers: dict[str, str]) -> str | None:
    """The id of the first record a user's own collection (the route's path up to the record's
    placeholder) lists, asked for with that user's session."""
    collection = route.path.split("{" + child + "}")[0].rstrip("/").replace("{" + user + "}", user_id)
    ex = sender.request("GET", collection, headers=headers)
    first = next(iter(listed_records(json_of(ex))), {}) if ex.status == 200 else {}
    return next((v for k in ("id", child) if (v := _id(first.get(k))) is not None), None)


def collections(routes: list[Route]) -> list[Route]:
    """GET routes without placeholders that list users (`/user`, `/api/users`)."""
    return [r for r in routes if r.method == "GET" and "{" not in r.path and COLLECTION_PATH.search(r.path)][:MAX_ROUTES]


def listed_records(data: object) -> list[dict[str, object]]:
    """The records of a JSON list answer: a top-level list, or one under a key (`data`, `users`),
    or under a key of an envelope (`{"status": "ok", "data": {"users": [...]}}`)."""
    for _ in range(2):
        if not isinstance(data, dict):
            break
        listed = next((v for v in data.values() if isinstance(v, list)), None)
        data = listed if listed is not None else next((v for v in data.values() if isinstance(v, dict)), None)
    return [r for r in data if isinstance(r, dict)] if isinstance(data, list) else []


def _secrets_of(record: dict[str, object]) -> dict[str, str]:
    """A record's non-empty values under sensitive keys, by key."""
    return {k: str(v) for k, v in record.items()
            if SENSITIVE_KEY.search(str(k)) and isinstance(v, (str, int)) and len(str(v)) >= 6}


MASKED = re.compile(r"^[*x•.#-]+$", re.I)


def _nested_secrets(record: dict[str, object], depth: int = 0) -> dict[str, str]:
    """A record's secrets, and those of the records it embeds (an order's `user`), unmasked."""
    found = {k: v for k, v in _secrets_of(record).items() if not MASKED.match(v)}
    for value in record.values():
        if isinstance(value, dict) and depth < 2:
            found.update({k: v for k, v in _nested_secrets(value, depth + 1).items() if k not in found})
    return found


def exposed_secret(data: object) -> tuple[str, str] | None:
    """(key, value) of a secret in a JSON list whose records hold their own secrets: at least two
    records, each with a value of its own under a sensitive key."""
    secrets = [found for r in listed_records(data) if (found := _nested_secrets(r))]
    values = {v for found in secrets for v in found.values()}
    return next(iter(secrets[0].items())) if len(secrets) >= 2 and len(values) >= 2 else None


# Keys of a user's password or its hash: one per user, so several different ones in one list are
# other users' (whoever asks; an admin has no business reading them either).
PASSWORD_KEY = re.compile(r"passw|pwd|^pass(?:_?hash)?$", re.I)  # not a passenger's or a passport's


def exposed_passwords(data: object) -> tuple[str, str] | None:
    """(key, value) of a password or hash in a JSON list of records that hold different ones: at
    least two records, two values."""
    found = [(k, v) for r in listed_records(data) for k, v in _nested_secrets(r).items() if PASSWORD_KEY.search(k)]
    return found[0] if len({v for _, v in found}) >= 2 else None


# Keys that say whose a record is.
OWNER_KEY = re.compile(r"^(?:user_?id|owner(?:_?id)?|customer_?id|account_?id|author_?id|user|owner_email|email)$", re.I)


def exposed_private(data: object, path: str) -> tuple[str, str] | None:
    """(key, value) of an owner in a JSON list of records of a private kind (orders, messages,
    payments: the path says) that belong to at least two owners: other users' records."""
    if not PRIVATE_KIND.search(path):
        return None
    owners = [(k, str(v)) for r in listed_records(data) for k, v in r.items()
              if OWNER_KEY.match(str(k)) and isinstance(v, (str, int)) and str(v)]
    return owners[0] if len({v for _, v in owners}) >= 2 else None


class ExposedRecords(SiteCheck):
    """Records with their secrets, or records of a private kind that belong to several users,
    listed to a visitor (see the module's docstring). Judged on the routes whose first answer
    showed such a list; each asked again with no session."""

    name = "idor"

    def run(self, sender: Sender, ctx: ProbeContext, routes: list[Route]) -> list[Confirmation]:
        answers: dict[tuple[str, str], Exchange] = getattr(sender, "first_answers", {})
        found: list[Confirmation] = []
        for route in routes:
            first = answers.get(("GET", route.path))
            if route.method != "GET" or "{" in route.path or first is None or \
                    (exposed_secret(shown := json_of(first)) or exposed_private(shown, route.path)) is None:
                continue
            with sender.new_visitor():
                ex = sender.request("GET", route.path)
            if ex.status != 200 or (exposed_secret(json_of(ex)) or exposed_private(json_of(ex), route.path)) is None:
                if ctx.identities and (hit := self._to_a_user(sender, route.path)) is not None:
                    found.append(hit)
                continue
            if (secret := exposed_secret(shown := json_of(ex))) is not None:
                key, value = secret
                found.append(Confirmation("broken-access-control", self.name,
                                          f"records with their secrets are listed at {route.path} to a visitor with no "
                                          f"session: `{key}` among others", ex, value[:60],
                                          endpoint=route.path, method="GET"))
            elif (owner := exposed_private(shown, route.path)) is not None:
                key, value = owner
                found.append(Confirmation("broken-access-control", self.name,
                                          f"records of several users are listed at {route.path} to a visitor with no "
                                          f"session (`{key}` {value[:40]!r} among others)", ex, value[:60],
                                          endpoint=route.path, method="GET"))
            if len(found) >= MAX_ROUTES:
                break
        return found + graphql_lists(sender, ctx, routes) + records_by_id(sender, routes)

    def _to_a_user(self, sender: Sender, path: str) -> Confirmation | None:
        """Refused to a visitor, the list may still show a signed-in user (the first identity)
        several users' passwords or their hashes: other users' among them."""
        ex = sender.request("GET", path)
        if ex.status != 200 or (password := exposed_passwords(json_of(ex))) is None:
            return None
        key, value = password
        return Confirmation("broken-access-control", self.name,
                            f"records of several users are listed at {path} to a signed-in user (the first identity) "
                            f"with their passwords or password hashes: `{key}` among others", ex, value[:60],
                            endpoint=path, method="GET")


# -- one record by id, with a person's secret, to a visitor ----------------------------------------

# Keys of a person's secret (a commit's `hash` or a share `token` may be public: not these).
PERSONAL_SECRET = re.compile(r"passw|pwd|ssn|social_?security|card_?number|cvv|salary|iban|api_?key|secret", re.I)
# Keys that say whose a record is: a person's.
PERSON_KEY = re.compile(r"^(?:user_?name|username|login|e?mail|full_?name|first_?name|name|owner)$", re.I)
ID_INPUT = re.compile(r"^(?:id|uid|user_?id|userid|account_?id|customer_?id|patient_?id|member_?id|profile_?id)$", re.I)


def _person_secret(ex: Exchange) -> tuple[str, str, str] | None:
    """(whose, secret key, secret) of a JSON record answered whole (`{"username": .., "ssn": ..}`,
    or one under a single key): a person's record holding a secret of theirs, unmasked."""
    data = json_of(ex)
    if isinstance(data, dict) and len(data) == 1 and isinstance(next(iter(data.values())), dict):
        data = next(iter(data.values()))
    if ex.status != 200 or not isinstance(data, dict):
        return None
    whose = next((str(v) for k, v in data.items() if PERSON_KEY.match(str(k)) and isinstance(v, (str, int)) and str(v)), None)
    secret = next(((str(k), str(v)) for k, v in data.items() if PERSONAL_SECRET.search(str(k)) and
                   isinstance(v, (str, int)) and len(str(v)) >= 4 and not MASKED.match(str(v))), None)
    return (whose, *secret) if whose is not None and secret is not None else None


def records_by_id(sender: Sender, routes: list[Route]) -> list[Confirmation]:
    """GET routes that choose a record by an id input (`/profile?id=`, `/accounts/{id}`), asked by
    a visitor with no session for ids 1 and 2: two people's records, each with a secret of its own
    (an SSN, a password hash, a card number), are anyone's to read by counting."""
    found: list[Confirmation] = []
    for route in [r for r in routes if r.method == "GET"]:
        chooser = next((p for p in route.params if p.location in ("query", "path") and ID_INPUT.match(p.name)), None)
        placeholders = re.findall(r"\{(\w+)\}", route.path)
        if chooser is None or [n for n in placeholders if n != chooser.name]:
            continue
        seen = []
        for value in ("1", "2"):
            path = route.path.replace("{" + chooser.name + "}", value)
            if chooser.location == "query":
                path += "?" + urlencode({chooser.name: value})
            with sender.new_visitor():
                ex = sender.request("GET", path)
            seen.append((_person_secret(ex), ex))
        (one, _), (two, ex) = seen
        if one is not None and two is not None and one[0] != two[0] and one[2] != two[2]:
            found.append(Confirmation("broken-access-control", "idor",
                                      f"records of different people are answered by {chooser.name} at {route.path} to a "
                                      f"visitor with no session, each with its `{two[1]}` (ids 1 and 2: "
                                      f"{one[0][:30]!r}, {two[0][:30]!r})", ex, two[2][:60],
                                      InjectionPoint(route, chooser), endpoint=route.path, method="GET"))
        if len(found) >= MAX_ROUTES:
            break
    return found


def _graphql_data(ex: Exchange) -> object:
    """The value of a GraphQL answer's one field (`{"data": {"users": [...]}}`: the list)."""
    data = json_of(ex)
    data = data.get("data") if isinstance(data, dict) else None
    return next(iter(data.values()), None) if isinstance(data, dict) and data else None


def graphql_lists(sender: Sender, ctx: ProbeContext, routes: list[Route]) -> list[Confirmation]:
    """GraphQL queries without arguments that list records with their own secrets (`users {
    password resetToken }`): asked as a visitor, then with the first identity's session. Shown to a
    visitor, they are anyone's; shown to one signed-in user, other users' secrets are theirs."""
    found: list[Confirmation] = []
    # lists of people or of private records first (`users`, `orders`), then the rest as declared
    queries = sorted((r for r in routes if r.graphql.startswith("query") and not r.params),
                     key=lambda r: not (PEOPLE.search(op := r.path.rpartition("#")[2]) or PRIVATE_KIND.search(op)))
    for route in queries[:MAX_ROUTES]:
        path, body = route.path.split("#")[0], {"query": route.graphql, "variables": {}}
        with sender.new_visitor():
            ex = sender.request("POST", path, json_body=body)
        who = "a visitor with no session"
        if (secret := exposed_secret(_graphql_data(ex))) is None and ctx.identities:
            ex = sender.request("POST", path, json_body=body)
            who = "a signed-in user (the first identity), other users' among them"
            secret = exposed_secret(_graphql_data(ex))
        if secret is not None:
            key, value = secret
            found.append(Confirmation("broken-access-control", "idor",
                                      f"records with their secrets are listed by the GraphQL query "
                                      f"{route.path.rpartition('#')[2]} to {who}: `{key}` among others", ex,
                                      value[:60], endpoint=path, method="POST"))
    return found


def with_code_values(route: Route, path: str, blanks: bool = False) -> str:
    """`path` with the route's query inputs that hold a value of the code's own (the literal its
    handler compares them with: `admin_access === 'true'`), as a client may send them: a record
    that shows more with such a flag shows it to anyone who adds it. With `blanks`, its other
    query inputs too, empty (a search that requires its `q`: the empty string matches all)."""
    flags = {p.name: p.example if p.example and not p.filled else "" for p in route.params
             if p.location == "query" and (blanks or (p.example and not p.filled))}
    return path + ("?" + urlencode(flags) if flags else "")


def _wants_blanks(sender: Sender, route: Route, path: str, headers: dict[str, str]) -> bool:
    """The record's read is refused as malformed (400, 422) without the route's other query inputs,
    which it has: they are sent empty."""
    if not any(p.location == "query" and not (p.example and not p.filled) for p in route.params):
        return False
    return sender.request("GET", with_code_values(route, path), headers=headers).status in (400, 422)


class OwnRecords(SiteCheck):
    name = "idor"

    def run(self, sender: Sender, ctx: ProbeContext, routes: list[Route]) -> list[Confirmation]:
        if len(ctx.identities) < 2:
            return []
        (_, alice), (_, bob) = ctx.identities[0], ctx.identities[1]
        keyed = user_keyed(routes)
        if not keyed and not collections(routes) and not query_keyed(routes):
            return []
        mine_id, theirs_id = identity_id(sender, alice, routes), identity_id(sender, bob, routes)
        if mine_id is None or theirs_id is None or mine_id == theirs_id:
            # no ids: a list of users can still show bob's record, known by the name his session carries
            mine, theirs = session_names(alice), session_names(bob)
            if mine and theirs and not set(mine) & set(theirs):
                return self._listed(sender, routes, alice, mine[0], theirs[0], by_name=True)
            return []
        found: list[Confirmation] = []
        for route in keyed:
            blanks = _wants_blanks(sender, route, read_path(route, theirs_id), bob)

            def at(record_id: str, route: Route = route, blanks: bool = blanks) -> str:
                return with_code_values(route, read_path(route, record_id), blanks)

            if hit := self._shown(sender, route, at(theirs_id), at(mine_id), at(MISSING_ID), alice, bob,
                                  {theirs_id, mine_id}, theirs_id):
                found.append(hit)
        for route, name in query_keyed(routes):
            flagged = with_code_values(route, route.path)

            def asked(user_id: str, flagged: str = flagged, name: str = name) -> str:
                return flagged + ("&" if "?" in flagged else "?") + urlencode({name: user_id})

            if hit := self._shown(sender, route, asked(theirs_id), asked(mine_id), asked(MISSING_ID), alice, bob,
                                  {theirs_id, mine_id}, theirs_id):
                hit.point = InjectionPoint(route, next(p for p in route.params if p.name == name))
                found.append(hit)
        for route, user, child in nested_keyed(routes):
            # bob's own first record under his id (`/users/{bob}/orders/{his order}`), read as alice
            theirs_child = first_listed(sender, route, user, child, theirs_id, bob)
            if theirs_child is None:
                continue
            mine_child = first_listed(sender, route, user, child, mine_id, alice) or MISSING_ID

            def nested(user_id: str, record_id: str, route: Route = route, user: str = user, child: str = child) -> str:
                return with_code_values(route, route.path.replace("{" + user + "}", user_id)
                                        .replace("{" + child + "}", record_id))

            if hit := self._shown(sender, route, nested(theirs_id, theirs_child), nested(mine_id, mine_child),
                                  nested(mine_id, MISSING_ID), alice, bob,
                                  {theirs_id, mine_id, theirs_child, mine_child}, theirs_id, user):
                found.append(hit)
        return found + self._listed(sender, routes, alice, mine_id, theirs_id) + \
            self._created_for_them(sender, routes, bob, theirs_id)

    def _created_for_them(self, sender: Sender, routes: list[Route], bob: dict[str, str],
                          theirs_id: str) -> list[Confirmation]:
        """A record created with alice's session under bob's id (`POST /users/{bob}/addresses`),
        with a canary in a text input, and listed in bob's own collection (the GET of the same
        path, with bob's session): anyone writes into anyone's account."""
        gets = {r.path for r in routes if r.method == "GET"}
        found: list[Confirmation] = []
        for route in [r for r in routes if r.method == "POST" and r.path in gets][:MAX_ROUTES]:
            names = re.findall(r"\{(\w+)\}", route.path)
            text = next((p for p in route.params if p.location in ("query", "form", "json") and TEXT_FIELD.search(p.name)),
                        None)
            if len(names) != 1 or not _user_placeholder(names[0], route.path) or text is None:
                continue
            theirs = read_path(route, theirs_id)
            before = sender.request("GET", theirs, headers=bob)
            if before.status != 200:
                continue
            aimed = replace(route, params=[replace(p, example=theirs_id) if p.location == "path" and p.name == names[0]
                                           else p for p in route.params])
            if names[0] not in {p.name for p in aimed.params}:
                aimed.params.append(Param(names[0], "path", theirs_id))
            tok = token()
            made = sender.send(InjectionPoint(aimed, text), tok)
            after = sender.request("GET", theirs, headers=bob)
            if made.status >= 400 or tok in before.text or tok not in after.text:
                continue
            found.append(Confirmation("broken-access-control", self.name,
                                      f"IDOR: a record created with the first identity's session under another user's "
                                      f"id at {route.path} ({text.name} {tok!r}) is listed in that user's own "
                                      f"{route.path}", after, tok, id_point(route), endpoint=route.path, method="POST"))
        return found

    def _shown(self, sender: Sender, route: Route, theirs_at: str, mine_at: str, control_at: str,
               alice: dict[str, str], bob: dict[str, str], ids: set[str], theirs_id: str,
               chooser: str = "") -> Confirmation | None:
        """bob's record at `theirs_at`, asked for with alice's session, answered with bob's data:
        values of bob's own answer that neither alice's own record nor a missing id's answer holds,
        in a record of a private kind or under a sensitive key."""
        theirs = sender.request("GET", theirs_at, headers=bob)
        if theirs.status != 200:
            return None
        mine = sender.request("GET", mine_at, headers=alice)
        control = sender.request("GET", control_at, headers=alice)
        known = set(answer_values(mine)) | set(answer_values(control)) | ids
        private = bool(PRIVATE_KIND.search(route.path))
        markers = {v: k for v, k in answer_values(theirs).items()
                   if len(v) >= 6 and v not in known and (private or SENSITIVE_KEY.search(k))}
        if not markers:
            return None
        other = sender.request("GET", theirs_at, headers=alice)
        shown = [v for v in markers if v in other.text]
        if other.status != 200 or not shown:
            return None
        return Confirmation("broken-access-control", self.name,
                            f"IDOR: another user's record at {route.path} (their id {theirs_id}) is shown "
                            f"with the first identity's session: {markers[shown[0]] or 'text'} "
                            f"{shown[0][:40]!r}", other, shown[0][:60], id_point(route, chooser), endpoint=route.path,
                            method="GET")

    def _listed(self, sender: Sender, routes: list[Route], alice: dict[str, str], mine_id: str,
                theirs_id: str, by_name: bool = False) -> list[Confirmation]:
        """A list of users shown to alice that holds bob's record with its secrets (a password
        hash, a token) that differ from alice's own. Records are known by their id, or `by_name`
        by the user name the session carries (under a user-name key of the record)."""
        def keys_of(record: dict[str, object]) -> list[str]:
            return [str(v) for k, v in record.items() if NAME_CLAIMS.match(str(k))] if by_name else _ids_in(record)

        found: list[Confirmation] = []
        for route in collections(routes):
            ex = sender.request("GET", route.path, headers=alice)
            records = listed_records(json_of(ex)) if ex.status == 200 else []
            theirs = next((r for r in records if theirs_id in keys_of(r)), None)
            mine = next((r for r in records if mine_id in keys_of(r)), {})
            if theirs is None:
                continue
            leaked = {k: v for k, v in _secrets_of(theirs).items() if _secrets_of(mine).get(k) != v}
            if leaked:
                key, value = next(iter(leaked.items()))
                found.append(Confirmation("broken-access-control", self.name,
                                          f"another user's secrets listed at {route.path} to the first identity's "
                                          f"session: their `{key}` (user {theirs_id})", ex, value[:60],
                                          endpoint=route.path, method="GET"))
        return found

"""IDOR on objects each user already has, listed in their own collection (`GET /orders` answers
the caller's orders): no create is needed, and no page links them. bob's collection is read with
bob's session and alice's with alice's; an object id listed to bob and not to alice is bob's
own. Its read route (`GET /orders/{id}`, or a route whose placeholder names the kind:
`/payments/{orderId}`) is asked with bob's session, then with alice's, and for an id no database
holds. Confirmed when alice is answered text of bob's object that neither alice's own collection
nor the missing id's answer holds: bob's data shown to alice.

A public catalogue lists the same ids to both users, so nothing of it is tried; a route whose
answer to alice is only what any object's would be (an empty page, an error) has no marker; an
object a visitor with no session is shown too is published (idor.published)."""

from __future__ import annotations

import re

from auditor.probe.checks.idor import MISSING_ID, id_point, published
from auditor.probe.checks.objects import read_path
from auditor.probe.checks.own_records import answer_values, json_of, listed_records
from auditor.probe.interface import Confirmation, Exchange, ProbeContext, Route, Sender, SiteCheck

MAX_ROUTES = 10
ID_KEYS = ("id", "_id", "uuid")
# Values too plain to be a marker of one user's object: booleans' and states' words, short text.
PLAIN = re.compile(r"^(?:true|false|null|none|pending|active|paid|completed|cancelled|user|admin|\d{1,3})$", re.I)


def _kind(name: str) -> str:
    """The kind of object a placeholder names: `orderId`, `order_id` -> `order`; `id` -> ``."""
    return re.sub(r"(?:_?id|Id|ID)$", "", name).lower()


# A user's own list beside the objects' routes (`/proposals/my-proposals`, `/messages/inbox`,
# `/orders/sales`): where the path before the placeholder lists nothing of the caller's own.
OWN_LIST = re.compile(r"^(?:my|mine|own)(?:[-_]\w+)?$|^(?:inbox|sent|outbox|sales|purchases|history|mine)$", re.I)
MAX_COLLECTIONS = 3


def collections_of(route: Route, routes: list[Route]) -> list[tuple[str, str]]:
    """(a collection's path, the placeholder) for a GET route with one placeholder, best first: a
    collection named for the kind the placeholder names (`/api/v1/orders` for
    `/api/v1/payments/{orderId}`), the path before the placeholder (`/orders` for `/orders/{id}`),
    and the user's own lists beside it (`/proposals/my-proposals` for `/proposals/{id}`)."""
    names = re.findall(r"\{(\w+)\}", route.path)
    if route.method != "GET" or len(names) != 1:
        return []
    name = names[0]
    lists = {r.path.rstrip("/") for r in routes if r.method == "GET" and "{" not in r.path}
    before = route.path.split("{" + name + "}")[0].rstrip("/")
    kind = _kind(name)
    # a placeholder that names its kind lists with that kind (`/payments/{orderId}`: the orders)
    named = sorted((p for p in lists if re.search(r"/" + re.escape(kind) + r"e?s$", p, re.I)), key=len) if kind else []
    own = sorted(p for p in lists if p.startswith(before + "/") and OWN_LIST.match(p[len(before) + 1:]))
    found = [*named[:1], *([before] if before in lists else []), *own]
    return [(p, name) for p in dict.fromkeys(found)][:MAX_COLLECTIONS]


def collection_of(route: Route, routes: list[Route]) -> tuple[str, str] | None:
    """The first of `collections_of`, or None."""
    return next(iter(collections_of(route, routes)), None)


def _listed_ids(ex: Exchange) -> list[str]:
    return [str(r[k]) for r in listed_records(json_of(ex)) for k in ID_KEYS
            if isinstance(r.get(k), (str, int)) and not isinstance(r.get(k), bool)][:20]


class ListedObjects(SiteCheck):
    name = "idor"

    def run(self, sender: Sender, ctx: ProbeContext, routes: list[Route]) -> list[Confirmation]:
        if len(ctx.identities) < 2:
            return []
        (_, alice), (_, bob) = ctx.identities[0], ctx.identities[1]
        listings: dict[str, tuple[list[str], Exchange]] = {}  # collection -> (bob's own ids, alice's answer)
        found: list[Confirmation] = []
        for route in routes:
            if len(found) >= MAX_ROUTES:
                break
            for collection, name in collections_of(route, routes):
                if collection not in listings:
                    listings[collection] = self._lists(sender, collection, alice, bob)
                theirs, hers = listings[collection]
                if theirs:  # the first collection that lists bob something of his own is the one read
                    if (hit := self._read(sender, route, name, theirs[0], alice, bob, hers)) is not None:
                        found.append(hit)
                    break
        return found

    @staticmethod
    def _lists(sender: Sender, collection: str, alice: dict[str, str], bob: dict[str, str]) -> tuple[list[str], Exchange]:
        """(the ids listed to bob and not to alice, alice's answer) at the collection, both read with
        a 200; read once more where every id listed to bob was listed to alice too (a list that
        sometimes shows everyone's rows, a random order)."""
        theirs: list[str] = []
        for _ in range(2):
            his = sender.request("GET", collection, headers=bob)
            hers = sender.request("GET", collection, headers=alice)
            listed, hers_listed = _listed_ids(his), set(_listed_ids(hers))
            theirs = [i for i in listed if i not in hers_listed]
            if theirs or not listed:
                break
        return (theirs if his.status == hers.status == 200 else []), hers

    @staticmethod
    def _read(sender: Sender, route: Route, name: str, object_id: str, alice: dict[str, str],
              bob: dict[str, str], hers: Exchange) -> Confirmation | None:
        own = sender.request("GET", read_path(route, object_id), headers=bob)
        if own.status != 200:
            return None
        other = sender.request("GET", read_path(route, object_id), headers=alice)
        if other.status != 200:
            return None
        missing = sender.request("GET", read_path(route, MISSING_ID), headers=alice)
        known = hers.text + missing.text
        markers = [v for v in answer_values(own) if len(v) >= 4 and not PLAIN.match(v) and v != object_id and v not in known]
        shown = [m for m in markers if m in other.text]
        if not shown or published(sender, route, read_path(route, object_id), shown[0]):
            return None
        return Confirmation("broken-access-control", "idor",
                            f"IDOR: an object listed only to the second identity is readable at {route.path} with "
                            f"the first identity's credentials (it shows {shown[0][:40]!r}, which neither the first "
                            "identity's own list nor a missing id's answer holds)", other, shown[0][:60],
                            id_point(route, name), endpoint=route.path, method="GET")

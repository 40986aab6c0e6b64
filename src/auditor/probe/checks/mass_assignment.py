"""Mass assignment: a create request with privileged fields the client should not set (role,
is_admin, owner) holding a canary; confirmed when the object, as returned or as re-read, has
that field with that canary. The request also carries a field of a random name: an answer that
shows it too only echoes the request, and then only the re-read counts.

A flag the app turns into a boolean (`admin: true`) cannot hold a canary: two objects are
created, one plain and one with the flags set, each marked by unique values, and read back
(by their read route, or in the listings beside the create route, e.g. /users/v1/_debug). A
flag true on the second object and false on the first one is confirmed."""

from __future__ import annotations

import json
import re

from auditor.probe.checks.canary import token
from auditor.probe.checks.objects import body_of, create_read_pairs, created_id, json_field, read_path
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

PRIVILEGED = ("role", "is_admin", "isAdmin", "admin", "owner", "owner_id", "permissions")


class MassAssignment(SiteCheck):
    name = "mass-assignment"

    def run(self, sender: Sender, ctx: ProbeContext, routes: list[Route]) -> list[Confirmation]:
        out: list[Confirmation] = []
        for create, read in create_read_pairs(routes):
            body, is_json = marked_body(create)  # unique names: a second `1` is refused as taken
            if not is_json:
                continue
            canary, control = token(), token("audfield")
            extra = {k: canary for k in PRIVILEGED if k not in body}
            made = sender.request("POST", create.path, json_body={**body, **extra, control: canary})
            if made.status >= 400:
                continue
            # An answer that echoes a field no model has (the control) echoes the request: only a
            # re-read of the object proves the flag was kept.
            candidates = [] if json_field(made, control) == canary else [made]
            object_id = created_id(made, read, body)
            if read is not None and object_id is not None:
                candidates.append(sender.request("GET", read_path(read, object_id)))
            for ex in candidates:
                hit = next((k for k in extra if json_field(ex, k) == canary), None)
                if hit is not None and ex.status < 400:
                    out.append(Confirmation("mass-assignment", self.name,
                                            f"mass assignment: {create.path} lets the client set {hit!r}", ex, canary,
                                            assigned(create, hit), endpoint=create.path, method="POST"))
                    break
            if out:
                break
        if not out:
            out = self._flags(sender, routes)
        return out

    def _flags(self, sender: Sender, routes: list[Route]) -> list[Confirmation]:
        for create, read in create_read_pairs(routes):
            plain, is_json = marked_body(create)
            flagged, _ = marked_body(create)
            if not is_json:
                continue
            flags = {k: True for k in FLAGS if k not in flagged}
            made = [sender.request("POST", create.path, json_body=body) for body in (plain, {**flagged, **flags})]
            if any(ex.status >= 400 for ex in made):
                continue
            for ex in self._readers(sender, create, read, made[1], flagged, routes):
                ours, theirs = record_with(ex, flagged), record_with(ex, plain)
                if ours is None or theirs is None:
                    continue
                hit = next((k for k in flags if ours.get(k) is True and k in theirs
                            and theirs[k] in (False, 0, None, "false")), None)
                if hit is not None:
                    return [Confirmation("mass-assignment", self.name,
                                         f"mass assignment: {create.path} lets the client set {hit!r} "
                                         "(true on the object created with it, false on one created without)",
                                         ex, str(next(v for v in flagged.values() if isinstance(v, str))),
                                         assigned(create, hit), endpoint=create.path, method="POST")]
        return []

    def _readers(self, sender: Sender, create: Route, read: Route | None, made: Exchange,
                 sent: dict[str, object], routes: list[Route]) -> list[Exchange]:
        """The flagged object's read route (by its id or natural key), then the listings beside
        the create route: GET routes without placeholders under its parent path."""
        out = []
        if read is not None and (object_id := created_id(made, read, sent)):
            out.append(sender.request("GET", read_path(read, object_id)))
        parent = create.path.rstrip("/").rsplit("/", 1)[0] or "/"
        listings = [r.path for r in routes if r.method == "GET" and "{" not in r.path and
                    (r.path == create.path or r.path.startswith(parent.rstrip("/") + "/"))]
        listings.sort(key=lambda path: path != create.path)  # the collection the POST adds to, first
        out += [sender.request("GET", path) for path in listings[:MAX_LISTINGS]]
        return out


FLAGS = ("admin", "is_admin", "isAdmin", "is_superuser", "is_staff", "superuser")


def assigned(create: Route, field: str) -> InjectionPoint:
    """The field the client set, as the finding's parameter: a JSON key of the create's body."""
    return InjectionPoint(create, Param(field, "json"))
MAX_LISTINGS = 3


def marked_body(create: Route) -> tuple[dict[str, object], bool]:
    """A create body whose free-text fields hold unique tokens (a mail field a unique address):
    the object it makes can be told apart from every other, in a listing too."""
    values: dict[str, str] = {}
    for p in create.params:
        if "@" in p.example:
            values[p.name] = f"{token()}@example.com"
        elif not p.example or p.filled or re.search(r"name|title|login|user", p.name, re.I):
            values[p.name] = token()
    return body_of(create, values)


def record_with(ex: Exchange, sent: dict[str, object]) -> dict[str, object] | None:
    """The JSON object in the answer that holds one of the unique tokens `sent` carried."""
    marks = {v for v in sent.values() if isinstance(v, str) and v.startswith("aud")}
    try:
        data = json.loads(ex.text)
    except ValueError:
        return None
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if marks & {v for v in item.values() if isinstance(v, str)}:
                return item
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return None

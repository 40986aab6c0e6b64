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
from auditor.probe.routes.inputs import PASSWORD_FILLER

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
        return out or declared_role(sender, routes) or graphql_signup_roles(sender, routes)

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
MAX_LISTINGS = 3


def assigned(create: Route, field: str) -> InjectionPoint:
    """The field the client set, as the finding's parameter: a JSON key of the create's body."""
    return InjectionPoint(create, Param(field, "json"))


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


# -- an account a visitor creates with the role it names ----------------------------------------

# Roles as a visitor's sign-up may name them: lower case, then an enum's upper case (Prisma's
# `enum Role { USER ADMIN }` refuses `admin`), asked only where the first was refused.
ROLE_SPELLINGS = (("user", "admin"), ("USER", "ADMIN"))
ROLE_FIELD = re.compile(r"^(?:role|roles|user_?role|account_?type)$", re.I)
ACCOUNT_FIELDS = re.compile(r"pass(?:word)?$|^e?mail$|^email_?address$|^user_?name$", re.I)


def declared_role(sender: Sender, routes: list[Route]) -> list[Confirmation]:
    """A create route that makes accounts (a password beside a mail or user name) and declares a
    role field, asked by a visitor with no session: one account with role `user`, one with
    `admin`, each read back (at the read route, or in the create's own answer when there is none
    and that answer does not echo a field of a random name the request also carried). Each stored
    as sent is a role any visitor picks for itself (a create that is meant for administrators
    refuses the visitor; a sign-up that keeps new accounts users stores `user` for both)."""
    for create, read in create_read_pairs(routes):
        _, is_json = body_of(create, {})
        where = "json" if is_json else "form"
        role = next((p for p in create.params if ROLE_FIELD.match(p.name) and p.location == where), None)
        if role is None or sum(bool(ACCOUNT_FIELDS.search(p.name)) for p in create.params if p.location == where) < 2:
            continue
        for plain_role, admin_role in ROLE_SPELLINGS:
            stored = [_stored_role(sender, create, read, role, value, is_json) for value in (plain_role, admin_role)]
            if any(ex is not None for _, ex in stored):
                break  # the spelling was taken: an enum's other spelling is not asked
        (plain, _), (flagged, evidence) = stored
        if plain == plain_role and flagged == admin_role and evidence is not None:
            shown = f"read back at {read.path}" if read is not None else "in the account its answer describes"
            return [Confirmation("mass-assignment", "mass-assignment",
                                 f"mass assignment: a visitor with no session creates an account at {create.path} with "
                                 f"the `{role.name}` it names ({admin_role}, {shown}; {plain_role} for the one created "
                                 f"with {plain_role})", evidence, admin_role, InjectionPoint(create, role),
                                 endpoint=create.path, method="POST")]
    return []


def _stored_role(sender: Sender, create: Route, read: Route | None, role: Param, value: str,
                 is_json: bool) -> tuple[object, Exchange | None]:
    """(the role the new account has, the exchange that shows it) for an account a visitor
    creates with `value` as its role; (None, None) when nothing shows it."""
    body, _ = marked_body(create)
    body[role.name] = value
    # With no read route, a field no model has rides along: an answer showing it echoes the request.
    # (Not otherwise: a strict validator refuses an unknown field.)
    control = token("audfield") if read is None else ""
    sent = {**body, control: value} if control else body
    with sender.new_visitor():
        if is_json:
            made = sender.request("POST", create.path, json_body=sent)
        else:
            made = sender.request("POST", create.path, body={k: str(v) for k, v in sent.items()})
    if made.status >= 400:
        return None, None
    if read is None:  # the account the answer describes, also inside an envelope ({data: {user: {...}}})
        if control in made.text:
            return None, None
        record = record_with(made, body)
        return (record.get(role.name) if record is not None else json_field(made, role.name)), made
    object_id = created_id(made, read, body)
    again = sender.request("GET", read_path(read, object_id)) if object_id is not None else None
    return (json_field(again, role.name), again) if again is not None and again.status < 400 else (None, None)


# -- a GraphQL sign-up that takes the caller's role ---------------------------------------------

# Arguments of a sign-up that name the account's privilege.
ROLE_ARGUMENT = re.compile(r"^(?:roles?|user_?roles?|permissions?|privileges?|groups?|account_?type)$", re.I)
SIGNS_UP = re.compile(r"^(?:sign_?up|register|create_?(?:user|account)|add_?user)", re.I)
WHO_AM_I = re.compile(r"^(?:me|whoami|current_?user|viewer|my_?profile)$", re.I)


def graphql_signup_roles(sender: Sender, routes: list[Route]) -> list[Confirmation]:
    """A GraphQL sign-up mutation that takes a role argument (`signupUser(..., roles: [String!]!)`):
    one account signed up with `user`, one with `admin`, each asked who it is (`me`) with the token
    its sign-up answered; `admin` among the second's roles and not the first's is confirmed. A
    sign-up that keeps the role to what visitors may choose answers `user` (or refuses) for both."""
    who = next((r for r in routes if r.graphql and WHO_AM_I.match(r.path.rpartition("#")[2]) and not r.params), None)
    for signup in [r for r in routes if r.graphql and SIGNS_UP.match(r.path.rpartition("#")[2])]:
        role = next((p for p in signup.params if ROLE_ARGUMENT.match(p.name)), None)
        if who is None or role is None:
            continue
        seen = [_signed_up_as(sender, signup, role.name, value, who) for value in ("user", "admin")]
        plain, flagged = seen
        if plain is not None and flagged is not None and "admin" in flagged[0] and "admin" not in plain[0]:
            return [Confirmation("mass-assignment", "mass-assignment",
                                 f"mass assignment at sign-up: {signup.path.rpartition('#')[2]} takes the caller's "
                                 f"`{role.name}` (the account signed up with admin is {flagged[0]} to "
                                 f"{who.path.rpartition('#')[2]}; the one signed up with user is {plain[0]})",
                                 flagged[1], "admin", InjectionPoint(signup, role), endpoint=signup.path,
                                 method="POST")]
    return []


def _signed_up_as(sender: Sender, signup: Route, role: str, value: str, who: Route) -> tuple[str, Exchange] | None:
    """(the role values `who` answers, the sign-up's exchange) for a new account signed up with
    `value`."""
    from auditor.probe.checks.jwt import JWT

    name = token("aud")
    # the arguments the document declares optional (`$practice: String`) are left null
    required = {m.group(1) for m in re.finditer(r"\$(\w+):\s*[\w\[\]!]*!", signup.graphql)}
    variables: dict[str, object] = {}
    for p in signup.params:
        low = p.name.lower()
        variables[p.name] = value if p.name == role else None if p.name not in required else \
            f"{name}@example.com" if "mail" in low else PASSWORD_FILLER if "pass" in low else name
    made = sender.request("POST", signup.path.split("#")[0], json_body={"query": signup.graphql, "variables": variables})
    found = JWT.search(made.text)
    if found is None:
        return None
    ex = sender.request("POST", who.path.split("#")[0], headers={"Authorization": f"Bearer {found.group(0)}"},
                        json_body={"query": who.graphql, "variables": {}})
    try:
        me = json.loads(ex.text)["data"]
        record = next(iter(me.values())) if isinstance(me, dict) else None
    except (ValueError, KeyError, TypeError, StopIteration):
        return None
    if not isinstance(record, dict) or role not in record:
        return None
    return json.dumps(record[role]), made

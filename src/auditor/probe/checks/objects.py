"""Helpers for the checks that create an object and read it back (IDOR, mass assignment):
pairs of a create route (POST /things) and a read route (GET /things/{id}), and the new
object's id from the create response."""

from __future__ import annotations

import json
import re

from auditor.probe.interface import Exchange, Route
from auditor.probe.routes.common import template_regex

# Kinds of record that are their owner's alone (a blog's posts or a shop's products are not).
PRIVATE_KIND = re.compile(r"note|message|order|payment|invoice|cart|document|secret|card|wallet|transaction|"
                          r"address|inbox|bank|salary|health|medical|task|todo|ticket|booking|reservation|"
                          r"appointment", re.I)

ID_KEYS = ("id", "_id", "uuid", "pk", "key")
# An object id: a number, a Mongo ObjectId, a UUID, or a cuid (Prisma's `@default(cuid())`: a `c`
# and 24 lower-case letters and digits; cuid2's 24, a letter first), digits among them.
ID_PATTERN = r"\d{1,12}|[0-9a-fA-F]{24}|[0-9a-fA-F-]{36}|(?=[a-z0-9]*\d)[a-z][a-z0-9]{23,24}"
_ID_LIKE = re.compile(ID_PATTERN)


def create_read_pairs(routes: list[Route]) -> list[tuple[Route, Route | None]]:
    """(create, read) for each POST with a body and no placeholder in its path, and the GET of one
    object under it where there is one. A POST to `/users/{id}` changes an object that exists,
    perhaps another user's: it is no create, and no check here writes to it."""
    pairs = []
    for create in routes:
        if create.method != "POST" or "{" in create.path or create.graphql or \
                not any(p.location in ("json", "form") for p in create.params):
            continue
        read = next((r for r in routes if r.method == "GET" and
                     re.fullmatch(re.escape(create.path.rstrip("/")) + r"/\{\w+\}/?", r.path)), None)
        pairs.append((create, read))
    return pairs


def body_of(create: Route, values: dict[str, str]) -> tuple[dict[str, object], bool]:
    """(body, is_json) for a create request: every input filled from `values` or a default; a JSON
    input declared as a number, list or object (Param.shape) keeps that shape."""
    loc = "json" if any(p.location == "json" for p in create.params) else "form"
    body: dict[str, object] = {p.name: json.loads(p.shape) if loc == "json" and p.shape else
                               values.get(p.name, p.example or "1") for p in create.params if p.location == loc}
    return body, loc == "json"


def created_id(ex: Exchange, read: Route | None = None, sent: dict[str, object] | None = None) -> str | None:
    """The new object's id: from the answer (an id key, a Location), else its natural key, a
    value the request sent under the name of the read route's placeholder (POST /books with
    book_title, read at /books/{book_title})."""
    try:
        data = json.loads(ex.text)
    except ValueError:
        data = None
    for record in _records_in(data, read):
        for key in ID_KEYS:
            if isinstance(record.get(key), (str, int)) and not isinstance(record.get(key), bool):
                return str(record[key])
    # a Location to the new object's page (`/notes/5`), not back to the list (`/notes`)
    location = (ex.header("location") or "").split("?")[0].split("#")[0].rstrip("/")
    last = location.rsplit("/", 1)[-1]
    if last and (read is None or _ID_LIKE.fullmatch(last) or
                 re.fullmatch(r".*?" + template_regex(read.path).pattern, location)):
        return last
    return natural_key(read, sent) if read is not None and sent else None


# Keys an answer wraps the object it made under: `{"success": true, "data": {"id": 3}}`.
WRAPPERS = ("data", "result", "item", "object", "record", "created")


def _records_in(data: object, read: Route | None) -> list[dict[str, object]]:
    """The object an answer holds: itself, then under a wrapping key (`data`, or the resource's
    own name: `order` for /orders/{id}), then its only object value."""
    if not isinstance(data, dict):
        return []
    resource = re.findall(r"/(\w+?)s?/\{", read.path) if read is not None else []
    wrapped = [data[k] for k in (*WRAPPERS, *resource) if isinstance(data.get(k), dict)]
    only = [v for v in data.values() if isinstance(v, dict)]
    return [data, *wrapped, *(only if len(only) == 1 else [])]


def natural_key(read: Route, sent: dict[str, object]) -> str | None:
    """The value sent under the name of the read route's one placeholder."""
    names = re.findall(r"\{(\w+)\}", read.path)
    return str(sent[names[0]]) if len(names) == 1 and isinstance(sent.get(names[0]), (str, int)) else None


def read_path(read: Route, object_id: str) -> str:
    return re.sub(r"\{\w+\}", object_id, read.path)


def json_field(ex: Exchange, key: str) -> object:
    try:
        data = json.loads(ex.text)
    except ValueError:
        return None
    return data.get(key) if isinstance(data, dict) else None

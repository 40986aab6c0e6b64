"""Created objects read back by their natural key (the create answer names no id: the object is
read at /books/{book_title} with the title it was sent), and the boolean privilege flag found by
a two-object differential (a flag turned into `true`/`false` holds no canary). Stand-ins of a
JSON API on 127.0.0.1, each in a vulnerable and a fixed form."""

from __future__ import annotations

import json
from urllib.parse import unquote

import pytest

from auditor.probe.checks.idor import Idor
from auditor.probe.checks.mass_assignment import MassAssignment, record_with
from auditor.probe.checks.objects import created_id, natural_key
from auditor.probe.interface import Exchange, Param, ProbeContext, Route
from auditor.probe.safety import Limits, SafeClient
from auditor.probe.sender import PointSender

from .standin import serve


def _exchange(text: str, headers: list[tuple[str, str]] | None = None) -> Exchange:
    return Exchange("POST", "http://127.0.0.1/x", {}, "", 200, headers or [], text, 0.0)


def test_natural_key():
    read = Route("GET", "/books/{book_title}")
    assert natural_key(read, {"book_title": "dune", "secret": "s"}) == "dune"
    assert natural_key(read, {"title": "dune"}) is None  # nothing sent under the placeholder's name
    assert natural_key(Route("GET", "/a/{x}/b/{y}"), {"x": "1", "y": "2"}) is None  # which one is unclear
    assert natural_key(read, {"book_title": {"nested": 1}}) is None
    # An id in the answer (or a Location) wins over the natural key.
    assert created_id(_exchange('{"id": 7}'), read, {"book_title": "dune"}) == "7"
    assert created_id(_exchange("{}", [("Location", "/books/41")]), read, {"book_title": "dune"}) == "41"
    assert created_id(_exchange('{"status": "ok"}'), read, {"book_title": "dune"}) == "dune"
    assert created_id(_exchange('{"status": "ok"}'), None, {"book_title": "dune"}) is None
    # wrapped once (damn-vulnerable-nestjs: `{"success": true, "data": {"id": 51, ...}}`)
    assert created_id(_exchange('{"success": true, "data": {"id": 51, "userId": 1}}'), read, None) == "51"
    assert created_id(_exchange('{"order": {"_id": "a1"}}'), None, None) == "a1"
    assert created_id(_exchange('{"data": {"id": 1}, "owner": {"id": 2}}'), None, None) == "1"  # `data` wraps it
    assert created_id(_exchange('{"ok": 1, "order": {"id": 9}, "meta": {"id": 2}}'), Route("GET", "/orders/{id}"),
                      None) == "9"  # the resource's own name
    # two objects in the answer, neither under a wrapping name: which one is new is unclear
    assert created_id(_exchange('{"owner": {"id": 2}, "shop": {"id": 3}}'), None, None) is None


def _books(owner_checked: bool):
    """POST /books answers no id; GET /books/{book_title} shows the book to a user (to its owner
    only when `owner_checked`). The user is the Authorization header."""
    books: dict[str, dict[str, str]] = {}

    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], str]:
        user = headers.get("Authorization", "")
        if method == "POST" and path == "/books" and user:
            data = json.loads(body or b"{}")
            books[str(data.get("book_title"))] = {**{k: str(v) for k, v in data.items()}, "owner": user}
            return 200, {}, json.dumps({"status": "success", "message": "Book added"})
        if method == "GET" and path.startswith("/books/"):
            book = books.get(unquote(path[len("/books/"):]))
            if book is None or not user or (owner_checked and book["owner"] != user):
                return 404, {}, json.dumps({"status": "fail"})
            return 200, {}, json.dumps({"book_title": book["book_title"], "secret": book.get("secret")})
        return 404, {}, "{}"

    return handle


@pytest.mark.parametrize("owner_checked", [False, True])
def test_idor_reads_back_by_natural_key(owner_checked):
    routes = [Route("POST", "/books", [Param("book_title", "json"), Param("secret", "json")]),
              Route("GET", "/books/{book_title}", [Param("book_title", "path")])]
    with serve(_books(owner_checked), content_type="application/json") as url:
        client = SafeClient(url, Limits(rps=1000))
        ctx = ProbeContext(client.base_url, identities=[("alice", {"Authorization": "alice"}),
                                                        ("bob", {"Authorization": "bob"})])
        found = Idor().run(PointSender(client), ctx, routes)
        reads = [r.url for r in client.log if r.method == "GET"]
    assert bool(found) is not owner_checked
    assert reads and all("/books/aud" in u for u in reads)  # read where the title it was sent names it


def _users(mode: str):
    """POST /users/register answers only a message; GET /users/{username} and the listing
    /users/_debug show each user with a boolean `admin`. `mode`: "assigns" takes admin from the
    body as a boolean, "fixed" ignores it, "everyone" makes every user an admin."""
    users: list[dict[str, object]] = []

    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], str]:
        if method == "POST" and path == "/users/register":
            data = json.loads(body or b"{}")
            admin = bool(data.get("admin", False)) if mode == "assigns" else mode == "everyone"
            users.append({"username": data.get("username"), "email": data.get("email"), "admin": admin})
            return 200, {}, json.dumps({"message": "Successfully registered"})
        if method == "GET" and path == "/users/_debug":
            return 200, {}, json.dumps({"users": users})
        if method == "GET" and path.startswith("/users/"):
            name = unquote(path[len("/users/"):])
            match = [u for u in users if u["username"] == name]
            return (200, {}, json.dumps(match[0])) if match else (404, {}, "{}")
        return 404, {}, "{}"

    return handle


@pytest.mark.parametrize(("mode", "with_read_route"), [("assigns", True), ("assigns", False), ("fixed", True),
                                                       ("fixed", False), ("everyone", True), ("everyone", False)])
def test_boolean_flag_by_two_object_differential(mode, with_read_route):
    """Confirmed only where the flag is true on the object created with it and false on the one
    created without, read by the natural key or (without a read route) in the listing."""
    routes = [Route("POST", "/users/register", [Param("username", "json"), Param("password", "json"),
                                                Param("email", "json", "probe@example.com", filled=True)]),
              Route("GET", "/users/_debug")]
    if with_read_route:
        routes.append(Route("GET", "/users/{username}", [Param("username", "path")]))
    with serve(_users(mode), content_type="application/json") as url:
        client = SafeClient(url, Limits(rps=1000))
        found = MassAssignment().run(PointSender(client), ProbeContext(client.base_url), routes)
    assert bool(found) is (mode == "assigns")
    if found:
        assert "'admin'" in found[0].message and found[0].canary.startswith("aud")


def test_the_collection_a_create_adds_to_is_read_before_its_neighbours():
    """dvws-node: POST /api/v2/users beside a dozen GET routes under /api/v2/; the three listings
    read were other ones (logs, info, checkadmin) and never the users list itself."""
    neighbours = [Route("GET", f"/users/{name}-page") for name in ("logs", "info", "checkadmin", "about")]
    routes = [Route("POST", "/users", [Param("username", "json"), Param("password", "json")]), *neighbours,
              Route("GET", "/users")]
    users: list[dict[str, object]] = []

    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], str]:
        if method == "POST" and path == "/users":
            data = json.loads(body or b"{}")
            users.append({"username": data.get("username"), "admin": bool(data.get("admin", False))})
            return 201, {}, json.dumps({"status": 201, "user": data.get("username")})
        if method == "GET" and path == "/users":
            return 200, {}, json.dumps({"result": users})
        return 200, {}, "{}"

    with serve(handle, content_type="application/json") as url:
        client = SafeClient(url, Limits(rps=1000))
        found = MassAssignment().run(PointSender(client), ProbeContext(client.base_url), routes)
    assert found and "'admin'" in found[0].message


def test_record_with_finds_the_marked_object_in_a_listing():
    listing = _exchange(json.dumps({"users": [{"username": "audaaa", "admin": False},
                                              {"username": "audbbb", "admin": True}]}))
    assert record_with(listing, {"username": "audbbb", "password": "x"}) == {"username": "audbbb", "admin": True}
    assert record_with(listing, {"username": "audccc"}) is None
    assert record_with(_exchange("<html>not json</html>"), {"username": "audbbb"}) is None


def test_a_post_to_an_existing_object_is_no_create():
    from auditor.probe.checks.objects import create_read_pairs
    from auditor.probe.interface import Param, Route

    body = [Param("name", "json"), Param("role", "json")]
    routes = [Route("POST", "/user", list(body)), Route("POST", "/user/{id}", list(body)), Route("GET", "/user/{id}", [])]
    assert [(c.path, r.path if r else None) for c, r in create_read_pairs(routes)] == [("/user", "/user/{id}")]


def _shelf(kind: str):
    """POST /{kind} answers the new object's id; GET /{kind}/{id} shows it to anyone, session or
    none (a marketplace's published offer; a message that should never be)."""
    made: dict[str, str] = {}

    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], str]:
        if method == "POST" and path == f"/{kind}" and headers.get("Authorization"):
            made[str(len(made) + 1)] = json.loads(body or b"{}").get("title", "")
            return 201, {}, json.dumps({"id": len(made)})
        if method == "GET" and path.startswith(f"/{kind}/") and path.rsplit("/", 1)[1] in made:
            return 200, {}, json.dumps({"title": made[path.rsplit("/", 1)[1]]})
        return 404, {}, "{}"

    return handle


@pytest.mark.parametrize("kind", ["gigs", "messages"])
def test_an_object_every_visitor_reads_is_published_unless_its_kind_is_private(kind: str):
    routes = [Route("POST", f"/{kind}", [Param("title", "json")]), Route("GET", f"/{kind}/{{id}}", [Param("id", "path")])]
    with serve(_shelf(kind), content_type="application/json") as url:
        client = SafeClient(url, Limits(rps=1000))
        ctx = ProbeContext(client.base_url, identities=[("alice", {"Authorization": "alice"}),
                                                        ("bob", {"Authorization": "bob"})])
        found = Idor().run(PointSender(client), ctx, routes)
    assert bool(found) is (kind == "messages")
    if found:  # the input that chooses the object is named
        assert found[0].point is not None and found[0].point.param.name == "id"

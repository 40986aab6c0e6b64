"""GraphQL: operations read from the schema by introspection, each String argument a variable the
checks fill. The stand-in is vuln-nodejs-app's shape: `user(username: String!)` builds its SQL
from the argument and answers the database's error in `errors[].message` with a 200 (or binds
it, fixed); `showProfile(userid: Int!)` takes a number, written into the document."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from auditor.probe.engine import ProbeConfig, run_probe
from auditor.probe.routes.graphql import routes_from_schema
from auditor.probe.routes.signs import read_signs
from auditor.probe.safety import Limits

from .standin import serve


def _t(kind: str, name: str | None = None, of: dict | None = None) -> dict:
    return {"kind": kind, "name": name, "ofType": of}


SCHEMA = {"queryType": {"name": "Query"}, "types": [
    {"name": "Query", "kind": "OBJECT", "fields": [
        {"name": "user", "args": [{"name": "username", "type": _t("NON_NULL", of=_t("SCALAR", "String"))}],
         "type": _t("OBJECT", "User")},
        {"name": "showProfile", "args": [{"name": "userid", "type": _t("NON_NULL", of=_t("SCALAR", "Int"))}],
         "type": _t("OBJECT", "User")},
        {"name": "listUsers", "args": [], "type": _t("LIST", of=_t("OBJECT", "User"))},
        {"name": "search", "args": [{"name": "filter", "type": _t("NON_NULL", of=_t("INPUT_OBJECT", "F"))}],
         "type": _t("OBJECT", "User")},
    ]},
    {"name": "User", "kind": "OBJECT", "fields": [
        {"name": "username", "args": [], "type": _t("SCALAR", "String")},
        {"name": "email", "args": [], "type": _t("SCALAR", "String")},
        {"name": "friends", "args": [], "type": _t("LIST", of=_t("OBJECT", "User"))}]},
]}


def test_operations_from_the_schema():
    routes = {r.path: r for r in routes_from_schema("/graphql", SCHEMA)}
    assert set(routes) == {"/graphql#user", "/graphql#showProfile", "/graphql#listUsers"}  # no input object
    assert routes["/graphql#user"].graphql == "query($username: String!) { user(username: $username) { username email } }"
    assert [p.name for p in routes["/graphql#user"].params] == ["username"]
    assert routes["/graphql#showProfile"].graphql == "query { showProfile(userid: 1) { username email } }"
    assert routes["/graphql#showProfile"].params == []


def test_endpoints_named_in_the_code(tmp_path: Path):
    (tmp_path / "app.js").write_text("router.use('/api/graphql', authenticateToken, graphqlHTTP({ schema }));\n")
    assert read_signs(tmp_path).graphql == ["/api/graphql"]
    (tmp_path / "app.js").write_text("const { buildSchema } = require('graphql');\n")
    assert read_signs(tmp_path).graphql == ["/graphql"]
    (tmp_path / "app.js").write_text("app.get('/', (req, res) => res.send('hi'));\n")
    assert read_signs(tmp_path).graphql == []


def _graphql_app(vulnerable: bool):
    db = sqlite3.connect(":memory:", check_same_thread=False)
    db.execute("CREATE TABLE users(username TEXT, email TEXT)")
    db.execute("INSERT INTO users VALUES('alice', 'alice@example.com')")

    def handle(method, path, headers, body):
        if path != "/graphql" or method != "POST":
            return 404, {}, "not found"
        request = json.loads(body or b"{}")
        query, variables = request.get("query", ""), request.get("variables") or {}
        if "__schema" in query:
            return 200, {"Content-Type": "application/json"}, json.dumps({"data": {"__schema": SCHEMA}})
        if m := re.search(r"\buser\(username: \$username\)", query):
            name = str(variables.get("username", ""))
            try:
                if vulnerable:
                    row = db.execute(f"SELECT username, email FROM users WHERE username='{name}'").fetchone()
                else:
                    row = db.execute("SELECT username, email FROM users WHERE username=?", (name,)).fetchone()
            except sqlite3.Error as exc:
                return 200, {"Content-Type": "application/json"}, json.dumps(
                    {"errors": [{"message": f"SQLITE_ERROR: {exc}"}], "data": {"user": None}})
            user = {"username": row[0], "email": row[1]} if row else None
            return 200, {"Content-Type": "application/json"}, json.dumps({"data": {"user": user}})
        assert m is None
        return 200, {"Content-Type": "application/json"}, json.dumps({"data": {"showProfile": None, "listUsers": []}})

    return handle


@pytest.mark.parametrize("vulnerable", [True, False])
def test_sql_injection_through_a_graphql_argument(tmp_path: Path, vulnerable: bool):
    (tmp_path / "app.js").write_text("app.use('/graphql', graphqlHTTP({ schema, rootValue }));\n")
    with serve(_graphql_app(vulnerable), content_type="application/json") as url:
        cfg = ProbeConfig(base_url=url, project=tmp_path, limits=Limits(rps=1000, max_requests=400, timeout=5),
                          checks=["sqli"])
        run = run_probe(cfg)
    found = [(c.category, c.endpoint, c.point.param.name) for c in run.confirmations if c.point is not None]
    assert (("sql-injection", "/graphql", "username") in found) is vulnerable
    assert not vulnerable or len(found) == 1
    assert all(r.url.startswith(url) and "#" not in r.url for r in run.requests)


MUTATIONS = {"queryType": {"name": "Query"}, "mutationType": {"name": "Mutation"}, "types": [
    {"name": "Query", "kind": "OBJECT", "fields": [
        {"name": "notes", "args": [{"name": "order", "type": _t("ENUM", "Order")}], "type": _t("LIST", of=_t("OBJECT", "Note"))}]},
    {"name": "Mutation", "kind": "OBJECT", "fields": [
        {"name": "createNote", "args": [{"name": "note", "type": _t("NON_NULL", of=_t("INPUT_OBJECT", "NoteInput"))}],
         "type": _t("OBJECT", "Note")},
        {"name": "login", "args": [{"name": "username", "type": _t("NON_NULL", of=_t("SCALAR", "String"))},
                                   {"name": "password", "type": _t("NON_NULL", of=_t("SCALAR", "String"))}],
         "type": _t("SCALAR", "String")},
        {"name": "deleteNote", "args": [{"name": "id", "type": _t("NON_NULL", of=_t("SCALAR", "ID"))}],
         "type": _t("SCALAR", "Boolean")},
        {"name": "updateNote", "args": [{"name": "id", "type": _t("NON_NULL", of=_t("SCALAR", "ID"))}],
         "type": _t("OBJECT", "Note")},
        {"name": "tagNote", "args": [{"name": "tag", "type": _t("NON_NULL", of=_t("INPUT_OBJECT", "TagInput"))}],
         "type": _t("OBJECT", "Note")}]},
    {"name": "NoteInput", "kind": "INPUT_OBJECT", "inputFields": [
        {"name": "title", "type": _t("NON_NULL", of=_t("SCALAR", "String"))},
        {"name": "pinned", "type": _t("SCALAR", "Boolean")},
        {"name": "kind", "type": _t("ENUM", "Order")}]},
    {"name": "TagInput", "kind": "INPUT_OBJECT", "inputFields": [
        {"name": "inner", "type": _t("NON_NULL", of=_t("INPUT_OBJECT", "NoteInput"))}]},
    {"name": "Order", "kind": "ENUM", "enumValues": [{"name": "NEWEST"}, {"name": "OLDEST"}]},
    {"name": "Note", "kind": "OBJECT", "fields": [
        {"name": "id", "args": [], "type": _t("SCALAR", "ID")},
        {"name": "title", "args": [], "type": _t("SCALAR", "String")}]},
]}


def test_mutations_are_posts_and_those_that_change_what_exists_need_allow_destructive():
    routes = {r.path: r for r in routes_from_schema("/graphql", MUTATIONS)}
    # a nested required input object is beyond one level: tagNote is left out
    assert set(routes) == {"/graphql#notes", "/graphql#createNote", "/graphql#login"}
    assert routes["/graphql#notes"].graphql == "query { notes(order: NEWEST) { id title } }"
    assert routes["/graphql#createNote"].graphql == (
        "mutation($title: String!) { createNote(note: {title: $title, pinned: true, kind: NEWEST}) { id title } }")
    assert [p.name for p in routes["/graphql#createNote"].params] == ["title"]
    assert routes["/graphql#login"].graphql.startswith("mutation($username: String!, $password: String!) { login(")
    everything = {r.path for r in routes_from_schema("/graphql", MUTATIONS, allow_destructive=True)}
    assert {"/graphql#deleteNote", "/graphql#updateNote"} <= everything


def _mutation_app(vulnerable: bool, seen: list[str]):
    db = sqlite3.connect(":memory:", check_same_thread=False)
    db.execute("CREATE TABLE notes(id INTEGER PRIMARY KEY, title TEXT)")

    def handle(method, path, headers, body):
        request = json.loads(body or b"{}")
        query, variables = request.get("query", ""), request.get("variables") or {}
        seen.append(query)
        if "__schema" in query:
            return 200, {"Content-Type": "application/json"}, json.dumps({"data": {"__schema": MUTATIONS}})
        if "createNote(" in query:
            title = str(variables.get("title", ""))
            try:
                if vulnerable:
                    db.execute(f"INSERT INTO notes(title) VALUES('{title}')")
                else:
                    db.execute("INSERT INTO notes(title) VALUES(?)", (title,))
            except sqlite3.Error as exc:
                return 200, {"Content-Type": "application/json"}, json.dumps({"errors": [{"message": f"SQLITE_ERROR: {exc}"}]})
            return 200, {"Content-Type": "application/json"}, json.dumps({"data": {"createNote": {"id": "1", "title": title}}})
        return 200, {"Content-Type": "application/json"}, json.dumps({"data": None})

    return handle


@pytest.mark.parametrize("vulnerable", [True, False])
def test_sql_injection_through_a_mutations_input_object(tmp_path: Path, vulnerable: bool):
    (tmp_path / "schema.py").write_text("import graphene\n")
    seen: list[str] = []
    with serve(_mutation_app(vulnerable, seen), content_type="application/json") as url:
        cfg = ProbeConfig(base_url=url, project=tmp_path, limits=Limits(rps=1000, max_requests=400, timeout=5),
                          checks=["sqli"])
        run = run_probe(cfg)
    found = [(c.category, c.point.route.path, c.point.param.name) for c in run.confirmations if c.point is not None]
    assert (("sql-injection", "/graphql#createNote", "title") in found) is vulnerable
    assert not any("deleteNote" in q or "updateNote" in q for q in seen)


@pytest.mark.parametrize("limited", [False, True])
def test_a_login_mutation_is_burst_and_an_open_schema_reported(tmp_path: Path, limited: bool):
    """A `login(username, password)` mutation with no limit takes the login burst like a form; the
    schema answered to a visitor's introspection is reported (low). A query that does not parse
    answered with a stack is debug output."""
    (tmp_path / "schema.py").write_text("import graphene\n")
    tries: list[str] = []

    def handle(method, path, headers, body):
        request = json.loads(body or b"{}")
        query = request.get("query", "")
        if "__schema" in query:
            return 200, {}, json.dumps({"data": {"__schema": MUTATIONS}})
        if query == "query {":
            return 400, {}, json.dumps({"errors": [{"message": "Syntax Error", "extensions": {"exception": {
                "stacktrace": ["GraphQLError: Syntax Error", "    at syntaxError (/app/node_modules/graphql/x.js:15:10)"]}}}]})
        if "login(" in query:
            tries.append(str(request.get("variables", {}).get("password")))
            if limited and len(tries) > 5:
                return 429, {}, json.dumps({"errors": [{"message": "slow down"}]})
            return 200, {}, json.dumps({"data": {"login": None}, "errors": [{"message": "bad credentials"}]})
        return 200, {}, json.dumps({"data": None})

    with serve(handle, content_type="application/json") as url:
        run = run_probe(ProbeConfig(base_url=url, project=tmp_path, checks=["ratelimit", "debug"],
                                    limits=Limits(rps=1000, max_requests=400, timeout=5)))
    found = {(c.category, c.check, c.endpoint, c.severity) for c in run.confirmations}
    # reported at the URL's path, as every finding; the operation is the point's route
    assert (("missing-rate-limiting", "ratelimit", "/graphql", "medium") in found) is not limited
    assert [c.point.route.path for c in run.confirmations if c.category == "missing-rate-limiting" and c.point] == \
        ([] if limited else ["/graphql#login"])
    assert ("security-misconfiguration", "debug", "/graphql", "low") in found  # the open schema
    assert any(c.check == "debug" and "debug output" in c.message for c in run.confirmations)
    assert len([t for t in tries if t.startswith("wrong")]) <= 30  # the burst's own wrong passwords


def test_a_required_list_of_strings_is_asked_for_deep_enough_and_sent():
    """very_vulnerable_gql_api's `signupUser(..., roles: [String!]!)`: the type is NON_NULL of LIST
    of NON_NULL of String. The introspection asks four levels of wrapping (three left the scalar
    out, and the required argument dropped the operation); the argument is a variable of that type."""
    from auditor.probe.routes.graphql import INTROSPECTION

    assert INTROSPECTION.count("ofType {") >= 3 * 2  # field types and argument types, four levels each
    roles = _t("NON_NULL", of=_t("LIST", of=_t("NON_NULL", of=_t("SCALAR", "String"))))
    schema = {"queryType": {"name": "Query"}, "mutationType": {"name": "Mutation"}, "types": [
        {"name": "Query", "kind": "OBJECT", "fields": []},
        {"name": "Mutation", "kind": "OBJECT", "fields": [
            {"name": "signupUser", "args": [{"name": "username", "type": _t("NON_NULL", of=_t("SCALAR", "String"))},
                                            {"name": "roles", "type": roles}],
             "type": _t("OBJECT", "Auth")}]},
        {"name": "Auth", "kind": "OBJECT", "fields": [{"name": "token", "args": [], "type": _t("SCALAR", "String")}]}]}
    route = routes_from_schema("/graphql", schema)[0]
    assert route.graphql.startswith("mutation($username: String!, $roles: [String!]!) { signupUser(")
    assert [p.name for p in route.params] == ["username", "roles"]


@pytest.mark.parametrize("ide_on", [True, False])
def test_a_graphql_ide_served_to_visitors(ide_on: bool):
    """DVGA's /graphiql serves the GraphiQL IDE (GET, HTML) to anyone; turned off, the path answers
    400 or a page without it. Judged only where the app serves GraphQL."""
    from auditor.probe.checks.debug import DebugPages
    from auditor.probe.interface import ProbeContext, Route
    from auditor.probe.safety import SafeClient
    from auditor.probe.sender import PointSender

    page = "<html><head><title>GraphiQL</title><script src='/static/graphiql.min.js'></script></head></html>"

    def handle(method, path, headers, body):
        if path == "/graphiql":
            return (200, {"Content-Type": "text/html"}, page) if ide_on else (400, {}, "GraphiQL is disabled")
        return 404, {"Content-Type": "text/html"}, "<p>not found</p>"

    routes = [Route("GET", "/graphiql", [], "code"), Route("POST", "/graphql#pastes", [], "graphql", graphql="query { pastes { id } }")]
    with serve(handle) as url:
        client = SafeClient(url, Limits(rps=1000))
        found = DebugPages().run(PointSender(client), ProbeContext(client.base_url), routes)
    assert [c.endpoint for c in found if "IDE" in c.message] == (["/graphiql"] if ide_on else [])

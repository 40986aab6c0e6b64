"""GraphQL endpoints: their operations as routes, each argument a JSON input.

A project whose code names GraphQL is asked, at the paths its code names (`app.use('/graphql',
graphqlHTTP(...))`) or at `/graphql`, for its schema by introspection. Each field of the query
type becomes a route: `POST /graphql#user`, whose request is `{"query": "query($username:
String!) { user(username: $username) { username email } }", "variables": {"username": ...}}`.
String and ID arguments are the inputs the checks fill; a number or boolean argument is written
into the document as a literal. The `#field` keeps the operations apart as routes; no HTTP client
sends a fragment, so every request goes to the endpoint itself. Mutations change data and are
left out (the checks send reads only here), as are fields with a required argument of an input
type."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from auditor.probe.interface import Param, Route
from auditor.probe.routes.common import project_files
from auditor.probe.safety import SafeClient

INTROSPECTION = ("query { __schema { queryType { name } types { name kind fields { name "
                 "args { name type { kind name ofType { kind name ofType { kind name } } } } "
                 "type { kind name ofType { kind name ofType { kind name } } } } } } }")
_PATH_LITERAL = re.compile(r"""['"`](/[\w/-]*graphql[\w/-]*)['"`]""", re.I)
_NAMES_GRAPHQL = re.compile(rb"graphql|graphene|strawberry|ariadne|apollo", re.I)
_LITERALS = {"Int": "1", "Float": "1.0", "Boolean": "true"}
MAX_FILES = 3000
MAX_SELECTED = 8


def endpoints(project: Path) -> list[str]:
    """The GraphQL paths the project's code names; `/graphql` where it names GraphQL without one;
    none where it never names it."""
    paths: list[str] = []
    names_it = False
    for seen, (_, path) in enumerate(project_files(project, (".js", ".ts", ".mjs", ".cjs", ".py", ".json"))):
        if seen >= MAX_FILES:
            break
        try:
            with open(path, "rb") as f:
                data = f.read(400_000)
        except OSError:
            continue
        if _NAMES_GRAPHQL.search(data):
            names_it = True
            paths += [p for p in _PATH_LITERAL.findall(data.decode("utf-8", "replace")) if not p.endswith((".js", ".ts"))]
    return list(dict.fromkeys(paths)) or (["/graphql"] if names_it else [])


def _unwrapped(t: dict[str, Any] | None) -> tuple[str, str, str]:
    """(kind, name, signature) of a type reference: `String!`, `[User]`."""
    if not isinstance(t, dict):
        return "", "", ""
    if t.get("kind") == "NON_NULL":
        kind, name, sig = _unwrapped(t.get("ofType"))
        return kind, name, sig + "!"
    if t.get("kind") == "LIST":
        kind, name, sig = _unwrapped(t.get("ofType"))
        return kind, name, f"[{sig}]"
    return str(t.get("kind") or ""), str(t.get("name") or ""), str(t.get("name") or "")


def routes_from_schema(path: str, schema: dict[str, Any]) -> list[Route]:
    """A route per field of the query type (see the module's docstring)."""
    types = {t.get("name"): t for t in schema.get("types") or [] if isinstance(t, dict)}
    root = types.get((schema.get("queryType") or {}).get("name"))
    routes: list[Route] = []
    for field in (root or {}).get("fields") or []:
        name = str(field.get("name") or "")
        if not name or name.startswith("__"):
            continue
        variables, arguments, params = [], [], []
        for arg in field.get("args") or []:
            kind, base, sig = _unwrapped(arg.get("type"))
            if kind == "SCALAR" and base in _LITERALS:
                arguments.append(f"{arg['name']}: {_LITERALS[base]}")
            elif kind == "SCALAR":  # String, ID and custom scalars travel as strings
                variables.append(f"${arg['name']}: {sig}")
                arguments.append(f"{arg['name']}: ${arg['name']}")
                params.append(Param(str(arg["name"]), "json"))
            elif sig.endswith("!"):
                break  # a required input object or enum: no value of ours would do
        else:
            kind, base, _ = _unwrapped(field.get("type"))
            shown = [f["name"] for f in (types.get(base) or {}).get("fields") or []
                     if _unwrapped(f.get("type"))[0] in ("SCALAR", "ENUM")][:MAX_SELECTED]
            selection = "" if kind in ("SCALAR", "ENUM") else " { " + (" ".join(shown) or "__typename") + " }"
            call = f"{name}({', '.join(arguments)})" if arguments else name
            head = f"query({', '.join(variables)})" if variables else "query"
            routes.append(Route("POST", f"{path}#{name}", params, "graphql", framework="graphql",
                                graphql=f"{head} {{ {call}{selection} }}"))
    return routes


def graphql_routes(client: SafeClient, project: Path) -> list[Route]:
    """The operations of the first endpoint the code names that answers an introspection."""
    for path in endpoints(project) if project.is_dir() else []:
        ex = client.send("POST", client.url_for(path), json_body={"query": INTROSPECTION})
        try:
            schema = json.loads(ex.text)["data"]["__schema"]
        except (ValueError, KeyError, TypeError):
            continue
        if isinstance(schema, dict):
            return routes_from_schema(path, schema)
    return []

"""GraphQL endpoints: their operations as routes, each argument a JSON input.

A project whose code names GraphQL is asked, at the paths its code names (`app.use('/graphql',
graphqlHTTP(...))`) or at `/graphql`, for its schema by introspection. Each field of the query
type becomes a route: `POST /graphql#user`, whose request is `{"query": "query($username:
String!) { user(username: $username) { username email } }", "variables": {"username": ...}}`.
String and ID arguments are the inputs the checks fill; a number or boolean argument is written
into the document as a literal, an enum as its first value, and an input object as an object of
its fields, one level deep. The `#field` keeps the operations apart as routes; no HTTP client
sends a fragment, so every request goes to the endpoint itself.

Mutations are routes too, held to the rule REST routes are held to: a mutation is a POST, so one
that creates, imports or signs in is probed, and one whose name says it deletes, edits or resets
what exists (`deletePaste`, `updateUser`, `setRole`) only with --allow-destructive. A field with a
required argument that no value of ours would fill (a nested input object) is left out."""

from __future__ import annotations

import json
import re
from typing import Any

from auditor.probe.interface import Param, Route
from auditor.probe.routes.inputs import name_words
from auditor.probe.safety import SafeClient, destroys

# Four levels of wrapping: `[String!]!` is NON_NULL of LIST of NON_NULL of String (three levels
# left its scalar out, and a required argument of that type dropped the whole operation).
_TYPE_REF = "type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }"
INTROSPECTION = ("query { __schema { queryType { name } mutationType { name } types { name kind "
                 f"fields {{ name args {{ name {_TYPE_REF} }} {_TYPE_REF} }} "
                 f"inputFields {{ name {_TYPE_REF} }} enumValues {{ name }} }} }} }}")
_PATH_LITERAL = re.compile(r"""['"`](/[\w/-]*graphql[\w/-]*)['"`]""", re.I)
_NAMES_GRAPHQL = re.compile(rb"graphql|graphene|strawberry|ariadne|apollo", re.I)
_LITERALS = {"Int": "1", "Float": "1.0", "Boolean": "true"}
# Mutation names that change or take away what exists, beside the deletions `destroys` knows:
# the PUT and PATCH of REST.
_CHANGE_WORDS = frozenset({"update", "edit", "set", "change", "modify", "replace", "reset", "patch", "put",
                           "rename", "move", "revoke", "disable", "deactivate", "ban", "block", "clear",
                           "overwrite", "restore", "merge", "assign", "unassign", "grant"})
GRAPHQL_SUFFIXES = (".js", ".ts", ".mjs", ".cjs", ".py", ".json")
MAX_SELECTED = 8

Types = dict[str, dict[str, Any]]


def graphql_paths_in(data: bytes) -> list[str] | None:
    """The GraphQL paths a file names (`app.use('/graphql', ...)`), or None where it never names
    GraphQL."""
    if not _NAMES_GRAPHQL.search(data):
        return None
    return [p for p in _PATH_LITERAL.findall(data.decode("utf-8", "replace")) if not p.endswith((".js", ".ts"))]


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


def changes_existing(operation: str) -> bool:
    """Whether a mutation's name says it deletes, edits or resets what exists."""
    return destroys("/" + operation) or bool(_CHANGE_WORDS & set(name_words(operation)))


class _Call:
    """The arguments of one operation as they are written: its variables and the inputs they are."""

    def __init__(self, types: Types) -> None:
        self.types = types
        self.variables: list[str] = []
        self.params: list[Param] = []

    def argument(self, arg: dict[str, Any], nested: bool = False) -> str | None:
        """`name: value` for one argument (or input field), or None where no value of ours would do."""
        name = str(arg.get("name") or "")
        kind, base, sig = _unwrapped(arg.get("type"))
        if not name:
            return None
        if kind == "SCALAR" and base in _LITERALS:
            return f"{name}: {_LITERALS[base]}"
        if kind == "SCALAR":  # String, ID and custom scalars travel as strings
            variable = name if all(p.name != name for p in self.params) else f"{name}{len(self.params)}"
            self.variables.append(f"${variable}: {sig}")
            self.params.append(Param(variable, "json"))
            return f"{name}: ${variable}"
        if kind == "ENUM":
            values = [v.get("name") for v in (self.types.get(base) or {}).get("enumValues") or [] if v.get("name")]
            return f"{name}: {values[0]}" if values else None
        if kind == "INPUT_OBJECT" and base in self.types and not nested and not sig.startswith("["):
            fields = []
            for field in self.types[base].get("inputFields") or []:
                written = self.argument(field, nested=True)
                if written is None and _unwrapped(field.get("type"))[2].endswith("!"):
                    return None
                if written is not None:
                    fields.append(written)
            return f"{name}: {{{', '.join(fields)}}}"
        return None


def _operation(kind: str, path: str, field: dict[str, Any], types: Types) -> Route | None:
    """The route of one field of the query or mutation type, or None where it cannot be called."""
    name = str(field.get("name") or "")
    if not name or name.startswith("__"):
        return None
    call = _Call(types)
    arguments = []
    for arg in field.get("args") or []:
        written = call.argument(arg)
        if written is None and _unwrapped(arg.get("type"))[2].endswith("!"):
            return None
        if written is not None:
            arguments.append(written)
    result, base, _ = _unwrapped(field.get("type"))
    shown = [f["name"] for f in (types.get(base) or {}).get("fields") or []
             if _unwrapped(f.get("type"))[0] in ("SCALAR", "ENUM")][:MAX_SELECTED]
    selection = "" if result in ("SCALAR", "ENUM") else " { " + (" ".join(shown) or "__typename") + " }"
    written_call = f"{name}({', '.join(arguments)})" if arguments else name
    head = f"{kind}({', '.join(call.variables)})" if call.variables else kind
    return Route("POST", f"{path}#{name}", call.params, "graphql", framework="graphql",
                 graphql=f"{head} {{ {written_call}{selection} }}")


def routes_from_schema(path: str, schema: dict[str, Any], allow_destructive: bool = False) -> list[Route]:
    """A route per field of the query type and of the mutation type (see the module's docstring)."""
    types: Types = {t.get("name"): t for t in schema.get("types") or [] if isinstance(t, dict)}
    routes: list[Route] = []
    for kind in ("query", "mutation"):
        root = types.get((schema.get(f"{kind}Type") or {}).get("name"))
        for field in (root or {}).get("fields") or []:
            if kind == "mutation" and changes_existing(str(field.get("name") or "")) and not allow_destructive:
                continue
            route = _operation(kind, path, field, types)
            if route is not None:
                routes.append(route)
    return routes


def graphql_routes(client: SafeClient, paths: list[str]) -> list[Route]:
    """The operations of the first of `paths` (those the code names) that answers an introspection."""
    for path in paths:
        ex = client.send("POST", client.url_for(path), json_body={"query": INTROSPECTION})
        try:
            schema = json.loads(ex.text)["data"]["__schema"]
        except (ValueError, KeyError, TypeError):
            continue
        if isinstance(schema, dict):
            return routes_from_schema(path, schema, client.limits.allow_destructive)
    return []

"""Routes from an OpenAPI (3.x) or Swagger (2.0) document served by the app at a usual path."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlsplit

from auditor.probe.interface import Param, Route
from auditor.probe.routes.common import add_param, template
from auditor.probe.safety import SafeClient

USUAL_PATHS = ("/openapi.json", "/swagger.json", "/v3/api-docs", "/api/openapi.json", "/docs/openapi.json",
               "/swagger/v1/swagger.json", "/api-docs", "/v2/api-docs")
_METHODS = ("get", "post", "put", "patch", "delete")


def _resolved(doc: dict[str, Any], schema: Any, depth: int = 0) -> dict[str, Any]:
    """A schema with its `$ref` followed (to a bounded depth)."""
    while isinstance(schema, dict) and isinstance(schema.get("$ref"), str) and schema["$ref"].startswith("#/") \
            and depth < 8:
        node: Any = doc
        for part in schema["$ref"][2:].split("/"):
            node = node.get(part, {}) if isinstance(node, dict) else {}
        schema, depth = node, depth + 1
    return schema if isinstance(schema, dict) else {}


def _schema_props(doc: dict[str, Any], schema: Any, depth: int = 0) -> dict[str, Any]:
    """The properties of an object schema (and of each schema it combines), by name."""
    schema = _resolved(doc, schema)
    if depth > 4:
        return {}
    for combo in ("allOf", "oneOf", "anyOf"):
        if isinstance(schema.get(combo), list):
            return {k: v for s in schema[combo] for k, v in _schema_props(doc, s, depth + 1).items()}
    props = schema.get("properties")
    return props if isinstance(props, dict) else {}


def _shape(doc: dict[str, Any], schema: Any, depth: int = 0) -> str:
    """Param.shape of a property by its declared type: `1`, `true`, a list or an object."""
    schema = _resolved(doc, schema)
    kind = schema.get("type")
    alternatives = next((schema[c] for c in ("anyOf", "oneOf") if isinstance(schema.get(c), list)), None)
    if alternatives and depth < 4:
        # `Optional[int]` (FastAPI: anyOf integer, null): null, the value a client leaves it at;
        # else the first alternative's shape
        if any(isinstance(a, dict) and a.get("type") == "null" for a in alternatives):
            return "null"
        return _shape(doc, alternatives[0], depth + 1)
    if kind in ("integer", "number"):
        return "1"
    if kind == "boolean":
        return "true"
    if kind == "array":
        return "[" + (_shape(doc, schema.get("items"), depth + 1) or '"1"') + "]"
    props = _schema_props(doc, schema)
    if props and depth < 2:
        return "{" + ", ".join(f"{json.dumps(k)}: {_shape(doc, v, depth + 1) or json.dumps('1')}"
                               for k, v in props.items()) + "}"
    return ""


def parse_openapi(doc: dict[str, Any]) -> list[Route]:
    routes: list[Route] = []
    prefix = ""
    if isinstance(doc.get("basePath"), str):
        prefix = doc["basePath"].rstrip("/")
    elif isinstance(servers := doc.get("servers"), list) and servers and isinstance(servers[0], dict):
        # OpenAPI 3: the first server's URL path (`http://dvws.local/api`, or `/api` alone) is the base
        prefix = urlsplit(str(servers[0].get("url") or "")).path.rstrip("/")
        prefix = "" if "{" in prefix else prefix
    for path, item in (doc.get("paths") or {}).items():
        if not isinstance(item, dict):
            continue
        shared = item.get("parameters") or []
        for method in _METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            full, _ = template(prefix + path)
            params: list[Param] = []
            for p in [*shared, *(op.get("parameters") or [])]:
                if not isinstance(p, dict):
                    continue
                loc = {"query": "query", "path": "path", "header": "header", "cookie": "cookie",
                       "formData": "form", "body": "json"}.get(p.get("in", ""))
                if loc == "json":
                    for k, v in _schema_props(doc, p.get("schema")).items():
                        add_param(params, k, "json", _shape(doc, v))
                elif loc and p.get("name"):
                    add_param(params, str(p["name"]), loc)
            content = ((op.get("requestBody") or {}).get("content") or {}) if isinstance(op.get("requestBody"), dict) else {}
            for mime, body in content.items():
                loc = "json" if "json" in mime else "form" if "form" in mime else None
                if loc and isinstance(body, dict):
                    for k, v in _schema_props(doc, body.get("schema")).items():
                        add_param(params, k, loc, _shape(doc, v))
            routes.append(Route(method.upper(), full, params, "openapi"))
    return routes


def fetch_openapi(client: SafeClient, declared: list[str] | None = None) -> list[Route]:
    """The first OpenAPI document found at a path the code declares or a usual one, as routes."""
    for path in dict.fromkeys([*(declared or []), *USUAL_PATHS]):
        ex = client.send("GET", client.url_for(path))
        if ex.status == 200 and ex.text.lstrip().startswith("{"):
            try:
                doc = json.loads(ex.text)
            except ValueError:
                continue
            if isinstance(doc, dict) and ("openapi" in doc or "swagger" in doc) and isinstance(doc.get("paths"), dict):
                return parse_openapi(doc)
    return []


# What a project that serves an OpenAPI document has in its code, manifests or settings: a
# framework or library that generates one, or the document itself.
# (A name starts a word: "redoc" is no sign inside "ownerDocument".)
OPENAPI_SIGNS = re.compile(
    rb"(?<![a-z])(?:openapi|swagger|swashbuckle|nswag|api-?docs|apispec|springdoc|spectacular|yasg|flasgger|"
    rb"fastapi|ninja|litestar|starlite|apiflask|spectree|quart.?schema|rswag|restx|restplus|connexion|"
    rb"smorest|tsoa|redoc)", re.I)
SIGN_SUFFIXES = (".py", ".js", ".mjs", ".cjs", ".ts", ".java", ".kt", ".rb", ".go", ".php", ".cs", ".json",
                 ".yaml", ".yml", ".toml", ".txt", ".xml", ".gradle", ".kts", ".cfg", ".ini", ".lock", ".csproj")
SIGN_NAMES = ("Gemfile", "Pipfile")


# Where the code says its document is served: NestJS's `SwaggerModule.setup('api', app, doc)`
# serves it at /api-json; FastAPI's `FastAPI(openapi_url="/v1/openapi.json")`.
_NEST_SETUP = re.compile(r"""SwaggerModule\.setup\(\s*['"`]/?([^'"`]*)['"`]""")
_OPENAPI_URL = re.compile(r"""\bopenapi_url\s*=\s*['"](/[^'"]*)['"]""")


DECLARING_SUFFIXES = (".ts", ".js", ".py")


# A route of the code that serves the document itself (`app.get('/openAPI-spec.json', ...)`).
DOCUMENT_PATH = re.compile(r"/[^/]*(?:openapi|swagger|api-?docs)[^/]*(?:\.json|-json)$", re.I)


def documents_in(code: str) -> list[str]:
    """Paths of an OpenAPI document a source file says its app serves."""
    return [f"/{m.strip('/')}-json" for m in _NEST_SETUP.findall(code)] + _OPENAPI_URL.findall(code)

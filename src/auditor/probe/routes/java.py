"""Spring MVC routes: `@GetMapping`/`@PostMapping`/`@RequestMapping` on methods under a class-level
`@RequestMapping` prefix; inputs from `@RequestParam`, `@PathVariable`, `@RequestHeader`,
`@CookieValue` and `@RequestBody` (a class in the same file gives its field names as JSON keys)."""

from __future__ import annotations

import re

from auditor.probe.interface import Param, Route
from auditor.probe.routes.common import add_param, join_path, template

_MAPPING = re.compile(r"@(Get|Post|Put|Patch|Delete|Request)Mapping\s*(?:\(([^)]*)\))?")
_PATH_ARG = re.compile(r"""(?:(?:value|path)\s*=\s*)?\{?\s*"([^"]*)\"""")
_ANNOTATED = re.compile(r"@(RequestParam|PathVariable|RequestHeader|CookieValue|RequestBody|ModelAttribute)"
                        r"\s*(?:\(([^)]*)\))?\s*(?:final\s+)?([\w<>\[\], ?]+?)\s+(\w+)\s*[,)]")
_LOCATION = {"RequestParam": "query", "PathVariable": "path", "RequestHeader": "header",
             "CookieValue": "cookie", "ModelAttribute": "form"}


def _fields(source: str, cls: str) -> list[str]:
    m = re.search(rf"\b(?:class|record)\s+{re.escape(cls)}\b\s*(\([^)]*\))?[^{{]*\{{(.*?)\}}", source, re.S)
    if not m:
        return []
    if m.group(1):
        return re.findall(r"\b\w+\s+(\w+)\s*(?:,|\))", m.group(1) + ")")
    return re.findall(r"(?:private|public|protected)\s+[\w<>, ]+\s+(\w+)\s*(?:=|;)", m.group(2))


def spring_routes(rel: str, source: str) -> list[Route]:
    class_at = source.find(" class ")
    prefix = ""
    for m in _MAPPING.finditer(source):
        if m.start() < class_at and m.group(1) == "Request":
            p = _PATH_ARG.search(m.group(2) or "")
            prefix = p.group(1) if p else ""
    routes: list[Route] = []
    for m in _MAPPING.finditer(source):
        if m.start() < class_at:
            continue
        args = m.group(2) or ""
        p = _PATH_ARG.search(args)
        path = p.group(1) if p else ""
        if m.group(1) == "Request":
            methods = re.findall(r"RequestMethod\.(\w+)", args) or ["GET"]
        else:
            methods = [m.group(1).upper()]
        sig_end = source.find("{", m.end())
        signature = source[m.end():sig_end if sig_end > 0 else None]
        full, names = template(join_path(prefix, path))
        params = [Param(n, "path") for n in names]
        for a in _ANNOTATED.finditer(signature):
            kind, opts, typ, var = a.groups()
            named = re.search(r"""(?:name|value)\s*=\s*"([^"]+)"|^\s*"([^"]+)\"""", opts or "")
            wire = (named.group(1) or named.group(2)) if named else var
            if kind == "RequestBody":
                for f in _fields(source, typ.strip()) or [var]:
                    add_param(params, f, "json")
            elif kind != "PathVariable":
                add_param(params, wire, _LOCATION[kind])
        line = source.count("\n", 0, m.start()) + 1
        routes += [Route(meth.upper(), full, list(params), "code", rel, line, "spring-boot", "java")
                   for meth in methods]
    return routes

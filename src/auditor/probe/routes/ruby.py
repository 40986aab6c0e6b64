"""Rails routes from config/routes.rb (`get 'path', to: 'c#a'`, `post 'x' => 'c#a'`,
`resources :items`), with inputs from `params[:name]` in the controller action."""

from __future__ import annotations

import re
from pathlib import Path

from auditor.probe.interface import Param, Route
from auditor.probe.routes.common import add_param, template

_VERB = re.compile(r"""^\s*(get|post|put|patch|delete|match)\s+['"]([^'"]+)['"]\s*(?:,\s*to:\s*|=>\s*)?['"]?(\w+)?#?(\w+)?""", re.M)
_RESOURCES = re.compile(r"^\s*resources?\s+:(\w+)(.*)$", re.M)
_PARAM = re.compile(r"""params(?:\.require\(:\w+\)\.permit\(([^)]*)\)|\[:(\w+)\]|\.fetch\(:(\w+))""")
_HEADER = re.compile(r"""request\.headers\[['"]([^'"]+)['"]\]""")
_COOKIE = re.compile(r"""cookies\[:?['"]?(\w+)['"]?\]""")


def _action_inputs(root: Path, controller: str, action: str, method: str) -> tuple[list[Param], str]:
    path = root / "app" / "controllers" / f"{controller}_controller.rb"
    if not path.is_file():
        return [], ""
    source = path.read_text(encoding="utf-8", errors="replace")
    m = re.search(rf"^\s*def\s+{re.escape(action)}\b(.*?)^\s*end\b", source, re.M | re.S)
    body = m.group(1) if m else ""
    loc = "query" if method == "GET" else "form"
    params: list[Param] = []
    for p in _PARAM.finditer(body):
        names = re.findall(r":(\w+)", p.group(1)) if p.group(1) else [p.group(2) or p.group(3)]
        for n in names:
            add_param(params, n, loc)
    for h in _HEADER.finditer(body):
        add_param(params, h.group(1), "header")
    for c in _COOKIE.finditer(body):
        add_param(params, c.group(1), "cookie")
    return params, path.relative_to(root).as_posix()


def rails_routes(root: Path, rel: str, source: str) -> list[Route]:
    routes: list[Route] = []
    for m in _VERB.finditer(source):
        verb, path, controller, action = m.groups()
        methods = ["GET", "POST"] if verb == "match" else [verb.upper()]
        for method in methods:
            full, names = template("/" + path.lstrip("/"))
            params, file = _action_inputs(root, controller or "", action or "", method) if controller else ([], "")
            routes.append(Route(method, full, [Param(n, "path") for n in names] + params, "code",
                                file or rel, source.count("\n", 0, m.start()) + 1, "rails", "ruby"))
    for m in _RESOURCES.finditer(source):
        name, opts = m.groups()
        only = re.findall(r":(\w+)", opts.split("only:")[1]) if "only:" in opts else ["index", "show", "create"]
        for action, method, path in (("index", "GET", f"/{name}"), ("show", "GET", f"/{name}/{{id}}"),
                                     ("create", "POST", f"/{name}")):
            if action in only:
                params, file = _action_inputs(root, name, action, method)
                extra = [Param("id", "path")] if "{id}" in path else []
                routes.append(Route(method, path, extra + params, "code", file or rel,
                                    source.count("\n", 0, m.start()) + 1, "rails", "ruby"))
    return routes

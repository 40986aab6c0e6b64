"""Rails routes from config/routes.rb, read line by line with a stack of scopes:
`get 'path' => 'c#a'` / `to:` / `via:`, `match`, `root`, `resources` and `resource` (the
standard actions, `only:` / `except:`, `param:`), nested resources, `member` and `collection`
blocks, `namespace` and `scope` prefixes. Optional segments `(...)` are dropped (the shortest
path). Inputs come from `params[:name]`, headers and cookies in the controller action."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from auditor.probe.interface import Param, Route
from auditor.probe.routes.common import add_param, join_path, template

_PARAM = re.compile(r"""params(?:\.require\(:\w+\)\.permit\(([^)]*)\)|\[:(\w+)\]|\.fetch\(:(\w+))""")
_HEADER = re.compile(r"""request\.headers\[['"]([^'"]+)['"]\]""")
_COOKIE = re.compile(r"""cookies\[:?['"]?(\w+)['"]?\]""")
_VERB = re.compile(r"""^(get|post|put|patch|delete|match)\s*\(?\s*(?:['"]([^'"]*)['"]|:(\w+))(.*)$""")
_TARGET = re.compile(r"""(?:=>|\bto:)\s*['"]([\w/]+)#(\w+)['"]""")
_RESOURCES = re.compile(r"^(resources|resource)\s*\(?\s*((?::\w+\s*,?\s*)+)(.*)$")
_BLOCK = re.compile(r"\bdo(?:\s*\|[^|]*\|)?\s*$")
# action -> (method, path under the collection; {id} for a member)
_PLURAL = {"index": ("GET", ""), "new": ("GET", "new"), "create": ("POST", ""), "show": ("GET", "{id}"),
           "edit": ("GET", "{id}/edit"), "update": ("PATCH", "{id}"), "destroy": ("DELETE", "{id}")}
_SINGULAR = {"new": ("GET", "new"), "create": ("POST", ""), "show": ("GET", ""), "edit": ("GET", "edit"),
             "update": ("PATCH", ""), "destroy": ("DELETE", "")}


@dataclass
class _Scope:
    path: str = ""  # URL prefix for verbs in this block
    module: str = ""  # controller folder (namespace)
    controller: str = ""  # the resource's controller, for `post :approve` in its block
    member_path: str = ""  # for a resources block: where `member do` routes go
    collection_path: str = ""


def _action_inputs(root: Path, controller: str, action: str, method: str) -> tuple[list[Param], str]:
    path = root / "app" / "controllers" / f"{controller}_controller.rb"
    if not controller or not path.is_file():
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


def _symbols(opts: str, key: str) -> list[str] | None:
    """`only: [:a, :b]`, `only: %i[a b]`, `:only => :a` as names; None when absent."""
    m = re.search(rf"(?:\b{key}:|:{key}\s*=>)\s*(\[[^\]]*\]|%[iw]\[[^\]]*\]|:\w+|['\"]\w+['\"])", opts)
    if not m:
        return None
    return re.findall(r"\w+", re.sub(r"^%[iw]", "", m.group(1)))


def _option(opts: str, key: str) -> str | None:
    m = re.search(rf"(?:\b{key}:|:{key}\s*=>)\s*:?['\"]?([\w/]+)", opts)
    return m.group(1) if m else None


def _clean(path: str) -> str:
    while re.search(r"\([^()]*\)", path):
        path = re.sub(r"\([^()]*\)", "", path)
    return path


def _logical_lines(source: str) -> list[tuple[int, str]]:
    """Stripped lines without comments, a line ending in `,` or `\\` joined to the next."""
    out: list[tuple[int, str]] = []
    pending, start = "", 0
    for i, raw in enumerate(source.splitlines(), 1):
        line = re.sub(r"\s+#(?![{]).*$|^\s*#.*$", "", raw).strip()
        if not pending:
            start = i
        pending = f"{pending} {line}".strip()
        if pending.endswith((",", "\\")):
            pending = pending.rstrip("\\")
            continue
        if pending:
            out.append((start, pending))
        pending = ""
    if pending:
        out.append((start, pending))
    return out


def rails_routes(root: Path, rel: str, source: str) -> list[Route]:
    routes: list[Route] = []
    stack: list[_Scope] = [_Scope()]

    def add(method: str, path: str, controller: str, action: str, line: int) -> None:
        full, names = template(_clean(path) or "/")
        if full != "/":
            full = full.rstrip("/")
        params, file = _action_inputs(root, controller, action, method)
        routes.append(Route(method, full, [Param(n, "path") for n in names] + params, "code", file or rel,
                            line, "rails", "ruby"))

    for line_no, line in _logical_lines(source):
        scope = stack[-1]
        opens = bool(_BLOCK.search(line))
        body = _BLOCK.sub("", line).strip()
        if body == "end":
            if len(stack) > 1:
                stack.pop()
            continue
        new_scope = _Scope(scope.path, scope.module, scope.controller)
        if m := re.match(r"root\b\s*\(?\s*(?:to:\s*)?['\"]([\w/]+)#(\w+)['\"]", body):
            add("GET", scope.path or "/", _qualified(scope.module, m.group(1)), m.group(2), line_no)
        elif m := re.match(r"namespace\s*\(?\s*:(\w+)(.*)$", body):
            name = m.group(1)
            new_scope = _Scope(join_path(scope.path, _option(m.group(2), "path") or name),
                               f"{scope.module}/{name}".strip("/"))
        elif m := re.match(r"scope\s*\(?\s*(?:['\"]([^'\"]*)['\"]|path:\s*['\"]([^'\"]*)['\"])?(.*)$", body):
            prefix = m.group(1) or m.group(2) or ""
            module = _option(m.group(3), "module")
            new_scope = _Scope(join_path(scope.path, prefix) if prefix else scope.path,
                               f"{scope.module}/{module}".strip("/") if module else scope.module, scope.controller)
        elif body in ("member", "collection"):
            new_scope = _Scope(scope.member_path if body == "member" else scope.collection_path, scope.module,
                               scope.controller)
        elif m := _RESOURCES.match(body):
            kind, names, opts = m.group(1), re.findall(r":(\w+)", m.group(2)), m.group(3)
            for name in names:
                table = _PLURAL if kind == "resources" else _SINGULAR
                only, exc = _symbols(opts, "only"), _symbols(opts, "except")
                actions = [a for a in table if (only is None or a in only) and a not in (exc or [])]
                base = join_path(scope.path, _option(opts, "path") or name)
                controller = _qualified(scope.module, _option(opts, "controller") or
                                        (name if kind == "resources" else name + "s"))
                ident = _option(opts, "param") or "id"
                for action in actions:
                    method, tail = table[action]
                    # Rails routes `update` for both PATCH and PUT.
                    for verb in (method, "PUT") if action == "update" else (method,):
                        add(verb, join_path(base, tail.replace("{id}", "{" + ident + "}")) if tail else base,
                            controller, action, line_no)
                single = re.sub(r"(?<=[^s])s$|ies$", lambda x: "y" if x.group(0) == "ies" else "", name)
                member = join_path(base, "{" + ident + "}") if kind == "resources" else base
                nested = join_path(base, "{" + single + "_id}") if kind == "resources" else base
                new_scope = _Scope(nested, scope.module, controller, member, base)
        elif m := _VERB.match(body):
            verb, path, symbol, opts = m.groups()
            target = _TARGET.search(opts)
            via = _symbols(opts, "via")
            methods = [verb.upper()] if verb != "match" and not via else \
                (["GET", "POST"] if not via or "all" in via else [v.upper() for v in via])
            if via and "all" in via:
                methods = ["GET", "POST"]
            raw = path if path is not None else symbol
            controller = _qualified(scope.module, target.group(1)) if target else scope.controller
            action = target.group(2) if target else (_option(opts, "action") or (symbol or raw.strip("/")))
            for method in methods:
                add(method, join_path(scope.path, raw) if raw.strip("/") else scope.path or "/", controller,
                    action, line_no)
        if opens:
            stack.append(new_scope)
    return routes


def _qualified(module: str, controller: str) -> str:
    return controller if "/" in controller or not module else f"{module}/{controller}"

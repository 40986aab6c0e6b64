"""Small tree helpers shared by the route readers (the scanner's tree modules are its own)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import SplitResult, urljoin, urlsplit

from tree_sitter import Node

from auditor.probe.csrf import is_token_field
from auditor.probe.interface import Param, Route


def text(node: Node | None) -> str:
    return "" if node is None or node.text is None else node.text.decode("utf-8", "replace")


def walk(node: Node) -> Iterator[Node]:
    """`node` and its descendants in source order, by a tree cursor (no child lists built)."""
    cursor = node.walk()
    depth = 0
    while True:
        yield cursor.node  # type: ignore[misc]
        if cursor.goto_first_child():
            depth += 1
            continue
        while depth > 0 and not cursor.goto_next_sibling():
            cursor.goto_parent()
            depth -= 1
        if depth == 0:
            return


_PREFIX = re.compile(r"^[rRbBuUfF]{0,2}")


def string_value(node: Node | None) -> str | None:
    """The value of a plain string literal (Python, JS, Java, Ruby), else None."""
    if node is None:
        return None
    if node.type in ("string", "string_literal", "template_string", "simple_symbol", "symbol"):
        raw = text(node)
        if node.type in ("simple_symbol", "symbol"):
            return raw.lstrip(":")
        if node.type == "template_string" and "${" in raw:
            return None
        body = _PREFIX.sub("", raw)
        for q in ('"""', "'''", '"', "'", "`"):
            if body.startswith(q) and body.endswith(q) and len(body) >= 2 * len(q):
                return body[len(q):-len(q)]
    return None


def template_regex(path: str, trailing_slash: bool = False) -> re.Pattern[str]:
    """The paths a template (`/tasks/{id}`) stands for: each placeholder one segment (and an
    optional final slash where asked)."""
    return re.compile(re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(path)) + ("/?" if trailing_slash else ""))


def with_inherited(own: dict[str, tuple[list[str], str]]) -> dict[str, list[str]]:
    """Each class's fields with its ancestors' first, from (own fields, parent's name) per class."""
    out: dict[str, list[str]] = {}
    for name in own:
        fields: list[str] = []
        seen: set[str] = set()
        cls = name
        while cls in own and cls not in seen:
            seen.add(cls)
            fields = own[cls][0] + [f for f in fields if f not in own[cls][0]]
            cls = own[cls][1]
        out[name] = fields
    return out


def add_input(params: list[Param], found: Param) -> None:
    """Add an input a handler's code reads, once, as read (its example and decoding kept)."""
    if all((p.name, p.location) != (found.name, found.location) for p in params):
        params.append(found)


def add_param(params: list[Param], name: str, location: str, shape: str = "") -> None:
    """Add an input once; `shape` is a JSON input's value by its declared type (Param.shape)."""
    if name and all((p.name, p.location) != (name, location) for p in params):
        params.append(Param(name, location, shape=shape if location == "json" else ""))


# The path of a view registered under computed rules: whatever the crawl finds under its prefix.
ANY_PATH = "{*}"
# The page an app answers for a path no route matches, where its own not-found handler reads the
# request (`@app.errorhandler(404)` echoing `request.url`): a route of its own, whose one path
# segment is an input like any other.
NOT_FOUND_PATH = "/auditor-no-such-page/{page}"


def join_path(prefix: str, path: str) -> str:
    if not prefix:
        return path if path.startswith("/") else "/" + path
    return "/" + "/".join(s for s in (prefix.strip("/"), path.strip("/")) if s) + ("/" if path.endswith("/") and path.strip("/") else "")


_BRACED = re.compile(r"<(?:[^:<>]+:)?([A-Za-z_]\w*)>|:([A-Za-z_]\w*)|\{([A-Za-z_]\w*)(?::[^}]*)?\}|\[([A-Za-z_]\w*)\]")


def template(path: str) -> tuple[str, list[str]]:
    """A framework's path syntax (`<int:id>`, `:id`, `{id}`, `[id]`) as `{id}`, and the names."""
    names: list[str] = []

    def repl(m: re.Match[str]) -> str:
        name = next(g for g in m.groups() if g)
        names.append(name)
        return "{" + name + "}"

    return _BRACED.sub(repl, path), names


# A path segment that ends the session: /logout, /auth/sign-out, /account/logoff.json,
# /session/end. Requested with a logged-in identity, it would log out every later request.
_SIGN_OUT = re.compile(r"(?:^|/)(?:log[-_]?out|log[-_]?off|sign[-_]?out|sign[-_]?off|end[-_]?session|"
                       r"exit[-_]?session|session/(?:end|destroy|exit))(?:[./]|$)", re.I)


# Folders of dependencies, builds and tooling: none of them is the app's own code.
SKIPPED_DIRS = frozenset({"node_modules", ".git", ".venv", "venv", "__pycache__", ".tox", "dist", "build", "target"})


def project_files(project: Path, suffixes: tuple[str, ...]) -> Iterator[tuple[str, str]]:
    """(name, path) of the project's own files with one of `suffixes` ("" for all), outside
    dependency and build folders, minified libraries left out."""
    for folder, dirs, files in os.walk(project):
        dirs[:] = [d for d in dirs if d not in SKIPPED_DIRS]
        for name in files:
            if name.endswith(suffixes) and not name.endswith((".min.js", ".min.css")):
                yield name, os.path.join(folder, name)


def same_origin(ref: str, base: str) -> SplitResult | None:
    """`ref` (a link, a redirect, a path in a page) resolved against the http(s) URL `base`, when
    it stays on base's scheme, host and port; else None."""
    parts, origin = urlsplit(urljoin(base, ref)), urlsplit(base)
    return parts if parts.scheme in ("http", "https") and (parts.scheme, parts.netloc) == (origin.scheme, origin.netloc) \
        else None


def signs_out(path: str) -> bool:
    """Whether a URL path (or template) looks like a sign-out link."""
    return bool(_SIGN_OUT.search(path.split("?", 1)[0]))


# A login route: its path, its password and user inputs, and paths that create or change an account.
LOGIN_PATH = re.compile(r"log-?in|sign-?in|auth|session|token", re.I)
PASSWORD = re.compile(r"pass(?:word)?|pwd|secret", re.I)
USER = re.compile(r"user|email|login|name|account", re.I)
# OAuth2's password-grant form (FastAPI's OAuth2PasswordRequestForm: username, password, scope,
# client_id, client_secret): the client's secret is no second password of the user's.
OAUTH_CLIENT = re.compile(r"client_?(?:id|secret)$", re.I)
# (POST to a users collection, `/api/v2/users`, creates an account: a user name and a password there
# are a sign-up's)
NOT_LOGIN = re.compile(r"regist|sign-?up|reset|change|forgot|new|create|invite|/(?:users?|accounts?|members?)/?$", re.I)
# Paths that create or recover an account even where they also say "auth" (/auth/register,
# /auth/reset_password); "create" is left out here: /auth/jwt/create is a login (Djoser).
ACCOUNT_FORM = re.compile(r"regist|sign-?up|reset|forgot|change|invite|join", re.I)


def login_fields(route: Route, any_kind: bool = False) -> tuple[Param, Param | None] | None:
    """(password, user) inputs of a login route: one whose path says log in, or a form of just a
    user name and a password at any path that does not say it creates or changes an account. A
    POST form or JSON body; with `any_kind` (the login burst), also a query that signs in
    (`GET /login?user=&password=`, a FastAPI POST's plain parameters) and a GraphQL operation
    (`login(username, password)`), which the sign-in and sign-up helpers do not send."""
    if route.graphql and not any_kind:
        return None
    where = ("form", "json", *(("query",) if any_kind else ())) if route.method == "POST" else \
        ("query",) if route.method == "GET" and any_kind else ()
    pw = next((p for p in route.params if PASSWORD.search(p.name) and p.location in where), None)
    if pw is None:
        return None
    user = next((p for p in route.params if p is not pw and USER.search(p.name) and p.location == pw.location), None)
    if sum(1 for p in route.params if PASSWORD.search(p.name) and p.location == pw.location
           and not OAUTH_CLIENT.match(p.name)) > 1:
        return None  # a password and its confirmation: a sign-up or change form
    if ACCOUNT_FORM.search(route.path):
        return None
    if LOGIN_PATH.search(route.path):
        return pw, user
    # a form's hidden anti-CSRF token is no field of the user's (`_csrf_token`, `csrfmiddlewaretoken`)
    body = [p for p in route.params if p.location == pw.location and not is_token_field(p.name)]
    if user is not None and len(body) == 2 and not NOT_LOGIN.search(route.path):
        return pw, user
    return None

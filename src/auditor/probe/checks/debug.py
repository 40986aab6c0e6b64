"""Debug pages and stack traces: an interactive debugger, a framework's debug error page or a
raw stack trace in a response, including one to a random path that cannot exist. A debugger
that only shows on an unhandled error (Werkzeug's, under Flask's `debug=True`) stays hidden in an
app no input makes fail; its interactive console, served at a fixed path while it is on, does not:
where nothing showed, a Python server's console path is asked once, and a GraphQL endpoint a
query that does not parse. A GraphQL schema answered to a visitor's introspection, and a GraphQL
IDE's page served to one, are reported too (low), and answers that hand out a database URL with
its password."""

from __future__ import annotations

import re
from collections.abc import Callable

from auditor.probe.checks.canary import token
from auditor.probe.interface import Confirmation, Exchange, ProbeContext, Route, Sender, SiteCheck

SIGNS = re.compile(
    r"Werkzeug Debugger|__debugger__|You're seeing this error because you have <code>DEBUG = True|"
    r"Using the URLconf defined in|Traceback \(most recent call last\)|"
    # a Node stack, as text or inside a JSON string (`"stack": "Error: x\\n    at f (/app/x.js:1:2)"`)
    r"(?:\n|\\n)\s+at [\w.<>]+ \((?:/|file:|node:)[^)]*:\d+:\d+\)|Whitelabel Error Page.*?trace|"
    # a stack as a JSON list of lines (a GraphQL server's `extensions.exception.stacktrace`)
    r"\"\s+at [\w.<>]+ \((?:/|file:|node:)[^)]*:\d+:\d+\)\"|"
    r"Action Controller: Exception caught|<title>Error</title>\s*</head>\s*<body>\s*<pre>\w*Error:",
    re.S)


# What turns each kind of debug output off, by what the output shows.
FIXES = (
    (re.compile(r"Werkzeug|__debugger__"), "turn Flask's debug mode off (debug=True, FLASK_DEBUG)"),
    (re.compile(r"DEBUG = True|URLconf"), "set DEBUG = False in Django's settings"),
    (re.compile(r"(?:\n|\\n|\")\s+at |<pre>\w*Error:"), "run Node with NODE_ENV=production (Express's error handler "
                                             "shows stacks otherwise) and answer errors without err.stack"),
    (re.compile(r"Action Controller"), "config.consider_all_requests_local = false"),
    (re.compile(r"Whitelabel"), "server.error.include-stacktrace=never"),
    (re.compile(r"Traceback"), "log tracebacks on the server, never return them"),
)


# The server's environment in an answer (`os.environ` served, a `/debug` or `/env` route): a PATH
# of two or more absolute folders beside a HOME or PWD that is one; the secrets it usually holds
# (database passwords, API keys) are in it too.
ENV_PATH = re.compile(r"""\bPATH["']?\s*[:=]\s*["']?(?:/[\w.-]+)+(?::(?:/[\w.-]+)+)+""")
ENV_HOME = re.compile(r"""\b(?:HOME|PWD)["']?\s*[:=]\s*["']?/""")


# A database or broker URL with its password (`postgres://admin:s3cret@db:5432/app`) in an answer: an
# error or debug field that hands out the connection the server uses.
CREDENTIALED_URL = re.compile(r"\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver|"
                              r"oracle)://[^\s:/@\"'<>]+:([^\s@/\"'<>]+)@[\w.-]+", re.I)


def fix_for(shown: str) -> str:
    return next((fix for sign, fix in FIXES if sign.search(shown)), "")


# The interactive console a framework's debugger serves while it is on, by server language
# (a GET only shows the console's page; running anything in it needs the debugger's PIN).
CONSOLES = {"python": "/console"}  # Werkzeug's DebuggedApplication(evalex=True): Flask's debug=True


class DebugPages(SiteCheck):
    name = "debug"

    def run(self, sender: Sender, ctx: ProbeContext, routes: list[Route]) -> list[Confirmation]:
        tok = token()
        ex = sender.request("GET", f"/{tok}")
        answers = [ex, *getattr(sender, "first_answers", {}).values(), *getattr(sender, "history", [])]
        found = _shown(answers)
        graphql = list(dict.fromkeys(r.path.split("#")[0] for r in routes if r.graphql))
        for path in graphql:  # a query that does not parse: a server in development answers its stack
            if found:
                break
            found = _shown([sender.request("POST", path, json_body={"query": "query {"})])
        for path in dict.fromkeys(CONSOLES[r.language] for r in routes if r.language in CONSOLES):
            if found:
                break
            found = _shown([sender.request("GET", path)])
        return found + _environment(answers) + _credentials(answers) + [c for path in graphql[:1] if (c := _introspection(sender, path))] + \
            _graphql_ide(sender, routes, bool(graphql))


def _shown(candidates: list[Exchange]) -> list[Confirmation]:
    for item in candidates:
        m = SIGNS.search(item.text)
        if m:
            fix = fix_for(m.group(0))
            return [Confirmation("security-misconfiguration", DebugPages.name,
                                 "debug output in a response: " + " ".join(m.group(0).split())[:60]
                                 + (f" (fix: {fix})" if fix else ""),
                                 item, m.group(0).strip()[:60], endpoint=_path(item.url), method=item.method,
                                 severity="medium")]
    return []


MAX_ENVIRONMENTS = 8


def _by_endpoint(candidates: list[Exchange],
                 judge: Callable[[Exchange, str], Confirmation | None]) -> list[Confirmation]:
    """`judge`'s finding for each endpoint (method and path) whose answer it reports, the first
    answer of each that does, at most MAX_ENVIRONMENTS: each route that hands such data out is a
    fix of its own (a stack trace, by contrast, is one setting for the whole app)."""
    found: dict[tuple[str, str], Confirmation] = {}
    for item in candidates:
        where = (item.method, _path(item.url))
        if where not in found and len(found) < MAX_ENVIRONMENTS and (hit := judge(item, where[1])) is not None:
            found[where] = hit
    return list(found.values())


def _environment(candidates: list[Exchange]) -> list[Confirmation]:
    """Each endpoint whose answer shows the server's environment."""
    def judge(item: Exchange, path: str) -> Confirmation | None:
        if item.status >= 400 or not (m := ENV_PATH.search(item.text)) or not ENV_HOME.search(item.text):
            return None
        return Confirmation("security-misconfiguration", DebugPages.name,
                            "the server's environment in a response (PATH, HOME...; the secrets it holds with it): "
                            "serve no os.environ / process.env", item, m.group(0)[:60], endpoint=path,
                            method=item.method, severity="high")

    return _by_endpoint(candidates, judge)


def _credentials(candidates: list[Exchange]) -> list[Confirmation]:
    """Each endpoint whose answer holds a database or broker URL with its password (a masked one,
    `****`, is no password handed out)."""
    def judge(item: Exchange, path: str) -> Confirmation | None:
        m = CREDENTIALED_URL.search(item.text)
        if not m or m.group(0) in item.request_body or re.fullmatch(r"[*x•.]+|\$\{?\w+\}?|<\w+>", m.group(1)):
            return None
        return Confirmation("security-misconfiguration", DebugPages.name,
                            "a database URL with its password in a response (answer errors without the connection "
                            "settings)", item, m.group(0)[:m.start(1) - m.start(0)], endpoint=path,
                            method=item.method, severity="high")

    return _by_endpoint(candidates, judge)


def _introspection(sender: Sender, path: str) -> Confirmation | None:
    """A GraphQL schema handed to a visitor: every type, field and argument of the API, the
    map an attacker would otherwise have to guess (discovery found the routes this way)."""
    from auditor.probe.routes.graphql import INTROSPECTION

    with sender.new_visitor():
        ex = sender.request("POST", path, json_body={"query": INTROSPECTION})
    if ex.status == 200 and '"__schema"' in ex.text and '"types"' in ex.text:
        return Confirmation("security-misconfiguration", DebugPages.name,
                            f"GraphQL introspection is open to visitors at {path}: the whole schema, every "
                            "operation and argument (turn introspection off outside development)", ex, "__schema",
                            endpoint=path, method="POST", severity="low")
    return None


# A GraphQL IDE's page (GraphiQL, Apollo's or Prisma's Playground, Altair, Voyager) by its markup.
IDE_PAGE = re.compile(r"graphiql|graphql[ -]playground|GraphQLPlayground|altair|graphql-voyager", re.I)
IDE_PATH = re.compile(r"graphiql|playground|altair|voyager|graphql", re.I)


def _graphql_ide(sender: Sender, routes: list[Route], has_graphql: bool) -> list[Confirmation]:
    """A GraphQL IDE served to a visitor (`/graphiql`, `/playground`): a console that runs any
    operation against the API from the app's own origin. Judged on the app's GET routes that name
    one, where the app serves GraphQL."""
    if not has_graphql:
        return []
    paths = list(dict.fromkeys(r.path for r in routes if r.method == "GET" and "{" not in r.path and
                               IDE_PATH.search(r.path)))
    for path in paths[:3]:
        with sender.new_visitor():
            ex = sender.request("GET", path, headers={"Accept": "text/html"})
        if ex.status == 200 and ex.is_html and (m := IDE_PAGE.search(ex.text)):
            return [Confirmation("security-misconfiguration", DebugPages.name,
                                 f"a GraphQL IDE is served to visitors at {path}: a console that runs any operation "
                                 "(turn it off outside development)", ex, m.group(0), endpoint=path, method="GET",
                                 severity="low")]
    return []


def _path(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).path or "/"

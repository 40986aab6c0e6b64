"""The probe run: inventory the routes, expand them into injection points, profile each point
with one harmless canary, run only the checks its answer leaves room for (all through the
safety layer), and collect confirmations. Interrupts and a spent budget end the run
early with what was found so far (`ProbeRun.partial` says why)."""

from __future__ import annotations

import copy
import dataclasses
import fnmatch
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit

from auditor.errors import AuditorError
from auditor.probe.callback import CallbackServer
from auditor.probe.checks.admin_pages import AdminPagesOpen
from auditor.probe.checks.claimed_privilege import ClaimedPrivilege
from auditor.probe.checks.code import CodeInjection
from auditor.probe.checks.command import CommandInjection
from auditor.probe.checks.cors import CorsReflection
from auditor.probe.checks.debug import DebugPages
from auditor.probe.checks.default_credentials import DefaultCredentials
from auditor.probe.checks.exposed_files import ExposedFiles
from auditor.probe.checks.headers import ResponseHygiene
from auditor.probe.checks.idor import Idor, LinkedObjects
from auditor.probe.checks.jwt import JwtForgery
from auditor.probe.checks.listed_objects import ListedObjects
from auditor.probe.checks.mass_assignment import MassAssignment
from auditor.probe.checks.nosql import NoSqlInjection, WhereInjection
from auditor.probe.checks.own_records import ExposedRecords, OwnRecords, fill_own_ids
from auditor.probe.checks.privileged_signup import PrivilegedSignup
from auditor.probe.checks.query_languages import QueryLanguageInjection
from auditor.probe.checks.ratelimit import LoginRateLimit
from auditor.probe.checks.redirect import OpenRedirect
from auditor.probe.checks.session import SessionForgery
from auditor.probe.checks.session_sql import SessionSql
from auditor.probe.checks.signed_session import SignedSessionForgery
from auditor.probe.checks.sql_code import handler_text
from auditor.probe.checks.sqli import SQL_ERRORS, SqlInjection
from auditor.probe.checks.ssrf import Ssrf
from auditor.probe.checks.traversal import PathTraversal, StaticFileTraversal
from auditor.probe.checks.updates import RecordUpdates
from auditor.probe.checks.upload import ActiveUpload
from auditor.probe.checks.wrong_password import WrongPassword
from auditor.probe.checks.xss import ReflectedXss
from auditor.probe.interface import (
    Confirmation,
    Exchange,
    InjectionPoint,
    Param,
    PointCheck,
    ProbeContext,
    Route,
    SiteCheck,
)
from auditor.probe.login import LoginRecipe, scrub, sign_in
from auditor.probe.profile import PointProfile, point_key, profile_pair
from auditor.probe.routes.common import signs_out
from auditor.probe.routes.signs import ProjectSigns, read_signs
from auditor.probe.safety import BudgetExhausted, Limits, SafeClient, SentRequest, destroys
from auditor.probe.sender import PointSender
from auditor.probe.static import StaticView, rank, scan_handlers

T = TypeVar("T")


def point_checks() -> list[PointCheck]:
    return [ReflectedXss(), OpenRedirect(), Ssrf(), CodeInjection(), CommandInjection(), PathTraversal(),
            SqlInjection(), NoSqlInjection(), WhereInjection(), QueryLanguageInjection()]


# Flaws where the value is run by an interpreter: a value is code for one of them at most, so once
# one is confirmed at a point the others are not sent there (the XPath/LDAP differentials, last
# in the order, cost up to 13 requests on a point already proven to reach SQL or a shell).
INTERPRETED = frozenset({"code-injection", "command-injection", "sql-injection", "xpath-injection"})
# Nor is path traversal judged where the value runs as a command or code: it reaches files there
# too (a shell that looks the canary's path up answers "Permission denied" where a missing path
# answers "not found"), which says nothing beyond the injection already shown.
RUNS_THE_VALUE = frozenset({"code-injection", "command-injection"})

# A route whose requests crashed a --start app twice, or went unanswered until the timeout four
# times, is left for the rest of the run: the restarts and the time go to the other routes. (A
# handler may answer nothing for its usual values and answer a payload: the baseline and the
# profile's two requests are allowed to time out.)
CRASHES_TO_LEAVE = 2
TIMEOUTS_TO_LEAVE = 4


def worn_out(client: SafeClient, route: tuple[str, str]) -> bool:
    """Whether `route` has crashed the app or gone unanswered often enough to be left: crashes
    count against the whole route where two of its inputs (or requests outside any input) caused
    them; one input that keeps crashing it is left on its own (`point_worn_out`), the others still
    probed (an UPDATE that fails on one input's payload, after the SELECT it was proven in)."""
    inputs = [_input(p) for r, p in zip(client.crashed_by, client.crashed_at, strict=True) if r == route]
    return (len(inputs) >= CRASHES_TO_LEAVE and (len(set(inputs)) > 1 or None in inputs)) or \
        client.timed_out_on.count(route) >= TIMEOUTS_TO_LEAVE


def _input(point: object) -> object:
    """A crash's input: its route and name, wherever it was sent (JSON or form: one input)."""
    return point[:3] if isinstance(point, tuple) else None


def point_worn_out(client: SafeClient, point: object) -> bool:
    """Whether the input of `point` (a point_key) has crashed the app CRASHES_TO_LEAVE times."""
    return point is not None and [_input(p) for p in client.crashed_at].count(_input(point)) >= CRASHES_TO_LEAVE


def site_checks() -> list[SiteCheck]:
    # The sign-up check logs accounts in: before the login burst, which may lock the login out.
    return [CorsReflection(), DebugPages(), JwtForgery(), SessionSql(), SessionForgery(), SignedSessionForgery(), PrivilegedSignup(),
            DefaultCredentials(), WrongPassword(), LoginRateLimit(), Idor(), LinkedObjects(), ListedObjects(),
            OwnRecords(), ExposedRecords(), AdminPagesOpen(), ClaimedPrivilege(), MassAssignment(), ActiveUpload(),
            StaticFileTraversal(), ExposedFiles(), ResponseHygiene(), RecordUpdates()]


@dataclass
class ProbeConfig:
    base_url: str
    project: Path
    limits: Limits = field(default_factory=Limits)
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    crawl: bool = True
    openapi: bool = True
    identities: list[tuple[str, dict[str, str]]] = field(default_factory=list)  # (name, headers); first is used
    traversal_targets: list[tuple[str, str]] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)  # check names to run; empty = all
    logins: list[LoginRecipe] = field(default_factory=list)  # identities from logging in (--login)
    # With no identity given: sign up two throwaway accounts where the app offers sign-up and a
    # login, and probe as them (probe/signup.py). The CLI turns it on; --no-signup turns it off.
    signup: bool = False
    revive: Callable[[], bool] | None = None  # --start: start the app again if an input crashed it


@dataclass
class ProbeRun:
    base_url: str
    routes: list[Route] = field(default_factory=list)
    points: int = 0
    confirmations: list[Confirmation] = field(default_factory=list)
    requests: list[SentRequest] = field(default_factory=list)
    seconds: float = 0.0
    partial: str = ""  # why the run ended early: interrupted, budget
    errors: list[str] = field(default_factory=list)  # checks that failed on this app (skipped, not fatal)


# Files a web server hands out as they are: scripts, styles, images, fonts, media, source maps.
STATIC_SUFFIX = re.compile(r"\.(?:js|mjs|css|map|png|jpe?g|gif|svg|ico|webp|avif|bmp|woff2?|ttf|otf|eot|"
                           r"mp[34]|webm|ogg|wav)$", re.I)


def static_asset(route: Route) -> bool:
    """A script, style or image that only the crawl found (no code or API document declares
    it) and that takes no input of its own: at most headers the page's JavaScript sets for its
    API calls, which a static file handler never reads. Its crawl request already showed its
    answer; it gets no injection points, no sweep and no site checks."""
    return route.source == "crawl" and route.method in ("GET", "HEAD") and bool(STATIC_SUFFIX.search(route.path)) \
        and all(p.location == "header" for p in route.params)


def object_templates(routes: list[Route]) -> list[str]:
    """GET pages that show one object, as templates of the inputs that choose it: path templates
    (`/posts/{username}`), and a path without placeholders with its query inputs
    (`/show?id={id}`: the bio saved under an id is shown by that id)."""
    out = []
    for r in routes:
        if r.method != "GET" or static_asset(r):
            continue
        if "{" in r.path:
            out.append(r.path)
        elif (query := [p.name for p in r.params if p.location == "query" and re.fullmatch(r"\w+", p.name)]):
            out.append(r.path + "?" + "&".join(f"{n}={{{n}}}" for n in query))
    return out


def injection_points(routes: list[Route]) -> list[InjectionPoint]:
    """Each input of each route, the Referer where the code does not say what the route
    reads, and the name of the route's first query/form/JSON parameter. Static assets have none."""
    points: list[InjectionPoint] = []
    for r in routes:
        if static_asset(r):
            continue
        for p in r.params:  # a file input's point is its content (a text file of ours), and its name
            points.append(InjectionPoint(r, p))
            if p.location == "file":
                points.append(InjectionPoint(r, Param(p.name, "filename")))
        if r.source not in ("code", "graphql") and not any(p.name.lower() == "referer" for p in r.params):
            ref = Param("Referer", "header", "")
            r.params.append(ref)
            points.append(InjectionPoint(r, ref))
        named = None if r.graphql else next((p for p in r.params if p.location in ("query", "form", "json")), None)
        if named is not None:
            points.append(InjectionPoint(r, named, in_name=True))
    return points


def sweep(sender: PointSender, routes: list[Route], fetched: list[Exchange] | None = None) -> None:
    """One plain GET of each route without inputs, so passive checks (cookies, headers, tokens
    the app hands out) see every page, not only the ones with parameters. A page the discovery
    already fetched by that plain GET (the crawl's) is not asked again: its answer is used, as
    are the discovery's other pages (a route with inputs the crawl asked without them)."""
    known = {ex.url: ex for ex in fetched or [] if ex.method == "GET" and ex.status > 0}
    for r in routes:
        if r.method == "GET" and not r.params and "{" not in r.path and not static_asset(r):
            ex = known.get(sender.client.url_for(r.path))
            if ex is not None:
                sender.observe(ex)
            else:
                with sender.as_route_wants(r):
                    sender.request("GET", r.path)
    for ex in known.values():  # the rest the discovery read (a route with inputs, asked plain): seen too
        if ("GET", urlsplit(ex.url).path) not in sender.first_answers:
            sender.observe(ex)


def _wanted(route: Route, include: list[str], exclude: list[str]) -> bool:
    names = [route.path] + ([route.file] if route.file else [])
    if include and not any(fnmatch.fnmatch(n, g) for n in names for g in include):
        return False
    return not any(fnmatch.fnmatch(n, g) for n in names for g in exclude)


@dataclass
class ProjectReading:
    """What discovery takes from the project's files, read once per run: a second discovery
    (after self sign-up) asks the live app again, not the files."""

    routes: list[Route] = field(default_factory=list)  # read from the code
    signs: ProjectSigns = field(default_factory=ProjectSigns)
    language: str = ""  # the server's one language, where it is clear

    @classmethod
    def of(cls, project: Path) -> ProjectReading:
        from auditor.probe.routes import code_routes, server_language

        if not project.is_dir():
            return cls()
        routes = code_routes(project)
        signs = read_signs(project)
        # no route read and no manifest to tell the stack: the language its sources are in
        return cls(routes, signs, server_language(project, routes) or signs.sole_language())


def discover(cfg: ProbeConfig, client: SafeClient, reading: ProjectReading, url_filler: str = "",
             logins: list[LoginRecipe] | None = None) -> tuple[list[Route], StaticView]:
    """The routes to probe, and what the one static scan of their handlers says (it ranks them
    here, and tells the SQL check which inputs reach SQL)."""
    from auditor.probe.routes import merge, recipe_routes, settle, spread_views, with_language
    from auditor.probe.routes.crawl import crawl
    from auditor.probe.routes.graphql import graphql_routes
    from auditor.probe.routes.hidden import hidden_inputs
    from auditor.probe.routes.openapi import DOCUMENT_PATH, fetch_openapi

    from_code = copy.deepcopy(reading.routes)  # discovery merges and fills the routes it returns
    # Eight usual paths cost eight requests: where the code gave the routes, only when it may
    # serve a document (an OpenAPI library or document named in the project).
    documents = [*reading.signs.documents, *(r.path for r in from_code if r.method == "GET" and DOCUMENT_PATH.search(r.path))]
    from_api = fetch_openapi(client, documents) if cfg.openapi and (not from_code or reading.signs.openapi) else []
    pages = [r.path for r in from_code if r.method == "GET" and "{" not in r.path and not static_asset(r)]
    shown: list[dict[str, str]] = []  # the pages' forms, each its fields' values by name
    crawled = crawl(client, seeds=pages, shown=shown) if cfg.crawl else []
    crawled += graphql_routes(client, reading.signs.graphql)
    recipes = cfg.logins if logins is None else logins
    # A recipe's login is a route even where no page shows its form to the probe: a form shown
    # to visitors only, and the crawl ran signed in.
    routes = [r for r in spread_views(merge(from_code, from_api, crawled, recipe_routes(recipes)))
              if _wanted(r, cfg.include, cfg.exclude)]
    # Routes that change state by their method or by what their path names (`/task_delete/{id}`)
    # are only probed with --allow-destructive.
    routes = [r for r in routes if r.method in ("GET", "POST", "HEAD") and not destroys(r.path)
              or cfg.limits.allow_destructive]
    for r in routes if not cfg.limits.allow_destructive else []:
        # nor an input whose name says it deletes (`/danger?delete=1`, a `remove` checkbox)
        r.params = [p for p in r.params if p.location not in ("query", "form", "json") or not destroys("/" + p.name)]
    if cfg.crawl:  # inputs of the crawl's pages that no link or form names
        hidden_inputs(client, [r for r in routes if r.source == "crawl" and r.method == "GET" and "{" not in r.path
                               and not signs_out(r.path) and not static_asset(r)], reading.signs.input_names)
    with_shown_values(routes, shown)
    routes = with_language(routes, reading.language)
    routes = settle(routes, url_filler or client.base_url, logged_in=bool(client.identities), logins=recipes)
    if not from_code:
        return routes, StaticView()
    view = scan_handlers(cfg.project, routes)
    return rank(routes, view), view


def with_shown_values(routes: list[Route], shown: list[dict[str, str]]) -> None:
    """What the pages' forms tell the code's and the documents' routes (a form its page posts by
    script, `action="javascript:getToken()"`, names no route itself):
    - an input with no value of its own takes the value a form field of that name held (a client
      id in a hidden field, which a token request refuses to go without);
    - a route whose inputs are all fields of one form (at least two) takes that form's other
      fields that hold a value (the client secret beside them).
    Anti-CSRF fields are left to probe/csrf.py: theirs change."""
    from auditor.probe.csrf import is_token_field

    forms = [{n: v for n, v in f.items() if not is_token_field(n)} for f in shown]
    values: dict[str, str] = {}
    for f in forms:
        values.update((n, v) for n, v in f.items() if v and n not in values)
    for r in routes:
        if r.source in ("crawl", "login"):
            continue
        body = [p for p in r.params if p.location in ("form", "json")]
        names = {p.name for p in body}
        lent = next((f for f in forms if len(names) >= 2 and names <= f.keys()), {})
        r.params = [dataclasses.replace(p, example=values[p.name])
                    if not p.example and p.name in values and p.location in ("query", "form", "json") else p
                    for p in r.params]
        r.params += [Param(n, body[0].location, v) for n, v in lent.items() if v and n not in names]


def carries_session(point: InjectionPoint, identities: list[dict[str, str]]) -> bool:
    """Whether the point is the header or cookie that holds an identity's session (an auth
    middleware's `req.cookies.authToken`): a payload there only signs the request out, and the
    session and JWT checks judge it."""
    from auditor.probe.cookies import cookie_pairs

    name = point.param.name.lower()
    for headers in identities:
        for key, value in headers.items():
            if point.param.location == "header" and key.lower() == name:
                return True
            if point.param.location == "cookie" and key.lower() == "cookie" and \
                    name in {c.lower() for c in cookie_pairs(value)}:
                return True
    return False


def pages_read(fetched: list[Exchange], base_url: str) -> list[str]:
    """The HTML pages a plain GET of the discovery read, as path and query, once each."""
    pages = [ex.url[len(base_url):] or "/" for ex in fetched
             if ex.method == "GET" and ex.is_html and ex.status < 400 and ex.url.startswith(base_url)]
    return list(dict.fromkeys(pages))


# An XPath or LDAP query the handler's own code runs: the query-language check, last in the
# usual order, goes first at its points. An app that an SQL or shell quote crashes has its route
# left after two crashes, before the last check had a turn (vulnerable_js_app's XPath cases).
# Likewise a shell the handler runs: a handler that answers only when its command succeeds
# (`execSync('curl ' + x)` with no network) times out on every other value, and the route is left
# after four timeouts, before the command check had its turn.
SINKS_FIRST = (
    ("xpath-injection", re.compile(r"\bxpath\.\w+\(|\.xpath\(|\bselectNodes?\(|\bXPath\w*\.compile|"
                                   r"\.search_s\(|\bldap\w*\.search\(", re.I)),
    ("command-injection", re.compile(r"\b(?:execSync|spawnSync|execFileSync|child_process|os\.system|os\.popen|"
                                     r"subprocess\.\w+|shell_exec|passthru|Runtime\.getRuntime\(\)\.exec)\b")),
)


def _ordered(checks: list[PointCheck], profile: PointProfile | None, handler: str = "") -> list[PointCheck]:
    """The checks in their usual order, SQL injection first where the polyglot's answer shows a
    database error the baseline did not (the cheapest confirmation goes before the others), the
    query-language or the command check first where the handler's code (`handler`) runs such a
    query or a shell."""
    for category, sink in SINKS_FIRST:
        if sink.search(handler):
            return sorted(checks, key=lambda c, first=category: c.category != first)
    first = profile.first if profile is not None else None
    if first is None or not SQL_ERRORS.search(first.text) or SQL_ERRORS.search(profile.baseline.text):
        return checks
    return sorted(checks, key=lambda c: c.category != "sql-injection")


def _guarded(run: ProbeRun, name: str, call: Callable[[], T]) -> T | None:
    """Run one check; a refused payload or an unexpected answer skips that check only. A spent
    budget and Ctrl-C still end the run."""
    try:
        return call()
    except (BudgetExhausted, KeyboardInterrupt):
        raise
    except Exception as exc:  # noqa: BLE001  (one check's failure must not lose the report)
        if len(run.errors) < 50:
            run.errors.append(f"{name}: {type(exc).__name__}: {exc}")
        return None


def _first_at_point(check: PointCheck, found: Confirmation, confirmed: set[tuple[str, str, str, str]]) -> bool:
    """Whether a late confirmation is the first of its category at its point (then it takes the
    point's endpoint and method, and the point counts as confirmed)."""
    if found.point is None:
        return False
    route = found.point.route
    key = (check.category, route.method, route.path, found.point.param.name)
    if key in confirmed:
        return False
    found.endpoint, found.method = endpoint_of(route), route.method
    confirmed.add(key)
    return True


def endpoint_of(route: Route) -> str:
    """The route's path as reported: a GraphQL operation's `#field` names the route, not the URL."""
    return route.path.split("#")[0]


def _settled(run: ProbeRun, ctx: ProbeContext, sender: PointSender, checks: list[PointCheck],
             confirmed: set[tuple[str, str, str, str]]) -> list[Confirmation]:
    """What each check's `settle` confirms (late callbacks, stored values shown elsewhere), once
    per point and category, in the checks' order."""
    out: list[Confirmation] = []
    for check in checks:
        sender.client.phase = check.name
        out += [found for found in _guarded(run, check.name, lambda c=check: c.settle(ctx, sender)) or []
                if _first_at_point(check, found, confirmed)]
    return out


def _last(run: ProbeRun, ctx: ProbeContext, sender: PointSender, checks: list[PointCheck],
          confirmed: set[tuple[str, str, str, str]]) -> None:
    """The checks' guesses kept for the end (`PointCheck.last`), added to the run as each is
    confirmed: a budget spent among them ends the run with what they found before it."""
    for check in checks:
        sender.client.phase = check.name
        found_all = _guarded(run, check.name, lambda c=check: c.last(ctx, sender)) or iter(())
        while (found := _guarded(run, check.name, lambda it=found_all: next(it, None))) is not None:
            if _first_at_point(check, found, confirmed):
                run.confirmations.append(found)


def _signed_up(run: ProbeRun, client: SafeClient, logins: list[LoginRecipe]) -> list[tuple[str, dict[str, str]]]:
    """Two throwaway accounts signed up and logged in, as identities; none (and a line in the
    run's errors saying why) where the app has no sign-up, or it or the login failed."""
    from auditor.probe.signup import sign_up

    client.phase = "signup"
    recipes, why = sign_up(client, run.routes)
    if recipes:
        try:
            made = sign_in(client, recipes)
        except AuditorError as exc:
            why = f"the login of a signed-up account failed ({exc})"
        else:
            logins += recipes
            client.identities = [headers for _, headers in made]
            return made
    if why:
        run.errors.append(f"self sign-up: {why}; probed without a session (give one with --login)")
    return []


def _deletes(route: Route) -> bool:
    """A route that deletes, by its method or by what its path names."""
    return route.method == "DELETE" or destroys(route.path)


# The site checks (CORS, JWT, IDOR, mass assignment, rate limits, debug pages) run after the point
# checks, a few requests per route each, and find what no point check can: the point checks stop
# starting points once they have spent all but this share of the request budget (at least
# SITE_FLOOR requests, at most half: the stored-value reads after the points come out of it too).
SITE_SHARE = 0.1
SITE_FLOOR = 150


def site_reserve(max_requests: int) -> int:
    return min(max(int(max_requests * SITE_SHARE), SITE_FLOOR), max_requests // 2)


def forbidden(profile: PointProfile) -> bool:
    """The route refuses whoever the run is (403) to the usual value, the canary and the polyglot
    alike: an admin's function asked with a user's session. Its handler never runs."""
    answers = [profile.baseline, profile.exchange, profile.first]
    return all(ex is not None and ex.status == 403 for ex in answers)


def _probe_points(run: ProbeRun, ctx: ProbeContext, sender: PointSender, checks: list[PointCheck],
                  points: list[InjectionPoint], names: dict[tuple[str, str, str, str, bool], InjectionPoint],
                  confirmed: set[tuple[str, str, str, str]], left: set[tuple[str, str]],
                  on_progress: Callable[[InjectionPoint], None] | None = None,
                  refused: set[tuple[str, str]] | None = None, site_done: bool = False) -> None:
    """Each point's checks, in order, after one harmless polyglot that tells which are worth
    sending. `left` gathers the routes worn out (crashes or timeouts), not probed further;
    `refused` the routes that refuse the run's identity outright (`forbidden`). Until the site
    checks are `site_done`, their share of the budget is kept for them."""
    client = sender.client
    reserve = site_reserve(client.limits.max_requests) if not site_done else 0
    refused = set() if refused is None else refused
    for done, point in enumerate(points):
        if len(client.log) >= client.limits.max_requests - reserve:
            run.partial = "budget"
            kept = f"'s last {reserve} requests kept for the site checks" if reserve else " spent"
            run.errors.append(f"the request budget{kept}: {len(points) - done} inputs left unprobed "
                              "(raise --max-requests)")
            break
        if point.route.key in refused and point.param.location not in ("header", "cookie"):
            continue
        if point.route.key in left or worn_out(client, point.route.key):
            if point.route.key not in left:
                left.add(point.route.key)
                run.errors.append(f"left {point.route.method} {point.route.path}: its requests crashed the "
                                  f"app {CRASHES_TO_LEAVE} times or went unanswered {TIMEOUTS_TO_LEAVE} times")
            continue
        client.route, client.point = point.route.key, point_key(point)
        # One harmless polyglot first: only the checks its answer leaves room for are sent.
        profile = ctx.profiles.get(point_key(point))
        if profile is None:
            client.phase = "profile"
            name = names.get(point_key(point))
            pair = _guarded(run, "profile", lambda p=point, n=name: profile_pair(sender, p, n))
            profile, named = pair or (None, None)
            if profile is not None:
                ctx.profiles[point_key(point)] = profile
            if named is not None and name is not None:
                ctx.profiles[point_key(name)] = named
        if profile is not None and forbidden(profile):
            # refused before any handler runs: nothing sent at this point, or at the route's other
            # values, reaches code (a header may still be what lets a request through)
            refused.add(point.route.key)
            continue
        interpreted = False  # an interpreter check confirmed at this point
        ran = False  # a command or code injection confirmed at this point
        handler = handler_text(ctx.project, point.route)
        for check in _ordered(checks, profile, handler):
            if worn_out(client, point.route.key) or point_worn_out(client, client.point):
                break  # this route (or input) keeps crashing the app or never answers: the rest of it is left
            key = (check.category, point.route.method, point.route.path, point.param.name)
            if key in confirmed or not check.applies(point) or \
                    (interpreted and check.category in INTERPRETED) or \
                    (ran and check.category == "path-traversal"):
                continue
            if profile is not None and not check.worth(point, profile) and not check.code_says(point, handler):
                continue
            client.phase = check.name
            found = _guarded(run, check.name, lambda c=check, p=point: c.run(sender, ctx, p))
            if found is not None:
                found.endpoint, found.method = endpoint_of(point.route), point.route.method
                run.confirmations.append(found)
                confirmed.add(key)
                interpreted = interpreted or check.category in INTERPRETED
                ran = ran or check.category in RUNS_THE_VALUE
                if found.category == "ssrf":
                    ctx.fetched.add(point_key(point))
        if on_progress:
            on_progress(point)


def _escalated(run: ProbeRun, ctx: ProbeContext, sender: PointSender, checks: list[PointCheck],
               points: list[InjectionPoint], names: dict[tuple[str, str, str, str, bool], InjectionPoint],
               confirmed: set[tuple[str, str, str, str]], left: set[tuple[str, str]],
               logins: list[LoginRecipe]) -> None:
    """The points of the routes that refused the run's identity, probed as a session any visitor
    can get (probe/escalation.py: a login the run's SQL injection bypasses, or an account the
    sign-up makes privileged), where there is one; each finding says how the session was had. The
    points' profiles and baselines are the session's own."""
    from auditor.probe.escalation import privileged_account

    account = _guarded(run, "escalation", lambda: privileged_account(sender, ctx, run.routes, points, logins, confirmed))
    if account is None:
        return
    profiles, ctx.profiles = ctx.profiles, {}
    start = len(run.confirmations)
    try:
        with sender.acting_as(account.headers):
            _probe_points(run, ctx, sender, checks, points, names, confirmed, left, site_done=True)
    finally:
        ctx.profiles = profiles
        sender.client.route = sender.client.point = None
        for found in run.confirmations[start:]:
            found.message += f" ({account.how})"


def run_probe(cfg: ProbeConfig, on_progress: Callable[[int, int], None] | None = None) -> ProbeRun:
    start = time.monotonic()
    run = ProbeRun(cfg.base_url)
    client = SafeClient(cfg.base_url, cfg.limits, revive=cfg.revive)
    sender = PointSender(client, identity=dict(cfg.identities[0][1]) if cfg.identities else {})
    wanted = set(cfg.checks)
    logins = list(cfg.logins)  # and the throwaway accounts' recipes: their passwords are masked too
    try:
        with CallbackServer() as callback:
            ctx = ProbeContext(origin=client.base_url, traversal_targets=cfg.traversal_targets, callback=callback,
                               identities=cfg.identities, project=cfg.project,
                               destructive=cfg.limits.allow_destructive)
            try:
                # Login recipes after the --as identities; the first identity is sent with every request.
                client.phase = "login"
                ctx.identities = [*cfg.identities, *sign_in(client, cfg.logins)]
                client.identities = [headers for _, headers in ctx.identities]
                client.phase = "discovery"
                client.kept = []
                # URL-like inputs beside the one under test name the callback server: a plausible URL
                # that answers at once (the app's own address could block a one-worker app on itself).
                reading = ProjectReading.of(cfg.project)
                run.routes, ctx.static = discover(cfg, client, reading, callback.url("").rstrip("/"))
                ctx.unpickles = reading.signs.unpickles
                ctx.query_javascript = reading.signs.query_javascript
                ctx.query_languages = reading.signs.query_languages or not reading.signs.languages
                ctx.static_mounts = reading.signs.static_mounts
                if cfg.signup and not ctx.identities and (made := _signed_up(run, client, logins)):
                    ctx.identities = made
                    client.phase, client.kept = "discovery", []  # the pages behind the login, too
                    before = run.routes
                    run.routes, ctx.static = discover(cfg, client, reading, callback.url("").rstrip("/"), logins)
                    # Forms only a visitor is shown (the login, which now redirects home) stay in;
                    # sign-out links do not.
                    seen = {r.key for r in run.routes}
                    run.routes += [r for r in before if r.key not in seen and not signs_out(r.path)]
                ctx.accounts = [r.account for r in logins if r.account]  # the recipes' and the sign-ups'
                fetched, client.kept = client.kept, None
                ctx.pages = pages_read(fetched, client.base_url)
                ctx.templates = object_templates(run.routes)
                ctx.listings = [r.path for r in run.routes if r.method == "GET" and "{" not in r.path]
                ctx.assets = [r.path for r in run.routes if static_asset(r)]
                client.phase = "own-ids"
                fill_own_ids(sender, run.routes, ctx.identities)
                client.phase = "sweep"
                sweep(sender, run.routes, fetched)
                points = [p for p in injection_points(run.routes) if not carries_session(p, client.identities)]
                run.points = len(points)
                checks = [c for c in point_checks() if not wanted or c.name in wanted]
                confirmed: set[tuple[str, str, str, str]] = set()
                # A value point's polyglot request also carries its parameter's name point's tag.
                names = {point_key(InjectionPoint(p.route, p.param)): p for p in points if p.in_name and not p.name_is_value}
                left: set[tuple[str, str]] = set()  # routes worn out (crashes or timeouts): not probed further
                # With --allow-destructive, the routes that delete go after the site checks: a user or
                # a file they delete is one the other checks still use.
                deleting = [p for p in points if _deletes(p.route)]
                done = iter(range(1, len(points) + 1))

                def progress(_: InjectionPoint) -> None:
                    if on_progress:
                        on_progress(next(done), len(points))

                refused: set[tuple[str, str]] = set()  # routes that refuse the run's identity outright
                _probe_points(run, ctx, sender, checks, [p for p in points if not _deletes(p.route)], names,
                              confirmed, left, progress, refused)
                client.route = client.point = None
                run.confirmations += _settled(run, ctx, sender, [c for c in checks if not c.listens], confirmed)
                # The late callbacks' grace runs from the last callback URL handed out: the site
                # checks go first, so it is spent on them rather than waited for. Their findings
                # still follow the point checks' in the report.
                late_at = len(run.confirmations)
                spent: BudgetExhausted | None = None
                # CORS, JWT, IDOR... on the app's own routes, each sent with a session: never a sign-out
                live = [r for r in run.routes if not static_asset(r) and not r.visitor]
                try:
                    for site in site_checks():
                        if not wanted or site.name in wanted:
                            client.phase = site.name
                            for found in _guarded(run, site.name, lambda s=site: s.run(sender, ctx, live)) or []:
                                found.endpoint = found.endpoint.split("#")[0]  # a GraphQL operation's URL path
                                run.confirmations.append(found)
                except BudgetExhausted as exc:  # the callbacks already sent are still heard
                    spent = exc
                if spent is None and refused:
                    # an administrator's functions, probed as one where any visitor can be, with the
                    # budget the site checks left
                    client.phase = "escalation"
                    try:
                        _escalated(run, ctx, sender, checks, [p for p in points if p.route.key in refused
                                                              and not _deletes(p.route)], names, confirmed, left,
                                   logins)
                    except BudgetExhausted as exc:
                        spent = exc
                if spent is None and deleting:
                    _probe_points(run, ctx, sender, checks, deleting, names, confirmed, left, progress)
                run.confirmations[late_at:late_at] = _settled(run, ctx, sender, [c for c in checks if c.listens],
                                                              confirmed)
                if spent is not None:
                    raise spent
                _last(run, ctx, sender, checks, confirmed)
            except BudgetExhausted:
                run.partial = "budget"
            except KeyboardInterrupt:
                run.partial = "interrupted"
    finally:
        scrub(run.confirmations, logins)  # the login route's fields carry the recipe's password
        run.requests = list(client.log)
        run.errors += [f"the app had stopped answering (an earlier input crashed it?); restarted it before {r}"
                       for r in client.revivals]
        run.seconds = time.monotonic() - start
        client.close()
    return run

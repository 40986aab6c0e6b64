"""A login form sent by GET (`<form method="get" action="/login">`, DSVPWA's): the burst sends
its wrong passwords in the query, and is judged like a POST's. A GET login that limits is clean;
a GET page that only shows a search box is no login."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest

from auditor.probe.checks.ratelimit import LoginRateLimit
from auditor.probe.interface import Param, ProbeContext, Route
from auditor.probe.routes.common import login_fields
from auditor.probe.safety import Limits, SafeClient
from auditor.probe.sender import PointSender

from .standin import serve


def _app(limited: bool, tries: list[str]):
    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], str]:
        parts = urlsplit(path)
        if method != "GET" or parts.path != "/login":
            return 404, {}, "not found"
        tries.append(parse_qs(parts.query).get("password", [""])[0])
        if limited and len(tries) > 5:
            return 429, {}, "slow down"
        return 200, {}, "<p>Wrong user name or password</p><form method='get'>...</form>"

    return handle


@pytest.mark.parametrize("limited", [False, True])
def test_a_get_login_is_burst_through_its_query(limited):
    tries: list[str] = []
    route = Route("GET", "/login", [Param("username", "query"), Param("password", "query")], "crawl")
    with serve(_app(limited, tries)) as url:
        client = SafeClient(url, Limits(rps=1000))
        found = LoginRateLimit().run(PointSender(client), ProbeContext(client.base_url), [route])
    assert [(c.method, c.endpoint) for c in found] == ([] if limited else [("GET", "/login")])
    # the finding names the input it burst
    assert [c.point.label for c in found if c.point] == ([] if limited else ["password (query)"])
    assert tries and all(t.startswith("wrong") for t in tries) and len(tries) <= 30


def test_get_forms_are_logins_only_where_asked():
    login = Route("GET", "/login", [Param("username", "query"), Param("password", "query")])
    assert login_fields(login) is None  # sign-in and sign-up helpers only POST
    assert login_fields(login, any_kind=True) is not None
    fastapi = Route("POST", "/auth/login/", [Param("username", "query"), Param("password", "query")])
    assert login_fields(fastapi) is None and login_fields(fastapi, any_kind=True) is not None
    search = Route("GET", "/search", [Param("q", "query")])
    assert login_fields(search, any_kind=True) is None
    # a user name and a password posted to a users collection make an account (dvws-node's POST /api/v2/users)
    for path in ("/api/v2/users", "/user", "/accounts/"):
        assert login_fields(Route("POST", path, [Param("username", "json"), Param("password", "json")])) is None
    assert login_fields(Route("POST", "/users/login", [Param("username", "json"), Param("password", "json")]))


@pytest.mark.parametrize("limited", [False, True])
def test_a_login_form_behind_the_apps_own_login_is_burst_with_the_session(limited):
    """Vulnerable-Bottle-App's brute-force exercise is a login form on a page that needs a session:
    a visitor's 30 wrong passwords were all redirected to /login and none ran. Answered otherwise
    with the session, the burst is sent with it, and judged on what the form answers."""
    tries: list[str] = []

    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], str]:
        if path != "/exercise/brute_force":
            return 404, {}, "not found"
        if "session=s1" not in headers.get("Cookie", ""):
            return 302, {"Location": "/login"}, ""
        tries.append(parse_qs(body.decode()).get("password", [""])[0])
        if limited and len(tries) > 5:
            return 429, {}, "slow down"
        return 200, {}, "<p>Wrong password</p>"

    route = Route("POST", "/exercise/brute_force", [Param("username", "form"), Param("password", "form")], "crawl")
    with serve(handle) as url:
        client = SafeClient(url, Limits(rps=1000))
        ctx = ProbeContext(client.base_url, identities=[("alice", {"Cookie": "session=s1"})])
        found = LoginRateLimit().run(PointSender(client, identity={"Cookie": "session=s1"}), ctx, [route])
    assert [c.endpoint for c in found] == ([] if limited else ["/exercise/brute_force"])
    assert found == [] or found[0].exchange.status == 200  # the evidence is the form's own answer


def test_the_burst_aims_at_an_account_the_probe_holds():
    """very_vulnerable_gql_api answers "No user found" for an unknown mail before it compares any
    password, and nodejs-goof refuses a user name that is no mail: the burst's 30 answers showed no
    password check. With an account the probe holds (a recipe's, or the name a session's JWT
    carries), the wrong passwords are that account's, in the field's shape."""
    import base64
    import json

    from auditor.probe.checks.ratelimit import real_account

    claims = base64.urlsafe_b64encode(json.dumps({"username": "bob", "email": "bob@example.com"}).encode())
    bob = {"Authorization": "Bearer eyJhbGciOiJIUzI1NiJ9." + claims.decode().rstrip("=") + ".c2ln"}
    ctx = ProbeContext("http://x", identities=[("alice", {"Cookie": "sid=1"}), ("bob", bob)])
    assert real_account(ctx, Param("email", "json")) == "bob@example.com"
    assert real_account(ctx, Param("username", "form")) == "bob"
    assert real_account(ProbeContext("http://x", accounts=["alice", "carol"]), Param("user", "form")) == "carol"
    assert real_account(ProbeContext("http://x"), Param("user", "form")) is None  # a random name then
    tries: list[str] = []

    def handle(method, path, headers, body):
        who = json.loads(body or b"{}").get("email")
        tries.append(who)
        if who != "bob@example.com":
            return 401, {"Content-Type": "application/json"}, '{"error": "No user found"}'
        return 401, {"Content-Type": "application/json"}, '{"error": "Invalid password"}'

    with serve(handle) as url:
        client = SafeClient(url, Limits(rps=1000))
        found = LoginRateLimit().run(PointSender(client), ProbeContext(client.base_url, identities=ctx.identities),
                                     [Route("POST", "/login", [Param("email", "json"), Param("password", "json")])])
    assert found and set(tries) == {"bob@example.com"}


def test_the_forms_other_inputs_go_along():
    """flask-webgoat's GET /login_and_redirect needs `url` beside the user name and the password,
    and answers 400 "parameters have to be provided" without it: 30 of those proved nothing, yet
    were reported. Sent with the form's other inputs, the burst meets the password check."""
    checked: list[str] = []

    def handle(method, path, headers, body):
        query = parse_qs(urlsplit(path).query)
        if not all(query.get(k) for k in ("username", "password", "url")):
            return 400, {"Content-Type": "application/json"}, '{"error": "username, password, and url parameters have to be provided"}'
        checked.append(query["password"][0])
        return 200, {"Content-Type": "application/json"}, '{"error": "wrong password"}'

    route = Route("GET", "/login_and_redirect", [Param("username", "query"), Param("password", "query"),
                                                 Param("url", "query", "http://127.0.0.1:9/")], "code")
    with serve(handle) as url:
        client = SafeClient(url, Limits(rps=1000))
        found = LoginRateLimit().run(PointSender(client), ProbeContext(client.base_url), [route])
    assert found and len(checked) >= 25  # the passwords were checked, by the app's own answer


@pytest.mark.parametrize("client_known", [True, False])
def test_an_oauth_token_endpoint_is_judged_by_its_grant_error(client_known):
    """django-oauth-toolkit's `POST /o/token/` with the password grant: `invalid_grant` is the wrong
    password's answer (burst, no limit: confirmed); `invalid_client` refuses every request before
    any password is looked at (Tiredful-API's, with a client id the probe cannot know): nothing."""
    tries: list[str] = []

    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], str]:
        if method != "POST" or urlsplit(path).path != "/o/token/":
            return 404, {}, "not found"
        tries.append(body.decode())
        error = "invalid_grant" if client_known else "invalid_client"
        return 400 if client_known else 401, {"Content-Type": "application/json"}, f'{{"error": "{error}"}}'

    route = Route("POST", "/o/token/", [Param("grant_type", "form", "password"), Param("username", "form"),
                                         Param("password", "form"), Param("client_id", "form")], "code")
    with serve(handle) as url:
        client = SafeClient(url, Limits(rps=1000))
        found = LoginRateLimit().run(PointSender(client), ProbeContext(client.base_url), [route])
    assert [(c.method, c.endpoint) for c in found] == ([("POST", "/o/token/")] if client_known else [])
    assert tries and all("grant_type=password" in t for t in tries)


@pytest.mark.parametrize("delays,limited", [("throttle", True), ("one slow answer", False)])
def test_a_growing_delay_is_a_limit_and_one_slow_answer_is_not(delays: str, limited: bool):
    """A throttle slows every answer after the tenth failure (limited); one answer that was slow
    for another reason (a loaded machine) leaves the burst unlimited, as it is."""
    import time

    tries: list[str] = []

    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], str]:
        tries.append(path)
        if delays == "throttle" and len(tries) > 10:
            time.sleep(0.25)
        elif delays == "one slow answer" and len(tries) == 20:
            time.sleep(0.8)
        return 200, {}, "<p>Wrong user name or password</p>"

    route = Route("POST", "/login", [Param("username", "form"), Param("password", "form")], "crawl")
    with serve(handle) as url:
        client = SafeClient(url, Limits(rps=1000))
        found = LoginRateLimit().run(PointSender(client), ProbeContext(client.base_url), [route])
    assert bool(found) is not limited


@pytest.mark.parametrize("beside", ["grant_type", "scope"])
def test_a_burst_a_validator_refuses_before_the_password_proves_nothing(beside: str):
    # FastAPI's OAuth2PasswordRequestForm: grant_type must match ^password$ (the filler sends
    # `password`, and the burst reaches the password: unlimited); a required scope the probe cannot
    # guess is refused with a 422 naming it on every try: no finding either way
    tries: list[str] = []

    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], str]:
        form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
        if form.get("grant_type", "password") != "password" or form.get("scope", "openid") != "openid":
            field = "grant_type" if form.get("grant_type", "password") != "password" else "scope"
            detail = {"detail": [{"loc": ["body", field], "msg": "String should match pattern"}]}
            return 422, {"Content-Type": "application/json"}, json.dumps(detail)
        tries.append(form.get("password", ""))
        return 401, {"Content-Type": "application/json"}, '{"detail": "Incorrect username or password"}'

    from auditor.probe.routes.inputs import filler

    # the discovery fills an input with no example of its own by its name (settle)
    route = Route("POST", "/token/", [Param("username", "form"), Param("password", "form"),
                                      Param(beside, "form", filler(beside, ""))], "code")
    with serve(handle) as url:
        client = SafeClient(url, Limits(rps=1000))
        found = LoginRateLimit().run(PointSender(client), ProbeContext(client.base_url), [route])
    if beside == "grant_type":
        assert [c.endpoint for c in found] == ["/token/"] and len(tries) >= 25
    else:
        assert found == [] and tries == []


def test_a_burst_a_validator_refuses_for_a_missing_input_proves_nothing():
    """rva's login reads its user name from the query; a burst sent without it is answered 422
    `"type":"missing"` by FastAPI's validator each time, before any password ran: unknown."""
    from auditor.probe.checks.ratelimit import burst

    missing = json.dumps({"detail": [{"type": "missing", "loc": ["query", "username"], "msg": "Field required"}]})
    with serve(lambda m, p, h, b: (422, {"Content-Type": "application/json"}, missing)) as url:
        client = SafeClient(url, Limits(rps=1000))
        route = Route("POST", "/api/auth/login", [Param("password", "query")])
        assert burst(PointSender(client), route, route.params[0], {}) == ("unknown", None)


def test_a_post_login_read_from_its_query_gets_its_user_there_too():
    """FastAPI's `def login(username: str, password: str)` on a POST reads both from the query:
    the burst sends the user beside each wrong password (without it, every request is a 422)."""
    from auditor.probe.checks.ratelimit import burst

    seen: list[dict[str, list[str]]] = []

    def handle(method, path, headers, body):
        query = parse_qs(urlsplit(path).query)
        seen.append(query)
        if "username" not in query:
            return 422, {"Content-Type": "application/json"}, '{"detail": [{"type": "missing"}]}'
        return 401, {"Content-Type": "application/json"}, '{"detail": "Invalid credentials"}'

    with serve(handle) as url:
        client = SafeClient(url, Limits(rps=1000))
        route = Route("POST", "/auth/login/", [Param("username", "query"), Param("password", "query")])
        verdict, _ = burst(PointSender(client), route, route.params[1], {"username": "alice"})
    assert verdict == "unlimited" and all(q.get("username") == ["alice"] for q in seen)


def test_a_login_whose_statement_fails_proves_nothing():
    """gemini-inventory's login: its users table does not exist, so every attempt answers the
    database's error and no password is ever compared: the burst is unknown."""
    from auditor.probe.checks.ratelimit import burst

    failed = json.dumps({"success": False, "message": "(sqlite3.OperationalError) no such table: users"})
    with serve(lambda m, p, h, b: (200, {"Content-Type": "application/json"}, failed)) as url:
        client = SafeClient(url, Limits(rps=1000))
        route = Route("POST", "/auth/login/", [Param("username", "query"), Param("password", "query")])
        assert burst(PointSender(client), route, route.params[1], {"username": "alice"}) == ("unknown", None)

"""Anti-CSRF tokens: the probe sends back the token a page gave it, as a browser's form would,
so routes behind CSRF protection are tested at all; and a login burst that the app refused for
a missing token is not reported as a login without rate limiting (the password never ran)."""

from __future__ import annotations

import os
import sys
import textwrap
from pathlib import Path
from urllib.parse import parse_qs

import pytest

from auditor.probe.checks.ratelimit import LoginRateLimit
from auditor.probe.csrf import CsrfTokens, refused_for_token
from auditor.probe.engine import ProbeConfig, run_probe
from auditor.probe.interface import Param, ProbeContext, Route
from auditor.probe.safety import Limits, SafeClient
from auditor.probe.sender import PointSender
from auditor.probe.target import Target

from .standin import serve
from .twinrun import free_port

# -- the token store ----------------------------------------------------------------------------


def test_token_read_from_a_form_goes_back_with_a_post_to_its_action():
    tokens = CsrfTokens()
    tokens.observe("http://127.0.0.1:5000/account", '<form method="post" action="/account/email">'
                   '<input type="hidden" name="csrfmiddlewaretoken" value="tok&amp;1"><input name="email"></form>')
    headers, data = tokens.apply("POST", "http://127.0.0.1:5000/account/email", {}, {"email": "a"}, {}, None)
    assert data == {"email": "a", "csrfmiddlewaretoken": "tok&1"}
    assert headers["X-CSRFToken"] == "tok&1" and headers["X-CSRF-Token"] == "tok&1"
    # a GET is never changed
    assert tokens.apply("GET", "http://127.0.0.1:5000/account/email", {}, {"q": "1"}, {}, None) == ({}, {"q": "1"})


def test_meta_tag_and_cookie_tokens_go_in_headers_of_a_json_request():
    tokens = CsrfTokens()
    tokens.observe("http://127.0.0.1:5000/", '<head><meta name="csrf-token" content="railsTok"></head>')
    headers, data = tokens.apply("POST", "http://127.0.0.1:5000/api/items", {"Accept": "*/*"}, None,
                                 {"XSRF-TOKEN": "ang%3Dular", "csrftoken": "djangoSecret"}, None)
    assert data is None
    assert headers["X-CSRF-Token"] == "railsTok"
    assert headers["X-XSRF-TOKEN"] == "ang=ular"  # the cookie's value, URL-decoded as Angular sends it
    assert headers["X-CSRFToken"] == "railsTok"  # a page token wins; the header is set once


def test_token_input_under_test_keeps_its_payload_and_an_identitys_header_wins():
    tokens = CsrfTokens()
    tokens.observe("http://h:1/f", '<form action="/f"><input type="hidden" name="csrf_token" value="good"></form>')
    _, data = tokens.apply("POST", "http://h:1/f", {}, {"csrf_token": "'\"<aud1>"}, {}, "'\"<aud1>")
    assert data == {"csrf_token": "'\"<aud1>"}
    _, data = tokens.apply("POST", "http://h:1/f", {}, {"csrf_token": "1"}, {}, "'\"<aud1>")
    assert data == {"csrf_token": "good"}  # a stale default is replaced by the page's token
    headers, _ = tokens.apply("POST", "http://h:1/f", {"x-csrftoken": "mine"}, None, {}, None)
    assert headers["x-csrftoken"] == "mine" and "X-CSRFToken" not in headers


@pytest.mark.parametrize("status,text,refused", [
    (400, "<h1>Bad Request</h1><p>The CSRF token is missing.</p>", True),  # Flask-WTF
    (403, "<h1>Forbidden (403)</h1><p>CSRF verification failed. Request aborted.</p>", True),  # Django
    (422, "ActionController::InvalidAuthenticityToken", True),  # Rails
    (419, "Page Expired", True),  # Laravel
    (401, "The CSRF token is missing.", False),  # not a refusal status
    (400, '<form><input type="hidden" name="csrf_token" value="x"><p>Email is required</p></form>', False),
    # a form shown again with its token refused (microblog's Flask-WTF forms), and one that is not
    (200, '<form><input name="csrf_token" value="x"><span>[The CSRF token is invalid.]</span></form>', True),
    (200, '<form><input name="csrf_token" value="x"><p>Your changes have been saved.</p></form>', False),
    (200, "<p>We use CSRF tokens on every form.</p>", False),
])
def test_refusals_are_told_from_pages_that_hold_a_token(status: int, text: str, refused: bool):
    assert refused_for_token("POST", status, text) is refused
    assert refused_for_token("GET", status, text) is False


def test_csrf_cookies_are_not_judged_as_session_cookies():
    from auditor.probe.checks.headers import cookie_flaws
    from auditor.probe.interface import Exchange

    ex = Exchange("GET", "http://h:1/admin/login/", {}, "", 200, [
        ("Set-Cookie", "csrftoken=abc; expires=Mon, 06 Dec 2027 00:00:00 GMT; Path=/; SameSite=Lax"),
        ("Set-Cookie", "XSRF-TOKEN=def; Path=/"),
        ("Set-Cookie", "sessionid=q8w3kz1p0v7x; Path=/; SameSite=Lax"),
        ("Set-Cookie", "remember=1; Max-Age=60; Path=/"),  # a flag named like a session (Express's cookies example)
        ("Set-Cookie", "auth=true; Path=/"),
    ], "", 0.0)
    assert cookie_flaws(ex) == [("sessionid", "httponly")]


# -- a stand-in with Flask-WTF's behaviour: a token tied to the session cookie --------------------


def _protected_login(gives_token: bool, posts: list[dict[str, list[str]]]):
    issued: dict[str, str] = {}  # session -> token

    def handle(method: str, path: str, headers: dict[str, str], body: bytes):
        cookie = headers.get("Cookie", "")
        session = cookie.partition("session=")[2].split(";")[0]
        fresh = {}
        if not session:
            session = os.urandom(8).hex()
            fresh = {"Set-Cookie": f"session={session}; HttpOnly; Path=/"}
        if method == "GET":
            if not gives_token:
                return 200, fresh, "<p>Sign in with the mobile app.</p>"
            issued[session] = os.urandom(12).hex()
            return 200, fresh, (f'<form method="post"><input type="hidden" name="csrf_token" value="{issued[session]}">'
                                '<input name="username"><input name="password" type="password"></form>')
        form = parse_qs(body.decode())
        posts.append(form)
        if not issued.get(session) or form.get("csrf_token", [""])[0] != issued[session]:
            return 400, fresh, "<h1>Bad Request</h1><p>The CSRF token is missing.</p>"
        return 401, fresh, "<p>Invalid username or password</p>"

    return handle


@pytest.mark.parametrize("gives_token", [True, False])
def test_login_burst_behind_a_csrf_token(gives_token: bool):
    posts: list[dict[str, list[str]]] = []
    with serve(_protected_login(gives_token, posts)) as url:
        client = SafeClient(url, Limits(rps=1000))
        route = Route("POST", "/login", [Param("username", "form"), Param("password", "form")])
        found = LoginRateLimit().run(PointSender(client), ProbeContext(client.base_url), [route])
    if gives_token:  # the passwords really ran: 30 answers of 401, no limit
        assert len(found) == 1 and found[0].exchange.status == 401
        assert "csrf_token=" in found[0].exchange.request_body
        assert sum(1 for p in posts if "csrf_token" in p) >= 30
    else:  # every POST refused before the login ran: nothing is known about its rate limit
        assert found == []
        assert len(posts) <= 2 * 30


def test_login_burst_goes_as_a_new_visitor_not_the_signed_in_session():
    """A session the probe signed in earlier is sent home by the login form (microblog's
    `if current_user.is_authenticated: return redirect(index)`); the burst goes without it, and
    the probe's own session is back afterwards."""
    seen: list[str] = []

    def handle(method: str, path: str, headers: dict[str, str], body: bytes):
        seen.append(headers.get("Cookie", ""))
        if "session=signed-in" in headers.get("Cookie", ""):
            return 302, {"Location": "/index"}, "<p>Redirecting...</p>"
        return 401, {}, "<p>Invalid username or password</p>"

    with serve(handle) as url:
        client = SafeClient(url, Limits(rps=1000))
        client.jar["session"] = "signed-in"
        route = Route("POST", "/auth/login", [Param("username", "form"), Param("password", "form")])
        found = LoginRateLimit().run(PointSender(client), ProbeContext(client.base_url), [route])
    assert len(found) == 1 and found[0].exchange.status == 401
    assert not any("signed-in" in c for c in seen)
    assert client.jar == {"session": "signed-in"} and not client.visitor


# -- a real framework: Django's CsrfViewMiddleware --------------------------------------------------

DJANGO_APP = '''
import html, os, sys
from django.conf import settings

settings.configure(
    DEBUG=False, ROOT_URLCONF=__name__, ALLOWED_HOSTS=["127.0.0.1", "localhost"], SECRET_KEY="twin-only-key",
    MIDDLEWARE=["django.middleware.csrf.CsrfViewMiddleware"], USE_TZ=True, DATABASES={},
    INSTALLED_APPS=[],
)
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import path

FIXED = os.environ.get("TWIN_MODE") == "fixed"
FAILS = []


def form(request, action, fields):
    inputs = "".join(f'<input name="{f}">' for f in fields)
    return (f'<form method="post" action="{action}">'
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{get_token(request)}">{inputs}</form>')


def login(request):
    if request.method == "POST":
        FAILS.append(1)
        if FIXED and len(FAILS) > 5:
            return HttpResponse("<p>Too many attempts</p>", status=429, headers={"Retry-After": "60"})
        return HttpResponse("<p>Invalid username or password</p>", status=401)
    return HttpResponse(form(request, "/login/", ["username", "password"]))


def comment(request):
    if request.method == "POST":
        body = request.POST.get("body", "")
        return HttpResponse("<p>Thanks for: " + (html.escape(body) if FIXED else body) + "</p>")
    return HttpResponse(form(request, "/comment/", ["body"]))


def signin(request):
    if request.method == "POST":
        if request.POST.get("username") == "alice" and request.POST.get("password") == "alice-pw":
            answer = HttpResponse(status=302, headers={"Location": "/"})
            answer.set_cookie("sid", os.urandom(8).hex(), httponly=True, samesite="Lax")
            return answer
        return HttpResponse("<p>Invalid username or password</p>", status=401)
    return HttpResponse(form(request, "/signin/", ["username", "password"]))


def index(request):
    return HttpResponse('<a href="/login/">sign in</a> <a href="/comment/">comment</a>')


urlpatterns = [path("", index), path("login/", login), path("comment/", comment), path("signin/", signin)]

if __name__ == "__main__":
    from django.core.management import execute_from_command_line
    execute_from_command_line([sys.argv[0], "runserver", f"127.0.0.1:{sys.argv[1]}", "--noreload", "--nothreading"])
'''


def _django(tmp_path: Path, mode: str) -> tuple[Target, Path]:
    project = tmp_path / "app"
    project.mkdir()
    (project / "site.py").write_text(textwrap.dedent(DJANGO_APP))
    port = free_port()
    command = f"TWIN_MODE={mode} PYTHONDONTWRITEBYTECODE=1 exec {sys.executable} site.py {port}"
    return Target.launch(command, port, project, startup_timeout=30), project


def test_login_recipe_to_a_form_behind_csrf_middleware(tmp_path: Path):
    """`--login alice=POST:/signin/:...` on a Django form: the recipe first gets the page, as a
    browser would, and posts with its csrftoken cookie and token (a bare POST is refused 403)."""
    from auditor.probe.login import parse_login, sign_in

    target, _ = _django(tmp_path, "vulnerable")
    with target:
        client = SafeClient(target.base_url, Limits(rps=1000, timeout=5))
        [(name, headers)] = sign_in(client, [parse_login("alice=POST:/signin/:username=alice&password=alice-pw")])
        client.close()
    assert name == "alice" and "sid=" in headers["Cookie"] and "csrftoken=" in headers["Cookie"]
    assert [r.status for r in client.log] == [200, 302]
    assert not client.jar  # the login's cookies stay out of the shared jar


@pytest.mark.parametrize("mode", ["vulnerable", "fixed"])
def test_django_forms_behind_csrf_middleware_are_probed(tmp_path: Path, mode: str):
    target, project = _django(tmp_path, mode)
    with target:
        cfg = ProbeConfig(base_url=target.base_url, project=project,
                          limits=Limits(rps=1000, max_requests=3000, timeout=5))
        run = run_probe(cfg)
    found = {(c.category, c.endpoint) for c in run.confirmations}
    if mode == "vulnerable":
        assert ("xss", "/comment/") in found
        assert ("missing-rate-limiting", "/login/") in found
        limit = next(c for c in run.confirmations if c.category == "missing-rate-limiting")
        assert limit.exchange.status == 401  # the login answered, not the middleware's 403
    else:
        assert not {f for f in found if f[0] in ("xss", "missing-rate-limiting")}
    assert all(c.exchange.status != 403 for c in run.confirmations)


def test_pages_that_differ_only_in_a_signed_tokens_timestamp_compare_equal():
    """Flask-WTF's token is `payload.timestamp.signature`: its parts are short, and the timestamp
    part changes every second. microblog's index differed by that alone between the two halves of
    a differential (an XPath "injection" in a sign-up form); a dotted token is one token."""
    from auditor.probe.checks.canary import same
    from auditor.probe.interface import Exchange

    def page(tok: str) -> Exchange:
        return Exchange("GET", "http://h/index", {}, "", 200, [],
                        f'<form><input name="csrf_token" type="hidden" value="{tok}"><p>Hi</p></form>', 0.0)

    first = "IjEzYjJkNTI5OGYyYjUxNGU1ZDRmNjQ2Ig.Z1Sq4A.kHk0JqQ1hXc5N9mXo3g2aQwE1aE"
    later = "IjEzYjJkNTI5OGYyYjUxNGU1ZDRmNjQ2Ig.Z1Sq4Q.Pq8yK3wT0bR6vU2nL7mJ4sH9dXc"
    assert same(page(first), page(later), [])
    assert not same(page(first), Exchange("GET", "http://h/index", {}, "", 200, [], "<p>Bye</p>", 0.0), [])


def test_an_insecure_session_cookie_is_the_findings_parameter_at_its_routes_code():
    """Several cookies may be set: the finding names the one to fix, and still points at the code
    of the route whose answer set it."""
    from types import SimpleNamespace

    from auditor.probe.checks.headers import ResponseHygiene
    from auditor.probe.engine import ProbeRun
    from auditor.probe.interface import Exchange
    from auditor.probe.results import to_result

    ex = Exchange("GET", "http://127.0.0.1:1/login?user=a", {}, "", 200,
                  [("Set-Cookie", "auth=3f9a8c7d6e5b4a21; Path=/"), ("Content-Type", "application/json")], "{}", 0.0)
    sender = SimpleNamespace(cookie_setters=[ex], first_answers={}, history=[])
    found = [c for c in ResponseHygiene().run(sender, ProbeContext(origin="http://127.0.0.1:1"), []) if c.check == "cookies"]
    assert len(found) == 1 and found[0].point is not None and found[0].point.label == "auth (cookie)"
    route = Route("GET", "/login", file="app.py", line=12, framework="flask", language="python")
    finding = to_result(ProbeRun("http://127.0.0.1:1", routes=[route], confirmations=found)).findings[0]
    assert finding.extra["parameter"] == "auth (cookie)" and (finding.path, finding.line) == ("app.py", 12)


def test_missing_headers_are_reported_at_the_sites_root_when_it_lacks_them_too():
    """A site-wide finding at the page a reader looks at first, whichever page the run read first."""
    from types import SimpleNamespace

    from auditor.probe.checks.headers import ResponseHygiene
    from auditor.probe.interface import Exchange

    def page(path: str) -> Exchange:
        return Exchange("GET", f"http://127.0.0.1:1{path}", {}, "", 200, [("Content-Type", "text/html")],
                        "<p>hello</p>", 0.0)

    answers = {("GET", "/profile"): page("/profile"), ("GET", "/"): page("/")}
    sender = SimpleNamespace(cookie_setters=[], first_answers=answers, history=[])
    found = [c.endpoint for c in ResponseHygiene().run(sender, ProbeContext(origin="http://127.0.0.1:1"), [])]
    assert found == ["/"]

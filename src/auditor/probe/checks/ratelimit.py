"""Missing rate limiting on login: a bounded burst (at most 30) of wrong passwords for a random
user, with no 429, no lockout status, no Retry-After and no growing delay. The same burst of
wrong codes on a one-time-code form (OTP, 2FA, PIN): a short code falls to a brute force."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from random import SystemRandom
from urllib.parse import quote, urlencode, urlsplit

from auditor.probe.checks.canary import same, token
from auditor.probe.checks.sql_code import handler_text
from auditor.probe.checks.sqli import sql_error
from auditor.probe.csrf import is_token_field, refused_for_token
from auditor.probe.interface import (
    Confirmation,
    Exchange,
    InjectionPoint,
    Param,
    ProbeContext,
    Route,
    Sender,
    SiteCheck,
)
from auditor.probe.routes.common import LOGIN_PATH, login_fields
from auditor.probe.routes.inputs import name_words
from auditor.probe.sender import default_value

BURST = 30
# Login handlers burst per run. Sites often have more than one (a form and an API login, an admin
# sign-in), and each has its own limit or none; one that answers "unknown" does not count. Routes
# whose path names a login go first; a form that is a login by its shape alone (a user name and a
# password at any path: a database connection form too) after them.
MAX_LOGINS = 8
# Answers at the start of a burst that may differ from the rest: a form without its token yet is
# shown again (200) with one, after which every wrong password gets the same refusal (302).
SETTLE = 3
# Names of a one-time code's input, by word: `otp`, `totp_code`, `mfaToken`, `pin`, `verification_code`.
# A bare `code` is left out: it is as often a coupon or a snippet of source.
CODE_WORDS = {"otp", "totp", "hotp", "mfa", "2fa", "tfa", "pin", "passcode"}
CODE_PAIRS = {("verification", "code"), ("verify", "code"), ("auth", "code"), ("sms", "code"), ("one", "time")}


# An OAuth 2 token endpoint's errors (RFC 6749 5.2) that come before the user's password is
# looked at: an unknown client, a grant it does not take, a malformed request. Only
# `invalid_grant` is the wrong password's answer.
OAUTH_REFUSED_FIRST = re.compile(
    r'"error"\s*:\s*"(?:invalid_client|invalid_request|unauthorized_client|unsupported_grant_type|invalid_scope)"')

_RANDOM = SystemRandom()


def wrong_code() -> str:
    return str(_RANDOM.randrange(100_000, 1_000_000))  # six digits, the usual length


# A route whose path names a one-time code (`/user/{id}/validate-otp`, `/2fa/verify`): there a
# `code` or `token` input is that code, wherever it travels (vuln-express-app's OTP check reads
# `req.query.token`).
CODE_PATH = re.compile(r"(?:^|[/_-])(?:otp|totp|2fa|mfa|one-?time)(?:$|[/_-])", re.I)
CODE_IN_CODE_PATH = frozenset({"code", "token", "otp", "pin"})


def code_field(route: Route) -> Param | None:
    """The one-time-code input of a POST form or JSON body of at most three inputs, or the
    `code`/`token` input (form, JSON or query) of a POST whose path names a one-time code."""
    if route.method != "POST":
        return None
    for p in route.params:
        if p.location in ("query", "form", "json") and CODE_PATH.search(route.path) and \
                p.name.lower() in CODE_IN_CODE_PATH:
            return p
        if p.location not in ("form", "json"):
            continue
        words = name_words(p.name)
        if CODE_WORDS & set(words) or CODE_PAIRS & set(zip(words, words[1:], strict=False)):
            body = [q for q in route.params if q.location == p.location]
            return p if len(body) <= 3 else None
    return None


# Setting a second factor up is no sign-in: the signed-in user who submits the code was shown its
# secret on the page before (`def do_mfa_enable`, `/2fa/setup`), so guessing it gains nothing.
ENROLL_WORDS = frozenset({"enable", "enroll", "enrol", "setup", "activate", "register", "configure"})


def enrolls(route: Route, project: Path | None) -> bool:
    """Whether the route's path or its handler's line says it sets a second factor up."""
    first_line = handler_text(project, route).split("\n", 1)[0]
    return bool(ENROLL_WORDS & set(name_words(route.path + " " + first_line)))


def _target(route: Route, query: dict[str, str]) -> str:
    """The path a burst request goes to: placeholders filled with their example (else 1), and
    the inputs that travel in the query."""
    examples = {p.name: p.example or "1" for p in route.params if p.location == "path"}
    path = re.sub(r"\{(\w+)\}", lambda m: quote(examples.get(m.group(1), "1"), safe=""), route.path.split("#")[0])
    return path + ("?" + urlencode(query) if query else "")


# Where a refused login sends the user back: the form itself, or a page named for signing in or the error.
_BACK_TO_LOGIN = re.compile(r"log_?-?in|sign_?-?in|auth|session|error|fail|invalid", re.IGNORECASE)


def _redirected_away(route: Route, answer: Exchange) -> bool:
    """A redirect to a page other than the login route itself."""
    if not 300 <= answer.status < 400:
        return False
    target = urlsplit(answer.header("location") or "").path.rstrip("/") or "/"
    return target != (route.path.rstrip("/") or "/")


def _sent_elsewhere(route: Route, answer: Exchange) -> bool:
    """A login answered by a redirect away from signing in (to /index, /dashboard): the session is
    already signed in, or the form was never judged; the passwords did not run (microblog sends a
    signed-in user straight to /index). A refusal goes back to the form or to an error page."""
    target = urlsplit(answer.header("location") or "")
    return _redirected_away(route, answer) and not _BACK_TO_LOGIN.search(target.path + "?" + target.query)


def _attempt(sender: Sender, route: Route, field: Param, others: dict[str, str], value: str) -> Exchange:
    """One login request with `value` for `field` and `others` beside it: a GET form, or a POST
    whose password is a query input, sends every field in its query, a POST form or JSON body its
    fields there; a GraphQL operation its document with the fields as variables."""
    # the form's other inputs go along with their usual values: a login that also wants a `url`
    # refuses one without it before any password is checked
    rest = {p.name: default_value(p) for p in route.params
            if p.location == field.location and p.name != field.name and not is_token_field(p.name)}
    body = {**rest, **others, field.name: value}
    # a POST whose password is a query input (FastAPI's plain parameters) takes its user there too
    query = body if route.method == "GET" or field.location == "query" else {}
    json_body: object = {"query": route.graphql, "variables": body} if route.graphql else \
        body if field.location == "json" else None
    return sender.request(route.method, _target(route, query), json_body=json_body,
                          body=body if field.location == "form" else None)


def _answered_otherwise(sender: Sender, route: Route, field: Param, others: dict[str, str], visitor: Exchange) -> bool:
    """One wrong password sent with the session is answered with another status than the
    visitor's (a 200 "wrong password" where the visitor got a redirect to sign in)."""
    ex = _attempt(sender, route, field, others, token("wrong"))
    return ex.status > 0 and ex.status != visitor.status


def own_not_found(sender: Sender, route: Route, answer: Exchange) -> bool:
    """A 404 that is the login's own answer ("no such user", we45's Flask app), not the server's
    page for a path nothing serves: it differs from the answer of a POST to a path beside it that
    cannot exist (both paths masked, as a not-found page may name them)."""
    missing = f"{route.path.rstrip('/')}-{token('missing')}"
    other = sender.request(route.method, missing, json_body={} if route.method == "POST" else None)
    return other.status > 0 and not same(answer, other, [missing, route.path])  # the longer first


# A validator's refusal of an input the request lacks (FastAPI's `"type":"missing"`, "Field
# required", "username is required"): the login never ran, whatever input it names.
MISSING_INPUT = re.compile(r'"type"\s*:\s*"missing"|field required|is required|required field|'
                           r"must not be (?:empty|blank|null)|cannot be (?:empty|blank)", re.I)


def burst(sender: Sender, route: Route, field: Param, others: dict[str, str],
          wrong: Callable[[], str] = lambda: token("wrong")) -> tuple[str, Exchange | None]:
    """BURST wrong values for `field` (with `others` beside it): ("limited", None) on a 423/429/503,
    a Retry-After or a growing delay; ("unlimited", last answer) when all answered alike below 500
    (but the first SETTLE, sent while the session and its form token were being set up);
    else ("unknown", None): no such route, an anti-CSRF refusal or a validator's refusal of another
    input (the password was never checked), or server errors (a crash on an unknown user), which
    prove nothing either way."""
    last = None
    times: list[float] = []
    statuses: list[int] = []
    own_404 = False
    # the login's other inputs (not the password's, not the user's): a 400/422 naming one of them is
    # a validator's refusal before any password was compared (FastAPI's grant_type pattern)
    beside = [p.name for p in route.params if p.location == field.location and p.name != field.name
              and p.name not in others and not is_token_field(p.name)]
    for _ in range(BURST):
        ex = _attempt(sender, route, field, others, wrong())
        if ex.status in (423, 429, 503) or ex.header("retry-after") or ex.status <= 0:
            return "limited", None
        if ex.status == 404 and not own_404:
            own_404 = own_not_found(sender, route, ex)
        if (ex.status == 404 and not own_404) or ex.status in (405, 410) or \
                refused_for_token(route.method, ex.status, ex.text) or OAUTH_REFUSED_FIRST.search(ex.text) or \
                (ex.status in (400, 422) and (any(re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", ex.text) for n in beside)
                                              or MISSING_INPUT.search(ex.text))) or sql_error(ex.text):
            # no such route here, refused before the login ran (no token, no client), or its statement
            # failed (a database error: no password was compared)
            return "unknown", None
        times.append(ex.elapsed)
        statuses.append(ex.status)
        last = ex
    if last is None or len(set(statuses[SETTLE:])) != 1 or last.status >= 500 or _sent_elsewhere(route, last):
        return "unknown", None
    if growing(times):
        return "limited", None
    return "unlimited", last


def _median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


def growing(times: list[float]) -> bool:
    """A delay that grows with the failures (a throttle): the last third of the burst answered
    three times slower than the first third, and 0.2 s slower at least. One slow answer (a
    loaded machine, a garbage collection) is no throttle."""
    third = max(len(times) // 3, 1)
    early, late = _median(times[:third]), _median(times[-third:])
    return late >= 3 * max(early, 0.02) and late - early >= 0.2


def real_account(ctx: ProbeContext, user: Param | None) -> str | None:
    """An account the probe holds, for the burst's user name: a login that refuses an unknown user
    before it compares any password (a mail format check, "no user found") proves nothing. The
    last identity's (the other user of the IDOR checks, not the one every request is sent as),
    in the field's shape: a mail for a mail field, a name otherwise."""
    from auditor.probe.checks.own_records import session_names

    if user is None:
        return None
    known = [*ctx.accounts, *(n for _, headers in ctx.identities for n in session_names(headers))]
    wants_mail = "mail" in user.name.lower() or "@" in user.example
    fitting = [n for n in known if ("@" in n) == wants_mail]
    return fitting[-1] if fitting else None


class LoginRateLimit(SiteCheck):
    name = "ratelimit"

    def run(self, sender: Sender, ctx: ProbeContext, routes: list[Route]) -> list[Confirmation]:
        found: list[Confirmation] = []
        judged = 0
        handlers: set[tuple[str, int]] = set()
        for r in sorted(routes, key=lambda r: not LOGIN_PATH.search(r.path)):  # up to MAX_LOGINS handlers
            if (fields := login_fields(r, any_kind=True)) is None or judged >= MAX_LOGINS:
                continue
            if r.file:  # one handler mounted at two paths (`/login`, `/api/login`) shares its limit
                if (r.file, r.line) in handlers:
                    continue
                handlers.add((r.file, r.line))
            pw, user = fields
            name = real_account(ctx, user) or token("auduser")
            others = {user.name: name} if user is not None else {}
            with sender.new_visitor():  # a signed-in session is sent home: its passwords never run
                verdict, last = burst(sender, r, pw, others)
            if verdict == "unlimited" and last is not None and ctx.identities and _redirected_away(r, last) and \
                    _answered_otherwise(sender, r, pw, others, last):
                # a form behind the app's own login (an exercise page): the visitor was sent to sign
                # in and no password ran; with the session the form answers, and the burst is its
                verdict, last = burst(sender, r, pw, others)
            if verdict == "unlimited" and last is not None:
                found.append(Confirmation("missing-rate-limiting", self.name,
                                          f"login accepts {BURST} wrong passwords in a burst with no 429, lockout or delay",
                                          last, name, InjectionPoint(r, pw), endpoint=r.path, method=r.method,
                                          severity="medium"))
            judged += verdict != "unknown"
        for r in routes:  # each one-time-code form: each guards its own secret
            if (code := code_field(r)) is None or login_fields(r) is not None or enrolls(r, ctx.project):
                continue
            # digits: a code field is often a number column, which a letter would crash (a 500)
            verdict, last = burst(sender, r, code, {}, wrong_code)
            if verdict == "unlimited" and last is not None:
                found.append(Confirmation("missing-rate-limiting", self.name,
                                          f"one-time-code form accepts {BURST} wrong codes for `{code.name}` in a burst "
                                          "with no 429, lockout or delay", last, code.name, InjectionPoint(r, code),
                                          endpoint=r.path, method="POST", severity="medium"))
        return found

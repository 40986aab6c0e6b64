"""An administrator's routes, probed as an administrator the probe made itself.

Routes that refuse the run's identity outright (403 to the usual value, the canary and the
polyglot: `engine.forbidden`) are an administrator's functions, and their handlers never ran.
Two ways in that any visitor has, tried in turn:
- a login whose SQL injection the run confirmed, bypassed by an always-true OR after its
  password: the login takes the first account the statement finds, often the administrator
  (sent only where the SQL check would send that OR itself: a handler that builds only SELECTs);
- a sign-up that keeps the privilege fields a visitor sends (`role`, `isAdmin`, `is_staff`...:
  a mass assignment): an account signed up that way, logged in (or by the sign-up's own answer).

A session is used only where it is let through (not 401/403, nor sent to a login page), twice,
at a route that refused the run's identity; otherwise nothing more is sent. Every finding made
as it says how the session was had: that is the attacker's first step."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain

from auditor.errors import AuditorError
from auditor.probe.checks.canary import numbers
from auditor.probe.checks.privileged_signup import ADMIN_PATH, FORM_FLAGS, JSON_FLAGS, refused
from auditor.probe.checks.sqli import OR_PASSWORD, or_accounts
from auditor.probe.interface import Exchange, InjectionPoint, ProbeContext, Route
from auditor.probe.login import LoginRecipe, add_session, session_of
from auditor.probe.routes.common import login_fields
from auditor.probe.sender import PointSender
from auditor.probe.signup import login_body, login_route, new_account, signup_body, signup_route

# What the sign-up is sent beside the account's own fields, in turn until an account is let
# through: every flag at once (a model keeps the fields it has), then the role alone (a validator
# that refuses unknown fields), each with the role in lower case and in an enum's upper case.
VARIANTS: tuple[tuple[dict[str, object], dict[str, str]], ...] = (
    (JSON_FLAGS, FORM_FLAGS),
    ({**JSON_FLAGS, "role": "ADMIN"}, {**FORM_FLAGS, "role": "ADMIN"}),
    ({"role": "admin"}, {"role": "admin"}),
    ({"role": "ADMIN"}, {"role": "ADMIN"}),
)


MAX_ROUTES_TRIED = 4  # refused routes a session is tried at before the next session


@dataclass
class Escalation:
    headers: dict[str, str]  # the account's session (kept current by the client where it logged in)
    how: str  # how the account was had, for the findings made as it


def let_through(answer: Exchange) -> bool:
    """Past the access check: answered, and neither refused nor sent to log in (a 404 is the
    handler's own: the value named nothing)."""
    return answer.status > 0 and (answer.status == 404 or not refused(answer))


def _default_logins(sender: PointSender, ctx: ProbeContext,
                    logins: list[LoginRecipe]) -> Iterator[tuple[dict[str, str], str]]:
    """Sessions of the administrators' accounts the run got into with default credentials
    (checks/default_credentials); their recipes are added to `logins`."""
    for recipe, how in ctx.default_logins:
        logins.append(recipe)
        try:
            yield add_session(sender.client, recipe), how
        except AuditorError:
            continue


def _bypassed_logins(sender: PointSender, ctx: ProbeContext, routes: list[Route],
                     confirmed: set[tuple[str, str, str, str]]) -> Iterator[tuple[dict[str, str], str]]:
    """Sessions of the logins whose SQL injection the run confirmed, opened by an always-true OR
    after the password (the statement then finds every account, and the login takes the first:
    often the administrator). Only where the SQL check would send that OR itself: the scanner
    says the password reaches SQL built from strings, and the handler builds only SELECTs."""
    for route in routes:
        fields = login_fields(route)
        if fields is None or not any(k[0] == "sql-injection" and (k[1], k[2]) == route.key for k in confirmed):
            continue
        point = InjectionPoint(route, fields[0])
        accounts = or_accounts(ctx, point)
        if not accounts:
            continue
        user, account = accounts[0]
        a, _ = numbers()
        payload = OR_PASSWORD[0].format(v="x", a=a)
        with sender.new_visitor():
            answer = sender.send(point, payload, others={user: account})
            jar = dict(sender.client.jar)
        if (headers := session_of(answer, jar)) is not None:
            yield headers, (f"as the account a login bypass opens: {fields[0].name}={payload} at {route.path}, "
                            "its SQL injection")


def _signed_up(sender: PointSender, routes: list[Route], logins: list[LoginRecipe]) -> Iterator[tuple[dict[str, str], str]]:
    """Sessions of accounts signed up with privilege fields (VARIANTS, in turn), logged in by the
    sign-up itself or through the site's login. The login recipes are added to `logins`."""
    signup = signup_route(routes)
    if signup is None:
        return
    # the site's own login, not an admin's (which may take only accounts made by an admin)
    login = login_route([r for r in routes if not ADMIN_PATH.search(r.path)]) or login_route(routes)
    for as_json, as_form in VARIANTS:
        account = new_account()
        where, body = signup_body(signup, account)
        extra: dict[str, object] = dict(as_json) if where == "json" else dict(as_form)
        with sender.new_visitor():  # a new browser: the form's cookies and anti-CSRF token first
            sender.request("GET", signup.path)
            made = (sender.request("POST", signup.path, json_body={**body, **extra}) if where == "json"
                    else sender.request("POST", signup.path, body={**body, **{k: str(v) for k, v in extra.items()}}))
            jar = dict(sender.client.jar)
        if made.status <= 0 or made.status >= 400:
            continue
        how = (f"as an account any visitor can make: signed up at {signup.path} with "
               + ", ".join(f"{k}={v}" for k, v in extra.items()))
        if (headers := session_of(made, jar)) is not None:
            yield headers, how
        # cookies a sign-up leaves may be a visitor's session only; a token it answers is the account's
        if login is not None and (headers is None or "Cookie" in headers):
            route, pw, user = login
            creds = login_body(account, pw, user)
            recipe = LoginRecipe(f"auditor-admin-{len(logins)}", "POST", route.path,
                                 form=creds if pw.location == "form" else None,
                                 json_body=dict(creds) if pw.location == "json" else None)
            logins.append(recipe)
            try:
                yield add_session(sender.client, recipe), how
            except AuditorError:
                continue


def privileged_account(sender: PointSender, ctx: ProbeContext, routes: list[Route],
                       refused_at: list[InjectionPoint], logins: list[LoginRecipe],
                       confirmed: set[tuple[str, str, str, str]]) -> Escalation | None:
    """A session that a route refusing the run's identity lets through, twice: a login the run's
    SQL injection bypasses, else an account signed up with privilege fields; None where neither
    gives one. The login recipes of the accounts it logs in are added to `logins` (their
    passwords are masked in the report)."""
    # One point per route, an administrator's by its path first: a route refused to the run's
    # user may be another role's (a client's list, refused to a freelancer and an admin alike).
    firsts = {p.route.key: p for p in reversed(refused_at)}
    tried = sorted(firsts.values(), key=lambda p: (not ADMIN_PATH.search(p.route.path), p.route.method != "GET",
                                                   "{" in p.route.path))[:MAX_ROUTES_TRIED]
    if not tried:
        return None
    for headers, how in chain(_default_logins(sender, ctx, logins), _bypassed_logins(sender, ctx, routes, confirmed),
                              _signed_up(sender, routes, logins)):
        for at in tried:
            with sender.acting_as(headers):
                first = sender.baseline(at)
            if not let_through(first):
                continue
            with sender.acting_as(headers):  # its own baseline again, not the cached one
                again = sender.baseline(at)
            if let_through(again):
                return Escalation(headers, f"{how} (the probe's own session is refused at this route)")
    return None

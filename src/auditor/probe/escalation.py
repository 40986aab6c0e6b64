"""An administrator's routes, probed as an administrator the probe made itself.

Routes that refuse the run's identity outright (403 to the usual value, the canary and the
polyglot: `engine.forbidden`) are an administrator's functions, and their handlers never ran.
Where the app's sign-up keeps the privilege fields a visitor sends (`role`, `isAdmin`,
`is_staff`...: a mass assignment), any visitor has such an account. So the probe signs one up that
way, logs it in (or takes the token the sign-up answered), and probes those routes again as it.

The account is used only where it is let through (not 401/403, nor sent to a login page), twice,
at a route that refused the run's identity; otherwise nothing more is sent. Every finding made
as it says how the account was had: that is the attacker's first step."""

from __future__ import annotations

import json
from dataclasses import dataclass

from auditor.errors import AuditorError
from auditor.probe.checks.privileged_signup import ADMIN_PATH, FORM_FLAGS, JSON_FLAGS, refused
from auditor.probe.interface import Exchange, InjectionPoint, Route
from auditor.probe.login import LoginRecipe, add_session, find_token
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


@dataclass
class Escalation:
    headers: dict[str, str]  # the account's session (kept current by the client where it logged in)
    how: str  # how the account was had, for the findings made as it


def let_through(answer: Exchange) -> bool:
    """Past the access check: answered, and neither refused nor sent to log in (a 404 is the
    handler's own: the value named nothing)."""
    return answer.status > 0 and (answer.status == 404 or not refused(answer))


def _session(made: Exchange) -> dict[str, str] | None:
    """The session a sign-up's answer hands over: a token in its JSON (an API that logs the new
    account in at once), else None."""
    try:
        token = find_token(json.loads(made.text), "")
    except ValueError:
        return None
    return {"Authorization": f"Bearer {token}"} if token else None


def privileged_account(sender: PointSender, routes: list[Route], refused_at: list[InjectionPoint],
                       logins: list[LoginRecipe]) -> Escalation | None:
    """An account signed up with privilege fields that a route refusing the run's identity lets
    through; None where the app has no sign-up, or no variant makes one. The login recipes of
    the accounts it logs in are added to `logins` (their passwords are masked in the report)."""
    signup = signup_route(routes)
    if signup is None or not refused_at:
        return None
    # the site's own login, not an admin's (which may take only accounts made by an admin)
    login = login_route([r for r in routes if not ADMIN_PATH.search(r.path)]) or login_route(routes)
    at = min(refused_at, key=lambda p: (p.route.method != "GET", "{" in p.route.path))
    for as_json, as_form in VARIANTS:
        account = new_account()
        where, body = signup_body(signup, account)
        extra: dict[str, object] = dict(as_json) if where == "json" else dict(as_form)
        with sender.new_visitor():  # a new browser: the form's cookies and anti-CSRF token first
            sender.request("GET", signup.path)
            made = (sender.request("POST", signup.path, json_body={**body, **extra}) if where == "json"
                    else sender.request("POST", signup.path, body={**body, **{k: str(v) for k, v in extra.items()}}))
        if made.status <= 0 or made.status >= 400:
            continue
        headers = _session(made)
        if headers is None and login is not None:
            route, pw, user = login
            creds = login_body(account, pw, user)
            recipe = LoginRecipe(f"auditor-admin-{len(logins)}", "POST", route.path,
                                 form=creds if pw.location == "form" else None,
                                 json_body=dict(creds) if pw.location == "json" else None)
            logins.append(recipe)
            try:
                headers = add_session(sender.client, recipe)
            except AuditorError:
                continue
        if headers is None:
            continue
        with sender.acting_as(headers):
            first = sender.baseline(at)
        with sender.acting_as(headers):  # its own baseline again, not the cached one
            again = sender.baseline(at)
        if let_through(first) and let_through(again):
            fields = ", ".join(f"{k}={v}" for k, v in extra.items())
            return Escalation(headers, f"as an account any visitor can make: signed up at {signup.path} with "
                                       f"{fields} (the probe's own session is refused at this route)")
    return None

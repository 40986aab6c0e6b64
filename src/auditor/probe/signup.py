"""Throwaway accounts: where the app offers a sign-up form and a login, and the user named no
identity (`--as`, `--login`), the probe signs up two accounts of its own and logs them in, so the
pages behind the login are probed too and IDOR has two users. Each account is new (a random
name, `aud…@example.com`, a random strong password); nothing of a real user is touched, and
the passwords are masked in the report like a recipe's. `--no-signup` turns it off."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from auditor.probe.csrf import is_token_field
from auditor.probe.interface import Param, Route
from auditor.probe.login import LoginRecipe
from auditor.probe.routes.common import PASSWORD, login_fields
from auditor.probe.safety import SafeClient

SIGNUP_PATH = re.compile(r"regist|sign-?_?up|join|create[-_]?account|new[-_]?(?:user|account)", re.I)
_MAIL = re.compile(r"mail", re.I)
_NAME = re.compile(r"user|login|nick|handle|account|^name$", re.I)
_PERSON = re.compile(r"first|last|full|display|given|family|name", re.I)
_AGREE = re.compile(r"agree|terms|accept|consent|tos\b", re.I)


@dataclass(frozen=True)
class Account:
    name: str
    email: str
    password: str


def new_account() -> Account:
    tag = os.urandom(4).hex()
    # Upper and lower case, digits and a symbol: passes the usual complexity rules.
    return Account(f"aud{tag}", f"aud{tag}@example.com", f"Aud-{os.urandom(6).hex()}-9z!")


def signup_route(routes: list[Route]) -> Route | None:
    """A POST form or JSON body that creates an account: a sign-up path and a password input."""
    for r in routes:
        if r.method == "POST" and SIGNUP_PATH.search(r.path) and "{" not in r.path and login_fields(r) is None and \
                any(PASSWORD.search(p.name) and p.location in ("form", "json") for p in r.params):
            return r
    return None


def login_route(routes: list[Route]) -> tuple[Route, Param, Param | None] | None:
    for r in routes:
        if "{" not in r.path and (fields := login_fields(r)) is not None:
            return r, *fields
    return None


def signup_body(route: Route, account: Account) -> tuple[str, dict[str, str]]:
    """(location, body) of the sign-up request: the account's name, email and password (twice where
    the form asks for a confirmation), a yes to terms, a plausible value for the rest."""
    where = next(p.location for p in route.params if PASSWORD.search(p.name) and p.location in ("form", "json"))
    body: dict[str, str] = {}
    for p in route.params:
        if p.location != where or is_token_field(p.name):
            continue
        if PASSWORD.search(p.name):
            body[p.name] = account.password
        elif _MAIL.search(p.name):
            body[p.name] = account.email
        elif _NAME.search(p.name):
            body[p.name] = account.name
        elif _PERSON.search(p.name):
            body[p.name] = "Aud"
        elif _AGREE.search(p.name):
            body[p.name] = "on" if where == "form" else "true"
        else:
            body[p.name] = p.example or "1"
    return where, body


def login_body(account: Account, pw: Param, user: Param | None) -> dict[str, str]:
    """The login's fields for `account`: its password, and its email or name as the user."""
    creds = {pw.name: account.password}
    if user is not None:
        creds[user.name] = account.email if _MAIL.search(user.name) else account.name
    return creds


def sign_up(client: SafeClient, routes: list[Route], count: int = 2) -> tuple[list[LoginRecipe], str]:
    """Sign up `count` new accounts; their login recipes, and why none could be made ("" if made)."""
    signup, login = signup_route(routes), login_route(routes)
    if signup is None or login is None:
        return [], ""
    route, pw, user = login
    recipes: list[LoginRecipe] = []
    for i in range(count):
        account = new_account()
        where, body = signup_body(signup, account)
        url = client.url_for(signup.path)
        with client.new_visitor():  # a new browser: no session of an earlier account
            client.send("GET", url)  # the form's page first, as a browser: its cookies and anti-CSRF token
            ex = client.send("POST", url, data=body if where == "form" else None,
                             json_body=body if where == "json" else None)
        if ex.status <= 0 or ex.status >= 400:
            return recipes, f"sign-up at {signup.path} answered {ex.status if ex.status > 0 else 'nothing'}"
        creds = login_body(account, pw, user)
        recipes.append(LoginRecipe(f"auditor-{'ab'[i] if i < 2 else i}", "POST", route.path,
                                   form=creds if pw.location == "form" else None,
                                   json_body=dict(creds) if pw.location == "json" else None))
    return recipes, ""

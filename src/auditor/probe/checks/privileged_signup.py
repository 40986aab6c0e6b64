"""Mass assignment at sign-up: the account form saves whatever fields it is sent, so a visitor
signs up as staff (`is_superuser`, `is_staff`, `isAdmin`, `role=admin` beside the name and
password). Django's ModelForm with `exclude` instead of `fields`, an Express `User.create(req.body)`.

Proved by two throwaway accounts that differ only by those fields: each is signed up and
logged in as a new visitor, then asks the app's admin pages. Confirmed when the account sent
with the flags is shown an admin page, twice, that the plain account is refused (a 401/403/404,
or sent to a login page). Both logins must have succeeded, so the difference is the flags and
not a failed login."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from auditor.probe.interface import Confirmation, Exchange, Param, ProbeContext, Route, Sender, SiteCheck
from auditor.probe.login import bearer_of
from auditor.probe.routes.common import login_fields, signs_out
from auditor.probe.signup import login_body, login_route, new_account, signup_body, signup_route

# Fields that make an account privileged, in the spellings frameworks' user models use.
FLAGS = ("is_superuser", "is_staff", "is_admin", "isAdmin", "admin", "role")
ADMIN_PATH = re.compile(r"(?:^|/)(?:admin|administrator|superuser|staff)(?:[/_.-]|$)", re.I)
LOGIN_WORDS = re.compile(r"log[-_]?in|sign[-_]?in", re.I)
PASSWORD_INPUT = re.compile(r"<input[^>]*type\s*=\s*[\"']?password", re.I)
MAX_PAGES = 3


def admin_pages(routes: list[Route], limit: int = MAX_PAGES) -> list[str]:
    """GET pages without placeholders whose path names an administrator (`/admin/`,
    `/api/admin/users`), not their login forms; the shortest `limit` of them."""
    paths = [r.path for r in routes if r.method == "GET" and "{" not in r.path and ADMIN_PATH.search(r.path)
             and not LOGIN_WORDS.search(r.path) and not signs_out(r.path)]
    return sorted(set(paths), key=len)[:limit]


# The privileged fields as a form's checkboxes (`on`) or JSON booleans; `role` as `admin`.
FORM_FLAGS = {k: "admin" if k == "role" else "on" for k in FLAGS}
JSON_FLAGS: dict[str, object] = {k: "admin" if k == "role" else True for k in FLAGS}


def logged_in(answer: Exchange) -> dict[str, str] | None:
    """The headers of the session a login answer opened ({} when it is the visitor's cookie
    jar), or None when the login was refused: an error status, a redirect back to a login page,
    or the login form shown again."""
    if answer.status <= 0 or answer.status >= 400:
        return None
    if (bearer := bearer_of(answer)) is not None:
        return bearer
    if 300 <= answer.status < 400:
        return None if LOGIN_WORDS.search(urlsplit(answer.header("location") or "").path) else {}
    return None if PASSWORD_INPUT.search(answer.text) else {}


def opened(answer: Exchange) -> bool:
    """An admin page shown: a 200 that is not a login form."""
    return answer.status == 200 and not PASSWORD_INPUT.search(answer.text)


def refused(answer: Exchange) -> bool:
    """An admin page refused: 401/403/404, or a redirect or a page asking to log in."""
    if answer.status in (401, 403, 404):
        return True
    if 300 <= answer.status < 400:
        return bool(LOGIN_WORDS.search(urlsplit(answer.header("location") or "").path))
    return answer.status == 200 and bool(PASSWORD_INPUT.search(answer.text))


def private_page(sender: Sender, ctx: ProbeContext, routes: list[Route]) -> str | None:
    """A GET page without inputs to fill (a header or cookie the code reads is the session's)
    that a visitor is refused and the run's identity is shown; looked for once per run."""
    if ctx.private_page is None:
        ctx.private_page = ""
        pages = [r.path for r in routes if r.method == "GET" and "{" not in r.path and
                 all(p.location in ("header", "cookie") for p in r.params) and
                 not LOGIN_WORDS.search(r.path) and not signs_out(r.path) and login_fields(r) is None]
        for page in list(dict.fromkeys(pages))[:MAX_PRIVATE_PAGES]:
            if not opened(sender.request("GET", page)):
                continue
            with sender.new_visitor():  # type: ignore[attr-defined]
                if refused(sender.request("GET", page)):
                    ctx.private_page = page
                    break
    return ctx.private_page or None


MAX_PRIVATE_PAGES = 6


class PrivilegedSignup(SiteCheck):
    name = "mass-assignment"  # `--check mass-assignment` runs both

    def run(self, sender: Sender, ctx: ProbeContext, routes: list[Route]) -> list[Confirmation]:
        # the site's own login, not the admin's: an admin login refuses the plain account by design
        signup, pages = signup_route(routes), admin_pages(routes)
        login = login_route([r for r in routes if not ADMIN_PATH.search(r.path)]) or login_route(routes)
        if signup is None or login is None or not pages:
            return []
        plain = self._account(sender, signup, login, pages, flagged=False)
        if plain is None or not any(refused(ex) for ex in plain):
            return []  # no plain account, or it opens every admin page: nothing to tell apart
        flagged = self._account(sender, signup, login, pages, flagged=True)
        if flagged is None:
            return []
        for page, mine, theirs in zip(pages, plain, flagged, strict=True):
            if refused(mine) and opened(theirs):
                where = "JSON" if any(p.location == "json" for p in signup.params) else "form"
                return [Confirmation("mass-assignment", self.name,
                                     f"mass assignment at sign-up: an account signed up at {signup.path} with "
                                     f"{', '.join(FLAGS)} in its {where} opens {page}, which the same sign-up "
                                     "without them is refused", theirs, "", endpoint=signup.path, method="POST")]
        return []

    def _account(self, sender: Sender, signup: Route, login: tuple[Route, Param, Param | None], pages: list[str],
                 flagged: bool) -> list[Exchange] | None:
        """Sign a new account up (with the privileged fields when `flagged`), log it in, and
        ask each admin page twice; the second answers where both agree, else None."""
        route, pw, user = login
        account = new_account()
        where, body = signup_body(signup, account)
        with sender.new_visitor():  # a new browser: its own cookie jar and anti-CSRF tokens
            sender.request("GET", signup.path)  # the form's page first: its cookies and token
            if where == "json":
                made = sender.request("POST", signup.path, json_body={**body, **(JSON_FLAGS if flagged else {})})
            else:
                made = sender.request("POST", signup.path, body={**body, **(FORM_FLAGS if flagged else {})})
            if made.status <= 0 or made.status >= 400:
                return None
            creds = login_body(account, pw, user)
            sender.request("GET", route.path)
            session = logged_in(sender.request("POST", route.path, body=creds if pw.location == "form" else None,
                                                json_body=creds if pw.location == "json" else None))
            if session is None:
                return None
            first = [sender.request("GET", p, headers=session) for p in pages]
            again = [sender.request("GET", p, headers=session) for p in pages]
        if [opened(a) for a in first] != [opened(b) for b in again]:
            return None  # pages that open one time and not the next prove nothing
        return again

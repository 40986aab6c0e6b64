"""An administrator's page that every signed-in user is shown: the route checks that a session
exists, never whose (`router.get('/admin/transactions', verifyToken, ...)` with no role check,
a Flask `/admin` that asks only for a `user_id` cookie).

A GET page whose path names an administrator (`/admin`, `/api/admin/users`, not its login) is
confirmed when a visitor with no session is refused there (401/403/404, or sent to log in) and
each of the run's identities, none of them an administrator, is shown it twice: a page or JSON,
not a refusal. An identity counts as an administrator when its name, its cookies or its token's
claims say so (`admin@...`, `is_admin=true`, a JWT `role: admin`); then nothing is judged, since
an administrator is meant to see the page. Where the app makes its first account an
administrator, the second identity is refused and nothing is confirmed either. A page a visitor
is shown too is judged only where it is a JSON list of several users' records (mails, user
names): an administrator's list of the users, open to anyone."""

from __future__ import annotations

import re

from auditor.probe.checks.jwt import JWT, claims_of
from auditor.probe.checks.own_records import json_of, listed_records
from auditor.probe.checks.privileged_signup import admin_pages, opened, refused
from auditor.probe.cookies import cookie_pairs
from auditor.probe.interface import Confirmation, Exchange, ProbeContext, Route, Sender, SiteCheck
from auditor.probe.routes.inputs import name_words

MAX_PAGES = 6
ADMIN_NAME = re.compile(r"admin|root|superuser", re.I)
PRIVILEGE_WORDS = frozenset({"admin", "administrator", "role", "roles", "superuser", "staff", "privilege"})
# A 200 that says no: the page's text refuses the user (a short message, or a page about it).
REFUSAL_TEXT = re.compile(r"access denied|forbidden|unauthori[sz]ed|not (?:allowed|authori[sz]ed|permitted)|"
                          r"permission|privilege|admins? only|only admins?|must be (?:an? )?admin|"
                          r"not an? admin|insufficient|denied", re.I)


def _privileged(value: object) -> bool:
    text = str(value).lower()
    return text in ("true", "1", "yes", "on") or bool(ADMIN_NAME.search(text))


def claims_admin(name: str, headers: dict[str, str]) -> bool:
    """Whether the identity says it is an administrator: by its name, a cookie that flags it
    (`is_admin=true`, `role=admin`), or a JWT claim (`role: admin`, `isAdmin: true`)."""
    if ADMIN_NAME.search(name):
        return True
    cookie = next((v for k, v in headers.items() if k.lower() == "cookie"), "")
    if any(set(name_words(k)) & PRIVILEGE_WORDS and _privileged(v) for k, v in cookie_pairs(cookie).items()):
        return True
    for value in headers.values():
        for tok in JWT.findall(value):
            claims = claims_of(tok) or {}
            if any(set(name_words(k)) & PRIVILEGE_WORDS and _privileged(v) for k, v in claims.items()):
                return True
    return False


PERSON_KEYS = re.compile(r"^(?:e-?mail|user_?name|username|login|phone)$", re.I)


def listed_people(answer: Exchange) -> int:
    """How many users' records a JSON answer lists (two at least, each with a mail or a user
    name of its own), else 0."""
    if answer.status != 200 or answer.is_html:
        return 0
    records = [r for r in listed_records(json_of(answer)) if any(PERSON_KEYS.match(str(k)) and v for k, v in r.items())]
    names = {str(v) for r in records for k, v in r.items() if PERSON_KEYS.match(str(k))}
    return len(records) if len(records) >= 2 and len(names) >= 2 else 0


def shown(answer: Exchange) -> bool:
    """The page itself: opened (a 200 that is not a login form) and not a refusal in words."""
    return opened(answer) and not REFUSAL_TEXT.search(answer.text[:2000])


class AdminPagesOpen(SiteCheck):
    name = "admin-pages"

    def run(self, sender: Sender, ctx: ProbeContext, routes: list[Route]) -> list[Confirmation]:
        identities = ctx.identities or ([("", sender.identity)] if getattr(sender, "identity", None) else [])
        if any(claims_admin(n, h) for n, h in identities):
            return []
        found: list[Confirmation] = []
        for page in admin_pages(routes, MAX_PAGES):
            with sender.new_visitor():  # type: ignore[attr-defined]
                visitor = sender.request("GET", page)
            if not refused(visitor):
                # open to anyone: judged only where it lists the users' own records (a public page,
                # an SPA's shell, says nothing)
                if people := listed_people(visitor):
                    found.append(Confirmation("broken-access-control", self.name,
                                              f"an administrator's page answers a visitor with no session: {page} "
                                              f"lists {people} users' records to anyone", visitor, "", endpoint=page,
                                              method="GET"))
                continue
            answers = [sender.request("GET", page, headers=h) for _, h in identities for _ in range(2)]
            if not identities or not all(shown(a) for a in answers):
                continue
            who = "every identity of the run" if len(identities) > 1 else "the run's identity"
            found.append(Confirmation("broken-access-control", self.name,
                                      f"an administrator's page answers any signed-in user: {page} refuses a "
                                      f"visitor ({visitor.status}) but shows {who}, none an administrator, "
                                      f"its content ({answers[-1].status})", answers[-1], "", endpoint=page,
                                      method="GET"))
        return found

"""Default credentials: the site's login takes an administrator's account under a name and a
password left at their usual values (admin/admin123, root/root), or under an administrator's
address that the project's own code or seed data names (`admin@shop.local`).

Each try is a new visitor's login, judged against a control: a made-up account's login, which
must be refused (an error status, a redirect back to the login, the form shown again) or answer
no session token. A try is a success when it opens a session the control does not: the answer
hands over a token, or it is not refused where the control is; the same login succeeds again.
Few passwords are tried per name (MAX_PER_USER): an account that locks after a handful of
failures is not locked by this check. Where a login succeeds, its recipe is kept on the context
(`ctx.default_logins`), so that the escalation (probe/escalation.py) tries the administrator's
functions with it."""

from __future__ import annotations

import re
from pathlib import Path

from auditor.probe.checks.privileged_signup import ADMIN_PATH, logged_in
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
from auditor.probe.login import LoginRecipe
from auditor.probe.signup import login_route, new_account

PASSWORDS = ("admin", "admin123", "password", "123456")
SAME_AS_NAME = ("administrator", "root")  # tried only with their own name as the password
MAX_PER_USER = 4
MAX_MAILS = 2
_MAIL_FIELD = re.compile(r"mail", re.I)
_ADMIN_MAIL = re.compile(r"\b(?:admin|administrator|root)@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+\b", re.I)
_SOURCE = (".py", ".js", ".ts", ".mjs", ".cjs", ".sql", ".json", ".yml", ".yaml", ".rb", ".env")


def admin_mails(root: Path | None) -> list[str]:
    """Administrators' addresses the project's code or seed data names (`admin@telco.com`)."""
    from auditor.fsutil import walk_files

    found: dict[str, None] = {}
    if root is None or not root.is_dir():
        return []
    for n, rel in enumerate(walk_files(root)):
        if n >= 3000 or not rel.endswith(_SOURCE) or rel.startswith(("node_modules/", "venv/", ".venv/")) or \
                "package-lock" in rel:
            continue
        try:
            text = (root / rel).read_text(encoding="utf-8", errors="replace")[:200_000]
        except OSError:
            continue
        found.update(dict.fromkeys(m.lower() for m in _ADMIN_MAIL.findall(text)))
    return list(found)[:MAX_MAILS]


def tries(user: Param | None, mails: list[str], accounts: list[str]) -> list[tuple[str, str]]:
    """(user, password) pairs in the order sent: the usual names, or addresses where the login
    asks for a mail (the code's own, then admin@ at the domain of the run's accounts)."""
    if user is not None and _MAIL_FIELD.search(user.name):
        domains = [a.split("@", 1)[1] for a in accounts if "@" in a]
        names = list(dict.fromkeys([*mails, *(f"admin@{d}" for d in domains)]))[:MAX_MAILS]
        return [(u, p) for u in names for p in PASSWORDS[:MAX_PER_USER]]
    return [("admin", p) for p in PASSWORDS[:MAX_PER_USER]] + [(u, u) for u in SAME_AS_NAME]


class DefaultCredentials(SiteCheck):
    name = "default-credentials"

    def run(self, sender: Sender, ctx: ProbeContext, routes: list[Route]) -> list[Confirmation]:
        # an administrator's own login first where the app has one, else the site's plainest
        # (`/auth/login` before `/auth/lab-insecure-login`)
        plain = sorted(routes, key=lambda r: len(r.path))
        login = login_route([r for r in plain if ADMIN_PATH.search(r.path)]) or login_route(plain)
        if login is None:
            return []
        route, pw, user = login
        stranger = new_account()
        control = self._login(sender, route, pw, user, stranger.name if user is None or not _MAIL_FIELD.search(
            user.name) else stranger.email, stranger.password)
        if control.status <= 0:
            return []
        if logged_in(control) is not None:
            return []  # the control is let in too, or hands over a token: nothing tells a success apart
        for name, password in tries(user, admin_mails(ctx.project), ctx.accounts):
            first = self._login(sender, route, pw, user, name, password)
            if logged_in(first) is None:
                continue
            again = self._login(sender, route, pw, user, name, password)
            if logged_in(again) is None:
                continue
            recipe = LoginRecipe(f"auditor-default-{name}", route.method, route.path,
                                 form=self._body(pw, user, name, password) if pw.location == "form" else None,
                                 json_body=dict(self._body(pw, user, name, password)) if pw.location == "json" else None)
            ctx.default_logins.append((recipe, f"as {name}, logged in at {route.path} with a default password"))
            return [Confirmation("weak-authentication", self.name,
                                 f"default credentials: the login at {route.path} takes {name} with the password "
                                 f"{password!r}, and a made-up account's login is refused ({control.status})",
                                 again, "", InjectionPoint(route, pw), endpoint=route.path, method=route.method,
                                 severity="critical")]
        return []

    @staticmethod
    def _body(pw: Param, user: Param | None, name: str, password: str) -> dict[str, str]:
        return {pw.name: password, **({user.name: name} if user is not None else {})}

    def _login(self, sender: Sender, route: Route, pw: Param, user: Param | None, name: str,
               password: str) -> Exchange:
        body = self._body(pw, user, name, password)
        with sender.new_visitor():  # type: ignore[attr-defined]
            sender.request("GET", route.path)  # the form's cookies and anti-CSRF token first
            if pw.location == "json":
                return sender.request(route.method, route.path, json_body=body)
            return sender.request(route.method, route.path, body=body)

"""A login that takes a wrong password for an account that exists: the password is never
compared (only the name is looked up), compared to nothing (`if (bcrypt.compare(pw, hash))`
without `await`: a promise is always true), or skipped by a flag the form carries
(`fastPath=1`).

Proved with the run's own account (the first identity's user name or mail, `ctx.accounts`) and
a password it does not have, sent as a new visitor with the form's other inputs at their usual
values. First a made-up account's login must be refused, and a private page must be known: one
that a visitor is refused and the identity is shown. Confirmed when the session the wrong
password opened is shown that page, twice."""

from __future__ import annotations

from auditor.probe.checks.canary import token
from auditor.probe.checks.privileged_signup import opened, private_page
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
from auditor.probe.login import session_of
from auditor.probe.routes.common import login_fields
from auditor.probe.signup import new_account

MAX_LOGINS = 3


class WrongPassword(SiteCheck):
    name = "wrong-password"

    def run(self, sender: Sender, ctx: ProbeContext, routes: list[Route]) -> list[Confirmation]:
        logins = [(r, f) for r in routes if "{" not in r.path and (f := login_fields(r)) is not None][:MAX_LOGINS]
        if not logins or not ctx.accounts:
            return []
        page = private_page(sender, ctx, routes)
        if page is None:
            return []
        account = ctx.accounts[0]
        found: list[Confirmation] = []
        for route, (pw, user) in logins:
            if user is None:
                continue
            stranger = new_account()
            control, jar = self._login(sender, route, pw, user.name, stranger.email if "@" in account else stranger.name)
            if control.status <= 0 or self._shown(sender, page, control, jar) is not None:
                continue  # no answer, or any name is let in: nothing tells the account's password apart
            answers = [self._login(sender, route, pw, user.name, account) for _ in range(2)]
            shown = [self._shown(sender, page, answer, jar) for answer, jar in answers]
            if all(ex is not None for ex in shown):
                point = InjectionPoint(route, pw)
                found.append(Confirmation("weak-authentication", self.name,
                                          f"authentication bypass: the login at {route.path} takes the account "
                                          f"{account!r} with a wrong password, and the session it opens is shown "
                                          f"{page}, which a visitor is refused", answers[1][0], "", point,
                                          endpoint=route.path, method=route.method, severity="critical"))
        return found

    @staticmethod
    def _login(sender: Sender, route: Route, pw: Param, user: str, name: str) -> tuple[Exchange, dict[str, str]]:
        """The login sent as a new visitor with `name` and a password no account has, the form's
        other inputs at their usual values; its answer and the cookies it left."""
        with sender.new_visitor():  # type: ignore[attr-defined]
            sender.request("GET", route.path)  # the form's cookies and anti-CSRF token first
            answer = sender.send(InjectionPoint(route, pw), f"Wrong-{token()}-9z!", others={user: name})
            return answer, dict(sender.client.jar)  # type: ignore[attr-defined]

    @staticmethod
    def _shown(sender: Sender, page: str, answer: Exchange, jar: dict[str, str]) -> Exchange | None:
        session = session_of(answer, jar)
        if session is None:
            return None
        with sender.new_visitor():  # type: ignore[attr-defined]
            ex = sender.request("GET", page, headers=session)
        return ex if opened(ex) else None

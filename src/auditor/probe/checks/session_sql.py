"""SQL injection through the session itself: a middleware that pastes the bearer token or the
session cookie into a statement (`SELECT * FROM tokens WHERE token = '${token}'`) before any
route runs. The point checks never put a payload where the session travels (it would only sign
the request out), so this is asked once per app here.

At a private page (refused to a visitor, shown to the run's identity), the identity's own
session value is sent with a quote and a unique token after it: confirmed when the answer is a
database error that names the token, and the same value without the quote is no database error
(error-based, as the SQL check's first proof). Nothing is changed: a broken session is refused or fails."""

from __future__ import annotations

from auditor.probe.checks.canary import token
from auditor.probe.checks.privileged_signup import private_page
from auditor.probe.checks.sqli import sql_error
from auditor.probe.cookies import cookie_pairs, with_cookie
from auditor.probe.interface import (
    Confirmation,
    InjectionPoint,
    Param,
    ProbeContext,
    Route,
    Sender,
    SiteCheck,
)

MAX_CARRIERS = 3


def carriers(identity: dict[str, str]) -> list[tuple[Param, str, str]]:
    """(input, its value, what comes before the value) of each place the session travels: each
    header but the cookie (its scheme kept: `Bearer `), then each cookie."""
    out = []
    for name, value in identity.items():
        if name.lower() == "cookie":
            out += [(Param(k, "cookie"), v, "") for k, v in cookie_pairs(value).items() if k and v]
        elif value:
            scheme, _, rest = value.rpartition(" ")
            out.append((Param(name, "header"), rest, f"{scheme} " if scheme else ""))
    return out[:MAX_CARRIERS]


class SessionSql(SiteCheck):
    name = "sqli"  # `--check sqli` runs it with the point check

    def run(self, sender: Sender, ctx: ProbeContext, routes: list[Route]) -> list[Confirmation]:
        identity = getattr(sender, "identity", {})
        # a page behind the session check (refused to a visitor), where the middleware has run
        page = private_page(sender, ctx, routes)
        paths = [page] if page is not None else []
        for param, value, scheme in carriers(identity):
            for path in paths:
                tok = token()
                broken = sender.request("GET", path, headers=self._with(identity, param, f"{scheme}{value}'{tok}"))
                if not (sql_error(broken.text) and tok in broken.text):
                    continue
                control = sender.request("GET", path, headers=self._with(identity, param, f"{scheme}{value}{tok}"))
                if sql_error(control.text):
                    continue
                route = Route("GET", path.split("?")[0], [param])
                return [Confirmation("sql-injection", self.name,
                                     f"SQL injection through the session: a quote after the identity's own "
                                     f"{param.name} ({param.location}) breaks a query that runs before the route "
                                     "(the database error names the request's token)", broken, tok,
                                     InjectionPoint(route, param), endpoint=route.path, method="GET",
                                     severity="critical")]
        return []

    @staticmethod
    def _with(identity: dict[str, str], param: Param, value: str) -> dict[str, str]:
        if param.location == "header":
            return {param.name: value}
        return {"Cookie": with_cookie(next((v for k, v in identity.items() if k.lower() == "cookie"), ""),
                                      param.name, value)}

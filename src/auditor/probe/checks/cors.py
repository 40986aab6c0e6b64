"""CORS: the app echoes an arbitrary Origin back in Access-Control-Allow-Origin and allows
credentials, so any site can read a logged-in user's responses.

Asked of the site's first pages (a CORS middleware answers them all alike), and of every route
whose handler sets the header itself, with the route's own method and, for a POST, the browser's
preflight too: each such handler is reported on its own. The POST goes without a body, so a
handler that changes data on a valid one (a password form) refuses it."""

from __future__ import annotations

import re

from auditor.probe.checks.canary import token
from auditor.probe.checks.sql_code import handler_text
from auditor.probe.interface import Confirmation, Exchange, ProbeContext, Route, Sender, SiteCheck

SETS_ORIGIN = re.compile(r"Access-Control-Allow-Origin", re.I)
MAX_HANDLERS = 20


def _reflected(ex: Exchange, origin: str) -> bool:
    creds = (ex.header("access-control-allow-credentials") or "").lower() == "true"
    return ex.header("access-control-allow-origin") == origin and creds


class CorsReflection(SiteCheck):
    name = "cors"

    def run(self, sender: Sender, ctx: ProbeContext, routes: list[Route]) -> list[Confirmation]:
        found: list[Confirmation] = []
        paths = ["/"] + [r.path for r in routes if r.method == "GET" and "{" not in r.path][:4]
        # A middleware that allows every origin with credentials may answer `*` to a request that
        # carries no cookie (Starlette's), and name the origin only where a browser would send the
        # cookies: a preflight, or a request with one. Without a session of the run's, those too.
        cookie = {} if any(k.lower() in ("cookie", "authorization") for k in getattr(sender, "identity", {})) \
            else {"Cookie": "auditor=1"}
        asks = [("GET", path, {}) for path in dict.fromkeys(paths)] + \
            [("OPTIONS", paths[-1], {"Access-Control-Request-Method": "POST",
                                     "Access-Control-Request-Headers": "content-type"})] + \
            ([("GET", paths[-1], cookie)] if cookie else [])
        for method, path, extra in asks:
            origin = f"https://{token()}.invalid"
            ex = sender.request(method, path, headers={"Origin": origin, **extra})
            if _reflected(ex, origin):
                how = " (to a browser's preflight)" if method == "OPTIONS" else ""
                found.append(Confirmation("cors-misconfiguration", self.name,
                                          f"CORS: any Origin is reflected with credentials allowed{how}", ex, origin,
                                          endpoint=path, method=method))
                break
        own = [r for r in routes if r.method in ("GET", "POST", "OPTIONS") and "{" not in r.path and r.file
               and SETS_ORIGIN.search(handler_text(ctx.project, r))][:MAX_HANDLERS]
        for r in own:
            if any(c.endpoint == r.path and c.method == r.method for c in found):
                continue
            origin = f"https://{token()}.invalid"
            headers = {"Origin": origin}
            if r.method == "OPTIONS":  # a preflight, as a browser sends it before a cross-site POST
                headers["Access-Control-Request-Method"] = "POST"
            ex = sender.request(r.method, r.path, headers=headers)
            if _reflected(ex, origin):
                found.append(Confirmation("cors-misconfiguration", self.name,
                                          f"CORS: {r.method} {r.path}'s handler reflects any Origin with credentials "
                                          "allowed", ex, origin, endpoint=r.path, method=r.method))
        return found

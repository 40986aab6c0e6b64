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
        for path in dict.fromkeys(paths):
            origin = f"https://{token()}.invalid"
            ex = sender.request("GET", path, headers={"Origin": origin})
            if _reflected(ex, origin):
                found.append(Confirmation("cors-misconfiguration", self.name,
                                          "CORS: any Origin is reflected with credentials allowed", ex, origin,
                                          endpoint=path, method="GET"))
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

"""CORS: the app echoes an arbitrary Origin back in Access-Control-Allow-Origin and allows
credentials, so any site can read a logged-in user's responses."""

from __future__ import annotations

from auditor.probe.checks.canary import token
from auditor.probe.interface import Confirmation, ProbeContext, Route, Sender, SiteCheck


class CorsReflection(SiteCheck):
    name = "cors"

    def run(self, sender: Sender, ctx: ProbeContext, routes: list[Route]) -> list[Confirmation]:
        paths = ["/"] + [r.path for r in routes if r.method == "GET" and "{" not in r.path][:4]
        for path in dict.fromkeys(paths):
            origin = f"https://{token()}.invalid"
            ex = sender.request("GET", path, headers={"Origin": origin})
            allowed = ex.header("access-control-allow-origin")
            creds = (ex.header("access-control-allow-credentials") or "").lower() == "true"
            if allowed == origin and creds:
                return [Confirmation("cors-misconfiguration", self.name,
                                     "CORS: any Origin is reflected with credentials allowed", ex, origin,
                                     endpoint=path, method="GET")]
        return []

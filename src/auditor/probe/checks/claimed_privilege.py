"""A privilege the client claims for itself in a header (`X-Admin-Override: true`, `IsAdmin:
True`): the code reads the header and compares it with a value (routes/inputs.py makes that
value the header's example). The route is asked with the first identity's session without the
header, and refused (401 or 403); with the header holding that value, and answered; without it
again, and refused again. Then the header, which any client can send, is what lets it through."""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode

from auditor.probe.checks.canary import token
from auditor.probe.checks.objects import body_of
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

# Header names that claim a role or a way past a check.
PRIVILEGE = re.compile(r"admin|role|privilege|superuser|staff|override|bypass|internal|debug|trusted", re.I)
REFUSED = (401, 403)
MAX_ROUTES = 8


def claims(route: Route) -> list[Param]:
    """The route's headers that claim a privilege and have a value the code compares them with."""
    return [p for p in route.params if p.location == "header" and p.example and not p.filled and
            PRIVILEGE.search(p.name) and p.name.lower() not in ("authorization", "cookie")]


class ClaimedPrivilege(SiteCheck):
    name = "claimed-privilege"

    def run(self, sender: Sender, ctx: ProbeContext, routes: list[Route]) -> list[Confirmation]:
        found: list[Confirmation] = []
        for route in [r for r in routes if claims(r) and not r.graphql][:MAX_ROUTES]:
            for claim in claims(route):
                if (ex := self._taken(sender, route, claim)) is not None:
                    found.append(Confirmation(
                        "broken-access-control", self.name,
                        f"{route.method} {route.path} refuses the first identity (401/403) but lets it through "
                        f"when the request claims `{claim.name}: {claim.example}`, a header any client sets",
                        ex, claim.example, InjectionPoint(route, claim), endpoint=route.path, method=route.method))
                    break
        return found

    def _taken(self, sender: Sender, route: Route, claim: Param) -> Exchange | None:
        values = {p.name: p.example or "1" for p in route.params if p.location in ("path", "query")}
        path = re.sub(r"\{(\w+)\}", lambda m: quote(values.get(m.group(1), "1"), safe=""), route.path)
        query = {p.name: values[p.name] for p in route.params if p.location == "query"}
        target = path + ("?" + urlencode(query) if query else "")
        body, is_json = body_of(route, {p.name: token() for p in route.params if not p.example})
        has_body = route.method not in ("GET", "HEAD", "DELETE") and bool(body)

        def send(headers: dict[str, str]) -> Exchange:
            return sender.request(route.method, target, headers=headers,
                                  json_body=body if has_body and is_json else None,
                                  body={k: str(v) for k, v in body.items()} if has_body and not is_json else None)

        if send({}).status not in REFUSED:
            return None
        taken = send({claim.name: claim.example})
        if taken.status >= 400 or taken.status <= 0:
            return None
        return taken if send({}).status in REFUSED else None

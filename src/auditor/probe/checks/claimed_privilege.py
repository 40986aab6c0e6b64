"""A privilege the client claims for itself in a header or a cookie (`X-Admin-Override: true`,
`is_admin=true`): the code reads it and compares it with a value (routes/inputs.py makes that
value the input's example). The route is asked with the first identity's session without the
claim, and refused (401 or 403, sent elsewhere by a redirect, or told so in a line where the
claim gets a page); with the claim, and answered (2xx); without it again, and refused again.
Then the claim, which any client can send, is what lets it through."""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode

from auditor.probe.checks.canary import token
from auditor.probe.checks.objects import body_of
from auditor.probe.cookies import cookie_pairs
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
    """The route's headers and cookies that claim a privilege and have a value the code compares
    them with."""
    return [p for p in route.params if p.location in ("header", "cookie") and p.example and not p.filled and
            PRIVILEGE.search(p.name) and p.name.lower() not in ("authorization", "cookie")]


SHORT = 200  # characters: a refusal said in one line ("admin privileges required")


def refusal_like(answer: Exchange) -> bool:
    """401/403, a redirect, or a short 2xx message: what a refusal may look like."""
    return answer.status in REFUSED or 300 <= answer.status < 400 or \
        (200 <= answer.status < 300 and len(answer.text.strip()) < SHORT)


def refused(answer: Exchange, taken: Exchange) -> bool:
    """Refused, beside the 2xx answer `taken` the claim got: 401 or 403; a redirect (a page that
    sends a visitor without the privilege home); or a short message where the claim got a page
    several times its length."""
    if answer.status in REFUSED:
        return True
    if not 200 <= taken.status < 300:
        return False
    shown = len(answer.text.strip())
    return 300 <= answer.status < 400 or \
        (200 <= answer.status < 300 and shown < SHORT and len(taken.text.strip()) >= 3 * shown + SHORT)


class ClaimedPrivilege(SiteCheck):
    name = "claimed-privilege"

    def run(self, sender: Sender, ctx: ProbeContext, routes: list[Route]) -> list[Confirmation]:
        found: list[Confirmation] = []
        for route in [r for r in routes if claims(r) and not r.graphql][:MAX_ROUTES]:
            for claim in claims(route):
                if (ex := self._taken(sender, route, claim)) is not None:
                    found.append(Confirmation(
                        "broken-access-control", self.name,
                        f"{route.method} {route.path} refuses the first identity but lets it through when the "
                        f"request claims `{claim.name}: {claim.example}`, a {claim.location} any client sets",
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

        claimed = {claim.name: claim.example}
        if claim.location == "cookie":  # in the identity's own cookies, in place of one of its name
            own = cookie_pairs(getattr(sender, "identity", {}).get("Cookie", ""))
            claimed = {"Cookie": "; ".join(f"{k}={v}" for k, v in {**own, claim.name: claim.example}.items())}
        before = send({})
        if not refusal_like(before):
            return None
        taken = send(claimed)
        if not 200 <= taken.status < 300 or not refused(before, taken):
            return None
        return taken if refused(send({}), taken) else None

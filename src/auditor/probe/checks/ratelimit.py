"""Missing rate limiting on login: a bounded burst (at most 30) of wrong passwords for a random
user, with no 429, no lockout status, no Retry-After and no growing delay."""

from __future__ import annotations

import re

from auditor.probe.checks.canary import token
from auditor.probe.interface import Confirmation, Param, ProbeContext, Route, Sender, SiteCheck

LOGIN_PATH = re.compile(r"log-?in|sign-?in|auth|session|token", re.I)
PASSWORD = re.compile(r"pass(?:word)?|pwd|secret", re.I)
USER = re.compile(r"user|email|login|name|account", re.I)
NOT_LOGIN = re.compile(r"regist|sign-?up|reset|change|forgot|new|create|invite", re.I)
BURST = 30


def login_fields(route: Route) -> tuple[Param, Param | None] | None:
    """(password, user) inputs of a login route: one whose path says log in, or a form of just a
    user name and a password at any path that does not say it creates or changes an account."""
    if route.method != "POST":
        return None
    pw = next((p for p in route.params if PASSWORD.search(p.name) and p.location in ("form", "json")), None)
    if pw is None:
        return None
    user = next((p for p in route.params if p is not pw and USER.search(p.name) and p.location == pw.location), None)
    if LOGIN_PATH.search(route.path):
        return pw, user
    body = [p for p in route.params if p.location == pw.location]
    if user is not None and len(body) == 2 and not NOT_LOGIN.search(route.path):
        return pw, user
    return None


class LoginRateLimit(SiteCheck):
    name = "ratelimit"

    def run(self, sender: Sender, ctx: ProbeContext, routes: list[Route]) -> list[Confirmation]:
        for r in routes:
            fields = login_fields(r)
            if fields is None:
                continue
            pw, user = fields
            name = token("auduser")
            first = last = None
            times: list[float] = []
            for _ in range(BURST):
                body = {pw.name: token("wrong")}
                if user is not None:
                    body[user.name] = name
                ex = sender.request("POST", r.path, json_body=body if pw.location == "json" else None,
                                    body=body if pw.location == "form" else None)
                if ex.status in (423, 429, 503) or ex.header("retry-after") or ex.status <= 0:
                    return []
                if ex.status in (404, 405, 410):
                    break  # no such login route here: nothing to say about it
                times.append(ex.elapsed)
                first = first or ex
                last = ex
            # A burst answered by server errors (a crash on the unknown user) proves nothing either way.
            if first is not None and last is not None and len(times) == BURST and last.status == first.status < 500 and \
                    sorted(times)[-1] < 3 * max(sorted(times)[len(times) // 2], 0.05) + 0.5:
                return [Confirmation("missing-rate-limiting", self.name,
                                     f"login accepts {BURST} wrong passwords in a burst with no 429, lockout or delay",
                                     last, name, endpoint=r.path, method="POST", severity="medium")]
        return []

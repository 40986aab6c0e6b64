"""SSRF: the app requests a one-time URL on auditor's callback server (127.0.0.1).

No request waits for the callback: a fetch made while handling the request is logged before
its answer arrives, and one made later is collected by `settle` at the end of the run, with a
single short wait for all of them. When the fetch is seen at once, one more URL whose answer
is `a*b` tells whether the app also evaluates what it fetched (remote file inclusion): the
product in the answer is code injection."""

from __future__ import annotations

import time

from auditor.probe.callback import CallbackServer
from auditor.probe.checks.canary import fresh, numbers, token
from auditor.probe.interface import Confirmation, Exchange, InjectionPoint, PointCheck, ProbeContext, Sender
from auditor.probe.profile import PointProfile, plain_echo, point_key


class Ssrf(PointCheck):
    name = "ssrf"
    category = "ssrf"

    SETTLE = 0.5  # seconds the run's end waits for late callbacks, once for all of them

    def __init__(self) -> None:
        self.pending: list[tuple[str, Exchange, InjectionPoint]] = []  # sent, not yet called back

    def worth(self, point: InjectionPoint, profile: PointProfile) -> bool:
        return True  # a fetch can be blind (its answer like any other value's): one URL is always tried

    def run(self, sender: Sender, ctx: ProbeContext, point: InjectionPoint) -> Confirmation | None:
        server = ctx.callback
        if not isinstance(server, CallbackServer):
            return None
        profile = ctx.profile(point)
        for host in ("127.0.0.1", "localhost"):
            tok = token()
            url = server.url(tok, host)
            ex = sender.send(point, url)
            if server.seen(tok):
                return self._included(sender, server, point, host) or self._confirmed(ex, tok, point)
            self.pending.append((tok, ex, point))
            if plain_echo(profile, ex, url):
                return None  # a URL is answered like any other text: the other host name would be too
        return None

    def settle(self, ctx: ProbeContext) -> list[Confirmation]:
        server = ctx.callback
        if not isinstance(server, CallbackServer) or not self.pending:
            return []
        found: dict[tuple[str, str, str, str, bool], Confirmation] = {}
        deadline = time.monotonic() + self.SETTLE
        for tok, ex, point in self.pending:
            if point_key(point) not in found and server.seen(tok, wait=max(0.0, deadline - time.monotonic())):
                found[point_key(point)] = self._confirmed(ex, tok, point)
        self.pending.clear()
        return list(found.values())

    def _confirmed(self, ex: Exchange, tok: str, point: InjectionPoint) -> Confirmation:
        return Confirmation(self.category, self.name,
                            f"SSRF: {point.label} makes the server request a URL the caller chose "
                            "(auditor's callback server received the one-time token)", ex, tok, point)

    def _included(self, sender: Sender, server: CallbackServer, point: InjectionPoint, host: str) -> Confirmation | None:
        tok, (a, b) = token(), numbers()
        server.serve(tok, f"{a}*{b}")
        ex = sender.send(point, server.url(tok, host))
        if fresh(ex, str(a * b), sender.baseline(point)):
            return Confirmation("code-injection", "code",
                                f"remote file inclusion: {point.label} makes the server fetch a URL and evaluate "
                                "its text (the product of two random numbers it served came back)", ex, str(a * b),
                                point, severity="critical")
        return None

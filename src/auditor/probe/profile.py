"""The first request at each injection point: one harmless canary that tells the engine how the
point is used, so only the checks that fit it are sent.

The canary is a new HTML tag with a random name (`<audxHEX x=1>`; the bare name in a cookie):
it is also the first reflected-XSS payload, so a point that reflects it raw is already proven.
From its response the profile records whether the token comes back (in the body, in a header), and whether the
answer differs from the endpoint's baseline once the token's own reflections are removed (the
input influences what the server does). A point that neither reflects nor influences gets only
what can be blind or look unchanged: one SSRF URL, one SQL quote, one traversal path, and the
NoSQL operators on a JSON key."""

from __future__ import annotations

import re
from dataclasses import dataclass

from auditor.probe.checks.canary import same, spellings, token
from auditor.probe.interface import Exchange, InjectionPoint, Sender

META_REFRESH = re.compile(r"""<meta[^>]+http-equiv=["']?refresh["']?[^>]+content=["']?\d+\s*;\s*url=([^"'>]+)""", re.I)
NUMBERS = re.compile(r"[#\d]+")


@dataclass
class PointProfile:
    tag: str  # the random token
    payload: str  # `<tag x=1>`, or the bare token in a cookie (where a space or `<` may void the value)
    exchange: Exchange
    baseline: Exchange
    reflected: bool  # the token is in the response body
    in_header: bool  # the token is in a response header (Location, Refresh, a custom one)
    influenced: bool  # status or body differs from the baseline beyond the token's reflections
    # The endpoint answers the same request with other numbers (an id it hands out, a counter,
    # a time): answers are then compared with their numbers masked.
    noisy: bool = False

    @property
    def is_tag(self) -> bool:
        return self.payload == f"<{self.tag} x=1>"

    @property
    def redirects(self) -> bool:
        """The input may decide where the client is sent: the token is in a header or a meta
        refresh of the answer."""
        return self.in_header or any(self.tag in m.group(1) for m in META_REFRESH.finditer(self.exchange.text))


def point_key(point: InjectionPoint) -> tuple[str, str, str, str, bool]:
    """A hashable identity for a point (routes are mutable records, so points are not)."""
    return (*point.route.key, point.param.name, point.param.location, point.in_name)


def alike(a: Exchange, b: Exchange, payloads: list[str], noisy: bool) -> bool:
    """`canary.same`; for a noisy endpoint, with each payload's echo and every number masked
    alike (so `"text": "1"` and `"text": "<canary>"` and ids 1 and 2 compare equal)."""
    if not noisy:
        return same(a, b, payloads)
    return a.status > 0 and b.status > 0 and a.status == b.status and _masked(a, payloads) == _masked(b, payloads)


def _masked(ex: Exchange, payloads: list[str]) -> str:
    body = ex.text
    for p in payloads:
        for form in spellings(p):
            if form:
                body = body.replace(form, "#")
    return NUMBERS.sub("#", body)


def profile_point(sender: Sender, point: InjectionPoint) -> PointProfile:
    base = sender.baseline(point)
    tag = token("audx")
    payload = tag if point.param.location == "cookie" else f"<{tag} x=1>"
    ex = sender.send(point, payload)
    in_header = any(tag in v for _, v in ex.headers)
    default = point.param.example or "1"
    influenced = ex.status <= 0 or not same(ex, base, [payload, tag, default])
    noisy = False
    if influenced and not point.in_name and alike(ex, base, [payload, tag, default], noisy=True):
        # Only numbers differ: one repeat of the baseline tells a counter or an id from the input.
        again = sender.send(point, default)
        noisy = not same(again, base, [default]) and alike(again, base, [default], noisy=True)
        influenced = not noisy
    return PointProfile(tag, payload, ex, base, tag in ex.text, in_header, influenced, noisy)


def plain_echo(profile: PointProfile | None, ex: Exchange, payload: str) -> bool:
    """`payload` was answered like the harmless canary once each one's reflections are removed:
    its special characters changed nothing, so spellings built from the same characters will
    not either. False without a profile (a check run on its own tries everything)."""
    return profile is not None and ex.status > 0 and \
        alike(ex, profile.exchange, [payload, profile.payload, profile.tag], profile.noisy)

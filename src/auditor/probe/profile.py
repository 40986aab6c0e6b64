"""The first request at each injection point: a polyglot that tells the engine how the point is
used, so only the checks that fit it are sent.

The polyglot holds a random token as a new HTML tag (`<audxHEX x=1>`; the bare token in a
cookie), wrapped in the characters every interpreter cares about: quotes, shell separators and
the arithmetic of each template syntax. When its answer is the endpoint's baseline (its own
reflections removed), that one request settles the point: the input does not change the answer,
and neither does any special character. Otherwise the bare token follows (letters and digits
only), and the two answers tell apart "the value matters" (token against baseline, `influenced`)
from "its special characters matter" (polyglot against token, `special`). The tag is also the
first reflected-XSS payload, so a point that echoes it raw into HTML is already proven."""

from __future__ import annotations

import re
from dataclasses import dataclass

from auditor.probe.checks.canary import fresh, numbers, same, spellings, token, without_tokens
from auditor.probe.interface import Exchange, InjectionPoint, Sender

META_REFRESH = re.compile(r"""<meta[^>]+http-equiv=["']?refresh["']?[^>]+content=["']?\d+\s*;\s*url=([^"'>]+)""", re.I)
META_START = re.compile(r"<meta\b", re.I)
# A script that sends the browser on: `location = '...'`, `window.location.href = "..."`,
# `location.replace('...')`, `document.location.assign(...)`; the string literal is where it goes.
SCRIPT_LOCATION = re.compile(r"""\blocation(?:\.href)?\s*=\s*(['"`])([^'"`<>]*)\1|"""
                             r"""\blocation\.(?:replace|assign)\(\s*(['"`])([^'"`<>]*)\3""")
SCRIPT_LOCATION_START = re.compile(r"""\blocation(?:\.href)?\s*=\s*['"`]|\blocation\.(?:replace|assign)\(\s*['"`]""")
REFRESH = re.compile(r"http-equiv\s*=\s*[\"']?refresh", re.I)
NUMBERS = re.compile(r"[#\d]+")
# Arithmetic in each template syntax (Jinja/Twig, Java EL/JS literal, Ruby/SpEL, EJS/ERB).
TEMPLATE_SHAPES = ("{{{{{a}*{b}}}}}", "${{{a}*{b}}}", "#{{{a}*{b}}}", "<%={a}*{b}%>")


@dataclass
class PointProfile:
    tag: str  # the random token
    payload: str  # the plain canary: the bare token (`<tag x=1>` in a parameter's name)
    exchange: Exchange  # the answer to `sent`
    baseline: Exchange
    reflected: bool  # the token is in the response body
    in_header: bool  # the token is in a response header (Location, Refresh, a custom one)
    influenced: bool  # status or body differs from the baseline beyond the token's reflections
    # The endpoint answers the same request with other numbers (an id it hands out, a counter,
    # a time): answers are then compared with their numbers masked.
    noisy: bool = False
    # Quotes, shell or template characters change the answer (the polyglot was not answered like
    # the plain canary): the checks built on them are worth sending.
    special: bool = True
    sent: str = ""  # the value `exchange` answers: the polyglot, or the plain canary after it
    first: Exchange | None = None  # the polyglot's answer (it holds `<tag x=1>`: the first XSS payload)

    @property
    def echoes(self) -> list[str]:
        """What `exchange` may reflect of this point's own requests."""
        return [self.sent or self.payload, self.payload, self.tag]

    @property
    def redirects(self) -> bool:
        """The input may decide where the client is sent: the token is in a header, inside a meta
        refresh element, or in a string a script sends the browser to (loosely: the polyglot's
        quotes may have cut its URL short)."""
        return self.in_header or any(_in_meta_refresh(ex.text, self.tag) or _in_script_location(ex.text, self.tag)
                                     for ex in (self.exchange, self.first) if ex)


def _in_meta_refresh(text: str, tag: str) -> bool:
    for m in META_START.finditer(text):
        window = text[m.start():m.start() + 400]
        if REFRESH.search(window) and tag in window:
            return True
    return False


def _in_script_location(text: str, tag: str) -> bool:
    return any(tag in text[m.end():m.end() + 200] for m in SCRIPT_LOCATION_START.finditer(text))


def point_key(point: InjectionPoint) -> tuple[str, str, str, str, bool]:
    """A hashable identity for a point (routes are mutable records, so points are not)."""
    return (*point.route.key, point.param.name, point.param.location, point.in_name)


def echo_fragments(payload: str, shortest: int = 4, longest: int = 12) -> list[str]:
    """The payload's beginnings and ends an app may echo in part (a card's last four
    characters, a value cut short), of 4 to 12 characters."""
    return [f for k in range(shortest, min(longest, len(payload) - 1) + 1) for f in (payload[:k], payload[-k:])]


def alike(a: Exchange, b: Exchange, payloads: list[str], noisy: bool) -> bool:
    """`canary.same`; for a noisy endpoint, with each payload's echo and every number masked
    alike (so `"text": "1"` and `"text": "<canary>"` and ids 1 and 2 compare equal). Echoed
    beginnings and ends of a payload are removed too: two payloads that differ only in their
    last characters must not differ by an app that shows those characters."""
    payloads = [*payloads, *(f for p in payloads for f in echo_fragments(p))]
    payloads = sorted(set(payloads), key=len, reverse=True)  # a payload inside a longer one goes with it
    if not noisy:
        return same(a, b, payloads)
    return a.status > 0 and b.status > 0 and a.status == b.status and _masked(a, payloads) == _masked(b, payloads)


def _masked(ex: Exchange, payloads: list[str]) -> str:
    body = ex.text
    for p in payloads:
        for form in spellings(p):
            if form:
                body = body.replace(form, "#")
    return NUMBERS.sub("#", without_tokens(body))


def polyglot(tag: str, cookie: bool) -> tuple[str, list[int]]:
    """The canary inside quotes, parentheses, shell separators and every template syntax's
    arithmetic (two random numbers each, whose products are returned). Without spaces in a
    cookie. `'")(TOKEN)` is also what breaks an XPath expression or an LDAP filter, as the XPath/LDAP
    check's own first payload does (checks/query_languages.py): a `(...)` with no `=` inside."""
    pairs = [numbers() for _ in TEMPLATE_SHAPES]
    maths = "".join(shape.format(a=a, b=b) for shape, (a, b) in zip(TEMPLATE_SHAPES, pairs, strict=True))
    canary = tag if cookie else f"<{tag} x=1>"
    return f"'\")({tag}){canary}{maths};|&`\\", [a * b for a, b in pairs]


def profile_point(sender: Sender, point: InjectionPoint) -> PointProfile:
    return profile_pair(sender, point, None)[0]


def profile_pair(sender: Sender, point: InjectionPoint,
                 name: InjectionPoint | None) -> tuple[PointProfile, PointProfile | None]:
    """The point's profile and, when `name` (the same parameter's name as a point) is given, its
    profile too: the polyglot request also carries `<tag x=1>` as an extra parameter name, and
    when that request is answered like the baseline it settles both points at once (otherwise
    the name point is profiled on its own: None)."""
    base = sender.baseline(point)
    tag = token("audx")
    # The polyglot follows the app's own example (it gets past the checks that value passes);
    # a filler URL or mail would instead trip filters on its dots or slashes before the code runs.
    default = "1" if point.param.filled or not point.param.example else point.param.example
    if point.in_name and not point.name_is_value:  # a name only meets HTML: the tag is all it needs
        canary = f"<{tag} x=1>"
        ex = sender.send(point, canary)
        return PointProfile(tag, canary, ex, base, tag in ex.text, any(tag in v for _, v in ex.headers),
                            ex.status <= 0 or not same(ex, base, [canary, tag, default]), special=False,
                            sent=canary, first=ex), None
    canary = tag
    poly, products = polyglot(tag, point.param.location == "cookie")
    poly = default + poly
    name_tag = token("audx")
    name_canary = f"<{name_tag} x=1>" if name is not None else None
    first = sender.send(point, poly, extra_name=name_canary)
    in_header = any(tag in v for _, v in first.headers)
    evaluated = any(fresh(first, str(p), base) for p in products)
    echoes = [poly, canary, tag, default] + ([name_canary, name_tag] if name_canary else [])
    noisy = _noise(sender, point, base, first, echoes) if not evaluated else False
    if not evaluated and alike(first, base, echoes, noisy):
        # Answered like the baseline: neither the input nor its special characters change anything.
        named = None if name_canary is None else PointProfile(
            name_tag, name_canary, first, base, name_tag in first.text, any(name_tag in v for _, v in first.headers),
            False, noisy, False, name_canary, first)
        return PointProfile(tag, canary, first, base, tag in first.text, in_header, False, noisy, False, poly,
                            first), named
    ex = sender.send(point, canary)
    in_header = in_header or any(tag in v for _, v in ex.headers)
    influenced = ex.status <= 0 or not alike(ex, base, [canary, tag, default], noisy)
    if influenced and not noisy:
        noisy = _noise(sender, point, base, ex, [canary, tag, default])
        influenced = not noisy
    special = evaluated or first.status <= 0 or not alike(first, ex, [poly, canary, tag, *echoes[4:]], noisy)
    return PointProfile(tag, canary, ex, base, tag in ex.text or tag in first.text, in_header, influenced, noisy,
                        special, canary, first), None


def _noise(sender: Sender, point: InjectionPoint, base: Exchange, ex: Exchange, echoes: list[str]) -> bool:
    """`ex` differs from the baseline only in its numbers, and so does a repeat of the baseline's
    own request: the endpoint hands out ids or counters (one request tells it from the input)."""
    if same(ex, base, echoes) or not alike(ex, base, echoes, noisy=True):
        return False
    default = point.param.example or "1"
    again = sender.send(point, default)
    return not same(again, base, [default]) and alike(again, base, [default], noisy=True)


def plain_echo(profile: PointProfile | None, ex: Exchange, payload: str) -> bool:
    """`payload` was answered like the harmless canary once each one's reflections are removed:
    its special characters changed nothing, so spellings built from the same characters will
    not either. False without a profile (a check run on its own tries everything)."""
    return profile is not None and ex.status > 0 and \
        alike(ex, profile.exchange, [payload, *profile.echoes], profile.noisy)

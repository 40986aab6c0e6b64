"""XPath and LDAP injection, one check with one shared first request per point: the value with
`'")(` and a token, characters neither language takes there (they end an XPath string literal in
either quoting and break a number; they close an LDAP filter and open an empty one).

- Only where the profile's polyglot (which holds the same characters) was not answered like the
  plain canary: a parser that fails on them without showing it is not found by either request.
- The engine's own error (payloads and errors in `xpath.py` and `ldap.py`), absent for the bare
  token, confirms it at once.
- An answer like the harmless canary's means the value reaches no such parser: stop there
  (one request for most points).
- Otherwise the boolean differentials (`differential.py`): shapes that keep the value's answer
  only where the canary changed it (the value matches something), widening shapes always."""

from __future__ import annotations

import re

from auditor.probe.checks import ldap, xpath
from auditor.probe.checks.canary import token
from auditor.probe.checks.differential import Shape, differential, refused, syntax_error
from auditor.probe.checks.sql_code import handler_text
from auditor.probe.interface import Confirmation, Exchange, InjectionPoint, PointCheck, ProbeContext, Sender
from auditor.probe.profile import PointProfile, alike, plain_echo

BREAKER = "'\")("
COOKIE_BREAKER = "')("  # a double quote would start a quoted cookie value, which servers parse apart
ERRORS = re.compile(f"(?P<xpath>{xpath.XPATH_ERRORS.pattern})|(?P<ldap>{ldap.LDAP_ERRORS.pattern})", re.I)
# A handler's own XPath call (the widening for a condition after the value is sent there, or
# where the handler's code is unknown).
RUNS_XPATH = re.compile(r"xpath|selectNodes?\(|\.evaluate\(|findall\(|findtext\(|iterfind\(", re.I)
LANGUAGES = (("xpath-injection", "XPath", "an XPath expression", xpath.SHAPES),
             ("ldap-injection", "LDAP", "an LDAP search filter", ldap.SHAPES))


class QueryLanguageInjection(PointCheck):
    name = "xpath-ldap"
    category = "xpath-injection"  # or ldap-injection: each confirmation names its own

    def worth(self, point: InjectionPoint, profile: PointProfile) -> bool:
        # A whole expression fails on every plain text alike, the example value included: where
        # nothing changed the answer, only an input whose every answer is a server error is tried.
        return profile.special or profile.influenced or profile.baseline.status >= 500

    def run(self, sender: Sender, ctx: ProbeContext, point: InjectionPoint) -> Confirmation | None:
        # The profile's polyglot holds the breaker's `'")(`: an XPath or LDAP parser fails on it
        # as on the breaker. Answered like the plain canary, that failure does not show (and an
        # error or a differential cannot either), so the breaker is sent only where it did; an
        # input that is the whole expression is tried either way (it fails on any text).
        profile = ctx.profile(point)
        if ctx.fetches(point) or not ctx.query_languages:
            return None  # the server fetches this value (its answers differ by what it fetched), or no
            # code of the project queries XML or a directory
        if profile is not None and not profile.special:
            return whole_expression(sender, ctx, point)
        return self._inside(sender, ctx, point) or whole_expression(sender, ctx, point)

    def _inside(self, sender: Sender, ctx: ProbeContext, point: InjectionPoint) -> Confirmation | None:
        breaker = COOKIE_BREAKER if point.param.location == "cookie" else BREAKER
        ex, payload, matters = syntax_error(sender, ctx, point, breaker, ERRORS)
        if ex is not None and (m := ERRORS.search(ex.text)):
            category, lang, where, _ = LANGUAGES[0] if m.group("xpath") else LANGUAGES[1]
            return Confirmation(category, "xpath" if lang == "XPath" else "ldap",
                                f"{lang} injection: quotes and parentheses in {point.label} break {where} "
                                "(the engine's own error, absent without them)", ex, payload, point)
        if not matters:
            return None
        profile = ctx.profile(point)
        code = handler_text(ctx.project, point.route)
        for category, lang, where, shapes in LANGUAGES:
            if lang == "XPath" and (not code or RUNS_XPATH.search(code)):
                shapes = [*shapes, *xpath.APART_SHAPES]
            for shape in self._worth_trying(shapes, profile):
                if found := differential(sender, ctx, point, shape):
                    return Confirmation(category, "xpath" if lang == "XPath" else "ldap",
                                        f"{lang} injection: {point.label} is evaluated in {where} (an always-true "
                                        "condition and an always-false one answer differently, twice)",
                                        found[0], found[1], point)
        return None

    @staticmethod
    def _worth_trying(shapes: list[Shape], profile: PointProfile | None) -> list[Shape]:
        """A shape that keeps the value's answer can only differ from the false one where the
        value matches something, i.e. where the canary changed the answer."""
        return [s for s in shapes if not s.keeps or profile is None or profile.influenced]


def whole_expression(sender: Sender, ctx: ProbeContext, point: InjectionPoint) -> Confirmation | None:
    """An input that is a whole XPath or ElementPath expression (`root.findall(value)`,
    `tree.xpath(value)`): `.//*[1]` (every element's first child) and `*[1]` (the root's first
    child, relative to the document or the root) answer alike, and differently from
    `.//TOKEN[1]` (no such element), which answers like the bare token; twice. A regular
    expression cannot start with `*` (the second fails where the first matched text), and a
    glob reads `[1]` as a name ending in 1 (both find nothing, like the false one). One request
    where the first is answered like the harmless canary. Where the value breaks a parser (the
    polyglot failed as a server error, the plain canary did not), a second pair names a leaf, `*/*[1]` and `.//*[1]/*[1]` (the
    first grandchild): `findtext(value)` shows the text of the first match, and the first pair
    matches an element whose text is only the white space around its children."""
    profile = ctx.profile(point)
    breaks = breaks_a_parser(profile)
    pairs = [(".//*[1]", "*[1]")] + ([("*/*[1]", ".//*[1]/*[1]")] if breaks else [])
    for trues in pairs:
        if not _signed_up(sender, trues) and (found := _whole_pair(sender, point, profile, trues)) is not None:
            return found
    return _parsed_blind(sender, point, profile) if breaks and profile is not None and \
        not _signed_up(sender, TAKEN_PATHS) else None


def _signed_up(sender: Sender, values: tuple[str, ...]) -> bool:
    """A constant path the run already sent to a sign-up: an account of that name may now exist,
    and a login then answers it like any user's, not like an expression (MedSecure's register)."""
    return bool(set(values) & getattr(sender, "account_values", set()))


def breaks_a_parser(profile: PointProfile | None) -> bool:
    """The polyglot failed as a server error where the plain canary was answered: the value went
    into something that parses it (a POST that fails for every value, an upstream error, does
    not count)."""
    return profile is not None and profile.first is not None and profile.first.status >= 500 and \
        0 < profile.exchange.status < 400


# Path expressions XPath and ElementPath take and a regular expression, Python, a JSONPath or a
# CSS selector refuses (`*` repeats nothing; no function calls), and their broken twins, which
# every parser refuses.
TAKEN_PATHS = ("*[1]", "*[last()]")
BROKEN_PATHS = ("*[1]]", "*[last()][")


def _parsed_blind(sender: Sender, point: InjectionPoint, profile: PointProfile) -> Confirmation | None:
    """A whole path expression whose result the answer never shows (`findtext(value)` computed and
    dropped): only its parse errors show. The two XPath/ElementPath-only paths are taken (answered
    below 400 and unlike the polyglot's failure) and their broken twins fail like it, alike; twice,
    so a difference that comes and goes is not taken for the parser's. Sent one at a time: most
    points stop at the first (a parser that refuses `*`, a value no parser reads)."""
    noisy = profile.noisy
    failed = profile.first
    if failed is None:
        return None
    masks = [*TAKEN_PATHS, *BROKEN_PATHS]
    taken: list[Exchange] = []
    for _ in range(2):
        taken = []
        for good, bad in zip(TAKEN_PATHS, BROKEN_PATHS, strict=True):
            ok = sender.send(point, good)
            if ok.status <= 0 or ok.status >= 400 or alike(ok, failed, masks, noisy):
                return None
            broken = sender.send(point, bad)
            if broken.status != failed.status or alike(broken, ok, masks, noisy):
                return None
            taken.append(ok)
    return Confirmation("xpath-injection", "xpath",
                        f"XPath injection (blind): {point.label} is parsed as a whole path expression ({TAKEN_PATHS[0]} "
                        f"and {TAKEN_PATHS[1]}, which only XPath and ElementPath take, are answered; {BROKEN_PATHS[0]} "
                        f"and {BROKEN_PATHS[1]} fail like the polyglot, twice)", taken[0], TAKEN_PATHS[1], point)


def _whole_pair(sender: Sender, point: InjectionPoint, profile: PointProfile | None,
                trues: tuple[str, str]) -> Confirmation | None:
    noisy = profile.noisy if profile is not None else False
    first = sender.send(point, trues[0])
    if first.status <= 0 or refused(first) or plain_echo(profile, first, trues[0]):
        return None
    second = sender.send(point, trues[1])
    if refused(second) or not alike(first, second, list(trues), noisy):
        return None
    for _ in range(2):
        tok = token()
        false, bare = sender.send(point, f".//{tok}[1]"), sender.send(point, tok)
        if false.status <= 0 or refused(false, bare) or alike(first, false, [trues[0], f".//{tok}[1]", tok], noisy) or \
                not alike(false, bare, [f".//{tok}[1]", tok], noisy):
            return None
    # A plain word as short as the true paths answers like the false ones: the difference is the
    # expression's, not a length check's (a password of at least 8 characters refuses both).
    short = token()[:len(trues[0])]
    shorter = sender.send(point, short)
    if refused(shorter) or alike(first, shorter, [trues[0], short], noisy):
        return None
    return Confirmation("xpath-injection", "xpath",
                        f"XPath injection: {point.label} is evaluated as a whole path expression ({trues[0]} and "
                        f"{trues[1]} answer alike, an element named by a fresh token differently and like the bare "
                        "token, twice)", first, trues[0], point)

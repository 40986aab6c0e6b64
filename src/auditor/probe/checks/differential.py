"""Boolean differential and syntax-error confirmation shared by the query-language checks
(XPath, LDAP): an always-true and an always-false payload that differ only in the condition.

A shape is confirmed when, four times with fresh random values (the last two false first), the
true payload and the false one answer differently while one of them answers exactly like a
reference (the endpoint's baseline for a payload that keeps the value's condition, a plain random
value for one that widens it).
An app that only reflects, validates or hashes its input answers both alike, or neither like
the reference."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from auditor.probe.checks.canary import numbers, token
from auditor.probe.csrf import refused_for_token
from auditor.probe.interface import Exchange, InjectionPoint, ProbeContext, Sender
from auditor.probe.profile import alike, plain_echo


@dataclass(frozen=True)
class Shape:
    """`true`/`false` build the two payloads from (value, a fresh token, two random distinct
    numbers a and b); `keeps` says the true
    payload keeps the value's own answer (compared with the baseline) rather than widening a
    value that matches nothing (the false one is then compared with a plain random value)."""

    true: Callable[[str, str, int, int], str]
    false: Callable[[str, str, int, int], str]
    keeps: bool


def refused(*answers: Exchange) -> bool:
    """Whether an answer is a refusal of the form's anti-CSRF token: it says nothing of the payload,
    and a differential between a refused answer and an accepted one proves nothing."""
    return any(refused_for_token(ex.method, ex.status, ex.text) for ex in answers)


# Rounds of a confirmation; those after the first two send the false payload first, so an
# endpoint that alternates between two answers (or flips at random) never lines up every time.
ROUNDS = 4


def differential(sender: Sender, ctx: ProbeContext, point: InjectionPoint, shape: Shape) -> tuple[Exchange, str] | None:
    """(the true payload's exchange, its payload) when the shape is confirmed ROUNDS times, else None."""
    profile = ctx.profile(point)
    noisy = profile.noisy if profile is not None else False
    value = point.param.example or "1"
    base = sender.baseline(point)
    proof = None
    for round_ in range(ROUNDS):
        tok, (a, b) = token(), numbers()
        t_pay, f_pay = shape.true(value, tok, a, b), shape.false(value, tok, a, b)
        if len(f_pay) < len(t_pay) and tok in f_pay:  # as long as the true one: no length check tells them apart
            f_pay = shape.false(value, tok + "x" * (len(t_pay) - len(f_pay)), a, b)
        early = sender.send(point, f_pay) if round_ >= 2 else None  # later rounds: the false one first
        t_ex = sender.send(point, t_pay)
        if t_ex.status <= 0 or (shape.keeps and not alike(t_ex, base, [t_pay, value], noisy)):
            return None
        f_ex = early or sender.send(point, f_pay)
        if f_ex.status <= 0 or refused(t_ex, f_ex) or alike(t_ex, f_ex, [t_pay, f_pay, value, tok], noisy):
            return None
        if not shape.keeps:
            plain = sender.send(point, tok)
            if refused(plain) or not alike(f_ex, plain, [f_pay, tok], noisy):
                return None
        proof = (t_ex, t_pay)
    return proof


def syntax_error(sender: Sender, ctx: ProbeContext, point: InjectionPoint, breaker: str,
                 errors: re.Pattern[str]) -> tuple[Exchange | None, str, bool]:
    """Send `value + breaker + token` (a character the language cannot take there).
    Returns (the exchange when it shows one of `errors` that neither the baseline nor the bare
    token shows (a name, harmless even where a number was expected), the payload, whether the breaker changed the answer at all
    compared with the harmless canary: no change means the input never reaches such a parser)."""
    value = point.param.example or "1"
    tok = token()
    payload = f"{value}{breaker}{tok}"
    ex = sender.send(point, payload)
    profile = ctx.profile(point)
    matters = profile is None or not plain_echo(profile, ex, payload)
    if ex.status <= 0 or not errors.search(ex.text) or errors.search(sender.baseline(point).text):
        return None, payload, matters
    control = sender.send(point, tok)
    if errors.search(control.text):
        return None, payload, matters
    return ex, payload, matters

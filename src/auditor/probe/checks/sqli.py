"""SQL injection: error-based (a database error that names this request's token) and boolean
(an always-true condition keeps the baseline answer, an always-false one changes it; two rounds
with fresh numbers). Conditions are only ever AND-ed: a payload can narrow what a statement
touches, never widen it, so even an UPDATE or DELETE built from the input stays harmless."""

from __future__ import annotations

import re

from auditor.probe.checks.canary import numbers, same, token
from auditor.probe.interface import Confirmation, Exchange, InjectionPoint, PointCheck, ProbeContext, Sender
from auditor.probe.profile import PointProfile, plain_echo

SQL_ERRORS = re.compile(
    r"sqlite3?\.OperationalError|SQLITE_ERROR|unrecognized token|syntax error at or near|"
    r"You have an error in your SQL syntax|SQLSTATE\[|PG::SyntaxError|psycopg2?\.errors|"
    r"unterminated quoted string|quoted string not properly terminated|ORA-\d{5}|"
    r"Unclosed quotation mark|near \"[^\"]*\": syntax error|SQLException|org\.h2\.jdbc|"
    r"incomplete input|OperationalError", re.I)

# (true template, false template): {v} base value, {a} {b} random distinct numbers.
BOOLEAN = [
    ("{v}' AND '{a}'='{a}", "{v}' AND '{a}'='{b}"),
    ("{v} AND {a}={a}", "{v} AND {a}={b}"),
    ('{v}" AND "{a}"="{a}', '{v}" AND "{a}"="{b}'),
]


# Time-based, for databases whose errors and answers do not show: {d} is the delay in seconds.
# Each sleeps inside an AND, so it runs only for rows the query already selects.
TIMED = [
    "{v}' AND SLEEP({d}) AND '1'='1",  # MySQL / MariaDB
    "{v} AND SLEEP({d})",
    "{v}' AND 1=(SELECT 1 FROM PG_SLEEP({d})) AND '1'='1",  # PostgreSQL
    "{v} AND 1=(SELECT 1 FROM PG_SLEEP({d}))",
]


def timed(sender: Sender, point: InjectionPoint, value: str, delay: float) -> tuple[Exchange, str] | None:
    """A payload that sleeps `delay` s answers that much slower than the baseline, twice, while
    the same payload with a zero delay does not: three requests, all needed to confirm."""
    base = min(sender.baseline(point).elapsed, sender.send(point, value).elapsed)
    for shape in TIMED:
        slow_payload = shape.format(v=value, d=f"{delay:g}")
        slow = sender.send(point, slow_payload)
        if slow.status <= 0 or slow.elapsed < base + 0.8 * delay:
            continue
        quick = sender.send(point, shape.format(v=value, d="0"))
        if quick.elapsed >= base + 0.5 * delay:
            continue
        again = sender.send(point, slow_payload)
        if again.elapsed >= base + 0.8 * delay:
            return again, slow_payload
    return None


class SqlInjection(PointCheck):
    name = "sqli"
    category = "sql-injection"

    def worth(self, point: InjectionPoint, profile: PointProfile) -> bool:
        return profile.influenced or profile.special  # the profile's polyglot holds both quotes

    def run(self, sender: Sender, ctx: ProbeContext, point: InjectionPoint) -> Confirmation | None:
        base = sender.baseline(point)
        value = point.param.example or "1"
        if base.status <= 0:
            return None
        profile = ctx.profile(point)
        quote_matters = False  # a quote answers differently from the plain canary
        if not SQL_ERRORS.search(base.text):
            for quote in ("'", '"') if profile is None or profile.special else ():
                tok = token()
                ex = sender.send(point, f"{value}{quote}{tok}")
                if profile is not None and not plain_echo(profile, ex, f"{value}{quote}{tok}"):
                    quote_matters = True
                m = SQL_ERRORS.search(ex.text)
                if m and tok in ex.text:
                    control = sender.send(point, f"{value}{tok}")
                    if not SQL_ERRORS.search(control.text):
                        return Confirmation(self.category, self.name,
                                            f"SQL injection: a quote in {point.label} breaks the query "
                                            "(the database error names the request's token)", ex, tok, point)
                if profile is not None and not (profile.influenced or quote_matters):
                    return None  # neither the canary nor a quote changes the answer: nothing to compare
        if profile is not None and not (profile.influenced or quote_matters):
            return None
        for true_t, false_t in BOOLEAN:
            proof = None
            for _ in range(2):
                a, b = numbers()
                t_pay, f_pay = true_t.format(v=value, a=a, b=b), false_t.format(v=value, a=a, b=b)
                t_ex = sender.send(point, t_pay)
                if not same(t_ex, base, [t_pay, value]):
                    proof = None
                    break
                f_ex = sender.send(point, f_pay)
                if same(f_ex, base, [f_pay, value]) or f_ex.status <= 0:
                    proof = None
                    break
                proof = (t_ex, t_pay)
            if proof is not None:
                return Confirmation(self.category, self.name,
                                    f"SQL injection: {point.label} is evaluated as SQL (an always-true condition "
                                    "keeps the answer, an always-false one changes it, twice)", proof[0], proof[1], point)
        # Time-based is the last resort: in a full run, only where a quote changed the answer
        # (always when this check is run on its own).
        last_resort = profile is None or quote_matters
        if ctx.delay > 0 and last_resort and (found := timed(sender, point, value, ctx.delay)):
            return Confirmation(self.category, self.name,
                                f"SQL injection (time-based): {point.label} runs a {ctx.delay:g} s database sleep, "
                                "twice, and not with a zero delay", found[0], found[1], point)
        return None

"""SQL injection: error-based (a database error that names this request's token) and boolean
(an always-true condition keeps the baseline answer, an always-false one changes it; two rounds
with fresh numbers). Conditions are AND-ed: a payload can narrow what a statement touches, not
widen it, so even an UPDATE or DELETE built from the input stays harmless. The one payload that
cuts the statement's tail with a comment (a login's user name) follows a named account, so it
reaches that account's row at most. The ORs (a login's password, after an account name; any
other input whose AND conditions all answered alike) are sent only where the scanner says the
input reaches SQL built from strings in the route's handler, and that handler builds nothing
but SELECTs: they widen a read, never a write.
Where every answer is alike but the scanner says the input reaches SQL built from strings (a
blind INSERT), the time-based payloads that keep the value as it is (a sub-select's empty
string appended) are sent anyway."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from auditor.probe.checks.canary import delay_proof, numbers, same, token
from auditor.probe.checks.sql_code import database_engines, handler_statement_kinds, reaches_built_sql
from auditor.probe.interface import (
    Confirmation,
    Exchange,
    InjectionPoint,
    PointCheck,
    ProbeContext,
    Route,
    Sender,
)
from auditor.probe.profile import PointProfile, alike, plain_echo
from auditor.probe.routes.common import login_fields

SQL_ERRORS = re.compile(
    r"sqlite3?\.OperationalError|SQLITE_ERROR|unrecognized token|syntax error at or near|"
    r"You have an error in your SQL syntax|SQLSTATE\[|PG::SyntaxError|psycopg2?\.errors|"
    r"unterminated quoted string at or near|quoted string not properly terminated|ORA-\d{5}|"
    r"Unclosed quotation mark|near \"[^\"]*\": syntax error|SQLException|org\.h2\.jdbc|"
    r"incomplete input|OperationalError", re.I)

# The database saying it looked for a column named by the input (SQLite, PostgreSQL, MySQL, SQL
# Server, H2/Oracle): the input is an identifier in the statement (`WHERE <input> = '...'`,
# `ORDER BY <input>`), where no quote is needed. {t} is the request's token.
UNKNOWN_COLUMN = (r"no such column: \W?{t}|column \W?{t}\W? does not exist|Unknown column '{t}'|"
                  r"Invalid column name '{t}'|Column \W?{t}\W? not found|\b{t}\W?: invalid identifier")


def names_a_column(text: str, tok: str) -> bool:
    return re.search(UNKNOWN_COLUMN.format(t=re.escape(tok)), html.unescape(text), re.I) is not None


def sql_error(text: str) -> re.Match[str] | None:
    """A database error in a response, also when the page HTML-escapes it (`near &#34;x&#34;`)."""
    return SQL_ERRORS.search(text) or SQL_ERRORS.search(html.unescape(text))


# (true template, false template): {v} base value, {a} {b} random distinct numbers.
BOOLEAN = [
    ("{v}' AND '{a}'='{a}", "{v}' AND '{a}'='{b}"),
    ("{v} AND {a}={a}", "{v} AND {a}={b}"),
    ('{v}" AND "{a}"="{a}', '{v}" AND "{a}"="{b}'),
]

# A statement whose answer shows only whether it failed (the same page, 200 or 500): a condition
# that fails only when false. PostgreSQL folds the constant CASE when it plans the statement and
# refuses to cast 'x' to an integer, so the false twin errors and the true one runs as the plain
# value would. Sent only where the code names PostgreSQL (elsewhere the cast gives 0 silently).
CONDITIONAL_ERROR = [
    ("postgres", ("{v} AND 1=CAST((CASE WHEN {a}={a} THEN '1' ELSE 'x' END) AS INT)",
                  "{v} AND 1=CAST((CASE WHEN {a}={b} THEN '1' ELSE 'x' END) AS INT)")),
    ("postgres", ("{v}' AND 1=CAST((CASE WHEN {a}={a} THEN '1' ELSE 'x' END) AS INT) AND '1'='1",
                  "{v}' AND 1=CAST((CASE WHEN {a}={b} THEN '1' ELSE 'x' END) AS INT) AND '1'='1")),
]

# Inside a LIKE pattern (`name LIKE '%<input>%'`) the query's own `%'` or `'` follows the input,
# so `'a'='a` would end as `'a'='a%'` (false) and the shapes above answer "no rows" both ways.
# `'a' LIKE 'a` stays true whichever of the two follows; the false twin compares two numbers.
LIKE = ("{v}' AND '{a}' LIKE '{a}", "{v}' AND '{a}' LIKE '{b}")
SAFE_METHODS = ("GET", "HEAD")


def like_value(point: InjectionPoint) -> str | None:
    """The value the LIKE shape starts from: the `%` wildcard, so the true condition finds rows
    even where the page's example matches none (a search for `1`). Only on a GET: elsewhere a
    wildcard could widen what a DELETE ... LIKE removes, and the shape is not sent (None)."""
    return "%" if point.route.method.upper() in SAFE_METHODS and not point.in_name else None


# Where a search term usually travels: the LIKE shape is tried there even when nothing in the
# profile answered (a LIKE whose errors are hidden answers "no rows" to every probe).
SEARCH_LOCATIONS = ("query", "path")


def like_anyway(point: InjectionPoint) -> bool:
    return like_value(point) is not None and point.param.location in SEARCH_LOCATIONS


# A login's user name is followed by its password condition (`WHERE name='v' AND pass='p'`):
# with a wrong password, an AND on the name is "no such user" whether true or false. A comment
# cuts the password condition, after an account name the query may find (the page's own value,
# else the usual first account); still AND-ed, so the statement reaches that row at most.
ACCOUNT = ("{v}' AND '{a}'='{a}'-- -", "{v}' AND '{a}'='{b}'-- -")
LIKELY_ACCOUNTS = ("admin",)


def account_values(point: InjectionPoint) -> list[str]:
    """The account names the ACCOUNT shape starts from, for the user-name input of a login form
    (none elsewhere)."""
    fields = login_fields(point.route)
    if point.in_name or fields is None or fields[1] is None or fields[1].name != point.param.name:
        return []
    own = [point.param.example] if point.param.example and not point.param.filled else []
    return own + [a for a in LIKELY_ACCOUNTS if a not in own]


def reaches_sql(ctx: ProbeContext, route: Route, name: str) -> bool | None:
    """Whether the static scan says input `name` of `route` reaches SQL built from request data
    (None where it cannot say: no scan, or no such SQL seen in any handler)."""
    return ctx.static.sql_reach(route, name) if ctx.static is not None else None


# A login's password is AND-ed after the user's (`WHERE user='u' AND password='<x>'`): with a wrong
# password, an AND on it is false both ways. An OR widens the statement to every row, so it is only
# sent where the scanner says the password reaches SQL built from strings in the route's handler
# and that handler builds nothing from strings but SELECTs (a read shows more rows, and changes
# none), after an account name the handler may require to exist.
OR_PASSWORD = ("{v}' OR '{a}'='{a}", "{v}' OR '{a}'='{b}")


# The same widening for any input the scanner says reaches SQL built from strings in a handler
# that builds only SELECTs (a lookup by a value that matches no row answers "nothing" to every
# AND): an OR finds every row, the false OR none, as the plain value does.
OR_WIDENING = [OR_PASSWORD, ("{v} OR {a}={a}", "{v} OR {a}={b}"), ('{v}" OR "{a}"="{a}', '{v}" OR "{a}"="{b}')]


def reads_only(ctx: ProbeContext, point: InjectionPoint) -> bool:
    """The scanner says this input reaches SQL built from strings, and the route's handler
    builds nothing from strings but SELECTs."""
    return not point.in_name and reaches_sql(ctx, point.route, point.param.name) is True and \
        handler_statement_kinds(ctx.project, point.route) == {"SELECT"}


def or_accounts(ctx: ProbeContext, point: InjectionPoint) -> list[tuple[str, str]]:
    """(user input's name, account) pairs the OR shape is sent with, for the password input of a
    login whose handler only reads (none elsewhere)."""
    fields = login_fields(point.route)
    if point.in_name or fields is None or fields[0].name != point.param.name or fields[1] is None or \
            reaches_sql(ctx, point.route, point.param.name) is not True or \
            handler_statement_kinds(ctx.project, point.route) != {"SELECT"}:
        return []
    user = fields[1]
    own = [user.example] if user.example and not user.filled else []
    return [(user.name, a) for a in own + [a for a in LIKELY_ACCOUNTS if a not in own]]


# Time-based, for databases whose errors and answers do not show: {d} is the delay in seconds.
# Each sleeps inside an AND, so it runs only for rows the query already selects. (engine, shape)
TIMED = [
    ("mysql", "{v}' AND SLEEP({d}) AND '1'='1"),
    ("mysql", "{v} AND SLEEP({d})"),
    ("postgres", "{v}' AND 1=(SELECT 1 FROM PG_SLEEP({d})) AND '1'='1"),
    ("postgres", "{v} AND 1=(SELECT 1 FROM PG_SLEEP({d}))"),
]
# Valid wherever a value stands, also in an INSERT's VALUES list or an UPDATE's SET, where an
# AND turns the value into a boolean the column refuses: the value stays exactly what it was (an
# empty string or a zero from an uncorrelated sub-select, run once, is added to it), so the
# statement writes or selects what the plain value would.
KEEPING_TIMED = [
    ("postgres", "{v}'||(SELECT '' FROM PG_SLEEP({d}))||'"),  # inside a string
    ("postgres", "{v}+(SELECT 0 FROM PG_SLEEP({d}))"),  # a number
    # MySQL's || is OR (outside PIPES_AS_CONCAT): an empty string is false, so SLEEP runs once
    # (a value with leading digits would be true and skip it) and the string column gets 0, an
    # ordinary value; a number adds SLEEP's 0.
    ("mysql", "'||SLEEP({d})||'"),
    ("mysql", "{v}+SLEEP({d})"),
]

# SQLite has no sleep. Its stand-in is work: counting {n} rows of a recursive sequence takes time
# in proportion to n, reads no table, writes nothing and holds one row at a time (constant
# memory, unlike a large RANDOMBLOB). The same shapes as above, with the count for the sleep.
WORK = "(WITH RECURSIVE w(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM w WHERE i<{n}) SELECT count(*) FROM w)"
TIMED += [
    ("sqlite", "{v}' AND (SELECT 1 FROM " + WORK + ")=1 AND '1'='1"),
    ("sqlite", "{v} AND (SELECT 1 FROM " + WORK + ")=1"),
]
KEEPING_TIMED += [
    ("sqlite", "{v}'||(SELECT '' FROM " + WORK + ")||'"),
    ("sqlite", "{v}+(SELECT 0 FROM " + WORK + ")"),
]
# How long a count takes depends on the machine, so the first request of a work shape measures
# it: CALIBRATION_ROWS (about 0.3 s on a 2-core machine here) must answer at least NOISE s later
# than the baseline, and the count for the delay is scaled from that, never above MAX_ROWS
# (about 10 s of one core here), so a target is never asked for unbounded work.
CALIBRATION_ROWS = 2_000_000
MAX_ROWS = 60_000_000
NOISE = 0.1


def work_rows(sender: Sender, point: InjectionPoint, shape: str, value: str, base: float,
              delay: float) -> int | None:
    """The row count that makes `shape` take about 1.5 x `delay` s on this target, measured with
    one request; None where the calibration count answers no later than the baseline."""
    ex = sender.send(point, shape.format(v=value, n=CALIBRATION_ROWS))
    extra = ex.elapsed - base
    if ex.status <= 0 or extra < NOISE:
        return None
    return max(CALIBRATION_ROWS, min(MAX_ROWS, int(CALIBRATION_ROWS * 1.5 * delay / extra)))


def for_engines(shapes: list[tuple[str, str]], engines: frozenset[str]) -> list[str]:
    """The shapes of the engines the project's code names; all of them where it names none."""
    return [shape for engine, shape in shapes if not engines or engine in engines]


def timed(sender: Sender, point: InjectionPoint, value: str, delay: float, shapes: list[str],
          base: float | None = None) -> tuple[Exchange, str, str] | None:
    """A payload that sleeps `delay` s answers that much slower than the baseline, twice, while
    the same payload with a zero delay does not: three requests, all needed to confirm. A work
    shape (SQLite's count) is first calibrated, and its zero is a count of none. `base`: the
    point's usual answer time where already known (else the baseline's and the value's).
    Returns the second slow exchange, its payload and what made the database wait."""
    if base is None:
        base = min(sender.baseline(point).elapsed, sender.send(point, value).elapsed)
    for shape in shapes:
        if "{n}" in shape:
            rows = work_rows(sender, point, shape, value, base, delay)
            if rows is None:
                continue
            slow_payload, quick, how = shape.format(v=value, n=rows), shape.format(v=value, n=0), \
                f"a count of {rows:,} rows, as SQLite has no sleep"
        else:
            slow_payload, quick, how = shape.format(v=value, d=f"{delay:g}"), shape.format(v=value, d="0"), \
                f"a {delay:g} s database sleep"
        found = delay_proof(sender, point, slow_payload, quick, base, delay)
        if found is not None:
            return found, slow_payload, how
    return None


def boolean(sender: Sender, point: InjectionPoint, value: str, true_t: str, false_t: str,
            profile: PointProfile | None = None, changes: bool = False,
            others: dict[str, str] | None = None) -> tuple[Exchange, str] | None:
    """An always-true and an always-false condition answer differently, in ROUNDS rounds with
    fresh numbers; and either the true answer is the baseline's every time, or each answers the
    same in every round (a page may find the row but treat an id that is not exactly `1` as
    another page; an error page may differ on every request).

    Rounds after the first two send the false condition first: an endpoint whose answer flips
    at random, or alternates between two answers (two servers behind a balancer), lines up
    with true/false order only by chance, and not four times running in both orders. Those
    rounds are sent only where the first two already agree.

    Where the value's answer is not a random value's (`profile.influenced`), a true condition
    answered like the random value kept nothing of the value: the condition never reached a
    query that found it, and the false one is not sent. `changes` asks the same of a true
    condition that should always answer unlike the canary (a wildcard that finds every row), so
    a point nothing reaches costs one request. `others`: values for the inputs beside the point's."""
    rounds = []
    for round_ in range(ROUNDS):
        a, b = numbers()
        t_pay, f_pay = true_t.format(v=value, a=a, b=b), false_t.format(v=value, a=a, b=b)
        if round_ >= 2:  # the false condition first
            f_ex = sender.send(point, f_pay, others=others)
            t_ex = sender.send(point, t_pay, others=others)
        else:
            t_ex = sender.send(point, t_pay, others=others)
            if round_ == 0 and profile is not None and (profile.influenced or changes) and \
                    alike(t_ex, profile.exchange, [t_pay, value, *profile.echoes], profile.noisy):
                return None
            f_ex = sender.send(point, f_pay, others=others)
        if t_ex.status <= 0 or f_ex.status <= 0 or same(t_ex, f_ex, [t_pay, f_pay, value]):
            return None
        rounds.append((t_ex, t_pay, f_ex, f_pay))
        if round_ >= 1 and not _agree(sender, point, value, rounds):
            return None
    return rounds[-1][0], rounds[-1][1]


ROUNDS = 4


def _agree(sender: Sender, point: InjectionPoint, value: str,
           rounds: list[tuple[Exchange, str, Exchange, str]]) -> bool:
    """Every round's true answer is the baseline's, or every round answers as the first did."""
    base = sender.baseline(point)
    t1, tp1, f1, fp1 = rounds[0]
    return all(same(t, base, [tp, value]) for t, tp, _, _ in rounds) or \
        all(same(t1, t, [tp1, tp, value]) and same(f1, f, [fp1, fp, value]) for t, tp, f, fp in rounds[1:])


def blind_candidate(point: InjectionPoint) -> bool:
    """An input the code declares and a statement may take as a value: a field of the query,
    form or JSON body, or a header or cookie the code reads (its own Referer too: a route read
    from the code is never given the Referer guess every crawled page gets)."""
    return point.route.source == "code" and not point.in_name and \
        point.param.location in ("query", "form", "json", "header", "cookie")


def code_names(point: InjectionPoint) -> list[str]:
    """The names the input may go by in the code: a header's `User-Input` is `user_input` there."""
    name = point.param.name
    return [name, name.replace("-", "_")] if point.param.location == "header" and "-" in name else [name]


class SqlInjection(PointCheck):
    name = "sqli"
    category = "sql-injection"
    attacks_file_names = True

    def __init__(self) -> None:
        self.deferred: list[tuple[InjectionPoint, str, float | None]] = []  # (point, value, usual answer time)

    def worth(self, point: InjectionPoint, profile: PointProfile) -> bool:
        # The profile's polyglot holds both quotes; a GET also gets the LIKE wildcard shape and a
        # login's user name the account shape (its "no such user" hides any difference).
        # Where nothing changes the answer, the code may still say the input reaches SQL (`run`
        # asks it: no request is sent otherwise).
        return profile.influenced or profile.special or like_anyway(point) or bool(account_values(point)) or \
            blind_candidate(point)

    def run(self, sender: Sender, ctx: ProbeContext, point: InjectionPoint) -> Confirmation | None:
        base = sender.baseline(point)
        value = point.param.example or "1"
        if base.status <= 0:
            return None
        profile = ctx.profile(point)
        if not sql_error(base.text) and (profile is None or any(
                names_a_column(ex.text, profile.tag) for ex in (profile.exchange, profile.first) if ex is not None)) and \
                (found := self._identifier(sender, point)) is not None:
            return found
        quote_matters = False  # a quote answers differently from the plain canary
        if not sql_error(base.text):
            for quote in ("'", '"') if profile is None or profile.special else ():
                tok = token()
                ex = sender.send(point, f"{value}{quote}{tok}")
                if profile is not None and not plain_echo(profile, ex, f"{value}{quote}{tok}"):
                    quote_matters = True
                m = sql_error(ex.text)
                if m and tok in ex.text:
                    control = sender.send(point, f"{value}{tok}")
                    if not sql_error(control.text):
                        return Confirmation(self.category, self.name,
                                            f"SQL injection: a quote in {point.label} breaks the query "
                                            "(the database error names the request's token)", ex, tok, point)
                if profile is not None and not (profile.influenced or quote_matters):
                    break  # neither the canary nor a quote changes the answer: nothing to compare
        gated_out = profile is not None and not (profile.influenced or quote_matters)
        wildcard = like_value(point)
        # A LIKE pattern whose errors are hidden looks like a point nothing reaches (every answer
        # is "no rows"): on a GET query the wildcard shape is still tried, at one request if nothing.
        failing = [pair for engine, pair in CONDITIONAL_ERROR if engine in database_engines(ctx.project)]
        shapes = ([] if gated_out else [(value, t, f, False) for t, f in BOOLEAN + failing]) + \
            ([(wildcard, *LIKE, True)] if wildcard and (like_anyway(point) or not gated_out) else []) + \
            [(account, *ACCOUNT, True) for account in account_values(point)]
        or_shapes = [(value, *OR_PASSWORD, True, {user: account}) for user, account in or_accounts(ctx, point)]
        if not or_shapes and not gated_out and reads_only(ctx, point):
            or_shapes = [(value, t, f, True, None) for t, f in OR_WIDENING]
        if ctx.fetches(point):  # the server fetches this value (SSRF): answers differ by what it fetched
            shapes, or_shapes = [], []
        for start, true_t, false_t, changes, others in [(*shape, None) for shape in shapes] + or_shapes:
            proof = boolean(sender, point, start, true_t, false_t, profile, changes, others)
            if proof is not None:
                return Confirmation(self.category, self.name,
                                    f"SQL injection: {point.label} is evaluated as SQL (an always-true and an "
                                    "always-false condition answer differently, the same way twice)", proof[0], proof[1],
                                    point)
        if gated_out:
            return self._blind(sender, ctx, point, value) if blind_candidate(point) else None
        # Time-based is the last resort: in a full run, only where a quote changed the answer
        # (always when this check is run on its own).
        last_resort = profile is None or quote_matters
        engines = database_engines(ctx.project)
        if ctx.delay > 0 and last_resort and \
                (found := timed(sender, point, value, ctx.delay, for_engines(TIMED + KEEPING_TIMED, engines))):
            return Confirmation(self.category, self.name,
                                f"SQL injection (time-based): {point.label} delays the answer by {ctx.delay:g} s "
                                f"({found[2]}), twice, and not with a zero delay", found[0], found[1], point)
        return None

    def _identifier(self, sender: Sender, point: InjectionPoint) -> Confirmation | None:
        """A bare token answered by "no such column: TOKEN", twice with fresh tokens: the input is
        a column name in the statement. Tried where the profile's canary got that answer (or
        with no profile); one request where the first shows no such error."""
        ex: Exchange | None = None
        for _ in range(2):
            tok = token()
            ex = sender.send(point, tok)
            if not names_a_column(ex.text, tok):
                return None
        assert ex is not None
        return Confirmation(self.category, self.name,
                            f"SQL injection: {point.label} is read as a column name (the database names the "
                            "request's token as an unknown column, twice)", ex, tok, point)

    def _blind(self, sender: Sender, ctx: ProbeContext, point: InjectionPoint, value: str) -> Confirmation | None:
        """Every answer is alike: where the scanner says this input reaches SQL built from
        strings, the value-keeping delays (three requests when nothing sleeps). Where the
        scanner cannot say (its dataflow saw no such SQL in any handler: a route that hands
        the request to database code the scanner does not follow), the project's statements
        built from strings that name the input stand in, a weaker hint (one name may be every
        route's input): those delays are kept for the end of the run (`last`)."""
        if ctx.delay <= 0:
            return None
        reach = reaches_sql(ctx, point.route, point.param.name)
        if reach is None and any(reaches_built_sql(ctx.project, name) for name in code_names(point)):
            profile = ctx.profile(point)
            base = min(sender.baseline(point).elapsed, profile.exchange.elapsed) if profile is not None else None
            self.deferred.append((point, value, base))
        if not reach:
            return None
        return self._timed_blind(sender, ctx, point, value, None)

    def _timed_blind(self, sender: Sender, ctx: ProbeContext, point: InjectionPoint, value: str,
                     base: float | None) -> Confirmation | None:
        found = timed(sender, point, value, ctx.delay, for_engines(KEEPING_TIMED, database_engines(ctx.project)), base)
        if found is None:
            return None
        return Confirmation(self.category, self.name,
                            f"SQL injection (time-based, blind): {point.label} delays the answer by {ctx.delay:g} s "
                            f"({found[2]}), twice, and not with a zero delay; every answer is otherwise alike",
                            found[0], found[1], point)

    def last(self, ctx: ProbeContext, sender: Sender) -> Iterator[Confirmation]:
        """The blind delays the project's statements hinted at, once every other check is done."""
        for point, value, base in self.deferred:
            if (found := self._timed_blind(sender, ctx, point, value, base)) is not None:
                yield found

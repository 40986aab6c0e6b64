"""NoSQL injection.

Operators: a JSON value (or `name[$op]` query key) that is an operator object. `{"$ne": r}`
(anything but a random value) must answer differently from `{"$eq": r}` (only that value) while
`{"$eq": r}` answers like the plain string r, in four rounds with fresh values (the last two
send `$ne` before the plain value). Not sent to a handler the code shows querying no document
store in an app built on a relational database: there the object is a type error at best, and a
crash of the app at worst.

JavaScript in the query (`$where: "this.stocks > '" + threshold + "'"`), only in a project whose
code runs some: a value that closes the string and adds `|| 'a'=='a'` (every document) must
answer differently from one that adds `&& 'a'=='b'` (none), which answers like a plain random
value, twice (the boolean differential of the query-language checks)."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from auditor.probe.checks.canary import same, token
from auditor.probe.checks.differential import ROUNDS, Shape, differential
from auditor.probe.checks.sql_code import handler_text
from auditor.probe.interface import Confirmation, InjectionPoint, PointCheck, ProbeContext, Sender
from auditor.probe.profile import PointProfile

# A handler that queries a document store (an operator object there is a query).
DOCUMENT_QUERY = re.compile(r"mongo|\$where|\$regex|\.find\(|\.find_one\(|\.aggregate\(|\.collection\(|"
                            r"countDocuments|\.findOne\((?!\s*\{\s*where)|\bdb\[")
# Packages of a relational database or ORM, where an object in a string column is a type error:
# unhandled (a promise chain without a catch), it stops a Node app.
RELATIONAL = frozenset({"sequelize", "knex", "typeorm", "prisma", "@prisma/client", "mysql", "mysql2", "pg",
                        "sqlite3", "better-sqlite3", "objection", "sqlalchemy", "flask-sqlalchemy", "psycopg2",
                        "psycopg2-binary", "pymysql", "peewee", "django", "sqlmodel", "tortoise-orm"})


@lru_cache(maxsize=16)
def relational(project: Path) -> bool:
    """Whether the project's manifests name a relational database driver or ORM."""
    from auditor.stack.detect import detect_stack

    try:
        deps = detect_stack(project).merged().dependencies
    except Exception:  # noqa: BLE001  (a manifest it cannot read: no knowledge, no skip)
        return False
    return any(d.name.lower() in RELATIONAL for d in deps)


def printed(value: dict[str, str]) -> list[str]:
    """How a handler that echoes the value writes an operator object where it wrote the plain
    string: JavaScript's `[object Object]`, JSON, Python's dict (longest first: each holds the value)."""
    return [str(value), json.dumps(value), json.dumps(value, separators=(",", ":")), "[object Object]"]


class NoSqlInjection(PointCheck):
    name = "nosql"
    category = "nosql-injection"

    def applies(self, point: InjectionPoint) -> bool:
        return point.param.location in ("json",) and not point.in_name

    def worth(self, point: InjectionPoint, profile: PointProfile) -> bool:
        return True  # an operator can match where no plain value does: not gated by the canary

    def run(self, sender: Sender, ctx: ProbeContext, point: InjectionPoint) -> Confirmation | None:
        if ctx.fetches(point):
            return None  # the server fetches this value: its answers differ by what it fetched
        code = handler_text(ctx.project, point.route)
        if code and not DOCUMENT_QUERY.search(code) and ctx.project is not None and relational(ctx.project):
            return None  # a relational app's handler that queries no document store
        proof = None
        profile = ctx.profile(point)
        for round_ in range(ROUNDS):
            # rounds after the first two send `$ne` before the plain value: an endpoint that
            # alternates between two answers, or flips at random, never lines up every time
            r = token()
            early = sender.send(point, r, raw_value={"$ne": r}) if round_ >= 2 else None
            if round_ == 0 and profile is not None:
                r, plain = profile.sent or profile.payload, profile.exchange  # the profile's value is the first plain one
            else:
                plain = sender.send(point, r)
            if plain.status <= 0:
                return None
            # `$ne` first: answered like the plain value (an app that ignores or refuses the
            # operator), it settles the point without its `$eq` control.
            ne = early or sender.send(point, r, raw_value={"$ne": r})
            # an answer that echoes the value writes the object where it wrote the string: masked
            # as the `$eq` control's is (DVGA's uploadPaste answers Python's repr of it)
            if same(ne, plain, [*printed({"$ne": r}), r]):
                return None
            eq = sender.send(point, r, raw_value={"$eq": r})
            if not same(eq, plain, [*printed({"$eq": r}), r]):
                return None
            proof = (ne, r)
        assert proof is not None
        return Confirmation(self.category, self.name,
                            f"NoSQL injection: {point.label} accepts a query operator ($ne matched what the plain "
                            f"value did not, {ROUNDS} times)", proof[0], proof[1], point)


# A value pasted into JavaScript's text: in a single- or double-quoted string, or bare (a number).
WHERE_SHAPES = [
    Shape(lambda v, t, a, b: f"{v}' || '{a}'=='{a}", lambda v, t, a, b: f"{v}' && '{a}'=='{b}", keeps=False),
    Shape(lambda v, t, a, b: f'{v}" || "{a}"=="{a}', lambda v, t, a, b: f'{v}" && "{a}"=="{b}', keeps=False),
    Shape(lambda v, t, a, b: f"{v} || {a}=={a}", lambda v, t, a, b: f"{v} && {a}=={b}", keeps=False),
]


class WhereInjection(PointCheck):
    """JavaScript a document store runs (`$where`) built from the value (see the module's docstring)."""

    name = "nosql"
    category = "nosql-injection"

    def applies(self, point: InjectionPoint) -> bool:
        return point.param.location in ("query", "form", "json", "path") and not point.in_name

    def run(self, sender: Sender, ctx: ProbeContext, point: InjectionPoint) -> Confirmation | None:
        if not ctx.query_javascript or ctx.fetches(point):
            return None
        for shape in WHERE_SHAPES:
            if (found := differential(sender, ctx, point, shape)) is not None:
                ex, payload = found
                return Confirmation(self.category, self.name,
                                    f"NoSQL injection: {point.label} is pasted into JavaScript the database runs "
                                    "($where): a condition true for every document answered differently from a "
                                    "false one, which answered like a plain value, twice", ex, payload, point)
        return None


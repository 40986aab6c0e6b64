"""Passwords written to the database as they were typed.

`js.pattern.plaintext-password-sql` (weak-crypto, CWE-256/CWE-916): a raw SQL statement that
stores or matches a password column (`INSERT INTO users (email, password) VALUES (...)`,
`UPDATE users SET password = ...`, `WHERE email = ? AND password = ?`) with a password-named
value (`password`, `body.newPassword`, `normalizedPassword`) that the function did not derive
from a hash (bcrypt, argon2, scrypt, pbkdf2, createHash). The value reaches the statement
through a template substitution, a concatenation or the parameter array. Whoever reads the
table, a backup or a log of the query holds every user's password, and users reuse them.

`js.pattern.password-hash-passthrough` (weak-crypto, CWE-256): a function named for hashing a
password (`hashPassword`, `encryptPassword`, `passwordHash`) that, on some path, returns the
password it was given unchanged (`if (legacy) return password;`): every caller that stores
its result stores the password as typed whenever that path runs.

Only raw SQL is judged: an ORM write (`repo.save({ password })`) may pass through an entity
hook that hashes it (`@BeforeInsert`, a Mongoose `pre('save')`), which raw SQL never does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from tree_sitter import Node

from auditor.scan.checks.javascript.syntax import (
    JS_LANGUAGES,
    args_of,
    chain,
    enclosing_function,
    index,
    param_target,
    params_of,
    text,
    unwrap,
)
from auditor.scan.interface import Check, Hit, SourceFile
from auditor.scan.treeutil import find_all

DETECTOR = "js.pattern.plaintext-password-sql"
PASSTHROUGH = "js.pattern.password-hash-passthrough"
# A function whose name promises to hash (or encrypt) a password.
_HASHER_NAME = re.compile(r"(?i)^(?:hash|encrypt|digest|crypt)\w*pass(?:word|wd)\w*$|^pass(?:word|wd)\w*hash$")
# A statement that writes or matches a password column.
_WRITES_PASSWORD = re.compile(
    r"(?is)\binsert\s+into\b[^;]*?\([^)]*\bpass(?:word|wd)?\b[^)]*\)|\bupdate\b[^;]*?\bset\b[^;]*?\bpass(?:word|wd)?\s*=|"
    r"\bwhere\b[^;]*?\bpass(?:word|wd)?\s*=")
_PASSWORD_VALUE = re.compile(r"(?i)^\w*(?:password|passwd|pwd)$")
_HASHED_NAME = re.compile(r"(?i)hash|digest|crypt")
_HASHING = re.compile(r"(?i)hash|bcrypt|argon|scrypt|pbkdf|crypt|digest")
_PREFILTER = ("INSERT", "insert", "UPDATE", "update", "WHERE", "where")


class PlaintextPasswordSqlCheck(Check):
    languages = JS_LANGUAGES
    detectors = (DETECTOR, PASSTHROUGH)

    def run(self, src: SourceFile) -> Iterable[Hit]:
        if not re.search(r"(?i)passw|pwd", src.text):
            return []
        idx = index(src)
        if idx is None:
            return []
        hits: list[Hit] = list(_passthrough_hashers(src, idx))
        if not any(n in src.text for n in _PREFILTER):
            return hits
        for call in idx.get("call"):
            args = args_of(call)
            if not args:
                continue
            statement = unwrap(args[0])
            at: Node | None = statement
            if statement is not None and statement.type == "identifier" and len(chain(src, call.child_by_field_name("function")) or []) >= 2:
                # a `query` variable given an INSERT template, then `pool.query(query)`: the statement the variable holds,
                # reported at the call that runs it
                pieces = _held_statement(src, call, text(src, statement))
                if not pieces or not _WRITES_PASSWORD.search(" ".join(text(src, p) for p in pieces)):
                    continue
                values = [v for p in pieces for v in _values(src, p)]
                at = call
            elif statement is None or statement.type not in ("template_string", "string", "binary_expression"):
                continue
            elif not _WRITES_PASSWORD.search(text(src, statement)):
                continue
            else:
                values = list(_values(src, statement))
            if len(args) > 1 and unwrap(args[1]) is not None and unwrap(args[1]).type == "array":
                values.extend(unwrap(args[1]).named_children)
            name = next((n for n in (self._plain(src, v) for v in values) if n), "")
            if name and at is not None:
                hits.append(Hit.at(DETECTOR, at, f"`{name}` is stored in (or matched against) the password column as typed: store an "
                                   "argon2id or bcrypt hash (argon2.hash / bcrypt.hash) and check logins with "
                                   "argon2.verify / bcrypt.compare, never in SQL."))
        return hits

    @staticmethod
    def _plain(src: SourceFile, value: Node) -> str:
        parts = chain(src, value)
        if parts is None or not _PASSWORD_VALUE.match(parts[-1]) or _HASHED_NAME.search(parts[-1]):
            return ""
        if len(parts) == 1 and _hashed_in_function(src, value, parts[0]):
            return ""
        return ".".join(parts)


def _passthrough_hashers(src: SourceFile, idx: object) -> Iterator[Hit]:
    """`hashPassword(password)` functions with a `return password;` path."""
    for fn in idx.get("func"):  # type: ignore[attr-defined]
        name = _function_name(src, fn)
        params = params_of(fn)
        if not name or not _HASHER_NAME.match(name) or not params:
            continue
        first = text(src, param_target(params[0]))
        body = fn.child_by_field_name("body")
        if body is None or not re.fullmatch(r"[\w$]+", first):
            continue
        for ret in find_all(src.language or "javascript", body, ("return_statement",)):
            if enclosing_function(ret) != fn:
                continue
            value = unwrap(ret.named_children[0]) if ret.named_children else None
            if value is not None and text(src, value) == first:
                yield Hit.at(PASSTHROUGH, ret, f"`{name}` returns the password it was given unchanged on this path: whatever "
                             "stores its result stores the password as typed. Always hash (argon2id, or bcrypt with cost 12+).")
                break


def _function_name(src: SourceFile, fn: Node) -> str:
    """A function's name: its own, or the variable / property / method it is bound to."""
    name = fn.child_by_field_name("name")
    if name is not None:
        return text(src, name)
    holder = fn.parent
    if holder is not None and holder.type in ("variable_declarator", "pair", "assignment_expression"):
        target = holder.child_by_field_name("name") or holder.child_by_field_name("key") or holder.child_by_field_name("left")
        return text(src, target).rsplit(".", 1)[-1] if target is not None else ""
    return ""


def _values(src: SourceFile, statement: Node) -> Iterator[Node]:
    """What is spliced into the statement's text: template substitutions and the operands of
    a `+` concatenation."""
    stack = [statement]
    while stack:
        n = unwrap(stack.pop())
        if n is None:
            continue
        if n.type == "template_string":
            stack.extend(c.named_children[0] for c in n.named_children
                         if c.type == "template_substitution" and c.named_children)
        elif n.type == "binary_expression" and text(src, n.child_by_field_name("operator")) == "+":
            stack.extend(n.named_children)
        elif n.type not in ("string", "string_fragment"):
            yield n


def _held_statement(src: SourceFile, call: Node, name: str) -> list[Node]:
    """The SQL text a variable passed to a query call holds in the enclosing function: the
    templates assigned to it (a `q` given `UPDATE users SET ${fields.join(', ')} WHERE ...`,
    `q += ...`), and for each list joined into it (`${fields.join(', ')}`) the fragments pushed
    to that list (`fields.push` of a `password = '${password}'` template), each fragment given as a `SET`
    clause of the statement. [] when the variable is not assigned a string in the function."""
    fn = enclosing_function(call)
    body = fn.child_by_field_name("body") if fn is not None else None
    if body is None:
        return []
    lang = src.language or "javascript"
    held: list[Node] = []
    for node in find_all(lang, body, ("variable_declarator", "assignment_expression", "augmented_assignment_expression")):
        target = node.child_by_field_name("name") or node.child_by_field_name("left")
        value = unwrap(node.child_by_field_name("value") or node.child_by_field_name("right"))
        if target is not None and value is not None and text(src, target) == name \
                and value.type in ("template_string", "string", "binary_expression") and node.start_byte < call.start_byte:
            held.append(value)
    if not held:
        return []
    lists = {m.group(1) for h in held for m in re.finditer(r"\$\{\s*([A-Za-z_$][\w$]*)\.join\(", text(src, h))}
    if lists and re.search(r"(?is)\bupdate\b[^;]*?\bset\b", " ".join(text(src, h) for h in held)):
        for push in find_all(lang, body, ("call_expression",)):
            parts = chain(src, push.child_by_field_name("function")) or []
            pushed = args_of(push)
            if len(parts) == 2 and parts[0] in lists and parts[1] in ("push", "unshift") and pushed \
                    and unwrap(pushed[0]) is not None and unwrap(pushed[0]).type in ("template_string", "string", "binary_expression") \
                    and re.match(r"""[`'"]?\s*pass(?:word|wd)?\s*=""", text(src, unwrap(pushed[0])), re.I):
                held.append(unwrap(pushed[0]))
    return held


def _hashed_in_function(src: SourceFile, at: Node, name: str) -> bool:
    """`name` is bound in the enclosing function from something that hashes."""
    fn = enclosing_function(at)
    body = fn.child_by_field_name("body") if fn is not None else None
    if body is None:
        return False
    lang = src.language or "javascript"
    for node in find_all(lang, body, ("variable_declarator", "assignment_expression")):
        target = node.child_by_field_name("name") or node.child_by_field_name("left")
        value = node.child_by_field_name("value") or node.child_by_field_name("right")
        if target is not None and value is not None and text(src, target) == name and _HASHING.search(text(src, value)):
            return True
    return False


CHECKS = [PlaintextPasswordSqlCheck()]

"""Access checks that do not hold, read from a handler's syntax.

- `js.pattern.unenforced-check` (broken-access-control):
  - a key, secret or token from the request compared with a literal (`if (secret !==
    'export123')`) in a branch that only logs: the check notices the wrong key and then lets
    the request through;
  - a rejecting check AND-ed with a request switch (`if (!user.isAdmin && force !== 'true')
    return 403`): any client sends `force=true` and the check is skipped.
- `js.pattern.client-chosen-owner` (broken-access-control, CWE-639): the record owner taken
  from the request in preference to the authenticated user (`userId ? +userId :
  req.user.userId`, `dto.userId || req.user.id`): the fallback shows whose data was meant,
  and any client names another user instead.

Request values are `req.query/body/params/headers/cookies` members and the parameters of a
Nest handler bound by `@Query`/`@Body`/`@Headers`/`@Param` (a whole `@Body() dto` makes its
members request values).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from tree_sitter import Node

from auditor.scan.checks.javascript.syntax import (
    JS_LANGUAGES,
    index,
    param_decorators,
    param_target,
    params_of,
    string_value,
    text,
    unwrap,
)
from auditor.scan.interface import Check, Hit, SourceFile

UNENFORCED = "js.pattern.unenforced-check"
OWNER = "js.pattern.client-chosen-owner"

_REQ_MEMBER = re.compile(
    r"\b(?:req|request)\s*\.\s*(?:query|body|params|headers|cookies)\s*(?:\??\.\s*([\w$]+)|\[\s*['\"`]([\w-]+)['\"`]\s*\])"
    r"|\b(?:req|request)\s*\.\s*(?:get|header)\s*\(\s*['\"`]([\w-]+)['\"`]\s*\)")
_NEST_SOURCES = ("Query", "Body", "Headers", "Param")
_CREDENTIAL = re.compile(r"(?i)secret|key|token|pass(?:word|wd)?|auth|signature|sig$|apikey|admin")
_SWITCH_VALUES = frozenset({"true", "1", "yes", "on"})
_OWNER_KEY = re.compile(r"(?i)^(?:user|owner|account|customer|member|author|tenant|profile)_?id$")
_SESSION_ID = re.compile(r"\b(?:req|request)\s*\.\s*user\s*\??\.\s*(?:id|_id|userId|user_id|sub|uid)\b")
_LOGGING = re.compile(r"^(?:console\s*\.\s*\w+|(?:this\s*\.\s*)?(?:logger|log|audit)\w*\s*\.\s*\w+|\w*[lL]og\w*)\s*\(")
_COMPARE = frozenset({"!==", "!="})


class CheckEnforcementCheck(Check):
    languages = JS_LANGUAGES
    detectors = (UNENFORCED, OWNER)

    def run(self, src: SourceFile) -> Iterable[Hit]:
        body = src.text
        if not ("req" in body or "@Query" in body or "@Body" in body or "@Headers" in body or "@Param" in body):
            return []
        idx = index(src)
        if idx is None:
            return []
        hits: list[Hit] = []
        for fn in idx.get("func"):
            values = _RequestValues(src, fn)
            if not values.any:
                continue
            for node in _own_nodes(fn):
                if node.type == "if_statement":
                    hits += _if_hits(src, node, values)
                elif node.type in ("ternary_expression", "binary_expression"):
                    hit = _owner_hit(src, node, values)
                    if hit is not None:
                        hits.append(hit)
        return hits


class _RequestValues:
    """Which expressions of one function are request values, and under what key."""

    def __init__(self, src: SourceFile, fn: Node) -> None:
        self.src = src
        self.names: dict[str, str] = {}  # identifier -> key (`@Query('force') force`)
        self.objects: set[str] = set()  # whole request objects (`@Body() dto`)
        for param in params_of(fn):
            decorator = next((c for c in param.children if c.type == "decorator"), None)
            kinds = [d for d in param_decorators(src, param) if d in _NEST_SOURCES]
            target = param_target(param)
            if not kinds or decorator is None or target.type != "identifier":
                continue
            key = re.search(r"\(\s*['\"`]([\w-]+)['\"`]", text(src, decorator))
            if key:
                self.names[text(src, target)] = key.group(1)
            elif kinds[0] in ("Body", "Query", "Headers"):
                self.objects.add(text(src, target))
        self.uses_req = _REQ_MEMBER.search(text(src, fn)) is not None
        self.any = bool(self.names or self.objects or self.uses_req)

    def key(self, node: Node | None) -> str | None:
        """The request key `node` reads, or None when it is not a request value."""
        node = unwrap(node)
        if node is None:
            return None
        t = text(self.src, node)
        if node.type == "identifier":
            return self.names.get(t)
        if node.type in ("member_expression", "subscript_expression", "call_expression"):
            m = _REQ_MEMBER.fullmatch(t.strip())
            if m:
                return next(g for g in m.groups() if g)
            obj = unwrap(node.child_by_field_name("object"))
            prop = node.child_by_field_name("property")
            if node.type == "member_expression" and obj is not None and obj.type == "identifier" and \
                    text(self.src, obj) in self.objects and prop is not None:
                return text(self.src, prop)
        return None


def _own_nodes(fn: Node) -> Iterable[Node]:
    """The nodes of `fn`'s body, not descending into nested functions (each is its own)."""
    body = fn.child_by_field_name("body")
    stack = [body] if body is not None else []
    while stack:
        node = stack.pop()
        yield node
        stack.extend(c for c in node.named_children
                     if c.type not in ("function_declaration", "function_expression", "arrow_function", "method_definition"))


def _terms(node: Node | None, op: str) -> list[Node]:
    """The operands of a chain of one operator (`a && b && c` -> [a, b, c])."""
    node = unwrap(node)
    if node is None:
        return []
    if node.type == "binary_expression" and node.child_by_field_name("operator") is not None and \
            node.child_by_field_name("operator").type == op:
        return _terms(node.child_by_field_name("left"), op) + _terms(node.child_by_field_name("right"), op)
    return [node]


def _compared(src: SourceFile, term: Node, values: _RequestValues, ops: frozenset[str]) -> tuple[str, str] | None:
    """(request key, literal) for `value !== 'literal'` (either side), else None."""
    term = unwrap(term)
    if term is None or term.type != "binary_expression":
        return None
    op = term.child_by_field_name("operator")
    if op is None or op.type not in ops:
        return None
    left, right = term.child_by_field_name("left"), term.child_by_field_name("right")
    for a, b in ((left, right), (right, left)):
        key, lit = values.key(a), string_value(src, b)
        if key is not None and lit is not None:
            return key, lit
    return None


def _statements(block: Node | None) -> list[Node]:
    block = unwrap(block)
    if block is None:
        return []
    if block.type == "statement_block":
        return [c for c in block.named_children if c.type != "comment"]
    return [block]


def _rejects(src: SourceFile, block: Node | None) -> bool:
    t = text(src, block)
    return re.search(r"\breturn\b|\bthrow\b|\bnext\s*\(|\.status\s*\(|sendStatus|\.redirect\s*\(|\bbreak\b|\bcontinue\b", t) is not None


def _only_logs(src: SourceFile, block: Node | None) -> bool:
    stmts = _statements(block)
    return bool(stmts) and all(
        s.type == "expression_statement" and s.named_children and s.named_children[0].type == "call_expression"
        and _LOGGING.match(text(src, s.named_children[0])) is not None for s in stmts)


def _if_hits(src: SourceFile, node: Node, values: _RequestValues) -> list[Hit]:
    cond = node.child_by_field_name("condition")
    consequence = node.child_by_field_name("consequence")
    terms = _terms(cond, "&&")
    if node.child_by_field_name("alternative") is None and _only_logs(src, consequence):
        compared = [_compared(src, term, values, _COMPARE) for term in terms]
        found = compared[0] if all(c is not None and _CREDENTIAL.search(c[0]) for c in compared) else None
        if found is not None:
            return [Hit.at(UNENFORCED, cond or node,
                           f"The request's `{found[0]}` is checked against a fixed value, but a wrong one is only "
                           "logged: the request goes on. Reject it (throw ForbiddenException / return 401/403), "
                           "and authenticate with a guard rather than a shared key.")]
        return []
    if len(terms) >= 2 and _rejects(src, consequence):
        for term in terms:
            found = _compared(src, term, values, _COMPARE)
            if found is not None and found[1].lower() in _SWITCH_VALUES:
                return [Hit.at(UNENFORCED, term,
                               f"The check is skipped when the request sends `{found[0]}={found[1]}`: any client can. "
                               "Remove the switch, or allow it only for a role read from the authenticated user.")]
    return []


def _owner_hit(src: SourceFile, node: Node, values: _RequestValues) -> Hit | None:
    if node.type == "ternary_expression":
        chosen, fallback = node.child_by_field_name("consequence"), node.child_by_field_name("alternative")
        test = node.child_by_field_name("condition")
        key = values.key(test) or values.key(chosen) or _inner_key(chosen, values)
    else:
        op = node.child_by_field_name("operator")
        if op is None or op.type not in ("||", "??"):
            return None
        chosen, fallback = node.child_by_field_name("left"), node.child_by_field_name("right")
        key = values.key(chosen) or _inner_key(chosen, values)
    if key is None or not _OWNER_KEY.match(key) or not _SESSION_ID.search(text(src, fallback)):
        return None
    return Hit.at(OWNER, node, f"Whose records are used is taken from the request's `{key}` before the signed-in "
                  "user: any client names another user. Use the authenticated user's id (and let only admins, "
                  "checked on the server, pick another).")


def _inner_key(node: Node | None, values: _RequestValues) -> str | None:
    """`parseInt(userId)` / `Number(dto.userId)`: the request key inside a conversion call."""
    node = unwrap(node)
    if node is None:
        return None
    if node.type == "call_expression":
        args = node.child_by_field_name("arguments")
        first = args.named_children[0] if args is not None and args.named_children else None
        return values.key(first)
    if node.type == "unary_expression":
        return values.key(node.named_children[-1] if node.named_children else None)
    return None


CHECKS = [CheckEnforcementCheck()]

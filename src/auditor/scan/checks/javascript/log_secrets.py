"""Secrets written to the log.

`js.pattern.log-secret` (insufficient-logging, CWE-532): a logger call (`console.*`,
`logger.*`, `this.logger.*`, a Nest `Logger`, winston/pino/bunyan instances, `req.log.*`)
whose message holds a password, token, API key, card number or CVV: a name or property
with that name (`password`, `body.password`, `accessToken`), the Authorization or Cookie
header (`req.headers.authorization`, `req.headers.get('authorization')`), the request's whole
headers, cookies or body (`req.body`, `const body = await req.json()`), or an object
whose declared class (in the same file) has such a field (`JSON.stringify(payment)` with
`payment: PaymentInfo { cardNumber; cvv }`). Log files reach far more people and systems
than the database does (shippers, dashboards, support), and they are kept for years.

What is only derived from a secret is not reported: a value passed through another call
(`mask(token)`, `token.slice(0, 6)`, `hash(password)`), its length or a test of it
(`password.length`, `!!token`), and names that only mention one (`passwordHistoryEnabled`,
`tokenCount`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from tree_sitter import Node

from auditor.scan.checks.javascript.syntax import (
    JS_LANGUAGES,
    callee_parts,
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

DETECTOR = "js.pattern.log-secret"
_LOG_METHODS = frozenset({"log", "info", "debug", "warn", "warning", "error", "trace", "verbose", "fatal", "silly"})
# The receiver's last name: console, logger, this.logger, log, appLogger, winston, pino, req.log ...
_LOGGER = re.compile(r"(?i)^(?:console|log|logger|\w*logger|winston|pino|bunyan|signale)$")
# A whole name (or property) that holds a secret value; prefixes such as `new`, `old`, `user`,
# `raw`, `plain`, `access`, `refresh` are allowed, trailing words (`Length`, `Enabled`) are not.
_SECRET_NAME = re.compile(
    r"(?i)^(?:new|old|current|confirm|user|raw|plain|client|access|refresh|id|auth|bearer|session|reset|api|x)?_?"
    r"(?:password|passwd|pwd|passphrase|secret|token|jwt|apikey|api_key|authorization|cookie|cvv|cvc|"
    r"cardnumber|card_number|creditcard|credit_card|creditcardnumber|ssn|otp)$")
# Containers of the request whose whole content carries credentials (Authorization, Cookie).
_REQUEST = frozenset({"req", "request", "ctx", "context"})
_WHOLE = frozenset({"headers", "cookies", "signedCookies"})
_STRINGIFY = frozenset({"JSON.stringify", "String", "util.inspect", "inspect"})
_PREFILTER = ("log", "Log", "console")
# A credential header read by name: `req.headers.get('authorization')`, `req.get('cookie')`.
_HEADER_GET = re.compile(r"""^(?:req|request|ctx)\s*\.\s*(?:headers\s*\.\s*get|get|header)\s*\(\s*['"`]"""
                         r"""(authorization|proxy-authorization|cookie|x-api-key|x-auth-token)['"`]\s*\)$""", re.I)
# `const body = await req.json()` (Fetch API / Next.js), `const data = req.body` (Express).
_BODY_DECL = re.compile(r"\b(?:const|let|var)\s+(\w+)\s*=\s*(?:await\s+)?(?:req|request)\s*\.\s*(?:json\s*\(\s*\)|body\b(?!\s*[.\[]))")


class LogSecretCheck(Check):
    languages = JS_LANGUAGES
    detectors = (DETECTOR,)

    def run(self, src: SourceFile) -> Iterable[Hit]:
        if not any(n in src.text for n in _PREFILTER):
            return []
        idx = index(src)
        if idx is None:
            return []
        classes = _class_fields(src)
        hits: list[Hit] = []
        for call in idx.get("call"):
            parts = callee_parts(src, call)
            if len(parts) < 2 or parts[-1] not in _LOG_METHODS or not _LOGGER.match(parts[-2]):
                continue
            what = self._secret_in(src, call, classes)
            if what:
                hits.append(Hit.at(DETECTOR, call, f"{what} is written to the log: log who and what happened "
                                   "(user id, outcome), never the secret itself; mask it if it must be referenced."))
        return hits

    def _secret_in(self, src: SourceFile, call: Node, classes: dict[str, set[str]]) -> str:
        args = call.child_by_field_name("arguments")
        if args is None:
            return ""
        for arg in args.named_children:
            m = _HEADER_GET.match(text(src, unwrap(arg) or arg))
            if m:
                return f"the request's {m.group(1)} header"
        bodies: set[str] | None = None
        for leaf in _leaves(src, args):
            parts = chain(src, leaf)
            if parts is None:
                continue
            if _SECRET_NAME.match(parts[-1]):
                return f"`{'.'.join(parts)}`"
            if len(parts) >= 2 and parts[-1] in _WHOLE and parts[-2] in _REQUEST:
                return f"the request's whole `{parts[-1]}` (Authorization, Cookie)"
            if len(parts) == 2 and parts[-1] == "body" and parts[-2] in _REQUEST:
                return "the request's whole body (passwords, tokens and personal data included)"
            if len(parts) == 1:
                if bodies is None:
                    bodies = _body_names(src, call)
                if parts[0] in bodies:
                    return f"`{parts[0]}`, the request's whole body (passwords, tokens and personal data included)"
            if len(parts) == 1:
                field = _typed_secret_field(src, leaf, parts[0], classes)
                if field:
                    return f"`{parts[0]}` (its class declares `{field}`)"
        return ""


def _body_names(src: SourceFile, call: Node) -> set[str]:
    """Locals of the enclosing function holding the whole parsed request body
    (`const body = await req.json()`, `const data = req.body`)."""
    fn = enclosing_function(call)
    if fn is None:
        return set()
    return {m.group(1) for m in _BODY_DECL.finditer(text(src, fn))}


def _leaves(src: SourceFile, node: Node) -> Iterator[Node]:
    """The values a log message is built from: names and member chains inside arguments,
    template substitutions, concatenations, object literals and JSON.stringify/String; not
    the arguments of other calls (a mask or hash) nor operands of tests and `.length`."""
    stack = [node]
    while stack:
        n = unwrap(stack.pop())
        if n is None:
            continue
        t = n.type
        if t in ("identifier", "member_expression", "subscript_expression", "shorthand_property_identifier"):
            yield n
        elif t == "call_expression":
            fn = n.child_by_field_name("function")
            if text(src, fn).replace(" ", "") in _STRINGIFY:
                stack.extend((n.child_by_field_name("arguments") or n).named_children[:1])
        elif t == "pair":
            value = n.child_by_field_name("value")
            if value is not None:
                stack.append(value)
        elif t == "binary_expression":
            if text(src, n.child_by_field_name("operator")) == "+":
                stack.extend(n.named_children)
        elif t in ("arguments", "template_string", "template_substitution", "object", "array",
                   "parenthesized_expression", "spread_element"):
            stack.extend(n.named_children)


def _class_fields(src: SourceFile) -> dict[str, set[str]]:
    """Classes and interfaces declared in the file -> their field names."""
    out: dict[str, set[str]] = {}
    root = src.tree.root_node if src.tree is not None else None
    if root is None or not any(k in src.text for k in ("class ", "interface ")):
        return out
    lang = src.language or "javascript"
    # interfaces exist only in the TypeScript grammars (a query naming one fails on JavaScript)
    kinds = ("class_declaration", "class") + (("interface_declaration",) if lang in ("typescript", "tsx") else ())
    for decl in find_all(lang, root, kinds):
        name = decl.child_by_field_name("name")
        body = decl.child_by_field_name("body")
        if name is None or body is None:
            continue
        fields = set()
        for member in body.named_children:
            if member.type in ("public_field_definition", "field_definition", "property_signature"):
                key = member.child_by_field_name("name") or member.child_by_field_name("property")
                if key is not None:
                    fields.add(text(src, key))
        out[text(src, name)] = fields
    return out


def _typed_secret_field(src: SourceFile, leaf: Node, name: str, classes: dict[str, set[str]]) -> str:
    """The secret-named field of the class that `name` (a parameter of the enclosing function)
    is declared with, if the class is declared in this file."""
    if not classes:
        return ""
    fn = enclosing_function(leaf)
    if fn is None:
        return ""
    for param in params_of(fn):
        if text(src, param_target(param)) != name:
            continue
        annotation = param.child_by_field_name("type")
        type_name = text(src, annotation).lstrip(":").strip() if annotation is not None else ""
        for field in sorted(classes.get(type_name, ())):
            if _SECRET_NAME.match(field):
                return field
    return ""


CHECKS = [LogSecretCheck()]

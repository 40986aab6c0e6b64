"""Rate limits keyed on a value the client sets: `rateLimit({ keyGenerator: (req) =>
req.headers['x-forwarded-for'] })` (express-rate-limit, express-slow-down, @fastify/rate-limit)
or a limiter's `consume(req.get('X-Forwarded-For'))` (rate-limiter-flexible). Each request can
send a new X-Forwarded-For, so each one gets a fresh budget: the limit never applies.

Clean: the key is `req.ip` (Express resolves it from the proxy chain it is told to trust with
`app.set('trust proxy', ...)`, and it is the socket address otherwise), or the logged-in user.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from tree_sitter import Node

from auditor.scan.checks.javascript.syntax import (
    JS_LANGUAGES,
    args_of,
    callee_parts,
    index,
    string_value,
    text,
    unwrap,
)
from auditor.scan.interface import Check, Hit, SourceFile

# Request headers any client can write (proxies append to them, they do not replace them).
_CLIENT_IP_HEADER = re.compile(
    r"""(?:headers\s*(?:\?\.)?\s*\[\s*['"`]|headers\s*(?:\?\.)?\s*\.\s*|\b(?:get|header)\s*\(\s*['"`])"""
    r"""(?:x-forwarded-for|x-real-ip|x-client-ip|x-cluster-client-ip|true-client-ip|forwarded|x-originating-ip|client-ip)\b""",
    re.I,
)
_NEEDLES = ("keyGenerator", "consume(", "orwarded", "eal-ip", "lient-ip")
_LIMITER_RECEIVER = re.compile(r"limit|throttl|brute|rate", re.I)
_FUNCTIONS = frozenset({"arrow_function", "function_expression", "function"})

_MSG = ("Rate-limit key read from the {header} header, which the client sets: each request can send a new value "
        "and get a fresh budget. Key on req.ip (with app.set('trust proxy', <your proxy hops>)) or on the logged-in user.")


class SpoofableLimiterKeyCheck(Check):
    languages = JS_LANGUAGES
    detectors = ("js.pattern.spoofable-rate-limit-key",)

    def run(self, src: SourceFile) -> Iterable[Hit]:
        if not any(n in src.text for n in _NEEDLES) or not _CLIENT_IP_HEADER.search(src.text):
            return []
        idx = index(src)
        if idx is None:
            return []
        functions = _named_functions(src, idx.get("func"))
        hits: list[Hit] = []
        for pair in _pairs(src):
            key = pair.child_by_field_name("key") or pair.child_by_field_name("name")
            if key is None or (string_value(src, key) if key.type == "string" else text(src, key)) != "keyGenerator":
                continue
            # `keyGenerator: (req) => ...` or the method shorthand `keyGenerator(req) { ... }`
            value = unwrap(pair.child_by_field_name("value")) if pair.type == "pair" else pair
            if value is None:
                continue
            body = text(src, value)
            if value.type == "identifier" and text(src, value) in functions:
                body = text(src, functions[text(src, value)])  # keyGenerator: clientKey
            m = _CLIENT_IP_HEADER.search(body)
            if m is not None:
                hits.append(Hit.at("js.pattern.spoofable-rate-limit-key", pair, _MSG.format(header=_header_name(m.group(0)))))
        for call in idx.get("call"):
            parts = callee_parts(src, call)
            if len(parts) < 2 or parts[-1] not in ("consume", "penalty", "get") or not _LIMITER_RECEIVER.search(parts[-2]):
                continue
            args = args_of(call)
            m = _CLIENT_IP_HEADER.search(text(src, args[0])) if args else None
            if m is not None:  # rate-limiter-flexible: limiter.consume(req.headers['x-forwarded-for'])
                hits.append(Hit.at("js.pattern.spoofable-rate-limit-key", call, _MSG.format(header=_header_name(m.group(0)))))
        return hits


def _header_name(matched: str) -> str:
    return re.split(r"""['"`.(\[]""", matched)[-1].strip() or "X-Forwarded-For"


def _named_functions(src: SourceFile, fns: list[Node]) -> dict[str, Node]:
    out: dict[str, Node] = {}
    for fn in fns:
        name = fn.child_by_field_name("name")
        if name is None and fn.parent is not None and fn.parent.type == "variable_declarator":
            name = fn.parent.child_by_field_name("name")
        if name is not None:
            out[text(src, name)] = fn
    return out


def _pairs(src: SourceFile) -> list[Node]:
    """Object pairs and methods (the file index does not collect them; only files that
    mention both a limiter key and a client-IP header get here)."""
    tree = src.tree
    out: list[Node] = []
    if tree is None:
        return out
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        if node.type in ("pair", "method_definition"):
            out.append(node)
        stack.extend(node.named_children)
    return out


CHECKS = [SpoofableLimiterKeyCheck()]

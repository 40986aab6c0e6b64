"""Secrets written to the server's log (`py.log.no-secrets`, insufficient-logging, CWE-532).

- A logging call (`logging.info`, `logger.warning`, `app.logger.debug`, `log.error`...) given a
  value named as a secret: `password`, `passwd`, `secret`, `api_key`, `access_token`,
  `user.password`... Hashes, lengths and ids of them (`password_hash`, `len(password)`,
  `token_id`) are not the secret. The message text alone names nothing.
- A SQLite connection tracing every statement to the output or a log
  (`conn.set_trace_callback(print)`, `...(logger.debug)`): statements built with their values
  carry the passwords and tokens they store and compare.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from tree_sitter import Node

from auditor.scan.checks.python.facts import arguments, collect, text
from auditor.scan.interface import Check, Hit, SourceFile

DETECTOR = "py.log.no-secrets"
_LOG_METHODS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical", "log"})
_LOGGER_NAMES = re.compile(r"^(?:logging|(?:\w+\.)*(?:logger|log|_logger|_log|LOGGER|LOG))$")
_SECRET_NAME = re.compile(r"^(?:\w+_)?(?:password|passwd|pwd|passphrase|secret|client_secret|api_?key|access_token|"
                          r"refresh_token|auth_token|token|credit_card|card_number|cvv)$", re.I)
_TRACE_SINKS = re.compile(r"^(?:print|(?:\w+\.)*(?:logger|log|logging|_logger|LOGGER)\.\w+|logging\.\w+|sys\.stdout\.write)$")


def _secret_values(node: Node) -> Iterable[Node]:
    """Identifiers and attribute reads among a call argument named as a secret (not inside
    a call such as len() or a hash)."""
    if node.type == "identifier":
        if _SECRET_NAME.match(text(node)):
            yield node
        return
    if node.type == "attribute":
        if _SECRET_NAME.match(text(node.child_by_field_name("attribute"))):
            yield node
        return
    if node.type in ("call", "lambda", "comparison_operator", "boolean_operator", "not_operator"):
        return  # len(password), hash(password), password == x: not the value itself
    for child in node.named_children:
        yield from _secret_values(child)


class LogSecretsCheck(Check):
    languages = frozenset({"python"})
    detectors = (DETECTOR,)

    def run(self, src: SourceFile) -> Iterable[Hit]:
        low = src.text.lower()
        if "set_trace_callback" not in low and ("log" not in low or not any(
                w in low for w in ("password", "passwd", "secret", "token", "api_key", "apikey", "card"))):
            return []
        facts = collect(src)
        if not facts.ok:
            return []
        out: list[Hit] = []
        for call, _q, m in facts.named_calls():
            fn = call.child_by_field_name("function")
            if fn is None or fn.type != "attribute":
                continue
            receiver = text(fn.child_by_field_name("object"))
            pos, kws = arguments(call)
            if m == "set_trace_callback" and pos and _TRACE_SINKS.match(text(pos[0])):
                out.append(Hit.at(DETECTOR, call, "every SQL statement is written out, with the passwords and tokens "
                                  "the queries carry: trace to a debug-only logger, never in production"))
            elif m in _LOG_METHODS and _LOGGER_NAMES.match(receiver):
                secret = next((v for a in (*pos, *kws.values()) for v in _secret_values(a)), None)
                if secret is not None:
                    out.append(Hit.at(DETECTOR, call, f"`{text(secret)}` is written to the log: log that it happened, "
                                      "never the secret itself"))
        return out


CHECKS = [LogSecretsCheck()]

"""Access checks that a configuration switch turns off.

An `if` whose condition is a switch, not the request (a feature-flag call with only literal
arguments, `process.env.X`, `config.x`), and whose branch holds the route's refusal (a 401/403
answer, an Unauthorized/Forbidden error): while the switch is off, nothing refuses. Flags that
skip a role check, a signature check or an MFA step ship to production as often as they are
meant for tests, and one wrong deployment setting opens the route.

- `js.pattern.switchable-authz` (broken-access-control): the switched check is about roles,
  ownership or permissions (`auth.role !== 'admin'`, a 403).
- `js.pattern.switchable-authn` (weak-authentication): it verifies who the caller is (a
  signature, a token, MFA/OTP, a password, a session; a 401).
- `js.pattern.switchable-headers` (security-misconfiguration): the branch sets the security
  headers (`X-Frame-Options`, `Strict-Transport-Security`, `Content-Security-Policy`,
  `X-Content-Type-Options`) or mounts helmet: while the switch is off every answer goes out
  without them (clickjacking, MIME sniffing, no HSTS).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from tree_sitter import Node

from auditor.scan.checks.javascript.syntax import JS_LANGUAGES, text, unwrap, without_comments
from auditor.scan.interface import Check, Hit, SourceFile
from auditor.scan.treeutil import find_all

AUTHZ = "js.pattern.switchable-authz"
AUTHN = "js.pattern.switchable-authn"
HEADERS = "js.pattern.switchable-headers"
_SECURITY_HEADER = re.compile(r"""['"`](?:X-Frame-Options|Strict-Transport-Security|Content-Security-Policy|"""
                              r"""X-Content-Type-Options)['"`]|\bhelmet\s*\(""", re.I)
_LIT = r"""(?:'[^'\n]*'|"[^"\n]*"|`[^`$\n]*`)"""
# `flagOn("x.y")`, `!features.isEnabled('skip')`, `process.env.SKIP_AUTH === 'true'`, `!config.auth.enabled`
_SWITCH = re.compile(
    r"^!?\s*(?:[\w$.]+\s*\(\s*" + _LIT + r"(?:\s*,\s*" + _LIT + r")*\s*\)"
    r"|process\s*\.\s*env\s*\.\s*\w+(?:\s*[!=]==?\s*" + _LIT + r")?"
    r"|(?:config|settings|flags|features|options|env)\s*\.\s*[\w$.]+)$")
_REFUSES = re.compile(r"status\s*:\s*40[13]\b|status\s*\(\s*40[13]\b|sendStatus\s*\(\s*40[13]\b|\b40[13]\b\s*\)|"
                      r"Unauthori[sz]ed|Forbidden|UnauthenticatedError|AccessDenied", re.I)
_AUTHN = re.compile(r"signature|verify|hmac|mfa|otp|totp|2fa|token|passw|session|authenticat|\b401\b|Unauthori[sz]ed", re.I)
_AUTHZ = re.compile(r"\.role\b|\brole\s*[!=]==?|isAdmin|admin|permission|owner|member|\b403\b|Forbidden|AccessDenied", re.I)


class SwitchableCheckCheck(Check):
    languages = JS_LANGUAGES
    detectors = (AUTHZ, AUTHN, HEADERS)

    def run(self, src: SourceFile) -> Iterable[Hit]:
        refuses, headers = _REFUSES.search(src.text), _SECURITY_HEADER.search(src.text)
        if not (refuses or headers) or src.tree is None:
            return []
        hits: list[Hit] = []
        for node in find_all(src.language or "javascript", src.tree.root_node, ("if_statement",)):
            cond = unwrap(node.child_by_field_name("condition"))
            branch = node.child_by_field_name("consequence")
            if cond is None or branch is None or node.child_by_field_name("alternative") is not None:
                continue
            ctext = " ".join(text(src, cond).split())
            if not _SWITCH.match(ctext):
                continue
            body = without_comments(text(src, branch))
            if headers and len(_SECURITY_HEADER.findall(body)) >= 1 and not re.search(r"\bNODE_ENV\b", ctext):
                hits.append(Hit.at(HEADERS, cond, f"The security headers are set only while `{ctext}` holds: a "
                                   "configuration switch sends every answer without them (clickjacking, MIME sniffing, "
                                   "no HSTS). Set them unconditionally (helmet())."))
                continue
            if not _REFUSES.search(body) or not _has_inner_check(branch):
                continue
            kind = AUTHN if _AUTHN.search(body) and not re.search(r"\b403\b|Forbidden", body) else AUTHZ
            if kind == AUTHZ and not _AUTHZ.search(body):
                continue
            what = "who the caller is" if kind == AUTHN else "what the caller may do"
            hits.append(Hit.at(kind, cond, f"The check of {what} inside runs only while `{ctext}` holds: a configuration "
                               "switch turns it off for this route. Make the check unconditional (test with fixtures, "
                               "not switches)."))
        return hits


def _has_inner_check(branch: Node) -> bool:
    """The branch decides on something itself (an `if` or a conditional inside), rather than
    refusing outright (a route switched off entirely is not a skipped check)."""
    stack = list(branch.named_children)
    while stack:
        n = stack.pop()
        if n.type in ("if_statement", "ternary_expression"):
            return True
        stack.extend(n.named_children)
    return False


CHECKS = [SwitchableCheckCheck()]

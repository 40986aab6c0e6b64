"""`js.pattern.token-in-url` (weak-authentication, CWE-598): an authentication middleware that
takes the caller's bearer token from the query string (`req.query.token`, `ctx.query.access_token`,
`const { jwt } = req.query`). A token in a URL is written to access logs, proxy logs and browser
history, and sent to other sites in the Referer header: whoever reads any of them signs in as
the user. Only middleware is judged (a function with a `next` parameter, or Koa's `(ctx, next)`):
a handler reading a one-time link token (`/verify-email?token=`, a reset link) is the link's design.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from auditor.findings import Severity
from auditor.scan.checks.javascript.syntax import JS_LANGUAGES, index, param_target, params_of, text
from auditor.scan.interface import Check, Hit, SourceFile

DETECTOR = "js.pattern.token-in-url"
_TOKEN = r"(?:token|access_?token|accessToken|auth_?token|authToken|jwt|bearer|api_?key|apiKey|apikey|session_?id|sessionId)"
_READ = re.compile(r"\b(?:req|request|ctx(?:\.request)?)\s*\.\s*query\s*(?:\.\s*" + _TOKEN + r"\b|\[\s*['\"`]" + _TOKEN + r"['\"`]\s*\])")
_DESTRUCTURED = re.compile(r"\{([^{}]*)\}\s*=\s*(?:req|request|ctx(?:\.request)?)\s*\.\s*query\b")
_TOKEN_NAME = re.compile(r"^" + _TOKEN + r"$")


class TokenInUrlCheck(Check):
    languages = JS_LANGUAGES
    detectors = (DETECTOR,)

    def run(self, src: SourceFile) -> Iterable[Hit]:
        if ".query" not in src.text or "next" not in src.text:
            return []
        idx = index(src)
        if idx is None:
            return []
        hits: list[Hit] = []
        for fn in idx.get("func"):
            names = [text(src, param_target(p)) for p in params_of(fn)]
            if "next" not in names[1:]:
                continue
            body = fn.child_by_field_name("body")
            if body is None:
                continue
            code = text(src, body)
            m = _READ.search(code)
            d = None if m else next((x for x in _DESTRUCTURED.finditer(code)
                                     if any(_TOKEN_NAME.match(n.split(":")[0].strip()) for n in x.group(1).split(","))), None)
            at = m or d
            if at is None:
                continue
            line = body.start_point[0] + 1 + code.count("\n", 0, at.start())
            hits.append(Hit(DETECTOR, line, message="This authentication middleware accepts the token from the query "
                            "string: URLs land in access and proxy logs, browser history and Referer headers, and "
                            "whoever reads them signs in as the user. Take it from the Authorization header (or an "
                            "httpOnly cookie) only.", severity=Severity.LOW))
        return hits


CHECKS = [TokenInUrlCheck()]

"""Go cookies without Secure and HttpOnly: `http.Cookie{...}` literals (net/http, used by
every router) missing the fields, and gin's `c.SetCookie(name, value, maxAge, path,
domain, secure, httpOnly)` with either flag false. Read from the text: the literal's
fields are all in one brace block."""

from __future__ import annotations

import re
from collections.abc import Iterable

from auditor.findings import Severity
from auditor.scan.interface import Check, Hit, SourceFile

_COOKIE_LITERAL = re.compile(r"\bhttp\.Cookie\s*\{([^{}]*)\}", re.S)
_GIN_SET_COOKIE = re.compile(r"\.SetCookie\(([^()]*(?:\([^()]*\)[^()]*)*)\)")
_AUTH_NAME = re.compile(r"sess|token|auth|jwt|remember|login|sid", re.I)


def _line(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


class GoCookieCheck(Check):
    languages = frozenset({"go"})
    detectors = ("go.pattern.cookie-flags",)

    def run(self, src: SourceFile) -> Iterable[Hit]:
        text = src.text
        if "Cookie" not in text:
            return []
        hits: list[Hit] = []
        for m in _COOKIE_LITERAL.finditer(text):
            body = m.group(1)
            missing = [f for f in ("Secure", "HttpOnly") if not re.search(rf"\b{f}:\s*(?!false\b)\w", body)]
            if missing:
                name = re.search(r"\bName:\s*\"([^\"]*)\"", body)
                sev = None if name is not None and _AUTH_NAME.search(name.group(1)) else Severity.LOW
                hits.append(Hit("go.pattern.cookie-flags", _line(text, m.start()), 1, 0,
                                f"http.Cookie without {' and '.join(missing)}: set Secure: true, HttpOnly: true, SameSite: http.SameSiteLaxMode",
                                severity=sev, framework=src.framework))
        for m in _GIN_SET_COOKIE.finditer(text):
            args = [a.strip() for a in m.group(1).split(",")]
            if len(args) == 7 and "false" in (args[5], args[6]):
                sev = None if _AUTH_NAME.search(args[0]) else Severity.LOW
                hits.append(Hit("go.pattern.cookie-flags", _line(text, m.start()), 1, 0,
                                "SetCookie with secure or httpOnly false: pass true for both", severity=sev,
                                framework=src.framework))
        return hits


CHECKS = [GoCookieCheck()]

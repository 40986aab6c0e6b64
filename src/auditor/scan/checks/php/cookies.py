"""PHP cookies without Secure and HttpOnly: `setcookie()`/`setrawcookie()` with neither an
options array that sets both nor positional `true, true` for them, and Laravel's
`cookie(...)`/`Cookie::make(...)` with either flag false. Read from the text."""

from __future__ import annotations

import re
from collections.abc import Iterable

from auditor.findings import Severity
from auditor.scan.interface import Check, Hit, SourceFile

_SETCOOKIE = re.compile(r"\bset(?:raw)?cookie\s*\(", re.I)
_AUTH_NAME = re.compile(r"sess|token|auth|jwt|remember|login|sid", re.I)


def _call_args(text: str, start: int) -> str:
    """The argument text of the call whose '(' ends at `start` (balanced parentheses)."""
    depth, i = 1, start
    while i < len(text) and depth:
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        i += 1
    return text[start:i - 1]


def _split(args: str) -> list[str]:
    parts, depth, cur = [], 0, ""
    for ch in args:
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur.strip())
            cur = ""
        else:
            cur += ch
    return [*parts, cur.strip()] if cur.strip() else parts


class PhpCookieCheck(Check):
    languages = frozenset({"php"})
    detectors = ("php.pattern.cookie-flags",)

    def run(self, src: SourceFile) -> Iterable[Hit]:
        text = src.text
        if "cookie" not in text.lower():
            return []
        hits: list[Hit] = []
        for m in _SETCOOKIE.finditer(text):
            args = _split(_call_args(text, m.end()))
            if len(args) >= 3 and args[2].lstrip().startswith(("[", "array(")):
                opts = args[2].lower()
                missing = [f for f in ("secure", "httponly") if not re.search(rf"['\"]{f}['\"]\s*=>\s*true", opts)]
            else:
                flags = [a.lower() for a in args[5:7]]
                missing = [f for f, v in zip(("secure", "httponly"), flags + ["false"] * (2 - len(flags)), strict=False)
                           if v != "true"]
            if missing:
                sev = None if _AUTH_NAME.search(args[0] if args else "") else Severity.LOW
                line = text.count("\n", 0, m.start()) + 1
                hits.append(Hit("php.pattern.cookie-flags", line, 1, 0,
                                f"setcookie without {' and '.join(missing)}: pass ['secure' => true, 'httponly' => true, 'samesite' => 'Lax']",
                                severity=sev, framework=src.framework))
        return hits


CHECKS = [PhpCookieCheck()]

"""Canaries and response comparison shared by the checks.

Every canary is random per request: a token (`aud` + hex) or two random numbers whose product
must appear. A response is compared with the payloads it echoes removed, so an app that merely
reflects its input never looks like one that evaluated it."""

from __future__ import annotations

import html
import json
import os
import re
from random import SystemRandom
from urllib.parse import quote, quote_plus

from auditor.probe.cookies import cookie_spellings
from auditor.probe.interface import Exchange, InjectionPoint, Sender

# `secrets` is not imported by name: a test folder called secrets/ would shadow it.
_RANDOM = SystemRandom()


def token(prefix: str = "aud") -> str:
    return prefix + os.urandom(5).hex()


def pick(options: tuple[str, ...]) -> str:
    return _RANDOM.choice(options)


def numbers(lo: int = 10_000, hi: int = 99_999) -> tuple[int, int]:
    return _RANDOM.randrange(lo, hi), _RANDOM.randrange(lo, hi)


def fresh(ex: Exchange, canary: str, baseline: Exchange | None) -> bool:
    """`canary` is in the response and was not in the baseline response."""
    return canary in ex.text and (baseline is None or canary not in baseline.text)


_NAMED = {'"': "&quot;", "&": "&amp;", "<": "&lt;", ">": "&gt;"}


def esapi(payload: str) -> str:
    """OWASP ESAPI's encodeForHTML: letters, digits and `,.-_ ` as they are, four named
    entities, every other character as a hex reference (`(` is `&#x28;`)."""
    return "".join(c if c.isalnum() or c in ",.-_ " else _NAMED.get(c) or f"&#x{ord(c):x};" for c in payload)


def spellings(payload: str) -> list[str]:
    """The ways an app may echo a payload back (raw, HTML-, URL- or quote-escaped), longest first."""
    in_json = json.dumps(payload)[1:-1]
    escaped = html.escape(payload)
    # As a cookie carries it (cookies.py: bare, quoted or percent-encoded), echoed as is.
    cookies = cookie_spellings(payload)
    return sorted({payload, escaped, *cookies, *map(html.escape, cookies),
                   *(html.escape(c).replace("&#x27;", "&#39;").replace("&quot;", "&#34;") for c in cookies),
                   html.escape(payload, quote=False), quote(payload),
                   quote_plus(payload), payload.replace('"', '\\"'), payload.replace("'", "\\'"),
                   escaped.replace("&#x27;", "&#39;").replace("&quot;", "&#34;"),  # markupsafe, Go
                   escaped.replace("&#x27;", "&#39;"),  # escape-html (Express), lodash, Rails
                   escaped.replace("&#x27;", "&#039;"),  # PHP's htmlspecialchars
                   "".join(f"&#{ord(c)};" if c in "&<>\"'" else c for c in payload),  # every one as a number
                   esapi(payload),
                   in_json, in_json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
                   .replace("'", "\\u0027")},  # JSON, and JSON made safe for HTML
                  key=len, reverse=True)


# A run of token characters long enough to be a per-request secret: a CSRF token in a form or
# meta tag (Django and Rails mask theirs anew on every page), a CSP nonce, a session id. Dots
# join the parts of a signed token (Flask-WTF's `payload.timestamp.signature`, whose timestamp
# part changes every second: microblog's pages differed by it alone, and a differential took
# that for a verdict).
_TOKEN_RUN = re.compile(r"[A-Za-z0-9_\-+/=.]{32,}")


def _volatile(m: re.Match[str]) -> str:
    run = m.group(0)
    return "~" if any(c.isdigit() for c in run) and any(c.isalpha() for c in run) else run


# What changes from one answer to the next with no input changed: a clock's readings (an ISO
# time, epoch milliseconds) and the values of keys that name a time or a duration
# (`"loginTime": 3`, `"searchDuration": 12.7`, `"timestamp": "..."`), which a debug block of
# an answer carries on every request.
_CLOCK = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?|"
                    r"(?<![\w.])1[5-9]\d{11}(?![\w.])")
_TIMED_KEY = re.compile(r'("\w*?(?:[Tt]ime|TIME|[Dd]uration|[Ee]lapsed|[Tt]ook|[Ll]atency|[Tt]imestamp|Ms|_ms)"\s*:\s*)'
                        r'(?:"[^"\\]{0,40}"|-?\d+(?:\.\d+)?(?:[eE]-?\d+)?)')


def without_tokens(text: str) -> str:
    """`text` with each long mix of letters and digits (a per-request token) as `~`, and each
    clock reading or timed value too: two answers to the same request then compare equal on a
    page that carries a fresh CSRF token, or a JSON answer that says how long it took."""
    return _TIMED_KEY.sub(r"\1~", _CLOCK.sub("~", _TOKEN_RUN.sub(_volatile, text)))


def normalized(ex: Exchange, payloads: list[str]) -> tuple[int, str]:
    body = ex.text
    for p in payloads:
        for form in spellings(p):
            if form:
                body = body.replace(form, "")
    return ex.status, without_tokens(body)


def same(a: Exchange, b: Exchange, payloads: list[str]) -> bool:
    """Equal status and body once every payload's reflections are removed."""
    return a.status > 0 and b.status > 0 and normalized(a, payloads) == normalized(b, payloads)


def delay_proof(sender: Sender, point: InjectionPoint, slow: str, quick: str, base: float,
                delay: float, first: Exchange | None = None) -> Exchange | None:
    """`slow` (a payload that waits `delay` s) answers that much later than `base`, twice, while
    `quick` (the same with no wait) does not: the exchange of the second slow answer, or None.
    A point that is not delayed costs one request. `first`: an answer already had to a request
    that carried `slow` (with more beside it), which counts as the first of the two slow ones."""
    first = first or sender.send(point, slow)
    if first.status <= 0 or first.elapsed < base + 0.8 * delay:
        return None
    if sender.send(point, quick).elapsed >= base + 0.5 * delay:
        return None
    again = sender.send(point, slow)
    return again if again.elapsed >= base + 0.8 * delay else None

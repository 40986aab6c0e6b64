"""The evidence recorder: turns a confirmation into the contract's `evidence` object (the
request as sent, the status, a response excerpt with the canary marked) with secrets redacted:
credentials in headers and cookies, and anything the secret patterns recognise."""

from __future__ import annotations

import re
from typing import Any

from auditor.probe.interface import Confirmation, Exchange
from auditor.secrets.redact import redact

SENSITIVE_HEADERS = frozenset({"authorization", "proxy-authorization", "x-api-key", "x-auth-token",
                               "x-csrf-token", "x-csrftoken", "x-xsrf-token"})
MARK_OPEN, MARK_CLOSE = ">>>", "<<<"
EXCERPT = 240
_JWT = re.compile(r"\beyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]*")


def redact_text(text: str) -> str:
    """`text` with every recognised secret replaced by its redacted form."""
    from auditor.secrets.detect import scan_text

    try:
        matches = scan_text("evidence", text)
    except Exception:  # noqa: BLE001  (redaction must never lose the report)
        matches = []
    for m in sorted(matches, key=lambda m: m.start, reverse=True):
        text = text[:m.start] + m.redacted + text[m.end:]
    return _JWT.sub(lambda m: redact(m.group(0)), text)


def _cookie_header(value: str, canary: str) -> str:
    parts = []
    for item in value.split(";"):
        name, _, val = item.strip().partition("=")
        parts.append(f"{name}={val if canary and canary in val else redact(val)}")
    return "; ".join(parts)


def request_text(ex: Exchange, canary: str = "") -> str:
    lines = [f"{ex.method} {ex.url}"]
    for k, v in ex.request_headers.items():
        if k.lower() in ("host", "accept-encoding", "connection", "user-agent", "accept", "content-length"):
            continue
        if k.lower() == "cookie":
            v = _cookie_header(v, canary)
        elif k.lower() in SENSITIVE_HEADERS and canary not in v:
            v = redact(v)
        lines.append(f"{k}: {v}")
    if ex.request_body:
        lines += ["", ex.request_body[:2000]]
    return redact_text("\n".join(lines))


def excerpt(ex: Exchange, canary: str) -> str:
    headers = "\n".join(f"{k}: {v}" for k, v in ex.headers if k.lower() in ("location", "content-type",
                        "access-control-allow-origin", "access-control-allow-credentials", "set-cookie"))
    body = ex.text
    at = body.find(canary) if canary else -1
    if at >= 0:
        start = max(0, at - EXCERPT // 2)
        piece = body[start:at] + MARK_OPEN + canary + MARK_CLOSE + body[at + len(canary):at + len(canary) + EXCERPT // 2]
        piece = ("..." if start else "") + piece + ("..." if at + len(canary) + EXCERPT // 2 < len(body) else "")
    else:
        piece = body[:EXCERPT] + ("..." if len(body) > EXCERPT else "")
        if canary and canary in headers:
            headers = headers.replace(canary, MARK_OPEN + canary + MARK_CLOSE)
    text = (headers + "\n\n" + piece) if headers else piece
    return redact_text(text)


def evidence(c: Confirmation) -> dict[str, Any]:
    return {
        "request": request_text(c.exchange, c.canary),
        "status": c.exchange.status,
        "response_excerpt": excerpt(c.exchange, c.canary),
        "canary": c.canary,
    }

"""`py.pattern.client-session`: who the user is, read from a cookie the client writes.

A cookie parsed as JSON (`json.loads(request.cookies.get("s"))`, through base64 or not, directly
or through a local) and used as the session or the user: `session = json.loads(...)`,
`json.loads(...)["username"]`. Nothing signs it, so anyone who edits it becomes anyone. A signed
value (itsdangerous, Flask's own `session`) is never read from `request.cookies` and parsed this
way, and a JSON cookie of preferences (`theme`, `cart`) that no user or role is read from is
left alone."""

from __future__ import annotations

import re
from collections.abc import Iterable

from auditor.scan.interface import Check, Hit, SourceFile
from auditor.scan.textscan import calls_reading

_COOKIE = r"request\.(?:cookies|COOKIES)\s*(?:\.get\s*\(|\[)"
_HELD = re.compile(r"^[ \t]*(\w+)\s*=\s*[^\n]*" + _COOKIE, re.M)
_PARSE = re.compile(r"\b(?:json|simplejson)\.loads\s*\(")
# What says the parsed value is the session or the user.
_IDENTITY_NAME = re.compile(r"session|user|auth|identity|account|current|login|claims|principal|profile", re.I)
_KEYS = r"""['"](?:username|user|user_?id|uid|id|email|login|role|is_?admin|admin|name|sub)['"]"""
_IDENTITY_KEY = re.compile(r"\[\s*" + _KEYS + r"\s*\]", re.I)
MESSAGE = ("The session is read from a cookie parsed as JSON, which the client writes: anyone who edits it is "
           "signed in as anyone. Keep the user in a signed session, or sign the value and refuse it when the "
           "signature fails.")



class ClientSessionCheck(Check):
    languages = frozenset({"python"})
    detectors = ("py.pattern.client-session",)

    def run(self, src: SourceFile) -> Iterable[Hit]:
        text = src.text
        if "cookies" not in text.lower() or "loads" not in text:
            return []
        hits: list[Hit] = []
        for m in calls_reading(text, _PARSE, _COOKIE, _HELD):
            line_start = text.rfind("\n", 0, m.start()) + 1
            line_end = text.find("\n", m.end())
            line = text[line_start:line_end if line_end >= 0 else len(text)]
            target = re.match(r"\s*([\w.\[\]'\"]+)\s*=", line)
            name = target.group(1) if target else ""
            after = text[m.start():m.start() + 1200]
            keyed = _IDENTITY_KEY.search(line[m.start() - line_start:]) or (  # `data["username"]` a few lines on
                re.fullmatch(r"\w+", name) and re.search(r"\b" + re.escape(name) + r"(?:\s*\[\s*|\.get\(\s*)" + _KEYS,
                                                         after, re.I))
            if not (_IDENTITY_NAME.search(name) or keyed):
                continue
            hits.append(Hit("py.pattern.client-session", text.count("\n", 0, m.start()) + 1,
                            m.start() - line_start + 1, message=MESSAGE))
        return hits


CHECKS = [ClientSessionCheck()]

"""`js.pattern.client-session`: who the user is, read from a cookie the client writes.

A cookie parsed as JSON (`JSON.parse(req.cookies.user)`, through `Buffer.from(x, 'base64')` or
`atob`, directly or through a local) and used as the session or the user: `const user =
JSON.parse(...)`, `req.user = JSON.parse(...)`, `const { username } = JSON.parse(...)`. Nothing
signs it, so anyone who edits it becomes anyone. `req.signedCookies` and cookie-session /
express-session values are signed and left alone; so is a JSON cookie of preferences that no
user or role is read from."""

from __future__ import annotations

import re
from collections.abc import Iterable

from auditor.scan.checks.javascript.syntax import JS_LANGUAGES
from auditor.scan.interface import Check, Hit, SourceFile
from auditor.scan.textscan import calls_reading

_COOKIE = r"\b(?:req|request|ctx)\.cookies\b(?!\s*\.\s*set\b)|\bctx\.cookies\.get\s*\("
_HELD = re.compile(r"\b(?:const|let|var)\s+(\w+)\s*=\s*[^;\n]*(?:" + _COOKIE + r")")
_PARSE = re.compile(r"\bJSON\.parse\s*\(")
_IDENTITY_NAME = re.compile(r"session|user|auth|identity|account|current|login|claims|principal|profile", re.I)
_IDENTITY_FIELD = re.compile(r"\b(?:username|userName|user|userId|user_id|uid|email|login|role|roles|isAdmin|is_admin|"
                             r"admin|sub)\b")
MESSAGE = ("The session is read from a cookie parsed as JSON, which the client writes: anyone who edits it is "
           "signed in as anyone. Keep the user in express-session or cookie-session with a secret, or read a "
           "signed cookie from req.signedCookies.")



class ClientSessionCheck(Check):
    languages = JS_LANGUAGES
    detectors = ("js.pattern.client-session",)

    def run(self, src: SourceFile) -> Iterable[Hit]:
        text = src.text
        if "cookies" not in text or "JSON.parse" not in text:
            return []
        hits: list[Hit] = []
        for m in calls_reading(text, _PARSE, _COOKIE, _HELD):
            line_start = text.rfind("\n", 0, m.start()) + 1
            before = text[line_start:m.start()]
            target = re.search(r"(?:(?:const|let|var)\s+)?(\{[^}]*\}|[\w.$]+)\s*=\s*$", before)
            name = target.group(1) if target else ""
            after = text[m.start():m.start() + 1200]
            used = _IDENTITY_FIELD.search(name) if name.startswith("{") else (
                re.fullmatch(r"[\w$]+", name) and re.search(r"\b" + re.escape(name) + r"\s*\??\.\s*" +
                                                           _IDENTITY_FIELD.pattern, after))
            if not (_IDENTITY_NAME.search(name) or used):
                continue
            hits.append(Hit("js.pattern.client-session", text.count("\n", 0, m.start()) + 1,
                            m.start() - line_start + 1, message=MESSAGE))
        return hits


CHECKS = [ClientSessionCheck()]

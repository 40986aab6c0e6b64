"""Session fixation at login (`py.auth.session-fixation`, weak-authentication, CWE-384).

A function that checks a password (`check_password`, `verify_password`, `authenticate`, a
`password ==` comparison) and then writes the signed-in user into a server-side session it
took from the request (aiohttp_session's `await get_session(request)`), without a new
session id (`new_session(request)`, `session.invalidate()`, `cycle_key()`, `regenerate`): a
session id planted in the victim's browser before login is signed in with them. Django's
`login()` rotates the id itself, and Flask's default session lives in the signed cookie, so
neither is judged here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from auditor.scan.checks.python.facts import collect, text
from auditor.scan.interface import Check, Hit, SourceFile
from auditor.scan.treeutil import walk

DETECTOR = "py.auth.session-fixation"
_GET_SESSION = re.compile(r"(?P<name>\w+)\s*=\s*await\s+(?:aiohttp_session\.)?get_session\(")
_CHECKS_PASSWORD = re.compile(r"check_password|verify_password|checkpw|authenticate\(|\bpassword\w*\s*==|==\s*\w*password")
_ROTATES = re.compile(r"new_session\(|\.invalidate\(\)|cycle_key|regenerate|rotate")
_USER_KEY = re.compile(r"""['"](?:user|user_id|uid|username|account|account_id|logged_in|auth\w*)['"]""", re.I)


class SessionFixationCheck(Check):
    languages = frozenset({"python"})
    detectors = (DETECTOR,)

    def run(self, src: SourceFile) -> Iterable[Hit]:
        if "get_session" not in src.text or not _CHECKS_PASSWORD.search(src.text):
            return []
        facts = collect(src)
        if not facts.ok:
            return []
        out: list[Hit] = []
        for fn in facts.functions:
            body = text(fn.node)
            got = _GET_SESSION.search(body)
            if got is None or not _CHECKS_PASSWORD.search(body) or _ROTATES.search(body):
                continue
            session = got.group("name")
            for node in walk(fn.node):
                if node.type != "assignment":
                    continue
                left = node.child_by_field_name("left")
                if (left is not None and left.type == "subscript" and text(left.child_by_field_name("value")) == session
                        and _USER_KEY.fullmatch(text(left.child_by_field_name("subscript")))):
                    out.append(Hit.at(DETECTOR, node, "the user is signed in on the session id the browser already had: "
                                      "start a new session at login (aiohttp_session.new_session) so a planted id "
                                      "is not signed in with the victim"))
                    break
        return out


CHECKS = [SessionFixationCheck()]

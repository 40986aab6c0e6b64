"""Debug pages and stack traces: an interactive debugger, a framework's debug error page or a
raw stack trace in a response, including one to a random path that cannot exist."""

from __future__ import annotations

import re

from auditor.probe.checks.canary import token
from auditor.probe.interface import Confirmation, ProbeContext, Route, Sender, SiteCheck

SIGNS = re.compile(
    r"Werkzeug Debugger|__debugger__|You're seeing this error because you have <code>DEBUG = True|"
    r"Using the URLconf defined in|Traceback \(most recent call last\)|"
    r"\n\s+at [\w.<>]+ \((?:/|file:|node:)[^)]*:\d+:\d+\)|Whitelabel Error Page.*?trace|"
    r"Action Controller: Exception caught|<title>Error</title>\s*</head>\s*<body>\s*<pre>\w*Error:",
    re.S)


class DebugPages(SiteCheck):
    name = "debug"

    def run(self, sender: Sender, ctx: ProbeContext, routes: list[Route]) -> list[Confirmation]:
        tok = token()
        ex = sender.request("GET", f"/{tok}")
        candidates = [ex, *getattr(sender, "history", [])]
        for item in candidates:
            m = SIGNS.search(item.text)
            if m:
                return [Confirmation("security-misconfiguration", self.name,
                                     "debug output in a response: " + " ".join(m.group(0).split())[:60],
                                     item, m.group(0).strip()[:60], endpoint=_path(item.url), method=item.method,
                                     severity="medium")]
        return []


def _path(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).path or "/"

"""Response hygiene seen on the app's own pages: session cookies without HttpOnly or SameSite,
an X-Powered-By header that names the framework (and often its version) to every visitor, and
HTML pages without the basic security headers (a debugger's own page is not judged for
headers: the debug check reports it as what it is)."""

from __future__ import annotations

import re

from auditor.probe.checks.debug import SIGNS
from auditor.probe.interface import (
    Confirmation,
    Exchange,
    InjectionPoint,
    Param,
    ProbeContext,
    Route,
    Sender,
    SiteCheck,
)

SESSION_NAME = re.compile(r"sess|sid|token|auth|jwt|login|remember", re.I)
# Anti-CSRF cookies (Django's csrftoken, Angular's XSRF-TOKEN) are read by the page's own script
# by design (double submit); they grant nothing alone, so they are not judged as sessions.
CSRF_COOKIE = re.compile(r"csrf|xsrf", re.I)
REQUIRED = ("content-security-policy", "x-content-type-options")


def _holds_a_secret(set_cookie: str) -> bool:
    """A session's value is long and random; a flag named like one (`remember=1`, `auth=true`) is
    not a credential, and its flags guard nothing."""
    value = set_cookie.split(";", 1)[0].partition("=")[2].strip().strip('"')
    return len(value) >= 6 and not value.isdigit() and value.lower() not in ("true", "false", "deleted", "null")


def cookie_flaws(ex: Exchange) -> list[tuple[str, str]]:
    """(cookie name, missing attributes) for session-like cookies the response sets."""
    found = []
    for value in ex.header_values("set-cookie"):
        name = value.split("=", 1)[0].strip()
        attrs = {a.strip().split("=")[0].lower() for a in value.split(";")[1:]}
        missing = [a for a in ("httponly", "samesite") if a not in attrs]
        if SESSION_NAME.search(name) and not CSRF_COOKIE.search(name) and missing and _holds_a_secret(value):
            found.append((name, ", ".join(missing)))
    return found


class ResponseHygiene(SiteCheck):
    name = "headers"

    def run(self, sender: Sender, ctx: ProbeContext, routes: list[Route]) -> list[Confirmation]:
        out: list[Confirmation] = []
        seen_cookie: set[str] = set()
        banner_done = False
        first = list(getattr(sender, "first_answers", {}).values())
        seen = [*getattr(sender, "cookie_setters", []), *first, *getattr(sender, "history", [])]
        for ex in seen:
            for name, missing in cookie_flaws(ex):
                if name not in seen_cookie:
                    seen_cookie.add(name)
                    # the cookie is the finding's parameter: which one to fix, where several are set
                    point = InjectionPoint(Route(ex.method, _path(ex)), Param(name, "cookie"))
                    out.append(Confirmation("security-misconfiguration", "cookies",
                                            f"session cookie {name!r} is set without {missing}", ex, name, point,
                                            endpoint=_path(ex), method=ex.method, severity="medium"))
            if not banner_done and (banner := ex.header("x-powered-by")):
                banner_done = True  # the first answer that names the server's framework
                out.append(Confirmation("security-misconfiguration", self.name,
                                        f"answers name the server's framework: X-Powered-By: {banner[:40]} (remove "
                                        "the header: app.disable('x-powered-by'), helmet, or the server's setting)",
                                        ex, banner[:40], endpoint=_path(ex), method=ex.method, severity="low"))
        # The first HTML page without the headers, the site's root first (a site-wide finding is
        # reported where a reader looks first); one route that sets them, a secure twin, does not
        # clear the others.
        for ex in sorted(seen, key=lambda ex: _path(ex) != "/"):
            # a page a browser shows: a GET's or a form POST's, not the answer to a CORS preflight
            if ex.is_html and ex.status == 200 and ex.method in ("GET", "POST") and not SIGNS.search(ex.text):
                missing = [h for h in REQUIRED if ex.header(h) is None]
                if ex.header("x-frame-options") is None and "frame-ancestors" not in (ex.header("content-security-policy") or ""):
                    missing.append("x-frame-options")
                if missing:
                    out.append(Confirmation("security-misconfiguration", self.name,
                                            "HTML page served without " + ", ".join(missing), ex, missing[0],
                                            endpoint=_path(ex), method=ex.method, severity="low"))
                    break
        return out


def _path(ex: Exchange) -> str:
    from urllib.parse import urlsplit

    return urlsplit(ex.url).path or "/"

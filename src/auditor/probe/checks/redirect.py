"""Open redirect: a `Location` header, an HTML meta refresh or a page script's `location = '...'`
that sends the browser to a host named by the caller. Redirects are never followed."""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin, urlsplit

from auditor.probe.checks.canary import token
from auditor.probe.interface import Confirmation, InjectionPoint, PointCheck, ProbeContext, Sender
from auditor.probe.profile import META_REFRESH, SCRIPT_LOCATION, PointProfile

# `{h}` is a host that cannot resolve: `<token>.invalid`, then a bare one-label `<token>` for
# filters that refuse a dot; the last shapes also do without a slash. A host alone is for a
# handler that writes the scheme itself (`res.redirect('http://' + req.params.to)`): anywhere
# else it is a relative path, which stays on the app.
SHAPES = ("https://{h}/", "//{h}/", "/\\{h}/", "https:{h}", "{h}/")
DOTLESS = ("https://{h}", "https:{h}", "https:\\\\{h}")


def browser_target(origin: str, location: str) -> str:
    """Where a browser goes for `location` on a page of `origin`: backslashes count as slashes,
    and `https:host` (a scheme other than the page's, without slashes) is `https://host`."""
    location = location.replace("\\", "/")
    m = re.match(r"^(https?):/*", location, re.I)
    if m and m.group(1).lower() != urlsplit(origin).scheme:
        location = f"{m.group(1)}://{location[m.end():]}"
    return urljoin(origin + "/", location)


def _is_referer(point: InjectionPoint) -> bool:
    """Sending the browser back to its Referer (Express's `redirect(req.get('Referrer'))`, Rails'
    `redirect_back`) is no open redirect: a page can only make that header name itself, so the
    attacker's link sends the victim back to the attacker's own page, where they already were."""
    return point.param.location == "header" and point.param.name.lower() in ("referer", "referrer")


def follows_usual_url(point: InjectionPoint, profile: PointProfile) -> bool:
    """The baseline, whose URL-named input held its usual value (a URL on the probe's own
    loopback origin), was redirected there. A redirect helper that refuses a bare word (Django's
    `redirect()` takes one for a view's name and fails) never echoes the canary, yet follows a URL."""
    usual = point.param.example
    base = profile.baseline
    location = base.header("location") if 300 <= base.status < 400 else None
    if not location or not usual.startswith(("http://", "https://")):
        return False
    target = urlsplit(urljoin(base.url, location.strip()))
    wanted = urlsplit(usual)
    return (target.hostname, target.port) == (wanted.hostname, wanted.port) and \
        (target.hostname, target.port) != (urlsplit(base.url).hostname, urlsplit(base.url).port)


class OpenRedirect(PointCheck):
    name = "redirect"
    category = "open-redirect"

    def worth(self, point: InjectionPoint, profile: PointProfile) -> bool:
        # the canary came back in a header or a meta refresh, or the usual URL value did
        return (profile.redirects or follows_usual_url(point, profile)) and not _is_referer(point)

    def run(self, sender: Sender, ctx: ProbeContext, point: InjectionPoint) -> Confirmation | None:
        shapes = [(shape, ".invalid") for shape in SHAPES] + [(shape, "") for shape in DOTLESS]
        for shape, suffix in shapes:
            host = f"{token()}{suffix}"
            ex = sender.send(point, shape.format(h=host))
            location = ex.header("location") if 300 <= ex.status < 400 else None
            if location:
                how = "the Location header"
                targets = [location]
            elif ex.is_html:
                how = "where the page sends the browser"
                targets = [html.unescape(m.group(1)).strip("'\" ") for m in META_REFRESH.finditer(ex.text)] + \
                    [(m.group(2) if m.group(1) else m.group(4)).replace("\\/", "/") for m in SCRIPT_LOCATION.finditer(ex.text)]
            else:
                continue
            if any((urlsplit(browser_target(ctx.origin, t)).hostname or "").lower() == host for t in targets if t):
                return Confirmation(self.category, self.name, f"open redirect: {point.label} sets {how} to any host",
                                    ex, host, point, severity="medium")
        return None

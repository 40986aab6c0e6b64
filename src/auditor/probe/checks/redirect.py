"""Open redirect: a `Location` header (or an HTML meta refresh) that sends the browser to a host
named by the caller. Redirects are never followed."""

from __future__ import annotations

import html
from urllib.parse import urljoin, urlsplit

from auditor.probe.checks.canary import token
from auditor.probe.interface import Confirmation, InjectionPoint, PointCheck, ProbeContext, Sender
from auditor.probe.profile import META_REFRESH, PointProfile

SHAPES = ("https://{h}/", "//{h}/", "/\\{h}/", "https:{h}")


class OpenRedirect(PointCheck):
    name = "redirect"
    category = "open-redirect"

    def worth(self, point: InjectionPoint, profile: PointProfile) -> bool:
        return profile.redirects  # the canary came back in a header or a meta refresh

    def run(self, sender: Sender, ctx: ProbeContext, point: InjectionPoint) -> Confirmation | None:
        for shape in SHAPES:
            host = f"{token()}.invalid"
            ex = sender.send(point, shape.format(h=host))
            location = ex.header("location") if 300 <= ex.status < 400 else None
            if location is None and ex.is_html and (m := META_REFRESH.search(ex.text)):
                location = html.unescape(m.group(1)).strip("'\" ")
            if location:
                target = urljoin(ctx.origin + "/", location.replace("\\", "/"))
                if (urlsplit(target).hostname or "").lower() == host:
                    return Confirmation(self.category, self.name,
                                        f"open redirect: {point.label} sets the Location header to any host",
                                        ex, host, point, severity="medium")
        return None

"""Open redirect: a `Location` header that sends the browser to a host named by the caller.
Redirects are never followed."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from auditor.probe.checks.canary import token
from auditor.probe.interface import Confirmation, InjectionPoint, PointCheck, ProbeContext, Sender

SHAPES = ("https://{h}/", "//{h}/", "/\\{h}/", "https:{h}")


class OpenRedirect(PointCheck):
    name = "redirect"
    category = "open-redirect"

    def applies(self, point: InjectionPoint) -> bool:
        return not point.in_name

    def run(self, sender: Sender, ctx: ProbeContext, point: InjectionPoint) -> Confirmation | None:
        for shape in SHAPES:
            host = f"{token()}.invalid"
            ex = sender.send(point, shape.format(h=host))
            location = ex.header("location")
            if location and 300 <= ex.status < 400:
                target = urljoin(ctx.origin + "/", location.replace("\\", "/"))
                if (urlsplit(target).hostname or "").lower() == host:
                    return Confirmation(self.category, self.name,
                                        f"open redirect: {point.label} sets the Location header to any host",
                                        ex, host, point, severity="medium")
        return None

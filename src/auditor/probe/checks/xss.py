"""Reflected XSS: a tag with a unique name comes back unencoded in an HTML response."""

from __future__ import annotations

from auditor.probe.checks.canary import token
from auditor.probe.interface import Confirmation, InjectionPoint, PointCheck, ProbeContext, Sender

SHAPES = ("<{t} x=1>", "\"><{t} x=1>", "'><{t} x=1>", "</textarea><{t} x=1>", "</script><{t} x=1>")


class ReflectedXss(PointCheck):
    name = "xss"
    category = "xss"

    def run(self, sender: Sender, ctx: ProbeContext, point: InjectionPoint) -> Confirmation | None:
        for shape in SHAPES[:1] if point.in_name else SHAPES:
            tag = token("audx")
            payload = shape.format(t=tag)
            ex = sender.send(point, payload)
            if ex.is_html and f"<{tag} x=1>" in ex.text:
                return Confirmation(self.category, self.name,
                                    f"reflected XSS: {point.label} comes back as raw HTML (a new tag <{tag}>)",
                                    ex, f"<{tag} x=1>", point)
            if tag not in ex.text:
                return None  # not reflected at all: other shapes will not be either
        return None

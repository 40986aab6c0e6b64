"""Reflected XSS: a tag with a unique name comes back unencoded in an HTML response."""

from __future__ import annotations

import re

from auditor.probe.checks.canary import token
from auditor.probe.interface import Confirmation, Exchange, InjectionPoint, PointCheck, ProbeContext, Sender
from auditor.probe.profile import PointProfile

COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.S)
SHAPES = ("<{t} x=1>", "\"><{t} x=1>", "'><{t} x=1>", "</textarea><{t} x=1>", "</script><{t} x=1>")


class ReflectedXss(PointCheck):
    name = "xss"
    category = "xss"
    attacks_names = True

    def worth(self, point: InjectionPoint, profile: PointProfile) -> bool:
        return True  # the point's canary is this check's first payload: nothing more is sent unless it is reflected

    def run(self, sender: Sender, ctx: ProbeContext, point: InjectionPoint) -> Confirmation | None:
        shapes = SHAPES[:1] if point.in_name else SHAPES
        profile = ctx.profile(point)
        if profile is not None and profile.first is not None:
            if (found := self._confirmed(profile.first, profile.tag, point)) is not None:
                return found  # the profile's polyglot held `<tag x=1>`
            if not (profile.reflected and profile.special):
                return None  # not echoed, or its quotes and brackets came back like text: no shape breaks out
        for shape in shapes:
            tag = token("audx")
            ex = sender.send(point, shape.format(t=tag))
            if (found := self._confirmed(ex, tag, point)) is not None:
                return found
            if tag not in ex.text:
                return None  # not reflected at all: other shapes will not be either
        return None

    def _confirmed(self, ex: Exchange, tag: str, point: InjectionPoint) -> Confirmation | None:
        if ex.is_html and f"<{tag} x=1>" in COMMENT.sub("", ex.text):  # inside a comment it is inert
            return Confirmation(self.category, self.name,
                                f"reflected XSS: {point.label} comes back as raw HTML (a new tag <{tag}>)",
                                ex, f"<{tag} x=1>", point)
        return None

"""Command injection: shell arithmetic after a marker token (`echo audXXXX$((a*b))`), so the
token followed by the product can only appear if a shell ran it. Payloads only echo."""

from __future__ import annotations

from auditor.probe.checks.canary import fresh, numbers, token
from auditor.probe.interface import Confirmation, InjectionPoint, PointCheck, ProbeContext, Sender
from auditor.probe.profile import PointProfile, plain_echo

# The first three cover an unquoted, a single-quoted and a double-quoted context; the rest are
# sent only when one of those was not answered like the harmless canary.
SHAPES = ("{v};{c}", "{v}';{c};'", '{v}";{c};"', "{v}|{c}", "{v}&&{c}", "{v}\n{c}", "$({c})", "`{c}`")
FIRST = 3


class CommandInjection(PointCheck):
    name = "command"
    category = "command-injection"

    def worth(self, point: InjectionPoint, profile: PointProfile) -> bool:
        return profile.special  # a shell's output shows, or its failure does, for quotes or separators

    def run(self, sender: Sender, ctx: ProbeContext, point: InjectionPoint) -> Confirmation | None:
        base = sender.baseline(point)
        value = point.param.example or "1"
        profile = ctx.profile(point)
        echoed = 0
        for i, shape in enumerate(SHAPES):
            if i == FIRST and echoed == FIRST:
                return None  # no shell character changed the answer
            tok, (a, b) = token(), numbers(100, 999)
            payload = shape.format(v=value, c=f"echo {tok}$(({a}*{b}))")
            ex = sender.send(point, payload)
            echoed += plain_echo(profile, ex, payload)
            canary = f"{tok}{a * b}"
            if fresh(ex, canary, base):
                return Confirmation(self.category, self.name,
                                    f"command injection: {point.label} reaches a shell (it ran echo and arithmetic)",
                                    ex, canary, point, severity="critical")
        return None

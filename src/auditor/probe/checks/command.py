"""Command injection: shell arithmetic after a marker token (`echo audXXXX$((a*b))`), so the
token followed by the product can only appear if a shell ran it. Payloads only echo.

A shell whose output never comes back (`os.system(... + x + " >> log")`) is found by time: a
`$(sleep n)` answers n s later than the baseline, twice, and not
with `sleep 0`. Sleeping is harmless, and one request is all a point that does not wait costs."""

from __future__ import annotations

from auditor.probe.checks.canary import delay_proof, fresh, numbers, token
from auditor.probe.interface import Confirmation, InjectionPoint, PointCheck, ProbeContext, Sender
from auditor.probe.profile import PointProfile, plain_echo

# The first three cover an unquoted, a single-quoted and a double-quoted context; the rest are
# sent only when one of those was not answered like the harmless canary.
# Blind shape: command substitution, which runs unquoted and in double quotes and passes filters
# of `;`, `&` and backticks. {d} is the delay. One shape: every body or URL value pays for it.
BLIND = ("{v}$(sleep {d})",)
BLIND_LOCATIONS = ("query", "form", "json", "path")
SHAPES = ("{v};{c}", "{v}';{c};'", '{v}";{c};"', "{v}|{c}", "{v}&&{c}", "{v}\n{c}", "$({c})", "`{c}`")
FIRST = 3


class CommandInjection(PointCheck):
    name = "command"
    category = "command-injection"

    def worth(self, point: InjectionPoint, profile: PointProfile) -> bool:
        # A shell's output shows, or its failure does, for quotes or separators; a value of the
        # request body or URL may also reach a shell whose output never comes back (tried by time).
        return profile.special or self._blind_point(point)

    @staticmethod
    def _blind_point(point: InjectionPoint) -> bool:
        return point.param.location in BLIND_LOCATIONS and not point.in_name

    def run(self, sender: Sender, ctx: ProbeContext, point: InjectionPoint) -> Confirmation | None:
        base = sender.baseline(point)
        value = point.param.example or "1"
        profile = ctx.profile(point)
        echoed = 0
        visible = profile is None or profile.influenced or profile.reflected or profile.special
        for i, shape in enumerate(SHAPES if visible else ()):
            if i == FIRST and echoed == FIRST:
                break  # no shell character changed the answer
            tok, (a, b) = token(), numbers(100, 999)
            payload = shape.format(v=value, c=f"echo {tok}$(({a}*{b}))")
            ex = sender.send(point, payload)
            echoed += plain_echo(profile, ex, payload)
            canary = f"{tok}{a * b}"
            if fresh(ex, canary, base):
                return Confirmation(self.category, self.name,
                                    f"command injection: {point.label} reaches a shell (it ran echo and arithmetic)",
                                    ex, canary, point, severity="critical")
        if ctx.delay <= 0 or not self._blind_point(point):
            return None
        for shape in BLIND:
            slow = shape.format(v=value, d=f"{ctx.delay:g}")
            found = delay_proof(sender, point, slow, shape.format(v=value, d="0"), base.elapsed, ctx.delay)
            if found is not None:
                return Confirmation(self.category, self.name,
                                    f"command injection (time-based): {point.label} reaches a shell (a "
                                    f"{ctx.delay:g} s sleep delays the answer, twice, and a zero sleep does not)",
                                    found, slow, point, severity="critical")
        return None

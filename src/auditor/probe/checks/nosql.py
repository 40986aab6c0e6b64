"""NoSQL operator injection: a JSON value (or `name[$op]` query key) that is an operator object.
`{"$ne": r}` (anything but a random value) must answer differently from `{"$eq": r}` (only that
value) while `{"$eq": r}` answers like the plain string r, in two rounds with fresh values."""

from __future__ import annotations

from auditor.probe.checks.canary import same, token
from auditor.probe.interface import Confirmation, InjectionPoint, PointCheck, ProbeContext, Sender
from auditor.probe.profile import PointProfile


class NoSqlInjection(PointCheck):
    name = "nosql"
    category = "nosql-injection"

    def applies(self, point: InjectionPoint) -> bool:
        return point.param.location in ("json",) and not point.in_name

    def worth(self, point: InjectionPoint, profile: PointProfile) -> bool:
        return True  # an operator can match where no plain value does: not gated by the canary

    def run(self, sender: Sender, ctx: ProbeContext, point: InjectionPoint) -> Confirmation | None:
        proof = None
        profile = ctx.profile(point)
        for round_ in range(2):
            if round_ == 0 and profile is not None:
                r, plain = profile.sent or profile.payload, profile.exchange  # the profile's value is the first plain one
            else:
                r = token()
                plain = sender.send(point, r)
            if plain.status <= 0:
                return None
            # `$ne` first: answered like the plain value (an app that ignores or refuses the
            # operator), it settles the point without its `$eq` control.
            ne = sender.send(point, r, raw_value={"$ne": r})
            if same(ne, plain, [r]):
                return None
            eq = sender.send(point, r, raw_value={"$eq": r})
            if not same(eq, plain, [r]):
                return None
            proof = (ne, r)
        assert proof is not None
        return Confirmation(self.category, self.name,
                            f"NoSQL injection: {point.label} accepts a query operator ($ne matched what the plain "
                            "value did not, twice)", proof[0], proof[1], point)

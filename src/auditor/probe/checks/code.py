"""Code and template injection: arithmetic on two random numbers in the syntax of the server's
language or template engine; only the result (never in the payload) counts: the product, or
the sum for Django's template language, which has no multiplication (its `add` filter)."""

from __future__ import annotations

from auditor.probe.checks.canary import fresh, numbers
from auditor.probe.interface import Confirmation, Exchange, InjectionPoint, PointCheck, ProbeContext, Sender
from auditor.probe.profile import PointProfile, plain_echo

# (engine, payload template); {a} {b} are the numbers.
TEMPLATES = [
    ("jinja/twig/nunjucks", "{{{{{a}*{b}}}}}"),
    ("ejs/erb", "<%= {a}*{b} %>"),
    ("java el/freemarker/mako/js template literal", "${{{a}*{b}}}"),
    ("spel/ruby interpolation", "#{{{a}*{b}}}"),
    ("django", "{{{{{a}|add:{b}}}}}"),
]
SUMS = {"django"}  # engines whose shape adds
EVALS = {
    "python": ["{a}*{b}", "'+str({a}*{b})+'", '"+str({a}*{b})+"'],
    "javascript": ["{a}*{b}", "'+({a}*{b})+'", '"+({a}*{b})+"'],
    "typescript": ["{a}*{b}", "'+({a}*{b})+'", '"+({a}*{b})+"'],
    "ruby": ["{a}*{b}", "'+({a}*{b}).to_s+'"],
    "php": ["{a}*{b}", "'.({a}*{b}).'"],
}
ALL_EVALS = ["{a}*{b}", "'+str({a}*{b})+'", "'+({a}*{b})+'", '"+({a}*{b})+"']


def result(engine: str, a: int, b: int) -> int:
    """What the engine's shape computes from the two numbers."""
    return a + b if engine in SUMS else a * b


class CodeInjection(PointCheck):
    name = "code"
    category = "code-injection"

    def worth(self, point: InjectionPoint, profile: PointProfile) -> bool:
        return profile.influenced or (profile.reflected and profile.special)

    def run(self, sender: Sender, ctx: ProbeContext, point: InjectionPoint) -> Confirmation | None:
        base = sender.baseline(point)
        evals = EVALS.get(point.route.language, ALL_EVALS)
        profile = ctx.profile(point)
        # A template renders its input (the canary came back); an eval changes the answer.
        templates = TEMPLATES if profile is None or (profile.reflected and profile.special) else []
        # A bare eval fails on any token; quotes matter only to an eval inside a string.
        evals = evals if profile is None or profile.special else evals[:1] if profile.influenced else []
        if len(templates) > 1:
            # Every template syntax in one request, each with its own numbers: engines leave the
            # others' syntax as text. Tried one by one only when that answer was not a plain echo.
            shaped = [(engine, shape, numbers()) for engine, shape in templates]
            payload = " ".join(shape.format(a=a, b=b) for _, shape, (a, b) in shaped)
            ex = sender.send(point, payload)
            for engine, _, (a, b) in shaped:
                if fresh(ex, str(want := result(engine, a, b)), base):
                    return self._confirmed(ex, point, engine, want)
            if plain_echo(profile, ex, payload):
                templates = []
        shapes = [(engine, t) for engine, t in templates] + [("eval", e) for e in evals]
        for engine, shape in shapes:
            a, b = numbers()
            ex = sender.send(point, shape.format(a=a, b=b))
            if fresh(ex, str(want := result(engine, a, b)), base):
                return self._confirmed(ex, point, engine, want)
        return None

    def _confirmed(self, ex: Exchange, point: InjectionPoint, engine: str, product: int) -> Confirmation:
        kind = "server-side template injection" if engine != "eval" else "code injection"
        return Confirmation(self.category, "template" if engine != "eval" else self.name,
                            f"{kind}: {point.label} is evaluated ({engine} syntax; the "
                            f"{'sum' if engine in SUMS else 'product'} of two random numbers came back)", ex, str(product),
                            point, severity="critical")

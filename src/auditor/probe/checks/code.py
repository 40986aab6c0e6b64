"""Code and template injection: arithmetic on two random numbers in the syntax of the server's
language or template engine; only the product (never in the payload) counts."""

from __future__ import annotations

from auditor.probe.checks.canary import fresh, numbers
from auditor.probe.interface import Confirmation, InjectionPoint, PointCheck, ProbeContext, Sender
from auditor.probe.profile import PointProfile

# (engine, payload template); {a} {b} are the numbers.
TEMPLATES = [
    ("jinja/twig/nunjucks", "{{{{{a}*{b}}}}}"),
    ("ejs/erb", "<%= {a}*{b} %>"),
    ("java el/freemarker/mako/js template literal", "${{{a}*{b}}}"),
    ("spel/ruby interpolation", "#{{{a}*{b}}}"),
]
EVALS = {
    "python": ["{a}*{b}", "'+str({a}*{b})+'", '"+str({a}*{b})+"'],
    "javascript": ["{a}*{b}", "'+({a}*{b})+'", '"+({a}*{b})+"'],
    "typescript": ["{a}*{b}", "'+({a}*{b})+'", '"+({a}*{b})+"'],
    "ruby": ["{a}*{b}", "'+({a}*{b}).to_s+'"],
    "php": ["{a}*{b}", "'.({a}*{b}).'"],
}
ALL_EVALS = ["{a}*{b}", "'+str({a}*{b})+'", "'+({a}*{b})+'", '"+({a}*{b})+"']


class CodeInjection(PointCheck):
    name = "code"
    category = "code-injection"

    def applies(self, point: InjectionPoint) -> bool:
        return not point.in_name

    def worth(self, point: InjectionPoint, profile: PointProfile) -> bool:
        return profile.reflected or profile.influenced

    def run(self, sender: Sender, ctx: ProbeContext, point: InjectionPoint) -> Confirmation | None:
        base = sender.baseline(point)
        evals = EVALS.get(point.route.language, ALL_EVALS)
        profile = ctx.profile(point)
        # A template renders its input (the canary came back); an eval changes the answer.
        templates = TEMPLATES if profile is None or profile.reflected else []
        evals = evals if profile is None or profile.influenced else []
        shapes = [(engine, t) for engine, t in templates] + [("eval", e) for e in evals]
        for engine, shape in shapes:
            a, b = numbers()
            payload = shape.format(a=a, b=b)
            ex = sender.send(point, payload)
            if fresh(ex, str(a * b), base):
                kind = "server-side template injection" if engine != "eval" else "code injection"
                return Confirmation(self.category, "template" if engine != "eval" else self.name,
                                    f"{kind}: {point.label} is evaluated ({engine} syntax; the product of two "
                                    "random numbers came back)", ex, str(a * b), point, severity="critical")
        return None

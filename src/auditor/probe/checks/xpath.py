"""XPath injection: an input placed inside an XPath expression. Confirmed by a boolean
differential (an always-true condition against an always-false one, twice with fresh numbers)
or by an error only an XPath engine gives (lxml's XPathEvalError, javax.xml.xpath, .NET's
XPathException) for quotes that the same value without them does not cause.

The conditions use `count(/*)`, XPath syntax that SQL cannot parse (`/*` opens a comment
there), so an SQL injection is not taken for an XPath one; SQL's upper-case `AND` is not an
XPath operator either way. XPath only reads, so a widening `or` is harmless."""

from __future__ import annotations

import re

from auditor.probe.checks.differential import Shape, differential, syntax_error
from auditor.probe.interface import Confirmation, InjectionPoint, PointCheck, ProbeContext, Sender
from auditor.probe.profile import PointProfile

XPATH_ERRORS = re.compile(
    r"XPathEvalError|XPathSyntaxError|lxml\.etree\.XPath|javax\.xml\.xpath|XPathExpressionException|"
    r"System\.Xml\.XPath|XPathException|DOMXPath::(?:query|evaluate)|xmlXPathEval|XPath parse error|"
    r"Invalid XPath expression", re.I)
BREAKER = "'\""  # ends a string literal in either quoting, and is a syntax error in a number


def _shapes(quote: str) -> list[Shape]:
    """Keep the value's answer with `and`, or widen a random value's empty answer with `or`;
    `count(/*)*a=a` always holds (a document has one root element), `count(/*)*a=b` never."""
    close = " and 'x'='x" if quote == "'" else (' and "x"="x' if quote == '"' else "")
    return [
        Shape(lambda v, t, a, b: f"{v}{quote} and count(/*)*{a}={a}{close}",
              lambda v, t, a, b: f"{v}{quote} and count(/*)*{a}={b}{close}", keeps=True),
        Shape(lambda v, t, a, b: f"{t}{quote} or count(/*)*{a}={a}{close}",
              lambda v, t, a, b: f"{t}{quote} or count(/*)*{a}={b}{close}", keeps=False),
    ]


class XPathInjection(PointCheck):
    name = "xpath"
    category = "xpath-injection"

    def worth(self, point: InjectionPoint, profile: PointProfile) -> bool:
        return True  # a lookup that finds nothing answers the canary like the baseline: the quotes decide

    def run(self, sender: Sender, ctx: ProbeContext, point: InjectionPoint) -> Confirmation | None:
        ex, payload, matters = syntax_error(sender, ctx, point, BREAKER, XPATH_ERRORS)
        if ex is not None:
            return Confirmation(self.category, self.name,
                                f"XPath injection: quotes in {point.label} break an XPath expression "
                                "(the XPath engine's error, absent without them)", ex, payload, point)
        if not matters:
            return None  # quotes change nothing: the value is not spliced into an expression
        for quote in ("'", '"', ""):
            for shape in _shapes(quote):
                if found := differential(sender, ctx, point, shape):
                    return Confirmation(self.category, self.name,
                                        f"XPath injection: {point.label} is evaluated as XPath (an always-true "
                                        "condition and an always-false one answer differently, twice)",
                                        found[0], found[1], point)
        return None

"""XPath injection payloads and errors (the check is `checks/query_languages.py`): an input
placed inside an XPath expression, shown by an error only an XPath engine gives (lxml's
XPathEvalError, javax.xml.xpath, .NET's XPathException) or by a boolean differential.

The conditions use `count(/*)`, XPath syntax that SQL cannot parse (`/*` opens a comment
there), so an SQL injection is not taken for an XPath one; SQL's upper-case `AND` is not an
XPath operator either way. XPath only reads, so a widening `or` is harmless."""

from __future__ import annotations

import re

from auditor.probe.checks.differential import Shape

XPATH_ERRORS = re.compile(
    r"XPathEvalError|XPathSyntaxError|lxml\.etree\.XPath|javax\.xml\.xpath|XPathExpressionException|"
    r"System\.Xml\.XPath|XPathException|DOMXPath::(?:query|evaluate)|xmlXPathEval|XPath parse error|"
    r"Invalid XPath expression", re.I)


def shapes(quote: str) -> list[Shape]:
    """Keep the value's answer with `and`, or widen a random value's empty answer with `or`;
    `count(/*)*a=a` always holds (a document has one root element), `count(/*)*a=b` never."""
    close = " and 'x'='x" if quote == "'" else (' and "x"="x' if quote == '"' else "")
    out = [
        Shape(lambda v, t, a, b: f"{v}{quote} and count(/*)*{a}={a}{close}",
              lambda v, t, a, b: f"{v}{quote} and count(/*)*{a}={b}{close}", keeps=True),
        Shape(lambda v, t, a, b: f"{t}{quote} or count(/*)*{a}={a}{close}",
              lambda v, t, a, b: f"{t}{quote} or count(/*)*{a}={b}{close}", keeps=False),
    ]
    return out


def apart(quote: str) -> Shape:
    """The widening for a condition after the value (`UserName='v' and Password='p'`): `and` binds
    first and holds a plain `or` back; closing with `or 'x'='y'` takes that condition into a
    disjunct of its own that never holds."""
    tail = f" or {quote}x{quote}={quote}y"
    return Shape(lambda v, t, a, b: f"{t}{quote} or count(/*)*{a}={a}{tail}",
                 lambda v, t, a, b: f"{t}{quote} or count(/*)*{a}={b}{tail}", keeps=False)


SHAPES = [s for quote in ("'", '"', "") for s in shapes(quote)]
# Sent only where the handler's code runs XPath, or is unknown: two more pairs on every point
# with quotes would spend a form-heavy app's budget (django.nV's).
APART_SHAPES = [apart(quote) for quote in ("'", '"')]

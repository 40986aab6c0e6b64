"""LDAP injection: an input placed inside an LDAP search filter. Confirmed by a boolean
differential or by an error only an LDAP filter parser gives (ldap3's LDAPInvalidFilterError,
python-ldap's FILTER_ERROR, Java's InvalidSearchFilterException, "Bad search filter") for
parentheses that the same value without them does not cause.

The payloads close the value's own filter and add one: `(!(objectClass=TOKEN))` always holds
(no entry's class is a random token), `(objectClass=TOKEN)` never does. After the value it keeps
the value's answer; after `*` (present) it widens an empty answer. A search filter only reads."""

from __future__ import annotations

import re

from auditor.probe.checks.differential import Shape, differential, syntax_error
from auditor.probe.interface import Confirmation, InjectionPoint, PointCheck, ProbeContext, Sender
from auditor.probe.profile import PointProfile

LDAP_ERRORS = re.compile(
    r"LDAPInvalidFilterError|invalid filter|malformed filter|missing boolean operator in filter|invalid matching assertion|"
    r"FILTER_ERROR|Bad search filter|InvalidSearchFilterException|javax\.naming\.directory|"
    r"LDAPException|ldap_search(?:_ext)?\(\)|unbalanced parenthes[ie]s in (?:ldap )?filter", re.I)
BREAKER = ")("  # an empty filter: no LDAP parser takes it

SHAPES = [
    Shape(lambda v, t, a, b: f"{v})(!(objectClass={t})", lambda v, t, a, b: f"{v})(objectClass={t}", keeps=True),
    Shape(lambda v, t, a, b: f"*)(!(objectClass={t})", lambda v, t, a, b: f"*)(objectClass={t}", keeps=False),
]


class LdapInjection(PointCheck):
    name = "ldap"
    category = "ldap-injection"

    def worth(self, point: InjectionPoint, profile: PointProfile) -> bool:
        return True  # a lookup that finds nothing answers the canary like the baseline: the parentheses decide

    def run(self, sender: Sender, ctx: ProbeContext, point: InjectionPoint) -> Confirmation | None:
        ex, payload, matters = syntax_error(sender, ctx, point, BREAKER, LDAP_ERRORS)
        if ex is not None:
            return Confirmation(self.category, self.name,
                                f"LDAP injection: parentheses in {point.label} break an LDAP search filter "
                                "(the filter parser's error, absent without them)", ex, payload, point)
        if not matters:
            return None  # parentheses change nothing: the value is not spliced into a filter
        for shape in SHAPES:
            if found := differential(sender, ctx, point, shape):
                return Confirmation(self.category, self.name,
                                    f"LDAP injection: {point.label} is evaluated in an LDAP filter (an always-true "
                                    "filter and an always-false one answer differently, twice)",
                                    found[0], found[1], point)
        return None

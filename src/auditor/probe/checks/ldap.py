"""LDAP injection payloads and errors (the check is `checks/query_languages.py`): an input
placed inside an LDAP search filter, shown by a boolean differential or by an error only an
LDAP filter parser gives (ldap3's LDAPInvalidFilterError,
python-ldap's FILTER_ERROR, Java's InvalidSearchFilterException, "Bad search filter") for
parentheses that the same value without them does not cause.

The payloads close the value's own filter and add one: `(!(objectClass=TOKEN))` always holds
(no entry's class is a random token), `(objectClass=TOKEN)` never does. After the value it keeps
the value's answer; after `*` (present) it widens an empty answer. Where a schema refuses a
random class, the same pair on `cn` (a core attribute that takes any text) stands in. A
search filter only reads."""

from __future__ import annotations

import re

from auditor.probe.checks.differential import Shape

LDAP_ERRORS = re.compile(
    r"LDAPInvalidFilterError|invalid filter|malformed filter|missing boolean operator in filter|invalid matching assertion|"
    r"FILTER_ERROR|Bad search filter|InvalidSearchFilterException|javax\.naming\.directory|"
    r"LDAPException|ldap_search(?:_ext)?\(\)|unbalanced parenthes[ie]s in (?:ldap )?filter", re.I)

SHAPES = [
    Shape(lambda v, t, a, b: f"{v})(!(objectClass={t})", lambda v, t, a, b: f"{v})(objectClass={t}", keeps=True),
    Shape(lambda v, t, a, b: f"*)(!(objectClass={t})", lambda v, t, a, b: f"*)(objectClass={t}", keeps=False),
    # A directory that checks objectClass values against its schema (ldap3's, OpenLDAP's) refuses
    # a random class both ways: the same pair on `cn`, a core attribute that takes any text.
    Shape(lambda v, t, a, b: f"*)(!(cn={t})", lambda v, t, a, b: f"*)(cn={t}", keeps=False),
    # Inside an OR (`(|(uid=VALUE)(street=...))`) a `*` matches every entry both ways: the pair
    # after the value itself, the false one answered like a plain random value.
    Shape(lambda v, t, a, b: f"{v})(!(cn={t})", lambda v, t, a, b: f"{v})(cn={t}", keeps=False),
]

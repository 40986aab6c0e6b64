"""The ReDoS judgement: unbounded repetition of a group made only of unboundedly repeated
atoms backtracks exponentially; separators, bounded counts and character classes do not."""

from __future__ import annotations

import pytest

from auditor.scan.redos import catastrophic


@pytest.mark.parametrize(("pattern", "expected"), [
    (r"([0-9]+)+\#", True),
    (r"^(a+)+$", True),
    (r"(\w*)*", True),
    (r"(\d+){2,}", True),
    (r"(x+x+)+y", True),
    (r"(a+|b+)*", True),
    (r"(\\+)+", True),  # an escaped backslash, repeated
    (r"^[a-z]+$", False),
    (r"(ab)+", False),
    (r"(\+)+", False),  # a literal plus
    (r"(?:[A-Za-z0-9+/]{4})*", False),  # + inside a class is a literal
    (r"(([0-9a-f]{1,4}:){7})", False),  # bounded counts
    (r"(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*", False),  # each repeat starts with a literal dot
])
def test_catastrophic(pattern, expected):
    assert catastrophic(pattern) is expected

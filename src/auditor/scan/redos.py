"""Regular expressions that backtrack catastrophically (ReDoS, CWE-1333): a quantified
group whose body is itself quantified (`(a+)+`, `(\\w*)*`, `(\\d+){2,}`), so a failing match
tries exponentially many ways to split the input. Shared by the language checks, which find
the regex literals; this module only judges a pattern's text."""

from __future__ import annotations

import re

# A group (capturing or not) holding a quantifier, itself followed by a quantifier.
_NESTED = re.compile(r"\((?:\?:)?(?:[^()\\]|\\.)*?(?:[+*]|\{\d+,\d*\})(?:[^()\\]|\\.)*?\)(?:[+*]|\{\d+,\d*\})")


def catastrophic(pattern: str) -> bool:
    """True when `pattern` nests unbounded quantifiers (exponential backtracking)."""
    return bool(_NESTED.search(pattern))

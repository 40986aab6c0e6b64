"""Regular expressions that backtrack catastrophically (ReDoS, CWE-1333): a quantified
group whose body is itself quantified (`(a+)+`, `(\\w*)*`, `(\\d+){2,}`), so a failing match
tries exponentially many ways to split the input. Shared by the language checks, which find
the regex literals; this module only judges a pattern's text."""

from __future__ import annotations

import re

# A group repeated without bound: its body, then the outer quantifier.
_REPEATED_GROUP = re.compile(r"\((?:\?:)?((?:[^()\\]|\\.)*)\)(?:[+*]|\{\d+,\})")
# One atom (escape, class placeholder, any other character) under an unbounded quantifier.
_QUANTIFIED_ATOM = re.compile(r"(?:\\.|[^\\()|])(?:[+*]|\{\d+,\})\??")
# Character classes: a `+` or `*` inside `[...]` is a literal, not a quantifier.
_CLASS = re.compile(r"\[(?:\\.|[^\]\\])*\]")


def catastrophic(pattern: str) -> bool:
    """True when `pattern` repeats, without bound, a group made only of unboundedly
    repeated atoms (`(a+)+`, `(\\w*)*`, `(x+x+)+`): a failing match then tries every way
    of splitting the input. A group with a literal separator (`(\\.\\w+)*`) is linear."""
    flat = _CLASS.sub("c", pattern)
    for m in _REPEATED_GROUP.finditer(flat):
        body = m.group(1)
        if _QUANTIFIED_ATOM.search(body) and not _QUANTIFIED_ATOM.sub("", body).strip("|"):
            return True
    return False

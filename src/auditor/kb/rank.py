"""Ranking selected rules, and fitting a ranked list into a size budget.

Ranking: a rule's score is severity x (specificity + 2). The product is what the issue asks
for ("severity x specificity"); the +2 keeps language-level rules (specificity 0) from scoring
zero, so a critical language-level rule still outranks a medium framework-specific one only
when it should: critical generic (4x2=8) ties medium framework+library (2x4=8), and the tie
goes to the higher severity. Remaining ties break by id so output is deterministic.

Budget: every target format has a limit (lines for CLAUDE.md, bytes for AGENTS.md, characters
for Windsurf and Copilot). `fit` keeps the longest prefix of the ranked rules that fits without
examples, then spends what is left on good examples, best-ranked first. So examples go before
rules, low-ranked rules before high-ranked ones, and a rule is never cut in the middle.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from auditor.kb.model import Rule

# A measure turns rendered text into the unit a target's budget is counted in.
Measure = Callable[[str], int]


def chars(text: str) -> int:
    return len(text)


def utf8_bytes(text: str) -> int:
    return len(text.encode("utf-8"))


def lines(text: str) -> int:
    return text.count("\n")


def score(rule: Rule) -> int:
    """Severity (1-4) times how tied the rule is to a stack (Applies.specificity, 0-5) plus 2."""
    return int(rule.severity) * (rule.applies.specificity + 2)


def rank_key(rule: Rule) -> tuple[int, int, int, str]:
    return (-score(rule), -int(rule.severity), -rule.applies.specificity, rule.id)


def rank(rules: Iterable[Rule]) -> list[Rule]:
    """Best first: by score, then severity, then specificity, then id."""
    return sorted(rules, key=rank_key)


@dataclass(frozen=True)
class Fitted:
    """What of a ranked list fits a budget: the kept rules (in rank order), which of them
    show their good example, and the rules left out (always a suffix of the ranking)."""

    kept: tuple[Rule, ...]
    with_example: frozenset[str]
    omitted: tuple[Rule, ...]


def fit(
    rules: Sequence[Rule],
    cost: Callable[[Rule, bool], int],
    budget: int | None,
    fixed: int = 0,
) -> Fitted:
    """Choose what of `rules` (ranked) fits in `budget` units.

    `cost(rule, with_example)` is the size of the rule's rendered section; sections are
    assumed to concatenate without extra separators. `fixed` is the size of everything else
    (header, footer). With no budget, everything is kept, examples included."""
    has_example = [r for r in rules if r.examples]
    if budget is None:
        return Fitted(tuple(rules), frozenset(r.id for r in has_example), ())
    remaining = budget - fixed
    kept: list[Rule] = []
    for rule in rules:
        size = cost(rule, False)
        if size > remaining:
            break
        kept.append(rule)
        remaining -= size
    shown: set[str] = set()
    for rule in kept:
        if not rule.examples:
            continue
        extra = cost(rule, True) - cost(rule, False)
        if extra <= remaining:
            shown.add(rule.id)
            remaining -= extra
    return Fitted(tuple(kept), frozenset(shown), tuple(rules[len(kept):]))

"""Helpers over source text (not trees), shared by regex-based checks and route readers."""

from __future__ import annotations

import re
from collections.abc import Iterator


def balanced(text: str, start: int, opener: str = "(", closer: str = ")", limit: int | None = None) -> str:
    """The text between the `opener` at `start` and its matching `closer` (to the end, or to
    `limit` characters, when it never closes: nothing beyond that is read)."""
    end = len(text) if limit is None else min(len(text), start + limit)
    depth = 0
    for i in range(start, end):
        if text[i] == opener:
            depth += 1
        elif text[i] == closer:
            depth -= 1
            if depth == 0:
                return text[start + 1:i]
    return text[start + 1:end] if limit is None else ""


def calls_reading(text: str, call: re.Pattern[str], source: str, held: re.Pattern[str],
                  limit: int = 400) -> Iterator[re.Match[str]]:
    """Each match of `call` (ending at its `(`) whose arguments mention `source` (a regex), or a
    local that `held` (group 1: the local's name) shows was assigned from it."""
    names = sorted({m.group(1) for m in held.finditer(text)})
    mentions = re.compile(source + (r"|\b(?:" + "|".join(map(re.escape, names)) + r")\b" if names else ""))
    for m in call.finditer(text):
        if mentions.search(balanced(text, m.end() - 1, limit=limit)):
            yield m

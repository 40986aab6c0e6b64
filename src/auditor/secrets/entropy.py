"""Shannon entropy of a string: how random a candidate secret looks.

Random API keys score about log2(alphabet) bits per character (base62 ~5.9, hex ~4);
words, identifiers and placeholders score far lower. Detectors set a minimum per pattern."""

from __future__ import annotations

import math
from collections import Counter


def shannon_entropy(value: str) -> float:
    """Bits per character of `value` (0.0 for the empty string)."""
    if not value:
        return 0.0
    n = len(value)
    return -sum(c / n * math.log2(c / n) for c in Counter(value).values())

"""CVSS v3.x base scores from vector strings, and the qualitative severity they map to.

Formula and rounding as in the CVSS v3.1 specification, section 7
(https://www.first.org/cvss/v3.1/specification-document); v3.0 vectors use the same
metric weights. Scores map to severities by the spec's rating scale (section 5).
"""

from __future__ import annotations

import math

from auditor.findings import Severity

_WEIGHTS: dict[str, dict[str, float]] = {
    "AV": {"N": 0.85, "A": 0.62, "L": 0.55, "P": 0.2},
    "AC": {"L": 0.77, "H": 0.44},
    "UI": {"N": 0.85, "R": 0.62},
    "C": {"H": 0.56, "L": 0.22, "N": 0.0},
    "I": {"H": 0.56, "L": 0.22, "N": 0.0},
    "A": {"H": 0.56, "L": 0.22, "N": 0.0},
}
# Privileges Required weighs more when the scope changes.
_PR = {"U": {"N": 0.85, "L": 0.62, "H": 0.27}, "C": {"N": 0.85, "L": 0.68, "H": 0.5}}
_BASE = ("AV", "AC", "PR", "UI", "S", "C", "I", "A")


def roundup(value: float) -> float:
    """CVSS 3.1 Roundup: the smallest number with one decimal >= value, computed on
    integers to avoid floating-point surprises (spec Appendix A)."""
    whole = round(value * 100000)
    if whole % 10000 == 0:
        return whole / 100000.0
    return (math.floor(whole / 10000) + 1) / 10.0


def base_score(vector: str) -> float | None:
    """The base score of a `CVSS:3.0/...` or `CVSS:3.1/...` vector, None when malformed."""
    parts = vector.strip().split("/")
    if not parts or parts[0] not in ("CVSS:3.0", "CVSS:3.1"):
        return None
    metrics: dict[str, str] = {}
    for part in parts[1:]:
        key, sep, value = part.partition(":")
        if not sep:
            return None
        metrics[key] = value
    if any(k not in metrics for k in _BASE):
        return None
    scope = metrics["S"]
    try:
        if scope not in _PR:
            return None
        av, ac, ui = (_WEIGHTS[k][metrics[k]] for k in ("AV", "AC", "UI"))
        c, i, a = (_WEIGHTS[k][metrics[k]] for k in ("C", "I", "A"))
        pr = _PR[scope][metrics["PR"]]
    except KeyError:
        return None
    iss = 1 - (1 - c) * (1 - i) * (1 - a)
    if scope == "U":
        impact = 6.42 * iss
    else:
        impact = 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15
    exploitability = 8.22 * av * ac * pr * ui
    if impact <= 0:
        return 0.0
    if scope == "U":
        return roundup(min(impact + exploitability, 10))
    return roundup(min(1.08 * (impact + exploitability), 10))


def severity_for_score(score: float) -> Severity | None:
    """Rating scale: 9.0+ critical, 7.0+ high, 4.0+ medium, 0.1+ low, 0 none (None)."""
    if score >= 9.0:
        return Severity.CRITICAL
    if score >= 7.0:
        return Severity.HIGH
    if score >= 4.0:
        return Severity.MEDIUM
    if score > 0:
        return Severity.LOW
    return None

"""Statistics for the benchmark, in plain Python so every figure can be checked by hand.

Samples of one task are not independent (the same request elicits the same flaw), so
intervals come from a bootstrap that resamples whole tasks (clustered by task), with a fixed
seed for reproducible numbers. Percentiles interpolate linearly between order statistics
(the usual "type 7" definition). Conditions are compared on the same tasks with an exact
two-sided sign test on per-task vulnerable rates; with one sample per task this is the exact
McNemar test."""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence

Outcomes = Mapping[str, Sequence[bool]]  # task id -> outcomes of its samples
DEFAULT_RESAMPLES = 2000
DEFAULT_SEED = 20240611


def rate(values: Sequence[bool]) -> float | None:
    return sum(values) / len(values) if values else None


def pooled_rate(outcomes: Outcomes) -> float | None:
    return rate([v for vs in outcomes.values() for v in vs])


def percentile(sorted_values: Sequence[float], q: float) -> float:
    """The q-quantile (0..1) of already sorted values, linear interpolation (type 7)."""
    if not sorted_values:
        raise ValueError("percentile of no values")
    pos = (len(sorted_values) - 1) * q
    lo, hi = math.floor(pos), math.ceil(pos)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo)


def _interval(values: list[float], level: float) -> tuple[float, float] | None:
    if not values:
        return None
    values.sort()
    tail = (1 - level) / 2
    return percentile(values, tail), percentile(values, 1 - tail)


def _counts(outcomes: Outcomes, tasks: Sequence[str]) -> list[tuple[int, int]]:
    return [(sum(outcomes[t]), len(outcomes[t])) for t in tasks]


def bootstrap_rate_ci(outcomes: Outcomes, resamples: int = DEFAULT_RESAMPLES, seed: int = DEFAULT_SEED,
                      level: float = 0.95) -> tuple[float, float] | None:
    """Percentile interval of the pooled rate, resampling tasks with replacement."""
    tasks = sorted(t for t, vs in outcomes.items() if vs)
    if not tasks:
        return None
    counts = _counts(outcomes, tasks)
    rng = random.Random(seed)
    n = len(tasks)
    values = []
    for _ in range(resamples):
        hits = total = 0
        for _ in range(n):
            h, c = counts[rng.randrange(n)]
            hits += h
            total += c
        values.append(hits / total)
    return _interval(values, level)


def relative_reduction(baseline: float | None, condition: float | None) -> float | None:
    """(baseline - condition) / baseline: 0.75 means a quarter of the baseline's rate is left."""
    if baseline is None or condition is None or baseline == 0:
        return None
    return (baseline - condition) / baseline


def paired_tasks(baseline: Outcomes, condition: Outcomes) -> list[str]:
    return sorted(t for t in baseline if baseline[t] and condition.get(t))


def bootstrap_reduction_ci(baseline: Outcomes, condition: Outcomes, resamples: int = DEFAULT_RESAMPLES,
                           seed: int = DEFAULT_SEED, level: float = 0.95) -> tuple[float, float] | None:
    """Percentile interval of the relative reduction, resampling the tasks both conditions ran
    (the same draw for both, so the pairing is kept). Draws whose baseline rate is 0 have no
    defined reduction and are skipped."""
    tasks = paired_tasks(baseline, condition)
    if not tasks:
        return None
    base, cond = _counts(baseline, tasks), _counts(condition, tasks)
    rng = random.Random(seed)
    n = len(tasks)
    values = []
    for _ in range(resamples):
        bh = bt = ch = ct = 0
        for _ in range(n):
            i = rng.randrange(n)
            bh, bt, ch, ct = bh + base[i][0], bt + base[i][1], ch + cond[i][0], ct + cond[i][1]
        if bh:
            values.append(1 - (ch / ct) / (bh / bt))
    return _interval(values, level)


def binomial_two_sided(k: int, n: int) -> float:
    """Exact two-sided p-value of k or fewer (or as extreme the other way) successes in n fair coin flips."""
    if n == 0:
        return 1.0
    k = min(k, n - k)
    tail = sum(math.comb(n, i) for i in range(k + 1)) / 2 ** n
    return min(1.0, 2 * tail)


def sign_test(baseline: Outcomes, condition: Outcomes) -> dict[str, float | int]:
    """Exact sign test on tasks both ran: a task is improved when its vulnerable rate is lower
    under the condition, worsened when higher; ties do not count."""
    improved = worsened = 0
    for t in paired_tasks(baseline, condition):
        b, c = rate(baseline[t]), rate(condition[t])
        assert b is not None and c is not None
        improved += c < b
        worsened += c > b
    return {"improved": improved, "worsened": worsened, "p_value": binomial_two_sided(improved, improved + worsened)}


def cohen_kappa(pairs: Sequence[tuple[bool, bool]]) -> float | None:
    """Agreement beyond chance between two judges' yes/no verdicts."""
    n = len(pairs)
    if not n:
        return None
    observed = sum(a == b for a, b in pairs) / n
    pa, pb = sum(a for a, _ in pairs) / n, sum(b for _, b in pairs) / n
    expected = pa * pb + (1 - pa) * (1 - pb)
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)

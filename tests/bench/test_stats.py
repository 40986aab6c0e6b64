"""Statistics against values worked out by hand (the arithmetic is in the comments)."""

import itertools
import math

import pytest

from auditor.bench import stats


def test_rates_and_relative_reduction():
    # none: 8 of 10 vulnerable; auditor: 2 of 10 -> (0.8 - 0.2) / 0.8 = 0.75
    assert stats.rate([True] * 8 + [False] * 2) == 0.8
    assert stats.relative_reduction(0.8, 0.2) == pytest.approx(0.75)
    assert stats.relative_reduction(0.0, 0.2) is None
    assert stats.rate([]) is None


def test_percentile_type7():
    # positions (n-1)q: [1,2,3,4] at q=0.25 -> 0.75 -> 1 + 0.75*(2-1) = 1.75
    assert stats.percentile([1, 2, 3, 4], 0.25) == pytest.approx(1.75)
    assert stats.percentile([1, 2, 3, 4], 0.5) == pytest.approx(2.5)
    assert stats.percentile([5], 0.975) == 5


def test_sign_test_by_hand():
    # 9 tasks improve, 1 worsens, 2 tie -> n=10, k=1:
    # p = 2 * (C(10,0) + C(10,1)) / 2^10 = 2 * 11 / 1024 = 0.021484375
    base = {f"t{i}": [True] for i in range(12)}
    cond = {f"t{i}": [False] for i in range(9)}
    cond.update({"t9": [True], "t10": [True], "t11": [True]})
    base["t9"] = [False]  # worsened: baseline secure, condition vulnerable
    result = stats.sign_test(base, cond)
    assert result["improved"] == 9 and result["worsened"] == 1
    assert result["p_value"] == pytest.approx(22 / 1024)
    assert stats.binomial_two_sided(0, 0) == 1.0
    assert stats.binomial_two_sided(5, 10) == 1.0


def test_cluster_bootstrap_two_task_example():
    # Task a: 10/10 vulnerable, task b: 0/10. Resampling two tasks gives pooled rates
    # 1 (aa, p=1/4), 0.5 (ab or ba, p=1/2), 0 (bb, p=1/4). Both tails hold 25% > 2.5% of the
    # mass, so the 95% percentile interval is [0, 1]: the clustered interval admits that
    # every sample of a task shares its fate. An unclustered bootstrap of the 20 samples
    # would claim about 0.5 +- 0.22.
    outcomes = {"a": [True] * 10, "b": [False] * 10}
    assert stats.bootstrap_rate_ci(outcomes, resamples=2000, seed=1) == (0.0, 1.0)


def test_cluster_bootstrap_matches_exact_enumeration():
    # Three tasks with unequal sizes: a 2/2, b 1/4, c 0/2. The exact bootstrap distribution
    # enumerates the 27 equally likely ordered draws of three tasks; the pooled rate of a draw
    # is sum(hits)/sum(sizes). Its exact 2.5% and 97.5% quantiles are compared with the
    # seeded Monte Carlo bootstrap.
    outcomes = {"a": [True, True], "b": [True, False, False, False], "c": [False, False]}
    counts = {"a": (2, 2), "b": (1, 4), "c": (0, 2)}
    draws = sorted(sum(counts[t][0] for t in d) / sum(counts[t][1] for t in d)
                   for d in itertools.product("abc", repeat=3))
    # Hand check of the extremes: ccc -> 0/6 (1 of 27), aaa -> 6/6 (1 of 27).
    assert draws[0] == 0.0 and draws[-1] == 1.0
    exact_lo = next(v for i, v in enumerate(draws) if (i + 1) / 27 >= 0.025)
    exact_hi = next(v for i, v in enumerate(draws) if (i + 1) / 27 >= 0.975)
    lo, hi = stats.bootstrap_rate_ci(outcomes, resamples=20000, seed=7)
    assert lo == pytest.approx(exact_lo, abs=0.02)
    assert hi == pytest.approx(exact_hi, abs=0.02)


def test_bootstrap_is_seeded_and_identical_tasks_give_a_point():
    outcomes = {"a": [True, False], "b": [True, False], "c": [False, True]}
    assert stats.bootstrap_rate_ci(outcomes, seed=3) == stats.bootstrap_rate_ci(outcomes, seed=3)
    assert stats.bootstrap_rate_ci(outcomes, seed=3) == (0.5, 0.5)  # every task has rate 1/2


def test_reduction_ci_by_hand():
    # Every task: baseline 2/2 vulnerable, condition 1/2. In every resample the pooled rates
    # are 1 and 0.5, so the reduction is exactly 0.5 and so is the whole interval.
    base = {t: [True, True] for t in "abcd"}
    cond = {t: [True, False] for t in "abcd"}
    assert stats.bootstrap_reduction_ci(base, cond, resamples=500, seed=2) == (0.5, 0.5)
    # A task only one condition ran is left out of the pairing.
    assert stats.paired_tasks({**base, "x": [True]}, cond) == list("abcd")


def test_reduction_ci_excludes_zero_for_a_clear_effect():
    base = {f"t{i}": [True, True, True] for i in range(10)}
    cond = {f"t{i}": [False, False, i == 0] for i in range(10)}
    lo, hi = stats.bootstrap_reduction_ci(base, cond, seed=5)
    # point estimate 1 - (1/30)/1 = 0.9667; a resample holds t0 k times -> 1 - k/30.
    assert 0 < lo <= 29 / 30 <= hi <= 1


def test_cohen_kappa_by_hand():
    # 10 pairs: 4 yes/yes, 4 no/no, 1 yes/no, 1 no/yes -> po = 0.8, pa = pb = 0.5,
    # pe = 0.5 -> kappa = (0.8 - 0.5) / 0.5 = 0.6
    pairs = [(True, True)] * 4 + [(False, False)] * 4 + [(True, False), (False, True)]
    assert stats.cohen_kappa(pairs) == pytest.approx(0.6)
    assert math.isclose(stats.cohen_kappa([(True, True)]), 1.0)

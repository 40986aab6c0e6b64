"""From judged results to the figures: summary.json (the contract in DESIGN.md: `runs` and
`comparisons`, plus paired tests, breakdowns, judge agreement and usage) and the terminal table."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from auditor.bench import stats
from auditor.bench.conditions import CONDITIONS

BASELINE = "none"


def _order(conditions: set[str]) -> list[str]:
    return [c for c in CONDITIONS if c in conditions] + sorted(conditions - set(CONDITIONS))


def _by_task(results: Sequence[dict[str, Any]], field: str = "vulnerable") -> dict[str, list[bool]]:
    out: dict[str, list[bool]] = defaultdict(list)
    for r in results:
        out[r["task"]].append(bool(r[field]))
    return out


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def _ci(ci: tuple[float, float] | None) -> list[float | None]:
    return [None, None] if ci is None else [_round(ci[0]), _round(ci[1])]


def run_entry(model: str, condition: str, rows: Sequence[dict[str, Any]], resamples: int, seed: int) -> dict[str, Any]:
    """One `runs` item, exactly the contract's fields."""
    checked = [r for r in rows if r.get("functional") is not None]
    return {
        "model": model,
        "condition": condition,
        "samples": len(rows),
        "vulnerable_rate": _round(stats.rate([bool(r["vulnerable"]) for r in rows])),
        "vulnerable_ci": _ci(stats.bootstrap_rate_ci(_by_task(rows), resamples, seed)),
        "functional_pass_rate": _round(stats.rate([bool(r["functional"]) for r in checked])),
        "correct_and_secure_rate": _round(stats.rate([bool(r["functional"]) and not r["vulnerable"] for r in checked])),
    }


def _breakdown(results: Sequence[dict[str, Any]], field: str) -> list[dict[str, Any]]:
    groups: dict[tuple[str, str, str], list[bool]] = defaultdict(list)
    for r in results:
        groups[(r["model"], r["condition"], r[field])].append(bool(r["vulnerable"]))
    return [{"model": m, "condition": c, field: v, "samples": len(vs), "vulnerable_rate": _round(stats.rate(vs))}
            for (m, c, v), vs in sorted(groups.items())]


def _judges(results: Sequence[dict[str, Any]]) -> dict[str, Any]:
    names = sorted({j for r in results for j, v in r.get("judges", {}).items() if v is not None})
    rates = {}
    for name in names:
        vs = [bool(r["judges"][name]) for r in results if r.get("judges", {}).get(name) is not None]
        rates[name] = {"samples": len(vs), "vulnerable_rate": _round(stats.rate(vs))}
    agreement = []
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            pairs = [(bool(r["judges"][a]), bool(r["judges"][b])) for r in results
                     if r.get("judges", {}).get(a) is not None and r.get("judges", {}).get(b) is not None]
            agreement.append({"a": a, "b": b, "samples": len(pairs),
                              "agreement": _round(stats.rate([x == y for x, y in pairs])),
                              "kappa": _round(stats.cohen_kappa(pairs))})
    return {"rates": rates, "agreement": agreement}


def build_summary(results: Sequence[dict[str, Any]], resamples: int = stats.DEFAULT_RESAMPLES,
                  seed: int = stats.DEFAULT_SEED, usage: dict[str, Any] | None = None) -> dict[str, Any]:
    from auditor import __version__

    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for r in results:
        groups[(r["model"], r["condition"])].append(r)
    models = sorted({m for m, _ in groups})
    runs, comparisons, tests = [], [], []
    for model in models:
        conditions = _order({c for m, c in groups if m == model})
        for condition in conditions:
            runs.append(run_entry(model, condition, groups[(model, condition)], resamples, seed))
        if BASELINE not in conditions:
            continue
        base = _by_task(groups[(model, BASELINE)])
        for condition in conditions:
            if condition == BASELINE:
                continue
            cond = _by_task(groups[(model, condition)])
            tasks = stats.paired_tasks(base, cond)
            paired_base = {t: base[t] for t in tasks}
            paired_cond = {t: cond[t] for t in tasks}
            comparisons.append({
                "model": model, "baseline": BASELINE, "condition": condition,
                "relative_reduction": _round(stats.relative_reduction(stats.pooled_rate(paired_base),
                                                                      stats.pooled_rate(paired_cond))),
                "ci": _ci(stats.bootstrap_reduction_ci(paired_base, paired_cond, resamples, seed)),
            })
            tests.append({"model": model, "baseline": BASELINE, "condition": condition, "tasks": len(tasks),
                          "test": "exact sign test on per-task vulnerable rates",
                          **stats.sign_test(paired_base, paired_cond)})
    return {
        "version": __version__,
        "runs": runs,
        "comparisons": comparisons,
        "paired_tests": tests,
        "by_category": _breakdown(results, "category"),
        "by_framework": _breakdown(results, "framework"),
        "judges": _judges(results),
        "usage": usage or {},
        "bootstrap": {"resamples": resamples, "seed": seed, "clustered_by": "task", "level": 0.95},
    }


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.1f}%"


def text_table(summary: dict[str, Any]) -> str:
    """The terminal view: one line per model x condition, then the comparisons."""
    head = f"{'model':<24} {'condition':<9} {'n':>5} {'vulnerable':>11} {'95% CI':>15} {'functional':>11} {'correct+secure':>15}"
    lines = [head, "-" * len(head)]
    for r in summary["runs"]:
        lo, hi = r["vulnerable_ci"]
        ci = "-" if lo is None else f"{_pct(lo)}-{_pct(hi)}"
        lines.append(f"{r['model'][:24]:<24} {r['condition']:<9} {r['samples']:>5} {_pct(r['vulnerable_rate']):>11} "
                     f"{ci:>15} {_pct(r['functional_pass_rate']):>11} {_pct(r['correct_and_secure_rate']):>15}")
    tests = {(t["model"], t["condition"]): t for t in summary.get("paired_tests", [])}
    if summary["comparisons"]:
        lines += ["", "relative reduction of the vulnerable rate vs none (95% CI, clustered by task; sign test)"]
        for c in summary["comparisons"]:
            lo, hi = c["ci"]
            ci = "-" if lo is None else f"{_pct(lo)} to {_pct(hi)}"
            t = tests.get((c["model"], c["condition"]), {})
            p = f"p={t['p_value']:.3g}" if "p_value" in t else ""
            lines.append(f"{c['model'][:24]:<24} {c['condition']:<9} {_pct(c['relative_reduction']):>8}  [{ci}]  {p}")
    return "\n".join(lines) + "\n"

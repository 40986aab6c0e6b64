"""Sums the per-phase request counts (`by_phase`) of a probe_eval/probe_corpus JSON output:
where the requests of a rate-limited run go. Usage: python bench/phase_sum.py OUT.json [...]"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main() -> None:
    for name in sys.argv[1:]:
        rows = [r for r in json.loads(Path(name).read_text()) if r.get("by_phase")]
        total: dict[str, int] = {}
        for r in rows:
            for k, v in r["by_phase"].items():
                total[k] = total.get(k, 0) + v
        n = sum(total.values())
        eps = sum(int(r.get("endpoints", 0)) for r in rows)
        print(f"{name}: {n} requests over {eps} endpoints ({n / max(1, eps):.1f} per endpoint)")
        for k, v in sorted(total.items(), key=lambda kv: -kv[1]):
            print(f"  {k:<16} {v:>6}  {v / max(1, eps):5.2f}/endpoint  {100 * v / max(1, n):4.1f}%")


if __name__ == "__main__":
    main()

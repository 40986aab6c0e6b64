"""CPU time of scanning a PHP tree (the whole scan, and the PHP taint check alone), in a
fresh process, median of several runs, one job, summary cache off.

    python bench/php_scan_speed.py TREE [--runs 5]

TREE is any PHP project (e.g. DVWA, `git archive` of digininja/DVWA). Run it under the
code to compare (a checkout's `src` first on PYTHONPATH)."""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path


def one_run(root: Path) -> tuple[float, float, int]:
    """(CPU seconds of the scan, CPU seconds inside the PHP taint check, findings)."""
    from auditor.scan.checks.php import taint
    from auditor.scan.engine import Scanner

    spent = [0.0]
    check = taint.CHECKS[0]
    original = type(check).run

    def timed_run(self, src):  # type: ignore[no-untyped-def]
        t0 = time.process_time()
        try:
            return list(original(self, src))
        finally:
            spent[0] += time.process_time() - t0

    type(check).run = timed_run  # type: ignore[method-assign]
    scanner = Scanner(secrets=False, summary_cache=False)
    rels = [str(p.relative_to(root)) for p in sorted(root.rglob("*.php"))]
    t0 = time.process_time()
    result = scanner.scan_tree(root, rels, jobs=1)
    return time.process_time() - t0, spent[0], len(result.findings)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("tree", type=Path)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        total, php, n = one_run(args.tree.resolve())
        print(f"{total} {php} {n}")
        return
    import subprocess

    totals, phps, counts = [], [], set()
    for _ in range(args.runs + 1):  # the first run warms the disk and bytecode caches; not counted
        out = subprocess.run([sys.executable, __file__, str(args.tree), "--child"], capture_output=True,
                             text=True, check=True).stdout.split()
        totals.append(float(out[0]))
        phps.append(float(out[1]))
        counts.add(int(out[2]))
    totals, phps = totals[1:], phps[1:]
    print(f"{args.tree}: scan CPU median {statistics.median(totals):.2f} s, PHP taint check "
          f"{statistics.median(phps):.2f} s, findings {sorted(counts)} ({args.runs} runs)")


if __name__ == "__main__":
    main()

"""Whole-tree scan over worker processes, the project index's cold cost, and a one-file
scan with a warm summary cache. Fresh processes, medians of several runs.

    python bench/scan_parallel_bench.py [--runs 3] [--baseline-src DIR]

- Django (bench/corpus.py's copy): `auditor scan --jobs 1` vs `--jobs N` (N = CPU count),
  with an empty summary cache each run (cold: the index and its summaries are built).
- `--baseline-src DIR`: the same tree scanned by another auditor source tree (e.g. the
  commit before the index, unpacked with `git archive`), for the cold-cost ratio.
- One file (Django's contrib/auth/views.py, which imports its own helpers) scanned from the
  Django root after one warm-up run that fills the summary cache.
Timings on a shared machine are noisy: quote medians and say what else was running."""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from corpus import django_tree  # noqa: E402

AS_INSTALLED = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


CPU: dict[str, list[float]] = {}  # label -> CPU seconds (user + sys, the process and its workers) per run


def run(cmd: list[str], env: dict[str, str], cwd: Path | None = None, label: str = "") -> float:
    """Wall seconds of one fresh process; its CPU seconds (workers included) go to CPU[label].
    On a shared machine wall time includes waiting for a core; CPU time does not."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=cwd, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.setdefault(label, []).append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return wall


def cold(label: str, cmd: list[str], runs: int, extra_env: dict[str, str] | None = None) -> tuple[str, list[float]]:
    """Each run with an empty cache directory (nothing learnt before)."""
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as cache:
            times.append(run(cmd, {**AS_INSTALLED, "AUDITOR_CACHE_DIR": cache, **(extra_env or {})}, label=label))
    return label, times


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--baseline-src", default=None, help="src/ folder of the auditor to compare with")
    args = ap.parse_args()
    tree = django_tree()
    jobs = os.cpu_count() or 1
    auditor = [sys.executable, "-m", "auditor"]
    # -o refuses to replace a file that is not an auditor report (os.devnull included): write
    # the report to a scratch file, which later runs may replace.
    out = str(Path(tempfile.mkdtemp()) / "report.json")
    scan = [*auditor, "scan", str(tree), "-f", "json", "-o", out, "--fail-on", "critical"]
    rows: list[tuple[str, list[float]]] = []
    rows.append(cold("django, --jobs 1 (cold cache)", [*scan, "--jobs", "1"], args.runs))
    rows.append(cold(f"django, --jobs {jobs} (cold cache)", [*scan, "--jobs", str(jobs)], args.runs))
    if args.baseline_src:
        base_env = {"PYTHONPATH": str(Path(args.baseline_src).resolve())}
        rows.append(cold("django, baseline auditor (one process)", scan, args.runs, base_env))
    with tempfile.TemporaryDirectory() as cache:
        env = {**AS_INSTALLED, "AUDITOR_CACHE_DIR": cache}
        one = [*auditor, "scan", "contrib/auth/views.py", "-f", "json", "-o", out, "--fail-on", "critical"]
        run(one, env, cwd=tree)  # warm-up: fills the summary and rule caches
        label = "one file, warm summary cache"
        rows.append((label, [run(one, env, cwd=tree, label=label) for _ in range(args.runs)]))
    print(f"{'what':<44} {'median s':>9} {'min s':>7} {'max s':>7} {'CPU s':>7}")
    for label, times in rows:
        cpu = statistics.median(CPU.get(label, [0.0]))
        print(f"{label:<44} {statistics.median(times):>9.2f} {min(times):>7.2f} {max(times):>7.2f} {cpu:>7.2f}")
    med = {label: statistics.median(times) for label, times in rows}
    one_core = med["django, --jobs 1 (cold cache)"]
    print(f"\n--jobs {jobs} / --jobs 1: {med[f'django, --jobs {jobs} (cold cache)'] / one_core:.2f}")
    if args.baseline_src:
        print(f"--jobs 1 / baseline: {one_core / med['django, baseline auditor (one process)']:.2f} wall, "
              f"{statistics.median(CPU['django, --jobs 1 (cold cache)']) / statistics.median(CPU['django, baseline auditor (one process)']):.2f} CPU")


if __name__ == "__main__":
    main()

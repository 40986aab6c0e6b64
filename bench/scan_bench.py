"""Scan speed, side by side: auditor vs Bandit (Python) and Semgrep (Python and JavaScript,
with a generated local rule set of comparable size), on large real trees, each tool in a
fresh process, several runs, medians reported. Also: one file in a fresh process.

    python bench/scan_bench.py [--runs 3] [--tools-bin DIR]

Bandit and Semgrep are looked up on PATH or in --tools-bin (e.g. a venv's bin with
`pip install bandit semgrep`). Semgrep runs with --metrics=off and version checks off."""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from corpus import CORPUS, django_tree, express_tree, file_count  # noqa: E402
from semgrep_rules import write_rules  # noqa: E402

# Measure auditor as installed: Python caches bytecode on the first run. Environments that
# set PYTHONDONTWRITEBYTECODE (some sandboxes do) would recompile every module each start.
AS_INSTALLED = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(cmd: list[str], runs: int, env: dict[str, str] | None = None) -> list[float]:
    """Wall seconds of `runs` fresh processes, after one uncounted warm-up run."""
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env or AS_INSTALLED, check=False)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env or AS_INSTALLED, check=False)
        times.append(time.perf_counter() - start)
    return times


def tool(name: str, bin_dir: str | None) -> str | None:
    if bin_dir and (Path(bin_dir) / name).exists():
        return str(Path(bin_dir) / name)
    return shutil.which(name)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--tools-bin", default=None)
    args = ap.parse_args()
    auditor = [sys.executable, "-m", "auditor"]
    rules = CORPUS / "semgrep-rules.yaml"
    n_rules = write_rules(rules)
    env = {**os.environ, "SEMGREP_ENABLE_VERSION_CHECK": "0", "SEMGREP_SEND_METRICS": "off"}
    bandit, semgrep = tool("bandit", args.tools_bin), tool("semgrep", args.tools_bin)

    rows: list[tuple[str, str, list[float]]] = []
    for tree, suffix, others in (
        (django_tree(), ".py", ["bandit", "semgrep"]),
        (express_tree(), ".js", ["semgrep"]),
    ):
        label = f"{tree.name} ({file_count(tree, (suffix,))} {suffix} files)"
        rows.append((label, "auditor scan", timed([*auditor, "scan", str(tree), "-f", "json", "-o", os.devnull], args.runs)))
        rows.append((label, "auditor scan --no-secrets",
                     timed([*auditor, "scan", str(tree), "--no-secrets", "-f", "json", "-o", os.devnull], args.runs)))
        if "bandit" in others and bandit:
            rows.append((label, "bandit -r", timed([bandit, "-r", "-q", "-f", "json", "-o", os.devnull, str(tree)], args.runs)))
        if "semgrep" in others and semgrep:
            rows.append((label, f"semgrep ({n_rules} rules)", timed(
                [semgrep, "scan", "--metrics=off", "--disable-version-check", "--config", str(rules), "--json",
                 "-o", os.devnull, str(tree)], args.runs, env)))
    one = django_tree() / "contrib" / "admin" / "options.py"
    rows.append((f"one file ({one.name})", "auditor scan FILE", timed([*auditor, "scan", str(one)], args.runs)))
    rows.append(("startup", "auditor --help", timed([*auditor, "--help"], args.runs)))

    print(f"{'corpus':<36} {'command':<28} {'median s':>9} {'min s':>7} {'max s':>7}")
    for label, name, times in rows:
        print(f"{label:<36} {name:<28} {statistics.median(times):>9.2f} {min(times):>7.2f} {max(times):>7.2f}")


if __name__ == "__main__":
    main()

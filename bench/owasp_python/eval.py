"""Detection quality on the OWASP Benchmark for Python (github.com/OWASP-Benchmark/BenchmarkPython).

    python bench/owasp_python/eval.py [--checkout DIR] [-v] [--save-first-run]

The Benchmark is ~1,230 small Flask handlers written by others, each a real flaw or a decoy of
one of 14 categories, with the truth in `expectedresults-0.1.csv`. It is scanned once as a new
user would (`auditor scan DIR --format json --no-secrets`) and scored the Benchmark's way:
per category, a test is flagged when its file has a finding of that category; score = true
positive rate - false positive rate; the average is over the 14 categories.

Two Benchmark categories share one auditor category, so the rule id tells them apart: `hash`
and `weakrand` are both `weak-crypto` (weak-hash rules vs random/secrets rules), and
`securecookie` is the cookie-flag rules of `security-misconfiguration`; `trustbound` is the
session trust-boundary rule.

Two halves: odd-numbered tests are the tuning set (their misses may be read to find missing
mechanisms), even-numbered ones the holdout (never read; it says whether a fix generalises).
Every run reports all three: `all`, `tuning`, `holdout`.

The checkout: `git clone https://github.com/OWASP-Benchmark/BenchmarkPython DIR` (the commit
scored is recorded). Default DIR: bench/.work/bp (gitignored). No Benchmark code lives here.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(REPO))

from bench.run_record import keep_run  # noqa: E402

FIRST_RUN = HERE / "first-run.json"

# Benchmark category -> (auditor category, rule-id pattern or None for any rule of it).
CATEGORIES: dict[str, tuple[str, re.Pattern[str] | None]] = {
    "cmdi": ("command-injection", None),
    "codeinj": ("code-injection", None),
    "deserialization": ("insecure-deserialization", None),
    "hash": ("weak-crypto", re.compile(r"hash|md5|sha1")),
    "ldapi": ("ldap-injection", None),
    "pathtraver": ("path-traversal", None),
    "redirect": ("open-redirect", None),
    "securecookie": ("security-misconfiguration", re.compile(r"cookie")),
    "sqli": ("sql-injection", None),
    "trustbound": ("broken-access-control", re.compile(r"trust-boundary|session")),
    "weakrand": ("weak-crypto", re.compile(r"random|secrets")),
    "xpathi": ("xpath-injection", None),
    "xss": ("xss", None),
    "xxe": ("xxe", None),
}
TEST_FILE = re.compile(r"BenchmarkTest\d{5}")


def truth(checkout: Path) -> dict[str, tuple[str, bool]]:
    """Test name -> (Benchmark category, is a real flaw)."""
    path = checkout / "expectedresults-0.1.csv"
    out: dict[str, tuple[str, bool]] = {}
    with path.open(encoding="utf-8") as fh:
        for row in csv.reader(fh):
            if not row or row[0].startswith("#"):
                continue
            if len(row) < 3 or row[1] not in CATEGORIES or row[2] not in ("true", "false"):
                sys.exit(f"{path}: unexpected row {row!r}")
            out[row[0]] = (row[1], row[2] == "true")
    return out


def flagged(findings: list[dict]) -> dict[str, set[str]]:
    """Test name -> the Benchmark categories auditor reported in its file."""
    out: dict[str, set[str]] = defaultdict(set)
    for f in findings:
        m = TEST_FILE.search(Path(f["path"]).name)
        if not m:
            continue
        for cat, (ours, rule) in CATEGORIES.items():
            if f["category"] == ours and (rule is None or rule.search(f["rule_id"])):
                out[m.group(0)].add(cat)
    return out


def score(expected: dict[str, tuple[str, bool]], found: dict[str, set[str]]) -> dict:
    cats: dict[str, dict] = {}
    for cat in CATEGORIES:
        tests = [(t, real) for t, (c, real) in expected.items() if c == cat]
        pos = [t for t, real in tests if real]
        neg = [t for t, real in tests if not real]
        tp = [t for t in pos if cat in found.get(t, set())]
        fp = [t for t in neg if cat in found.get(t, set())]
        cats[cat] = {"real": len(pos), "caught": len(tp), "missed": sorted(set(pos) - set(tp)),
                     "decoys": len(neg), "false_alarms": len(fp), "alarm_tests": sorted(fp),
                     "score": round(100 * (len(tp) / max(len(pos), 1) - len(fp) / max(len(neg), 1)), 1)}
    tpr = sum(c["caught"] / max(c["real"], 1) for c in cats.values()) / len(cats)
    fpr = sum(c["false_alarms"] / max(c["decoys"], 1) for c in cats.values()) / len(cats)
    return {"categories": cats, "average": round(sum(c["score"] for c in cats.values()) / len(cats), 1),
            "tpr": round(100 * tpr, 1), "fpr": round(100 * fpr, 1)}


SETS = {"all": lambda n: True, "tuning": lambda n: n % 2 == 1, "holdout": lambda n: n % 2 == 0}


def subset(expected: dict[str, tuple[str, bool]], name: str) -> dict[str, tuple[str, bool]]:
    return {t: v for t, v in expected.items() if SETS[name](int(t[-5:]))}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--checkout", type=Path, default=REPO / "bench" / ".work" / "bp")
    ap.add_argument("--out", type=Path, default=REPO / "bench" / ".work" / "owasp-python-result.json")
    ap.add_argument("--set", choices=list(SETS), default="tuning",
                    help="the set whose table (and with -v, misses) is printed: tuning by default, never read holdout's")
    ap.add_argument("-v", "--verbose", action="store_true", help="list misses and false alarms with their findings")
    ap.add_argument("--save-first-run", action="store_true", help="record this run as the first run (refuses to overwrite)")
    args = ap.parse_args()
    if not (args.checkout / "expectedresults-0.1.csv").is_file():
        print(f"{args.checkout}: no BenchmarkPython checkout (see this script's docstring)", file=sys.stderr)
        return 2
    proc = subprocess.run([sys.executable, "-m", "auditor", "scan", str(args.checkout), "--format", "json",
                           "--no-secrets", "--fail-on", "critical"], capture_output=True, text=True, timeout=900, check=False)
    if proc.returncode not in (0, 1):
        print(f"auditor scan exited {proc.returncode}: {proc.stderr.strip()[:300]}", file=sys.stderr)
        return 2
    findings = json.loads(proc.stdout)["findings"]
    expected = truth(args.checkout)
    found = flagged(findings)
    results = {name: score(subset(expected, name), found) for name in SETS}
    first = json.loads(FIRST_RUN.read_text(encoding="utf-8"))["results"] if FIRST_RUN.is_file() else None
    for name, result in results.items():
        print(f"OWASP Benchmark for Python, {name}: average (TPR - FPR) {result['average']:+.1f} points "
              f"(TPR {result['tpr']}%, FPR {result['fpr']}%)" + (f"; first run {first[name]['average']:+.1f}" if first else ""))
    result = results[args.set]
    print(f"\n{args.set}:  {'category':16} {'caught':>9} {'false alarms':>13} {'score':>7}")
    for cat, c in result["categories"].items():
        print(f"  {cat:16} {c['caught']:>4}/{c['real']:<4} {c['false_alarms']:>6}/{c['decoys']:<6} {c['score']:>+7.1f}")
    if args.verbose:
        by_test: dict[str, list[dict]] = defaultdict(list)
        for f in findings:
            if m := TEST_FILE.search(Path(f["path"]).name):
                by_test[m.group(0)].append(f)
        for cat, c in result["categories"].items():
            for kind, tests in (("MISS ", c["missed"]), ("ALARM", c["alarm_tests"])):
                for t in tests:
                    got = ", ".join(sorted({f["rule_id"] for f in by_test.get(t, [])})) or "-"
                    print(f"{kind} {cat:14} {t}  [{got}]")

    rev = subprocess.run(["git", "-C", str(args.checkout), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return keep_run({"benchmark_commit": rev.stdout.strip() or "unknown", "results": results},
                    args.out, FIRST_RUN, args.save_first_run)


if __name__ == "__main__":
    sys.exit(main())

"""auditor probe (and wapiti) on OWASP BenchmarkPython run as a live app: a Flask app of ~1,230
test handlers nobody here wrote, each a true flaw or a decoy (truth: the app's own
expectedresults-0.1.csv). No app code is committed: the commit is exported from its local
git mirror into a temp dir per run.

Split (fixed by the project): odd-numbered tests are the tuning set, even-numbered tests the
HOLDOUT (scored once, score only: --half even refuses -v and lists no misses).

Category mapping (decided before the first run). Benchmark category -> the probe's category:
  sqli -> sql-injection, cmdi -> command-injection, codeinj -> code-injection,
  pathtraver -> path-traversal, redirect -> open-redirect, xss -> xss,
  xpathi -> xpath-injection, ldapi -> ldap-injection.
Not covered: securecookie (the probe's cookie check is a site check of session-named cookies
for HttpOnly/SameSite, not the Secure flag per endpoint), and hash, weakrand, trustbound,
deserialization, xxe (no probe check). A test is confirmed when a finding of its mapped
category names its endpoint (any method, any parameter); a confirmation on a decoy
(vulnerability=false) is a false confirmation. Findings of another category on a test's
endpoint are listed apart ("other"), not scored.

Input source of a tuning (odd) test, read from its code: query (request.args /
query_string, or the app's request wrapper's get_query_parameter), form (request.form,
get_form_parameter), header (request.headers), cookie (request.cookies, get_cookie), path
(request.path). Holdout tests are not read.

Sample: the whole covered odd half is probed (--sample N takes a seeded sample of N tests
stratified by category instead). wapiti (--wapiti N): a fixed sample of N covered odd true
tests chosen by a seeded rule (random.Random(SEED) over the sorted list, before any result),
each scanned alone (-u its page, --scope page), and the probe on the same N in the same
session, for time per endpoint and found counts by input source.

Safety (the handlers really run commands, open paths for writing, query SQLite): the run
happens in a fresh network namespace with only loopback (probe_corpus.in_namespace); the app
runs as nobody from its own temp copy; its venv is bench/.work/bp-venv (made with
`py312/bin/python3.12 -m venv`, a copy of pyenv's 3.12.1: the app needs Python 3.12; Flask 3.1.0, lxml 6.0.0, ldap3 2.9.1, PyYAML 6.0.2,
elementpath 5.0.3, jsonpickle 4.1.1, as the app's requirements.txt pins them).

Usage: python bench/probe_benchmark.py [--half odd|even] [--sample N] [--json OUT] [-v]
       python bench/probe_benchmark.py --wapiti 40 [--json OUT]"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "src"))

from auditor.commands.probe import LOOPBACK_RPS  # noqa: E402
from auditor.probe.engine import ProbeConfig, run_probe  # noqa: E402
from auditor.probe.results import to_result  # noqa: E402
from auditor.probe.safety import Limits  # noqa: E402
from auditor.probe.target import Target  # noqa: E402
from bench.probe_apps import NOBODY, WAPITI, export  # noqa: E402
from bench.probe_corpus import FLASK_LAUNCHER, in_namespace  # noqa: E402
from tests.probe.twinrun import free_port  # noqa: E402

REPO_NAME = "OWASP-Benchmark/BenchmarkPython"
COMMIT = "7cf0674b9a33788ac3105e4c4a75a7fdce4c44bd"
VENV = REPO / "bench" / ".work" / "bp-venv"
# The app's f-strings need Python >= 3.12: pyenv's 3.12.1 copied to bench/.work/py312 (root's
# pyenv is not readable by nobody), its libpython found through LD_LIBRARY_PATH.
PY312_LIB = REPO / "bench" / ".work" / "py312" / "lib"
SEED = 20261206
CATEGORIES = {"sqli": "sql-injection", "cmdi": "command-injection", "codeinj": "code-injection",
              "pathtraver": "path-traversal", "redirect": "open-redirect", "xss": "xss",
              "xpathi": "xpath-injection", "ldapi": "ldap-injection"}
SOURCES = (("cookie", re.compile(r"request\.cookies|\.get_cookie\(")), ("header", re.compile(r"request\.headers")),
           ("query", re.compile(r"request\.(?:args|query_string)|\.get_query_parameter\(")),
           ("form", re.compile(r"request\.form|\.get_form_parameter\(")), ("path", re.compile(r"request\.path")))
TEST = re.compile(r"BenchmarkTest\d{5}")


def truth(folder: Path) -> dict[str, tuple[str, bool]]:
    """Test name -> (Benchmark category, true flaw) for the covered categories."""
    out = {}
    with (folder / "expectedresults-0.1.csv").open() as fh:
        for row in csv.reader(fh):
            if row and row[0].startswith("BenchmarkTest") and row[1] in CATEGORIES:
                out[row[0]] = (row[1], row[2].strip() == "true")
    return out


def half_of(tests: dict[str, tuple[str, bool]], half: str) -> list[str]:
    parity = 1 if half == "odd" else 0
    return sorted(t for t in tests if int(t[-5:]) % 2 == parity)


def stratified(tests: dict[str, tuple[str, bool]], names: list[str], n: int) -> list[str]:
    """A seeded sample of about n names, each category in proportion (at least one each)."""
    rng = random.Random(SEED)
    by_cat: dict[str, list[str]] = defaultdict(list)
    for t in names:
        by_cat[tests[t][0]].append(t)
    out = []
    for cat in sorted(by_cat):
        k = max(1, round(n * len(by_cat[cat]) / len(names)))
        out += rng.sample(by_cat[cat], min(k, len(by_cat[cat])))
    return sorted(out)


def source(folder: Path, test: str) -> str:
    """Where a tuning test's input enters, from its code (odd tests only)."""
    assert int(test[-5:]) % 2 == 1, "holdout code is never read"
    code = (folder / "testcode" / f"{test}.py").read_text()
    return next((name for name, rx in SOURCES if rx.search(code)), "other")


def prepared(tmp: Path) -> tuple[Path, str, int]:
    folder = tmp / "app"
    folder.mkdir()
    export(REPO_NAME, COMMIT, folder)
    os.chmod(tmp, 0o755)
    (tmp / "launch.py").write_text(FLASK_LAUNCHER)
    port = free_port()
    cmd = (f"exec {NOBODY} env -i PATH=/usr/bin:/bin HOME={folder} LAB_PORT={port} "
           f"LD_LIBRARY_PATH={PY312_LIB} {VENV / 'bin' / 'python'} {tmp / 'launch.py'} app.py")
    return folder, cmd, port


def probe(tests: list[str], rps: float, timeout: float, max_requests: int,
          trace: bool = False) -> tuple[dict[str, list], dict[str, object]]:
    """Probe the given tests' endpoints in one run: (test -> findings, run figures)."""
    with tempfile.TemporaryDirectory() as tmp:
        folder, cmd, port = prepared(Path(tmp))
        with Target.launch(cmd, port, folder, startup_timeout=120) as target:
            cfg = ProbeConfig(base_url=target.base_url, project=folder,
                              limits=Limits(rps=rps, max_requests=max_requests, timeout=timeout),
                              traversal_targets=target.traversal_targets(), revive=target.revive,
                              include=[f"/benchmark/*/{t}" for t in tests])
            run = run_probe(cfg)
        result = to_result(run)
    if trace:  # the requests sent, for the diagnosis of a tuning test's miss
        for r in run.requests:
            print(r.phase, r.method, r.status, r.url[len(run.base_url):][:300], file=sys.stderr)
    found: dict[str, list] = defaultdict(list)
    for f in result.findings:
        m = TEST.search(f.extra["endpoint"] or "")
        if m:
            found[m.group()].append({"category": f.category, "method": f.extra["method"],
                                     "parameter": f.extra["parameter"], "message": f.message[:120]})
    endpoints = len({r.path for r in run.routes})
    figures = {"requests": len(run.requests), "seconds": round(run.seconds, 1), "endpoints": endpoints,
               "seconds_per_endpoint": round(run.seconds / max(1, endpoints), 2), "partial": run.partial,
               "errors": run.errors[:5]}
    return found, figures


def score(tests: list[str], truths: dict[str, tuple[str, bool]], found: dict[str, list],
          sources: dict[str, str], verbose: bool) -> dict[str, object]:
    per_cat: dict[str, Counter[str]] = defaultdict(Counter)
    per_source: dict[str, Counter[str]] = defaultdict(Counter)
    misses, false, other = [], [], []
    for t in tests:
        cat, real = truths[t]
        hit = any(f["category"] == CATEGORIES[cat] for f in found.get(t, []))
        c = per_cat[cat]
        c["true" if real else "decoy"] += 1
        if real:
            c["confirmed"] += hit
            if t in sources:
                per_source[sources[t]]["true"] += 1
                per_source[sources[t]]["confirmed"] += hit
            if not hit:
                misses.append(f"{t} {cat} {sources.get(t, '')}".strip())
        elif hit:
            c["false"] += 1
            false.append(f"{t} {cat} {sources.get(t, '')}".strip())
        other += [f"{t} {cat} {f['category']} {f['parameter']}" for f in found.get(t, [])
                  if f["category"] != CATEGORIES[cat] and f["category"] != "security-misconfiguration"]
    total = sum((c for c in per_cat.values()), Counter())
    out: dict[str, object] = {
        "true": total["true"], "confirmed": total["confirmed"], "decoys": total["decoy"], "false": total["false"],
        "confirmed_rate": round(total["confirmed"] / max(1, total["true"]), 3),
        "by_category": {k: dict(v) for k, v in sorted(per_cat.items())},
    }
    if sources:
        groups: dict[str, Counter[str]] = defaultdict(Counter)
        for s, c in per_source.items():
            groups["query/form" if s in ("query", "form") else "header/cookie/other"].update(c)
        out["by_source"] = {k: dict(v) for k, v in sorted(per_source.items())}
        out["by_source_group"] = {k: dict(v) for k, v in sorted(groups.items())}
    if verbose:
        out.update(missed=misses, false_confirmations=false, other=other)
    else:
        out["false_confirmations"] = len(false)
    return out


def run_wapiti_one(test: str, src: str, max_time: int) -> tuple[set[str], float]:
    """wapiti alone on one test's endpoint: (wapiti categories it found there, seconds). wapiti
    does not see the forms of the test pages (its parser drops them), so it is handed the input
    itself, from the test's code: a query test's URL with its parameter, a form test's POST with
    its field (--data); a header/cookie test gets its page, the way a user reaches it."""
    from bench.probe_eval import WAPITI_CATEGORIES, WAPITI_MODULES

    with tempfile.TemporaryDirectory() as tmp:
        folder, cmd, port = prepared(Path(tmp))
        page = next(p for p in (folder / "testcode" / f"{test}.py").read_text().split("'")
                    if p.startswith("/benchmark/") and p.endswith(test))
        with Target.launch(cmd, port, folder, startup_timeout=120) as target:
            url, extra = target.base_url + page, []
            if src == "query":
                url += f"?{test}=SafeText"
            elif src == "form":
                extra += ["--data", f"{test}=SafeText"]
            else:
                url += ".html"
            report = Path(tmp) / "wapiti.json"
            begin = time.monotonic()
            subprocess.run([str(WAPITI), "-u", url, "--scope", "page", "-m", WAPITI_MODULES, "-f", "json",
                            "-o", str(report), "--flush-session", "--max-scan-time", str(max_time), *extra],
                           capture_output=True, text=True, timeout=max_time + 120, cwd=tmp,
                           env={"HOME": tmp, "PATH": "/usr/bin:/bin"})
            seconds = time.monotonic() - begin
            data = json.loads(report.read_text()) if report.exists() else {}
    cats = {WAPITI_CATEGORIES.get(c) or "unmapped:" + c for c, items in (data.get("vulnerabilities") or {}).items()
            if items}
    return cats, seconds


def wapiti_compare(truths: dict[str, tuple[str, bool]], folder: Path, n: int, max_time: int,
                   rps: float, timeout: float, earlier: Path | None = None) -> dict[str, object]:
    """wapiti, then the probe, on the same seeded sample; with `earlier` (a saved comparison)
    wapiti's rows are taken from it and only the probe runs again."""
    odd_true = [t for t in half_of(truths, "odd") if truths[t][1]]
    sample = sorted(random.Random(SEED).sample(odd_true, n))
    sources = {t: source(folder, t) for t in sample}
    rows = []
    wap_total = 0.0
    old = {r["test"]: r for r in json.loads(earlier.read_text())["rows"]} if earlier else {}
    for t in sample:
        if t in old:
            rows.append({k: v for k, v in old[t].items() if not k.startswith("auditor")})
            wap_total += old[t]["wapiti_seconds"]
            continue
        cats, seconds = run_wapiti_one(t, sources[t], max_time)
        wap_total += seconds
        rows.append({"test": t, "category": truths[t][0], "source": sources[t], "wapiti": sorted(cats),
                     "wapiti_found": CATEGORIES[truths[t][0]] in cats, "wapiti_seconds": round(seconds, 1)})
        print(json.dumps(rows[-1]), flush=True)
    found, figures = probe(sample, rps, timeout, 50000)
    for row in rows:
        row["auditor_found"] = any(f["category"] == CATEGORIES[row["category"]] for f in found.get(row["test"], []))

    def by_group(tool: str) -> dict[str, str]:
        groups: dict[str, Counter[str]] = defaultdict(Counter)
        for row in rows:
            g = "query/form" if row["source"] in ("query", "form") else "header/cookie/other"
            groups[g]["n"] += 1
            groups[g]["found"] += row[f"{tool}_found"]
        return {g: f"{c['found']}/{c['n']}" for g, c in sorted(groups.items())}

    return {"sample": len(sample), "seed": SEED, "rows": rows,
            "wapiti": {"found": by_group("wapiti"), "seconds": round(wap_total, 1),
                       "seconds_per_endpoint": round(wap_total / len(sample), 2)},
            "auditor": {"found": by_group("auditor"), **figures}}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--half", choices=("odd", "even"), default="odd")
    ap.add_argument("--sample", type=int, default=0, help="a seeded stratified sample of N tests (0 = all)")
    ap.add_argument("--only", default="", help="comma-separated test names or categories (odd half only)")
    ap.add_argument("--rps", type=float, default=LOOPBACK_RPS)
    ap.add_argument("--timeout", type=float, default=10.0)
    ap.add_argument("--max-requests", type=int, default=200000)
    ap.add_argument("--wapiti", type=int, default=0, help="wapiti beside the probe on N seeded odd true tests")
    ap.add_argument("--wapiti-time", type=int, default=120, help="wapiti's --max-scan-time per endpoint (s)")
    ap.add_argument("--wapiti-from", type=Path, help="a saved comparison: its wapiti rows, the probe again")
    ap.add_argument("--trace", action="store_true", help="print the requests sent (with --only, odd half)")
    ap.add_argument("--label", default="")
    ap.add_argument("--json", type=Path)
    ap.add_argument("-v", "--verbose", action="store_true", help="list misses and false confirmations (odd only)")
    args = ap.parse_args()
    if args.half == "even" and (args.verbose or args.only or args.wapiti or args.trace):
        sys.exit("the even half is the holdout: score only")
    in_namespace()
    with tempfile.TemporaryDirectory() as tmp:
        export(REPO_NAME, COMMIT, Path(tmp))
        truths = truth(Path(tmp))
        if args.wapiti:
            out: dict[str, object] = wapiti_compare(truths, Path(tmp), args.wapiti, args.wapiti_time,
                                                    args.rps, args.timeout, args.wapiti_from)
        else:
            tests = half_of(truths, args.half)
            if args.only:
                wanted = set(args.only.split(","))
                tests = [t for t in tests if t in wanted or truths[t][0] in wanted]
            if args.sample:
                tests = stratified(truths, tests, args.sample)
            sources = {t: source(Path(tmp), t) for t in tests} if args.half == "odd" else {}
            begin = time.monotonic()
            found, figures = probe(tests, args.rps, args.timeout, args.max_requests, args.trace)
            out = {"half": args.half, "tests": len(tests), **score(tests, truths, found, sources, args.verbose),
                   **figures, "wall": round(time.monotonic() - begin, 1)}
    out = {"label": args.label, "commit": COMMIT, **out}
    print(json.dumps(out, indent=1))
    if args.json:
        args.json.write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()

"""Detection quality on Rails apps nobody here wrote: Brakeman's own test applications.

    python bench/rails_apps/eval.py [--mirror DIR] [--set NAME ...] [-v] [--out FILE] [--save-first-run]

A stand-in for issue 10's Rails corpus (which is reserved). Brakeman's test suite ships small
Rails apps (`test/apps/<app>`) and, per app, `test/tests/<app>.rb` whose `assert_warning`
entries are the flaws Brakeman must report there (positives) and whose `assert_no_warning`
entries are places it must stay quiet (negatives), each with a warning type, a file and a line.
They were written for Brakeman's checks, not auditor's, so this is a stand-in, not a judge.

At run time the apps and tests are extracted from the local mirror of presidentbeef/brakeman
at the manifest's commit with `git archive` into a temp dir; each app is scanned as a new user
would (`auditor scan APP --format json --no-secrets`). Scoring, per auditor category
(`manifest.yaml` maps Brakeman's warning types to them; version advisories and warning types
outside auditor's categories are left out):
- caught: a positive with a finding of its category in its file within NEAR lines of its line
  (anywhere in the file when the entry names no line);
- flagged: a negative with such a finding. A negative within NEAR lines of a positive of the
  same category in the same file cannot be told apart at line granularity and is not scored;
- score: TPR - FPR per category (FPR 0 where a category has no negatives); the average is over
  the categories with at least one positive.
The apps are split in the manifest, before the first run: tuning sets (`tuning`, and `tuning2`
added in a later round, recorded first in their own first-run file; their misses may be read,
-v) and holdout (score only). A run without --set scans every app and reports each set and all;
`--set tuning2` scans and reports that set alone (so tuning rounds never print the holdout).
An app whose manifest test is null has no expectations: its findings are only counted.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(REPO))

from bench.app_scoring import by_path, drop_entry_lists, print_summary, print_tuning_misses  # noqa: E402
from bench.run_record import keep_run  # noqa: E402

FIRST_RUN = HERE / "first-run.json"
HOLDOUT = "holdout"
MIRROR = Path("/work/.mirror/presidentbeef+brakeman/repo")
NEAR = 2  # lines either side of an entry's line that still count as "at" it
ADVISORY_PATH = re.compile(r"(^|/)(Gemfile|Gemfile\.lock|gems\.rb|gems\.locked)$")
# Messages of Brakeman's version checks (matched with the test's regex escapes removed).
ADVISORY_MESSAGE = re.compile(r"CVE-|\bRails \d|^All Rails|[Uu]pgrade to|[Vv]ersions? (?:before|\d)|\bvulnerable in\b"
                              r"|\b[Vv]ulnerability in\b|bypassable in|\bjson(?:_pure)? gem|Parsing YAML request parameters")
ASSERT = re.compile(r"^\s*assert_(no_)?warning\b(.*)$")


@dataclass(frozen=True)
class Entry:
    app: str
    positive: bool
    warning_type: str
    paths: tuple[str, ...]  # candidate files (a :file regex may match several)
    line: int | None


def manifest() -> dict:
    return yaml.safe_load((HERE / "manifest.yaml").read_text(encoding="utf-8"))


def extract(mirror: Path, commit: str, pathspec: list[str], dest: Path) -> None:
    data = subprocess.run(["git", "-C", str(mirror), "archive", "--format=tar", commit, *pathspec],
                          capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(dest, filter="data")


def _field(body: str, key: str) -> str | None:
    """A literal argument of an assert call, in `:key => v` or `key: v` form."""
    k = re.escape(key)
    m = re.search(rf"(?::{k}\s*=>|\b{k}:)\s*(\"(?:[^\"\\]|\\.)*\"|'[^']*'|-?\d+|nil|/(?:[^/\\\n]|\\.)*/)", body)
    return m.group(1) if m else None


def assert_calls(text: str) -> list[tuple[bool, str]]:
    """Each assert_warning / assert_no_warning call: (negative?, its argument text). Arguments
    continue over the lines while a line ends with a comma."""
    lines = text.splitlines()
    out: list[tuple[bool, str]] = []
    for i, line in enumerate(lines):
        m = ASSERT.match(line)
        if not m:
            continue
        body, j = m.group(2), i
        while lines[j].rstrip().endswith(",") and j + 1 < len(lines):
            j += 1
            body += "\n" + lines[j]
        out.append((m.group(1) is not None, body))
    return out


def entries(app: str, test_text: str, files: list[str], cats: dict, left_out: dict) -> tuple[list[Entry], dict]:
    """The scored entries of one app, and counts of what was left out and why."""
    skipped: dict[str, int] = defaultdict(int)
    out: list[Entry] = []
    for negative, body in assert_calls(test_text):
        wt = _field(body, "warning_type")
        if wt is None:
            skipped["no warning type"] += 1
            continue
        wt = wt.strip("\"'")
        rel, rx, line = _field(body, "relative_path"), _field(body, "file"), _field(body, "line")
        msg = (_field(body, "message") or "").replace("\\", "")
        if rel and rel != "nil":
            paths = (rel.strip("\"'"),)
        elif rx and rx.startswith("/"):
            pat = re.compile(rx[1:-1])
            paths = tuple(f for f in files if pat.search(f))
        else:
            paths = ()
        if any(ADVISORY_PATH.search(p) for p in paths) or ADVISORY_MESSAGE.search(msg):
            skipped["version advisory"] += 1
        elif wt not in cats:
            skipped[f"left out: {wt}" if wt in left_out else f"unmapped: {wt}"] += 1
        elif not paths or not any(p in files for p in paths):
            skipped["file not in the app"] += 1
        else:
            n = int(line) if line and line.lstrip("-").isdigit() else None
            out.append(Entry(app, not negative, wt, tuple(p for p in paths if p in files), n))
    return sorted(set(out), key=lambda e: (e.paths, e.line or 0, e.warning_type, e.positive)), dict(skipped)


def scan_app(app_dir: Path) -> list[dict]:
    # This checkout's scanner, whatever auditor the venv has installed.
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO / "src"), os.environ.get("PYTHONPATH")]))}
    proc = subprocess.run([sys.executable, "-m", "auditor", "scan", str(app_dir), "--format", "json",
                           "--no-secrets", "--fail-on", "critical"],
                          capture_output=True, text=True, timeout=900, check=False, env=env)
    if proc.returncode not in (0, 1):
        sys.exit(f"auditor scan {app_dir} exited {proc.returncode}: {proc.stderr.strip()[:300]}")
    return json.loads(proc.stdout)["findings"]


def hits(e: Entry, cats: list[str], by_path: dict[str, list[dict]]) -> list[dict]:
    out = []
    for p in e.paths:
        for f in by_path.get(p, []):
            if f["category"] not in cats:
                continue
            lo, hi = f["line"], max(f.get("end_line") or f["line"], f["line"])
            if e.line is None or lo - NEAR <= e.line <= hi + NEAR:
                out.append(f)
    return out


def _close(a: Entry, b: Entry) -> bool:
    return bool(set(a.paths) & set(b.paths)) and (a.line is None or b.line is None or abs(a.line - b.line) <= NEAR)


def score(scored: list[Entry], cats: dict[str, list[str]], findings: dict[str, dict[str, list[dict]]]) -> dict:
    per: dict[str, dict] = {}
    for cat in sorted({c for wt in {e.warning_type for e in scored} for c in cats[wt][:1]}):
        mine = [e for e in scored if cats[e.warning_type][0] == cat]
        pos = [e for e in mine if e.positive]
        neg = [e for e in mine if not e.positive and not any(_close(e, p) for p in pos)]
        caught = [e for e in pos if hits(e, cats[e.warning_type], findings[e.app])]
        flagged = [e for e in neg if hits(e, cats[e.warning_type], findings[e.app])]
        tpr = len(caught) / len(pos) if pos else 0.0
        fpr = len(flagged) / len(neg) if neg else 0.0
        per[cat] = {"positives": len(pos), "caught": len(caught), "negatives": len(neg), "flagged": len(flagged),
                    "score": round(100 * (tpr - fpr), 1),
                    "missed": [_where(e) for e in pos if e not in caught],
                    "false_alarms": [_where(e) for e in flagged]}
    with_pos = [c for c in per.values() if c["positives"]]
    return {"categories": per,
            "average": round(sum(c["score"] for c in with_pos) / len(with_pos), 1) if with_pos else 0.0,
            "caught": f"{sum(c['caught'] for c in per.values())}/{sum(c['positives'] for c in per.values())}",
            "flagged": f"{sum(c['flagged'] for c in per.values())}/{sum(c['negatives'] for c in per.values())}"}


def _where(e: Entry) -> str:
    return f"{e.app}/{e.paths[0]}:{e.line if e.line is not None else '-'} ({e.warning_type})"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mirror", type=Path, default=MIRROR, help="bare git mirror of presidentbeef/brakeman")
    ap.add_argument("--out", type=Path, default=REPO / "bench" / ".work" / "rails-apps-result.json")
    ap.add_argument("--set", dest="sets", action="append", metavar="NAME",
                    help="scan and report only this split set (repeatable); default every set and all")
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="list the tuning sets' misses and false alarms with the findings near them")
    ap.add_argument("--save-first-run", action="store_true", help="record this run as the first run (refuses to overwrite)")
    args = ap.parse_args()
    m = manifest()
    split: dict[str, list[str]] = m["split"]
    chosen = args.sets or list(split)
    if unknown := [s for s in chosen if s not in split]:
        print(f"unknown set(s) {unknown}; the manifest has {list(split)}", file=sys.stderr)
        return 2
    # The first run of the original split is first-run.json; a set added later keeps its own.
    first_run = FIRST_RUN if not args.sets else HERE / f"first-run-{'-'.join(chosen)}.json"
    if not (args.mirror / "HEAD").is_file():
        print(f"{args.mirror}: no mirror of {m['repo']} (a bare git dir)", file=sys.stderr)
        return 2
    if args.save_first_run and first_run.exists():
        print(f"{first_run} exists: the first run is recorded once", file=sys.stderr)
        return 2
    cats: dict[str, list[str]] = m["categories"]
    apps = [a for name in chosen for a in split[name]]
    tests = {a: m["tests"].get(a, a) for a in apps}
    tested = [a for a in apps if tests[a] is not None]

    with tempfile.TemporaryDirectory(prefix="rails-apps-") as tmp:
        root = Path(tmp)
        extract(args.mirror, m["commit"], [f"test/apps/{a}" for a in apps] + [f"test/tests/{tests[a]}.rb" for a in tested], root)
        scored: list[Entry] = []
        skipped: dict[str, dict] = {}
        for a in tested:
            app_dir = root / "test" / "apps" / a
            files = sorted(p.relative_to(app_dir).as_posix() for p in app_dir.rglob("*") if p.is_file())
            text = (root / "test" / "tests" / f"{tests[a]}.rb").read_text(encoding="utf-8")
            got, skipped[a] = entries(a, text, files, cats, m["left_out"])
            scored += got
        with ThreadPoolExecutor(max_workers=4) as pool:
            scans = dict(zip(apps, pool.map(lambda a: scan_app(root / "test" / "apps" / a), apps), strict=True))
    findings = by_path(scans)

    sets = {name: set(split[name]) for name in chosen}
    if len(chosen) > 1:
        sets["all"] = set(apps)
    results = {name: score([e for e in scored if e.app in members], cats, findings) for name, members in sets.items()}
    first = json.loads(first_run.read_text(encoding="utf-8"))["results"] if first_run.is_file() else None
    for name, result in results.items():
        print_summary("Brakeman test apps (stand-in)", name, result, first if first and name in first and name != "all" else None)
    for name in results:
        if name == "all":
            continue
        print(f"\n{name}:  {'category':26} {'caught':>9} {'flagged':>9} {'score':>7}")
        for cat, c in results[name]["categories"].items():
            print(f"  {cat:26} {c['caught']:>4}/{c['positives']:<4} {c['flagged']:>4}/{c['negatives']:<4} {c['score']:>+7.1f}")
    for a in apps:
        if tests[a] is None:
            by_cat: dict[str, int] = defaultdict(int)
            for f in scans[a]:
                by_cat[f["category"]] += 1
            print(f"\n{a} (no expectations): {len(scans[a])} findings"
                  + (" (" + ", ".join(f"{c} {n}" for c, n in sorted(by_cat.items())) + ")" if by_cat else ""))
    left = defaultdict(int)
    for counts in skipped.values():
        for why, n in counts.items():
            left[why] += n
    print("\nleft out: " + ", ".join(f"{why} {n}" for why, n in sorted(left.items())))
    if args.verbose:
        for name in results:
            if name not in (HOLDOUT, "all"):
                print_tuning_misses(results[name], findings)
        for a in apps:
            if tests[a] is None and a not in split.get(HOLDOUT, []):
                for f in scans[a]:
                    print(f"FINDING (no expectations) {a}/{f['path']}:{f['line']} {f['category']} {f.get('rule_id', '')}")
    # The holdout's per-entry lists stay out of the record: only its score is kept.
    drop_entry_lists(results, tuple(n for n in (HOLDOUT, "all") if n in results))
    return keep_run({"brakeman_commit": m["commit"], "split": {n: split[n] for n in chosen}, "results": results},
                    args.out, first_run, args.save_first_run)


if __name__ == "__main__":
    sys.exit(main())

"""Detection quality on whole small apps written by others: the OWASP SKF labs.

    python bench/labs/eval.py [--checkout DIR] [--only LANG ...] [--out FILE] [--save-first-run]

Each lab is a runnable app (Flask, Express or Spring Boot) built around one documented flaw.
`manifest.yaml` maps each lab to auditor's category for that flaw (`null`: the lab is about
something outside the scored categories). Every lab is scanned as a new user would scan it:
`auditor scan LAB --format json --no-secrets --jobs 1`, a fresh process on the lab's folder,
stack detection and the project index included; the labs' vendored static files are scanned
too, as a user's scan would.

Scoring, per language and category, in the style of the OWASP Benchmark:
- caught: a lab labelled with the category has at least one finding of that category;
- false alarm: a lab NOT labelled with it has one (all other labs of that language are the
  negatives, so an incidental real flaw of another lab counts against auditor here; the
  alarms are listed with `-v` for review);
- score: caught rate - false-alarm rate, averaged over the categories with a labelled lab.

The checkout: `git clone https://github.com/blabla1337/skf-labs DIR && git -C DIR checkout
<commit in manifest>` (only python/, nodeJs/ and java/ are read). Default DIR:
bench/.work/skf-labs (gitignored). No lab code lives in this repository.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(REPO))

from bench.run_record import keep_run  # noqa: E402

FIRST_RUN = HERE / "first-run.json"


def load_manifest() -> dict:
    data = yaml.safe_load((HERE / "manifest.yaml").read_text(encoding="utf-8"))
    for lang, labs in data["labs"].items():
        for lab, cats in labs.items():
            labs[lab] = [] if cats is None else ([cats] if isinstance(cats, str) else list(cats))
            unknown = set(labs[lab]) - set(data["scored_categories"])
            if unknown:
                sys.exit(f"bench/labs/manifest.yaml: {lang}/{lab} names unscored categories {sorted(unknown)}")
    return data


def scan_lab(folder: Path) -> list[dict]:
    """The findings of one fresh `auditor scan` of the lab's folder."""
    proc = subprocess.run([sys.executable, "-m", "auditor", "scan", str(folder), "--format", "json",
                           "--no-secrets", "--jobs", "1", "--fail-on", "critical"],
                          capture_output=True, text=True, timeout=300, check=False)
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{folder}: auditor scan exited {proc.returncode}: {proc.stderr.strip()[:300]}")
    return json.loads(proc.stdout)["findings"]


def score(manifest: dict, found: dict[str, dict[str, set[str]]]) -> dict:
    """Per language: per category caught/labelled, false alarms/negatives; and the average."""
    out: dict = {}
    for lang, labs in manifest["labs"].items():
        if lang not in found:
            continue
        cats: dict[str, dict] = {}
        for cat in manifest["scored_categories"]:
            positives = [lab for lab, c in labs.items() if cat in c]
            if not positives:
                continue
            negatives = [lab for lab, c in labs.items() if cat not in c]
            caught = [lab for lab in positives if cat in found[lang].get(lab, set())]
            alarms = [lab for lab in negatives if cat in found[lang].get(lab, set())]
            cats[cat] = {"labelled": len(positives), "caught": len(caught), "missed": sorted(set(positives) - set(caught)),
                         "negatives": len(negatives), "false_alarms": len(alarms), "alarm_labs": alarms,
                         "score": round(100 * (len(caught) / len(positives) - len(alarms) / len(negatives)), 1)}
        out[lang] = {"categories": cats,
                     "average": round(sum(c["score"] for c in cats.values()) / len(cats), 1) if cats else 0.0}
    return out


def print_table(result: dict, first: dict | None) -> None:
    for lang, res in result.items():
        print(f"\n{lang}  (average caught - false alarm rate: {res['average']:+.1f} points"
              + (f"; first run {first[lang]['average']:+.1f}" if first and lang in first else "") + ")")
        print(f"  {'category':26} {'caught':>9} {'false alarms':>13} {'score':>7}")
        for cat, c in res["categories"].items():
            print(f"  {cat:26} {c['caught']:>4}/{c['labelled']:<4} {c['false_alarms']:>6}/{c['negatives']:<6} {c['score']:>+7.1f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--checkout", type=Path, default=REPO / "bench" / ".work" / "skf-labs")
    ap.add_argument("--only", nargs="*", default=None, help="languages (python, nodeJs, java)")
    ap.add_argument("--out", type=Path, default=REPO / "bench" / ".work" / "labs-result.json")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("-v", "--verbose", action="store_true", help="list misses and false alarms with their findings")
    ap.add_argument("--save-first-run", action="store_true", help="record this run as the first run (refuses to overwrite)")
    args = ap.parse_args()

    manifest = load_manifest()
    if not args.checkout.is_dir():
        print(f"{args.checkout}: no skf-labs checkout (see this script's docstring)", file=sys.stderr)
        return 2
    jobs = [(lang, lab) for lang, labs in manifest["labs"].items() if args.only is None or lang in args.only
            for lab in labs if (args.checkout / lang / lab).is_dir()]
    missing = [f"{lang}/{lab}" for lang, labs in manifest["labs"].items() for lab in labs
               if (args.only is None or lang in args.only) and not (args.checkout / lang / lab).is_dir()]
    if missing:
        print(f"not in the checkout (left out): {', '.join(missing)}", file=sys.stderr)

    findings: dict[tuple[str, str], list[dict]] = {}
    with ThreadPoolExecutor(args.workers) as pool:
        for n, ((lang, lab), got) in enumerate(zip(jobs, pool.map(lambda j: scan_lab(args.checkout / j[0] / j[1]), jobs), strict=True), 1):
            findings[(lang, lab)] = got
            print(f"\r{n}/{len(jobs)} labs scanned", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)

    found: dict[str, dict[str, set[str]]] = defaultdict(dict)
    for (lang, lab), got in findings.items():
        found[lang][lab] = {f["category"] for f in got}
    result = score(manifest, found)
    first = json.loads(FIRST_RUN.read_text(encoding="utf-8"))["result"] if FIRST_RUN.is_file() else None
    print_table(result, first)

    if args.verbose:
        for lang, res in result.items():
            for cat, c in res["categories"].items():
                for lab in c["missed"]:
                    print(f"MISS  {lang}/{lab} {cat}")
                for lab in c["alarm_labs"]:
                    for f in findings[(lang, lab)]:
                        if f["category"] == cat:
                            print(f"ALARM {lang}/{lab} {cat} {f['rule_id']} {f['path']}:{f['line']} {f['snippet'][:90]}")

    return keep_run({"labs_commit": manifest["commit"], "result": result}, args.out, FIRST_RUN, args.save_first_run)


if __name__ == "__main__":
    sys.exit(main())

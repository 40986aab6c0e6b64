"""Detection quality on Python web apps nobody here wrote: documented deliberately vulnerable apps.

    python bench/py_apps/eval.py [--set tuning|tuning2|holdout|all] [-v] [--out FILE] [--save-first-run]

A stand-in for issue 10's Python web-handler corpus (kept outside this project). `manifest.yaml`
pins eight deliberately vulnerable Python apps (Django, Flask, connexion, http.server; the commits
bench/probe_apps.json pins) and, per app, the flaws their authors document (positives: auditor
category, file, sink line, and the doc each came from) and the fixed twins and escaped outputs
they ship (negatives). The truth was written from the authors' docs before auditor was first run
on the apps with this manifest.

The apps are taken from their local bare mirrors at the pinned commits, scanned as a new user
would (`auditor scan APP --format json --no-secrets`, this checkout's src/) and scored as
bench/node_apps does (bench/app_corpus.py, shared): per auditor category, caught = a positive
with a finding of its category in its file within NEAR lines of its line (anywhere in the file
when the entry's line is null); flagged = a negative with such a finding (a negative within NEAR
lines of a same-category positive is not scored); score = TPR - FPR; the average is over the
categories with at least one positive. Tuning apps may be read (-v lists their misses and false
alarms); holdout apps are scored only, once at the end of a round. `--save-first-run` records
`--set all` in first-run.json, once.

The `tuning2` set (six more apps, added in the second round: aiohttp, http.server, Django REST
framework, GraphQL with graphene, Bottle, Flask blueprints) is a tuning set scored on its own:
`--set tuning2` scores it alone and `-v` lists its misses. It is printed as its own set and stays
out of the `all` aggregate (tuning + holdout, what first-run.json recorded).
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(REPO))

from bench.app_corpus import arg_parser, check_manifest, extract_and_scan, load_manifest, print_tables  # noqa: E402
from bench.app_scoring import by_path, drop_entry_lists, print_summary, print_tuning_misses  # noqa: E402
from bench.rails_apps.eval import NEAR, score  # noqa: E402
from bench.run_record import keep_run  # noqa: E402

FIRST_RUN = HERE / "first-run.json"
# The tuning sets added after the first round, each scored on its own and out of the `all` aggregate.
TUNING_MORE = ("tuning2",)


def manifest() -> dict:
    return load_manifest(HERE / "manifest.yaml")


def scored_sets(split: dict[str, list[str]], which: str) -> dict[str, set[str]]:
    """The sets a run scores and their apps; the `all` aggregate stays tuning + holdout."""
    sets = {"tuning": set(split["tuning"]), "holdout": set(split["holdout"])}
    sets["all"] = sets["tuning"] | sets["holdout"]
    sets.update({name: set(split[name]) for name in TUNING_MORE if name in split})
    return sets if which == "all" else {which: sets[which]}


def main() -> int:
    ap = arg_parser(__doc__)
    ap.add_argument("--set", dest="which", choices=["tuning", *TUNING_MORE, "holdout", "all"], default="all",
                    help="score only this set (tuning while tuning; the holdout once, at the end)")
    args = ap.parse_args()
    m = manifest()
    split: dict[str, list[str]] = m["split"]
    if args.save_first_run and args.which != "all":
        print("--save-first-run records every set (--set all)", file=sys.stderr)
        return 2
    if args.save_first_run and FIRST_RUN.exists():
        print(f"{FIRST_RUN} exists: the first run is recorded once", file=sys.stderr)
        return 2
    apps = [a for names in split.values() for a in names] if args.which == "all" else list(split[args.which])
    problem = check_manifest(m, apps)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    suffix = "" if args.which == "all" else f"-{args.which}"
    out = args.out or REPO / "bench" / ".work" / f"py-apps-auditor{suffix}-result.json"

    scored, scans, seconds = extract_and_scan(m, apps, "py-apps-")
    findings = by_path(scans)
    cats = {c: [c] for c in {e.warning_type for e in scored}}
    results = {name: score([e for e in scored if e.app in members], cats, findings)
               for name, members in scored_sets(split, args.which).items()}
    first = load_manifest(FIRST_RUN)["results"] if FIRST_RUN.is_file() else {}
    for name, result in results.items():
        print_summary("Python apps (stand-in), auditor", name, result, first if name in first else None)
    print("scan seconds (wall, apps scanned side by side): " + ", ".join(f"{a} {seconds[a]:.1f}" for a in apps))
    print_tables(results, ("tuning", *TUNING_MORE, "holdout"))
    for name in ("tuning", *TUNING_MORE):
        if args.verbose and name in results:
            print_tuning_misses(results[name], findings)
    # The holdout's per-entry lists stay out of the record: only scores are kept.
    drop_entry_lists(results, tuple(n for n in ("holdout", "all") if n in results))
    record = {"scanner": "auditor", "near": NEAR,
              "apps": {a: {"repo": m["apps"][a]["repo"], "commit": m["apps"][a]["commit"]} for a in apps},
              "split": split, "results": results, "seconds": seconds}
    return keep_run(record, out, FIRST_RUN, args.save_first_run)


if __name__ == "__main__":
    sys.exit(main())

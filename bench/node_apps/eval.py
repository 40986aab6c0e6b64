"""Detection quality on Node/Express apps nobody here wrote: documented deliberately vulnerable apps.

    python bench/node_apps/eval.py [--set tuning|tuning3|...|tuning11|holdout|fresh|all] [-v] [--out FILE] [--save-first-run] [--peer njsscan]

A stand-in for issue 10's Node corpus (which is reserved: NodeGoat, DVNA and Juice Shop are never
used here). `manifest.yaml` pins five deliberately vulnerable Express apps (repository, commit)
and, per app, the flaws their authors document (positives: auditor category, file, line, and the
doc each came from) and the safe variants they ship (negatives). The truth was written from the
authors' docs before auditor was first run on the apps.

At run time each app is extracted from its local bare mirror (/work/.mirror/<owner>+<name>/repo,
brought by the library's `fetch`) at the pinned commit with `git archive` into a temp dir, and
scanned as a new user would (`auditor scan APP --format json --no-secrets`, this checkout's src/).
Scoring is bench/rails_apps's, reused by import: per auditor category, caught = a positive with
a finding of its category in its file within NEAR lines of its line (anywhere in the file when
the entry's line is null); flagged = a negative with such a finding (a negative within NEAR lines
of a positive of the same category is not scored); score = TPR - FPR; the average is over the
categories with at least one positive. Tuning apps may be read (-v lists their misses and false
alarms); holdout apps are scored only. `--set tuning` extracts, scans and prints the tuning apps
alone (the holdout's score is not computed), `--set holdout` the holdout alone; the default,
`all`, scores every set.

The `fresh` set (a TypeScript/NestJS app added after the tuning rounds) is scored like a holdout,
once per round, and never read. `--set fresh` scores it alone; `--set all` prints it as its own
set, while the `all` aggregate stays tuning + holdout, the sets `first-run.json` recorded.
`--save-first-run` records `--set all` in first-run.json, or `--set fresh` in fresh-first-run.json
(fresh-njsscan-run.json for the peer), each once.

The `tuning3` set (a NestJS app with its flaws marked in its comments, added to tune NestJS
detection without reading the fresh set) is a tuning set: `--set tuning3` scores it alone and
`-v` lists its misses. It is printed as its own set and stays out of the `all` aggregate. The
`tuning4` set (a NestJS/Prisma shop whose flaws its Postman collection documents) and the `tuning5`
set (a NestJS/TypeORM backend whose flaws its source comments mark by ASVS number) are the same, and
so is `tuning6` (a Koa + TypeScript app whose vulnerable routes each have a secure twin), and
`tuning7` (an Express app of one-route test cases, each labelled vulnerable or not in a csv), and
`tuning8` (a Next.js + Supabase app kept in a folder of a larger repository, `subdir` in the manifest)
and `tuning9` (an Express workroom with a VULN-### catalogue and a TypeScript Express + TypeORM tracker)
and `tuning10` (an Express + EJS + MySQL shop and a TypeScript Express + PostgreSQL shop whose flaws sit
beside safe twins) and `tuning11` (an Express + PostgreSQL bank API with its fixed twin in the same repository,
and a one-file Express + SQLite portal).

`--peer njsscan` scores the Node-only peer njsscan on the same apps and entries instead (its
findings mapped to auditor categories by CWE, `PEER_CWE` below, fixed before its first run). It
runs from its own venv (bench/.work/njsscan-venv, `pip install njsscan`), offline.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(REPO))

from bench.app_corpus import arg_parser, check_manifest, extract_and_scan, load_manifest, print_tables  # noqa: E402
from bench.app_scoring import by_path, drop_entry_lists, print_summary, print_tuning_misses  # noqa: E402
from bench.rails_apps.eval import NEAR, scan_app, score  # noqa: E402
from bench.run_record import keep_run  # noqa: E402

# The tuning sets added after the first round, each scored on its own and out of the `all` aggregate.
TUNING_MORE = ("tuning3", "tuning4", "tuning5", "tuning6", "tuning7", "tuning8", "tuning9", "tuning10", "tuning11")
FIRST_RUN = HERE / "first-run.json"
PEER_RUN = HERE / "njsscan-run.json"
FRESH_FIRST_RUN = HERE / "fresh-first-run.json"
FRESH_PEER_RUN = HERE / "fresh-njsscan-run.json"
NJSSCAN = REPO / "bench" / ".work" / "njsscan-venv" / "bin" / "njsscan"
# njsscan rule CWE -> auditor category (its rules carry a CWE in their metadata).
PEER_CWE = {
    "22": "path-traversal", "23": "path-traversal", "73": "path-traversal",
    "78": "command-injection", "77": "command-injection",
    "79": "xss", "80": "xss", "89": "sql-injection", "90": "ldap-injection",
    "94": "code-injection", "95": "code-injection", "1336": "code-injection",
    "502": "insecure-deserialization", "601": "open-redirect",
    "611": "xxe", "776": "xxe", "643": "xpath-injection", "918": "ssrf", "943": "nosql-injection",
    "798": "hardcoded-secret", "259": "hardcoded-secret", "522": "security-misconfiguration",
    "352": "csrf", "942": "cors-misconfiguration", "346": "cors-misconfiguration",
    "327": "weak-crypto", "328": "weak-crypto", "330": "weak-crypto", "338": "weak-crypto", "916": "weak-crypto",
    "915": "mass-assignment", "1321": "mass-assignment",
    "284": "broken-access-control", "285": "broken-access-control", "639": "broken-access-control",
    "307": "missing-rate-limiting", "770": "missing-rate-limiting", "400": "missing-rate-limiting",
    "287": "weak-authentication", "345": "weak-authentication", "347": "weak-authentication",
    "200": "security-misconfiguration", "209": "security-misconfiguration", "614": "security-misconfiguration",
    "693": "security-misconfiguration", "1004": "security-misconfiguration", "1275": "security-misconfiguration",
    "16": "security-misconfiguration", "444": "security-misconfiguration", "1021": "security-misconfiguration",
    "117": "insufficient-logging", "532": "insufficient-logging",
}


def manifest() -> dict:
    return load_manifest(HERE / "manifest.yaml")


def njsscan_findings(app_dir: Path) -> list[dict]:
    """njsscan's findings on one app, as auditor-shaped dicts (path, line, end_line, category)."""
    # njsscan runs semgrep from PATH: its venv's bin first.
    env = {**os.environ, "PATH": os.pathsep.join([str(NJSSCAN.parent), os.environ.get("PATH", "")])}
    proc = subprocess.run([str(NJSSCAN), "--json", str(app_dir)], capture_output=True, text=True, timeout=900,
                          check=False, env=env)
    data = json.loads(proc.stdout)
    # Rule timeouts on big files are warnings of a run as a user gets it; anything else stops.
    fatal = [e for e in data.get("errors") or [] if not (isinstance(e, dict) and e.get("level") == "warn")]
    if fatal:
        sys.exit(f"njsscan on {app_dir.name}: {fatal[:3]}")
    for e in data.get("errors") or []:
        print(f"njsscan warning on {app_dir.name}: {e.get('type')} {e.get('rule_id')} {Path(e.get('path', '')).name}",
              file=sys.stderr)
    out: list[dict] = []
    for group in ("nodejs", "templates"):
        for rule_id, hit in (data.get(group) or {}).items():
            cwe = re.search(r"CWE-(\d+)", str((hit.get("metadata") or {}).get("cwe", "")), re.I)
            category = PEER_CWE.get(cwe.group(1)) if cwe else None
            for f in hit.get("files") or []:
                path = Path(f["file_path"])
                rel = path.relative_to(app_dir).as_posix() if path.is_absolute() else path.as_posix()
                lo, hi = (f.get("match_lines") or [0, 0])[:2]
                out.append({"rule_id": rule_id, "category": category, "path": rel, "line": lo, "end_line": hi})
    return out


def scored_sets(split: dict[str, list[str]], which: str) -> dict[str, set[str]]:
    """The sets a run scores and their apps. `all` scores each set and the `all` aggregate, which
    stays tuning + holdout (what first-run.json scored): the fresh set is scored on its own."""
    sets = {"tuning": set(split["tuning"]), "holdout": set(split["holdout"])}
    sets["all"] = sets["tuning"] | sets["holdout"]
    sets["fresh"] = set(split.get("fresh") or [])
    for name in TUNING_MORE:
        sets[name] = set(split.get(name) or [])
    return sets if which == "all" else {which: sets[which]}


def main() -> int:
    ap = arg_parser(__doc__)
    ap.add_argument("--peer", choices=["njsscan"], help="score the peer instead of auditor")
    ap.add_argument("--set", dest="which", choices=["tuning", *TUNING_MORE, "holdout", "fresh", "all"], default="all",
                    help="score only this set (tuning while tuning; the holdout and fresh once, at the end)")
    args = ap.parse_args()
    m = manifest()
    split: dict[str, list[str]] = m["split"]
    apps = [a for names in split.values() for a in names]
    if args.save_first_run and args.which not in ("all", "fresh"):
        print("--save-first-run records every set (--set all) or the fresh set (--set fresh)", file=sys.stderr)
        return 2
    if args.which != "all":
        apps = list(split[args.which])
    problem = check_manifest(m, apps)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    if args.peer and not NJSSCAN.is_file():
        print(f"{NJSSCAN}: no njsscan (python -m venv bench/.work/njsscan-venv; pip install njsscan)", file=sys.stderr)
        return 2
    first_run = PEER_RUN if args.peer else FIRST_RUN
    fresh_first_run = FRESH_PEER_RUN if args.peer else FRESH_FIRST_RUN
    if args.which == "fresh":
        first_run = fresh_first_run
    if args.save_first_run and first_run.exists():
        print(f"{first_run} exists: the first run is recorded once", file=sys.stderr)
        return 2
    label = args.peer or "auditor"
    suffix = "" if args.which == "all" else f"-{args.which}"
    out = args.out or REPO / "bench" / ".work" / f"node-apps-{label}{suffix}-result.json"

    scored, scans, seconds = extract_and_scan(m, apps, "node-apps-", njsscan_findings if args.peer else scan_app,
                                              workers=2 if args.peer else 4)
    findings = by_path(scans)

    cats = {c: [c] for c in {e.warning_type for e in scored}}
    results = {name: score([e for e in scored if e.app in members], cats, findings)
               for name, members in scored_sets(split, args.which).items()}
    first = {}
    for path in (PEER_RUN if args.peer else FIRST_RUN, fresh_first_run):
        if path.is_file():
            first.update(json.loads(path.read_text(encoding="utf-8"))["results"])
    for name, result in results.items():
        print_summary(f"Node apps (stand-in), {label}", name, result, first if name in first else None)
    print("scan seconds (wall, apps scanned side by side): "
          + ", ".join(f"{a} {seconds[a]:.1f}" for a in apps))
    print_tables(results, ("tuning", *TUNING_MORE, "holdout", "fresh"))
    for name in ("tuning", *TUNING_MORE):
        if args.verbose and name in results:
            print_tuning_misses(results[name], findings)
    # The holdout's and the fresh set's per-entry lists stay out of the record: only scores are kept.
    drop_entry_lists(results, tuple(n for n in ("holdout", "all", "fresh") if n in results))
    record = {"scanner": label, "near": NEAR, "apps": {a: {"repo": m["apps"][a]["repo"], "commit": m["apps"][a]["commit"]}
                                                        for a in apps}, "split": split, "results": results,
              "seconds": seconds}
    if args.peer:
        version = subprocess.run([str(NJSSCAN), "--version"], capture_output=True, text=True, check=False)
        record["peer_version"] = re.sub(r"\x1b\[[0-9;]*m", "", version.stdout or version.stderr).strip()
    return keep_run(record, out, first_run, args.save_first_run)


if __name__ == "__main__":
    sys.exit(main())

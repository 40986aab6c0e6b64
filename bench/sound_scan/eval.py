"""False alarms on sound real code: well-known web apps written by others to be correct.

    python bench/sound_scan/eval.py [--app NAME] [-v] [--save-first-run] [--out FILE]

The reserved judges score each category as (rate caught) - (rate of false alarms), so an alarm
on ordinary code costs as much as a miss. `manifest.yaml` pins maintained Python and
JavaScript/TypeScript web apps (repository, commit, optional pathspec) that are not deliberately
vulnerable, and a verdict per finding read by hand (true / false, with a one-line reason),
matched by rule + file + line (or by fingerprint).

Each app is extracted from its local bare mirror (/work/.mirror/<owner>+<name>/repo, brought by
the library's `fetch`) at the pinned commit with `git archive` into a temp dir and scanned as a
new user would (`auditor scan APP --format json --no-secrets`, this checkout's src/). The eval
prints, per app and in total: findings, judged true, judged false, and NEW (not yet judged), with
counts per severity. `-v` lists the NEW findings and the findings judged false that still fire.
`--save-first-run` records per app, category and severity counts in first-run.json, once.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(REPO))

from bench.rails_apps.eval import extract, scan_app  # noqa: E402

FIRST_RUN = HERE / "first-run.json"
MIRRORS = Path("/work/.mirror")
SEVERITIES = ("critical", "high", "medium", "low", "info")


def manifest() -> dict:
    return yaml.safe_load((HERE / "manifest.yaml").read_text(encoding="utf-8"))


def mirror(repo: str) -> Path:
    return MIRRORS / repo.replace("/", "+") / "repo"


def relative(f: dict, root: Path) -> str:
    p = Path(f["path"])
    return (p.relative_to(root) if p.is_absolute() else p).as_posix()


def verdict_of(f: dict, path: str, verdicts: list[dict]) -> dict | None:
    for v in verdicts:
        if v.get("fingerprint") and v["fingerprint"] == f.get("fingerprint"):
            return v
        if v.get("rule") == f["rule_id"] and v.get("file") == path and v.get("line") == f["line"]:
            return v
    return None


def scan(name: str, spec: dict) -> list[dict]:
    with tempfile.TemporaryDirectory(prefix=f"sound-{name}-") as tmp:
        dest = Path(tmp) / name
        dest.mkdir()
        extract(mirror(spec["repo"]), spec["commit"], list(spec.get("pathspec") or []), dest)
        root = dest
        for part in (spec.get("pathspec") or [])[:1]:
            root = dest / part
        findings = scan_app(root)
        for f in findings:
            f["path"] = relative(f, root)
        return findings


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--app")
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("--save-first-run", action="store_true")
    ap.add_argument("--out")
    args = ap.parse_args()
    apps = manifest()["apps"]
    if args.app:
        apps = {args.app: apps[args.app]}
    record: dict = {"apps": {}}
    totals = Counter()
    print(f"{'app':24} {'findings':>8} {'true':>5} {'false':>5} {'NEW':>5} {'false>=med':>10}   by severity (c/h/m/l/i)")
    for name, spec in apps.items():
        findings = scan(name, spec)
        verdicts = spec.get("verdicts") or []
        counts = Counter()
        new, still_false = [], []
        for f in findings:
            v = verdict_of(f, f["path"], verdicts)
            if v is None:
                counts["new"] += 1
                new.append(f)
            elif v["verdict"] is True:
                counts["true"] += 1
            else:
                counts["false"] += 1
                counts["false_medium_up"] += f["severity"] in SEVERITIES[:3]
                still_false.append((f, v))
        sev = Counter(f["severity"] for f in findings)
        record["apps"][name] = {
            "findings": len(findings),
            "by_category": dict(Counter(f["category"] for f in findings)),
            "by_severity": dict(sev),
            "by_category_severity": dict(Counter(f"{f['category']}/{f['severity']}" for f in findings)),
            "judged_true": counts["true"], "judged_false": counts["false"], "new": counts["new"],
            "judged_false_medium_up": counts["false_medium_up"],
            "findings_list": [{"rule": f["rule_id"], "file": f["path"], "line": f["line"],
                               "severity": f["severity"], "category": f["category"]} for f in findings],
        }
        totals.update({"findings": len(findings), **counts})
        totals.update({f"sev:{s}": n for s, n in sev.items()})
        print(f"{name:24} {len(findings):8} {counts['true']:5} {counts['false']:5} {counts['new']:5} {counts['false_medium_up']:10}   "
              + "/".join(str(sev.get(s, 0)) for s in SEVERITIES))
        if args.verbose:
            for f in sorted(new, key=lambda f: (SEVERITIES.index(f["severity"]), f["path"], f["line"])):
                print(f"    NEW   {f['severity']:8} {f['rule_id']} {f['path']}:{f['line']}  {f['message'][:110]}")
            for f, v in still_false:
                print(f"    FALSE {f['severity']:8} {f['rule_id']} {f['path']}:{f['line']}  ({v.get('why', '')})")
    print(f"{'total':24} {totals['findings']:8} {totals['true']:5} {totals['false']:5} {totals['new']:5} {totals['false_medium_up']:10}   "
          + "/".join(str(totals.get(f'sev:{s}', 0)) for s in SEVERITIES))
    record["total"] = {k: v for k, v in totals.items()}
    if args.save_first_run:
        if FIRST_RUN.exists():
            sys.exit("first-run.json exists: the first run is recorded once")
        FIRST_RUN.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    if args.out:
        Path(args.out).write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

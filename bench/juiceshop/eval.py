"""Detection quality on a real TypeScript/Express + Angular app: OWASP Juice Shop.

    python bench/juiceshop/eval.py [--checkout DIR] [-v] [--out FILE] [--save-first-run]

Juice Shop marks the flaws of its coding challenges in its own source with comments:
`// vuln-code-snippet start <keys>` ... `// vuln-code-snippet end <keys>` around a snippet,
`// vuln-code-snippet vuln-line <keys>` on the flawed lines (`#` in YAML). For each such
challenge it ships fix candidates, data/static/codefixes/<key>_<n>[_correct].<ext>; the one
named `_correct` is the fix the project itself calls right. `manifest.yaml` maps each marked
challenge to auditor's category (null: outside auditor's categories), decided before any scan.

The checkout is scanned once as a new user would: `auditor scan DIR --format json
--no-secrets` (backend, frontend/ and data/static/codefixes/ alike). Scoring, per category:
- caught: a finding of the challenge's category whose lines [line, end_line] come within 3
  lines of one of the challenge's vuln-lines (of its start..end snippet when it marks none);
- false alarm: the challenge's `_correct` fix file has a finding of that category;
- score: caught rate - false-alarm rate; the average is over the categories with at least
  one challenge mapped to them.

The checkout: `git clone https://github.com/juice-shop/juice-shop DIR && git -C DIR checkout
<commit in manifest.yaml>`. Default DIR: bench/.work/juiceshop (gitignored). No Juice Shop
code lives in this repository.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(REPO))

from bench.run_record import keep_run  # noqa: E402

FIRST_RUN = HERE / "first-run.json"
NEAR = 3  # lines either side of a vuln-line that still count as "at" it
CONTEXT = 12  # lines either side of a miss whose findings -v shows

# Where Juice Shop itself looks for snippets (lib/codingChallenges.ts SNIPPET_PATHS).
SNIPPET_ROOTS = ("server.ts", "routes", "lib", "data", "frontend/src/app", "models")
CODEFIXES = "data/static/codefixes"
MARKER = re.compile(r"(?://|#)\s*vuln-code-snippet (start|end|vuln-line|neutral-line) ([\w ]+?)\s*$")
KEY = re.compile(r"^\w+Challenge$")

# What a missed snippet needs from a scanner, recognised in its marked code: a heuristic list
# for the scanner's owner (printed with -v), not part of the score.
MECHANISMS: list[tuple[str, re.Pattern[str], str]] = [
    ("sql-injection", re.compile(r"sequelize\.query\(\s*`"), "Sequelize raw query built with a template literal"),
    ("xss", re.compile(r"bypassSecurityTrust\w+\("), "Angular DomSanitizer bypassSecurityTrust* on untrusted data"),
    ("nosql-injection", re.compile(r"_id:\s*req\.body"), "Mongo-style update filter taken from req.body (operator objects pass)"),
    ("broken-access-control", re.compile(r"_id:\s*req\.body"), "record updated by a client-given id with no owner condition (IDOR)"),
    ("broken-access-control", re.compile(r"^\s*//\s*app\.(?:put|post|delete|patch)\("),
     "authorization route commented out; the generated REST API (finale-rest) then allows everyone"),
    ("broken-access-control", re.compile(r"app\.(?:get|use)\('/metrics'"), "metrics route mounted with no auth middleware"),
    ("open-redirect", re.compile(r"\bincludes\(\w+\)"), "allow-list checked with includes() (substring, not equality)"),
    ("security-misconfiguration", re.compile(r"serveIndex\("), "serve-index directory listing mounted on a route"),
    ("security-misconfiguration", re.compile(r"'/support/logs"), "log files served over HTTP"),
    ("missing-rate-limiting", re.compile(r"keyGenerator|X-Forwarded-For", re.IGNORECASE),
     "rate-limit key taken from a client-set header"),
    ("prompt-injection", re.compile(r"\btool\(\{|inputSchema|z\.number\(\)"),
     "LLM tool whose limits live only in the prompt (no server-side bound)"),
    ("mass-assignment", re.compile(r"resource\.create|context\.instance"),
     "generated REST API (finale-rest) creating users from the whole body (role included)"),
    ("weak-authentication", re.compile(r"setDataValue\('password'"), "no password-strength policy where passwords are set"),
]
TAINT = {"sql-injection", "nosql-injection", "xss", "open-redirect", "prompt-injection"}
REQUEST_READ = re.compile(r"\breq(?:uest)?\.(?:body|query|params|headers|cookies)|queryParams|\breq\b")


@dataclass
class Challenge:
    key: str
    category: str | None
    file: str = ""
    start: int = 0
    end: int = 0
    vuln_lines: list[int] = field(default_factory=list)
    correct: str | None = None  # path of the `_correct` fix, relative to the checkout


def load_manifest() -> dict:
    return yaml.safe_load((HERE / "manifest.yaml").read_text(encoding="utf-8"))


def snippet_files(checkout: Path) -> list[Path]:
    out: list[Path] = []
    for root in SNIPPET_ROOTS:
        p = checkout / root
        if p.is_file():
            out.append(p)
        elif p.is_dir():
            out.extend(f for f in sorted(p.rglob("*")) if f.is_file() and CODEFIXES not in f.as_posix()
                       and "node_modules" not in f.parts)
    return out


def find_challenges(checkout: Path, manifest: dict) -> dict[str, Challenge]:
    """Each marked challenge with its file, snippet bounds and vuln-lines (1-based)."""
    found: dict[str, Challenge] = {}
    for path in snippet_files(checkout):
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (UnicodeDecodeError, OSError):
            continue
        rel = path.relative_to(checkout).as_posix()
        for n, line in enumerate(lines, 1):
            m = MARKER.search(line)
            if not m:
                continue
            kind, keys = m.group(1), [k for k in m.group(2).split() if KEY.match(k)]
            for key in keys:
                ch = found.setdefault(key, Challenge(key, None))
                if kind == "start":
                    if ch.file and ch.file != rel:
                        sys.exit(f"{key}: marked in two files ({ch.file}, {rel})")
                    ch.file, ch.start = rel, n
                elif kind == "end":
                    ch.end = n
                elif kind == "vuln-line":
                    ch.vuln_lines.append(n)
    mapped = manifest["challenges"]
    for key, ch in found.items():
        if key not in mapped:
            sys.exit(f"bench/juiceshop/manifest.yaml: {key} is marked in the checkout but not mapped")
        if not (ch.file and ch.start and ch.end >= ch.start):
            sys.exit(f"{key}: broken snippet bounds in the checkout")
        ch.category = mapped[key]["category"]
        fixes = sorted((checkout / CODEFIXES).glob(f"{key}_*_correct.*"))
        ch.correct = fixes[0].relative_to(checkout).as_posix() if fixes else None
    absent = sorted(set(mapped) - set(found))
    if absent:
        print(f"mapped but not marked in this checkout (left out): {', '.join(absent)}", file=sys.stderr)
    return found


def run_scan(target: Path) -> dict:
    proc = subprocess.run([sys.executable, "-m", "auditor", "scan", str(target), "--format", "json",
                           "--no-secrets", "--fail-on", "critical"],
                          capture_output=True, text=True, timeout=1800, check=False)
    if proc.returncode not in (0, 1):
        sys.exit(f"auditor scan {target} exited {proc.returncode}: {proc.stderr.strip()[:300]}")
    return json.loads(proc.stdout)


def uncovered(checkout: Path, rels: list[str], report: dict) -> list[str]:
    """The files among `rels` that the scan did not read as code: not walked, no language, or
    listed as skipped."""
    from auditor.filetypes import language_for
    from auditor.fsutil import walk_files

    walked = set(walk_files(checkout))
    skipped = {s["path"] for s in report.get("stats", {}).get("skipped", [])}
    return [r for r in rels if r not in walked or language_for(r) is None or r in skipped]


def near(f: dict, lines: list[int], slack: int) -> bool:
    lo, hi = f["line"], max(f.get("end_line") or f["line"], f["line"])
    return any(lo - slack <= v <= hi + slack for v in lines)


def target_lines(ch: Challenge) -> list[int]:
    return ch.vuln_lines or list(range(ch.start, ch.end + 1))


def score(challenges: dict[str, Challenge], by_path: dict[str, list[dict]], scanned_fixes: set[str]) -> dict:
    cats: dict[str, dict] = {}
    for cat in sorted({c.category for c in challenges.values() if c.category}):
        mine = sorted((c for c in challenges.values() if c.category == cat), key=lambda c: c.key)
        caught = [c.key for c in mine
                  if any(f["category"] == cat and near(f, target_lines(c), NEAR) for f in by_path.get(c.file, []))]
        negatives = [c for c in mine if c.correct and c.correct in scanned_fixes]
        alarms = [c.key for c in negatives if any(f["category"] == cat for f in by_path.get(c.correct or "", []))]
        rate_fa = len(alarms) / len(negatives) if negatives else 0.0
        cats[cat] = {"labelled": len(mine), "caught": len(caught), "caught_keys": caught,
                     "missed": [c.key for c in mine if c.key not in caught],
                     "negatives": len(negatives), "false_alarms": len(alarms), "alarm_keys": alarms,
                     "score": round(100 * (len(caught) / len(mine) - rate_fa), 1)}
    labelled = sum(c["labelled"] for c in cats.values())
    negs = sum(c["negatives"] for c in cats.values())
    return {"categories": cats,
            "average": round(sum(c["score"] for c in cats.values()) / len(cats), 1) if cats else 0.0,
            "caught": f"{sum(c['caught'] for c in cats.values())}/{labelled}",
            "false_alarms": f"{sum(c['false_alarms'] for c in cats.values())}/{negs}"}


def mechanisms(checkout: Path, ch: Challenge) -> list[str]:
    """Heuristic labels of what a missed challenge needs: its category's patterns found within
    NEAR lines of its vuln-lines, and, for a flow category, whether the input comes from
    outside the snippet."""
    lines = (checkout / ch.file).read_text(encoding="utf-8").splitlines()
    spots = target_lines(ch)
    close = [lines[n - 1] for n in range(ch.start, ch.end + 1) if any(abs(n - v) <= NEAR for v in spots)]
    tags = [label for cat, rx, label in MECHANISMS if cat == ch.category and any(rx.search(x) for x in close)]
    if ch.category in TAINT and not REQUEST_READ.search("\n".join(lines[ch.start - 1:ch.end])):
        tags.append("the snippet reads no request data: the input reaches it from another function or file")
    return tags


def print_table(result: dict, first: dict | None) -> None:
    print(f"Juice Shop: average (caught rate - false-alarm rate) {result['average']:+.1f} points; "
          f"caught {result['caught']}, false alarms {result['false_alarms']}"
          + (f"; first run {first['average']:+.1f}" if first else ""))
    print(f"  {'category':26} {'caught':>8} {'false alarms':>13} {'score':>7}")
    for cat, c in result["categories"].items():
        print(f"  {cat:26} {c['caught']:>3}/{c['labelled']:<4} {c['false_alarms']:>6}/{c['negatives']:<6} {c['score']:>+7.1f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--checkout", type=Path, default=REPO / "bench" / ".work" / "juiceshop")
    ap.add_argument("--out", type=Path, default=REPO / "bench" / ".work" / "juiceshop-result.json")
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="list misses (with the findings near them and the mechanisms they need) and false alarms")
    ap.add_argument("--save-first-run", action="store_true", help="record this run as the first run (refuses to overwrite)")
    args = ap.parse_args()
    checkout = args.checkout.resolve()
    if not (checkout / "data" / "static" / "challenges.yml").is_file():
        print(f"{args.checkout}: no Juice Shop checkout (see this script's docstring)", file=sys.stderr)
        return 2
    if args.save_first_run and FIRST_RUN.exists():
        print(f"{FIRST_RUN} exists: the first run is recorded once", file=sys.stderr)
        return 2

    manifest = load_manifest()
    rev = subprocess.run(["git", "-C", str(checkout), "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    if rev and rev != manifest["commit"]:
        print(f"warning: checkout at {rev[:10]}, manifest written for {manifest['commit'][:10]}", file=sys.stderr)
    challenges = find_challenges(checkout, manifest)
    scored = [c for c in challenges.values() if c.category]

    report = run_scan(checkout)
    findings: list[dict] = report["findings"]
    notes: list[str] = []
    missed_src = uncovered(checkout, sorted({c.file for c in scored}), report)
    if missed_src:
        notes.append(f"marked files the scan did not read as code (their challenges count as misses): {missed_src}")
    fixes = sorted({c.correct for c in scored if c.correct})
    not_read = uncovered(checkout, fixes, report)
    if not_read:
        # The user scan left the fix snippets out: scan their folder on its own so the false
        # alarms are still measured (paths re-rooted to the checkout).
        notes.append(f"{len(not_read)} correct-fix files were not read by the whole-checkout scan: "
                     f"{CODEFIXES} scanned on its own")
        extra = run_scan(checkout / CODEFIXES)
        findings = [f for f in findings if not f["path"].startswith(CODEFIXES + "/")]
        findings += [{**f, "path": f"{CODEFIXES}/{f['path']}"} for f in extra["findings"]]
        not_read = [r for r in not_read if r.split("/")[-1] in
                    {s["path"] for s in extra.get("stats", {}).get("skipped", [])}]
    scanned_fixes = set(fixes) - set(not_read)
    for note in notes:
        print(f"note: {note}", file=sys.stderr)

    by_path: dict[str, list[dict]] = defaultdict(list)
    for f in findings:
        by_path[f["path"]].append(f)
    result = score(challenges, by_path, scanned_fixes)
    result["unscored"] = sorted(c.key for c in challenges.values() if not c.category)
    first = json.loads(FIRST_RUN.read_text(encoding="utf-8"))["result"] if FIRST_RUN.is_file() else None
    print_table(result, first)
    print(f"  ({len(result['unscored'])} marked challenges outside auditor's categories are not scored; "
          f"{len(findings)} findings in {report['stats'].get('files')} files)")

    miss_tags: dict[str, list[str]] = {}
    for c in result["categories"].values():
        for key in c["missed"]:
            miss_tags[key] = mechanisms(checkout, challenges[key])
    result["miss_mechanisms"] = miss_tags
    if args.verbose:
        for cat, c in result["categories"].items():
            for key in c["missed"]:
                ch = challenges[key]
                print(f"\nMISS  {cat:24} {key}  {ch.file}:{','.join(map(str, target_lines(ch))) if ch.vuln_lines else f'{ch.start}-{ch.end}'}")
                for tag in miss_tags[key]:
                    print(f"      needs: {tag}")
                lines = target_lines(ch)
                close = [f for f in by_path.get(ch.file, []) if near(f, lines, CONTEXT)]
                for f in close or []:
                    print(f"      near: {f['category']} {f['rule_id']} line {f['line']}: {f['snippet'][:80]}")
                if not close:
                    print(f"      near: no finding within {CONTEXT} lines")
            for key in c["alarm_keys"]:
                ch = challenges[key]
                for f in by_path.get(ch.correct or "", []):
                    if f["category"] == cat:
                        print(f"\nALARM {cat:24} {key}  {f['path']}:{f['line']} {f['rule_id']}: {f['snippet'][:80]}")
        common = Counter(t for tags in miss_tags.values() for t in tags)
        if common:
            print("\nWhat the misses need (heuristic, from the marked code; count of missed challenges):")
            for tag, n in common.most_common():
                print(f"  {n:>2}  {tag}")

    record = {"juiceshop_commit": rev or "unknown",
              "notes": notes, "challenges": {k: {"category": c.category, "file": c.file, "vuln_lines": c.vuln_lines,
                                                 "snippet": [c.start, c.end], "correct_fix": c.correct}
                                             for k, c in sorted(challenges.items())},
              "result": result}
    return keep_run(record, args.out, FIRST_RUN, args.save_first_run)


if __name__ == "__main__":
    sys.exit(main())

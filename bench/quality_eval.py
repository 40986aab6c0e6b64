"""Detection quality on hand-written vulnerable/fixed twins, per framework.

    python bench/quality_eval.py [FRAMEWORK ...]

Each case under bench/quality/cases/<framework>/<NN-name>/ holds `vulnerable.<ext>`,
`fixed.<ext>` and `case.yaml` (`category:`, `note:`, optional `accept:` listing other
category ids that also count as a catch where the flaw honestly sits between two ids).

Each file is scanned alone, in its case directory, in a fresh process:
`auditor scan <file> --format json --no-secrets` (without `--no-secrets` for
hardcoded-secret cases).

- caught: the vulnerable file has a finding whose category is the case's category
  (or one of `accept`).
- false positive: the fixed file has any finding at medium, high or critical severity,
  whatever its category. The `FPsame` column counts the stricter subset where that
  finding has the case's own category (the fix itself was not recognised); the rest are
  findings about other code in the fixed file, which may be true (e.g. a login view that
  also lacks rate limiting) and are listed for a human to judge.

The cases were written without reading the scanner's checks, rules or test fixtures.
This is a measurement, so it always exits 0."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import yaml

CASES = Path(__file__).parent / "quality" / "cases"
FP_SEVERITIES = {"medium", "high", "critical"}


@dataclass
class Case:
    framework: str
    name: str
    directory: Path
    category: str
    note: str
    accept: list[str] = field(default_factory=list)

    @property
    def wanted(self) -> set[str]:
        return {self.category, *self.accept}

    def file(self, stem: str) -> Path:
        matches = sorted(self.directory.glob(f"{stem}.*"))
        if len(matches) != 1:
            raise SystemExit(f"{self.directory}: expected one {stem}.* file, found {len(matches)}")
        return matches[0]


@dataclass
class ScanResult:
    findings: list[dict]
    error: str | None = None


@dataclass
class Verdict:
    case: Case
    vulnerable: ScanResult
    fixed: ScanResult

    @property
    def caught(self) -> bool:
        return any(f.get("category") in self.case.wanted for f in self.vulnerable.findings)

    @property
    def fp_findings(self) -> list[dict]:
        return [f for f in self.fixed.findings if f.get("severity") in FP_SEVERITIES]

    @property
    def fp_same_category(self) -> bool:
        return any(f.get("category") in self.case.wanted for f in self.fp_findings)


def load_cases(frameworks: list[str]) -> list[Case]:
    cases = []
    for meta in sorted(CASES.glob("*/*/case.yaml")):
        directory = meta.parent
        framework = directory.parent.name
        if frameworks and framework not in frameworks:
            continue
        data = yaml.safe_load(meta.read_text(encoding="utf-8"))
        cases.append(
            Case(
                framework,
                directory.name,
                directory,
                data["category"],
                data.get("note", ""),
                list(data.get("accept") or []),
            )
        )
    return cases


def scan(path: Path, with_secrets: bool) -> ScanResult:
    cmd = [sys.executable, "-m", "auditor", "scan", path.name, "--format", "json"]
    if not with_secrets:
        cmd.append("--no-secrets")
    proc = subprocess.run(cmd, cwd=path.parent, capture_output=True, text=True, check=False)
    if proc.returncode not in (0, 1):
        return ScanResult([], f"exit {proc.returncode}: {proc.stderr.strip()[:300]}")
    try:
        return ScanResult(json.loads(proc.stdout).get("findings", []))
    except json.JSONDecodeError as exc:
        return ScanResult([], f"bad JSON ({exc}): {proc.stdout[:200]!r}")


def judge(case: Case) -> Verdict:
    with_secrets = case.category == "hardcoded-secret"
    return Verdict(case, scan(case.file("vulnerable"), with_secrets), scan(case.file("fixed"), with_secrets))


def describe(findings: list[dict]) -> str:
    if not findings:
        return "nothing"
    return "; ".join(
        f"{f.get('category')}/{f.get('severity')} {f.get('rule_id')} @{f.get('line')}" for f in findings
    )


def pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "   - "


def table(title: str, groups: dict[str, list[Verdict]]) -> None:
    print(f"\n{title:<28} {'cases':>5} {'caught':>7} {'caught%':>8} {'FP':>4} {'FP%':>7} {'FPsame':>7}")
    everything = [v for group in groups.values() for v in group]
    for key, rows in [*sorted(groups.items()), ("TOTAL", everything)]:
        caught = sum(v.caught for v in rows)
        fps = sum(bool(v.fp_findings) for v in rows)
        same = sum(v.fp_same_category for v in rows)
        print(
            f"{key:<28} {len(rows):>5} {caught:>7} {pct(caught, len(rows)):>8} {fps:>4} {pct(fps, len(rows)):>7} {same:>7}"
        )


def main() -> int:
    cases = load_cases(sys.argv[1:])
    if not cases:
        print(f"no cases under {CASES}")
        return 0
    with ThreadPoolExecutor(max_workers=2) as pool:
        verdicts = list(pool.map(judge, cases))

    by_framework: dict[str, list[Verdict]] = defaultdict(list)
    by_category: dict[str, list[Verdict]] = defaultdict(list)
    for v in verdicts:
        by_framework[v.case.framework].append(v)
        by_category[v.case.category].append(v)
    table("framework", by_framework)
    table("category", by_category)

    errors = [
        (v, which, r)
        for v in verdicts
        for which, r in (("vulnerable", v.vulnerable), ("fixed", v.fixed))
        if r.error
    ]
    if errors:
        print(f"\nSCAN ERRORS ({len(errors)})")
        for v, which, r in errors:
            print(f"  {v.case.framework}/{v.case.name} {which}: {r.error}")

    misses = [v for v in verdicts if not v.caught]
    print(f"\nMISSES ({len(misses)}): vulnerable file without a finding of the expected category")
    for v in misses:
        print(
            f"  {v.case.framework}/{v.case.name}/{v.case.file('vulnerable').name}"
            f"  expected {v.case.category}  found: {describe(v.vulnerable.findings)}"
        )
        print(f"      note: {v.case.note}")

    fps = [v for v in verdicts if v.fp_findings]
    print(f"\nFALSE POSITIVES ({len(fps)}): fixed file with a medium+ finding")
    for v in fps:
        kind = "same category" if v.fp_same_category else "other category"
        print(
            f"  {v.case.framework}/{v.case.name}/{v.case.file('fixed').name}"
            f"  ({v.case.category}; {kind})  found: {describe(v.fp_findings)}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

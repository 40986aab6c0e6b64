"""Detection quality on real published code: package versions with a known advisory and their fix.

    python bench/realworld/eval.py [--library] [--out FILE] [--only ID ...] [--window N]
    python bench/realworld/eval.py show ECOSYSTEM PACKAGE VERSION [FILE] [--artifact wheel|sdist]
    python bench/realworld/eval.py lines [ID ...]     # print each pair's flaw and fix lines, to audit

Each pair in `manifest.yaml` names a PyPI or npm package, a version with a published advisory
(GHSA/CVE/PYSEC id), the version that fixed it, the file holding the flaw, the flaw's line(s) in
the vulnerable version and the changed line(s) in the fixed version. Nothing third-party lives
in this repository: both versions are downloaded at run time with the registry's own client
(`pip download`, `npm pack`) into a cache under bench/.work/realworld/.

How a version is scanned: the flawed file alone, in-process
(`Scanner(stack=..., secrets=...).scan_source`), with the stack `detect_stack` finds in that
version's unpacked artifact (its package.json, setup.py or pyproject, when the artifact ships
one). The rest of the package is not scanned, so flows that cross files are out of reach by
construction; that is the same for every version and every scanner change. `--library` scans in
library mode (`auditor scan --library`: the parameters of the package's public API are input),
which is how a user auditing a library would scan it; without it the scan is the ordinary one,
comparable with the first run.

Scoring, per pair, with a window of +-N lines (default 3):
- caught: the vulnerable file has a finding of the pair's category (or one of `accept`) whose
  line range touches the window around one of the flaw lines.
- flagged: the fixed file has a finding of that category touching the window around one of
  the fixed lines (the fix was not recognised).
Per category: caught rate and flagged rate; the headline is the average over categories of
(caught rate - flagged rate), in points. Pairs whose download failed are reported as
unavailable and left out of every rate. This is a measurement: it exits 0 unless the manifest
itself is broken (exit 2).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
MANIFEST = HERE / "manifest.yaml"
BASELINE = HERE / "first-run.json"  # the untouched scanner's verdicts: counts and booleans, no code
CACHE = HERE.parent / ".work" / "realworld"
ECOSYSTEMS = ("pypi", "npm")
ARTIFACTS = ("wheel", "sdist", "tarball")
DEFAULT_WINDOW = 3


class ManifestError(Exception):
    """The manifest is malformed: the run stops with one line naming the pair and the field."""


# -- the manifest --------------------------------------------------------------------------


@dataclass(frozen=True)
class Side:
    """One version of a pair: which file to scan and which lines matter in it."""

    version: str
    file: str
    lines: tuple[int, ...]


@dataclass(frozen=True)
class Pair:
    id: str
    advisory: str
    cwe: str
    category: str
    ecosystem: str
    package: str
    vulnerable: Side
    fixed: Side
    artifact: str = "wheel"
    python: str | None = None  # a wheel built for this Python (old versions lack 3.11 wheels)
    accept: tuple[str, ...] = ()
    note: str = ""

    @property
    def wanted(self) -> set[str]:
        return {self.category, *self.accept}


def _side(raw: object, where: str) -> Side:
    if not isinstance(raw, dict):
        raise ManifestError(f"{where}: expected a mapping with version, file, lines")
    try:
        version, path, lines = str(raw["version"]), str(raw["file"]), raw["lines"]
    except KeyError as exc:
        raise ManifestError(f"{where}: missing {exc.args[0]}") from None
    if isinstance(lines, int):
        lines = [lines]
    if not lines or not all(isinstance(n, int) and n > 0 for n in lines):
        raise ManifestError(f"{where}.lines: expected positive line numbers, got {lines!r}")
    if path.startswith("/") or ".." in Path(path).parts:
        raise ManifestError(f"{where}.file: must be a relative path inside the package, got {path!r}")
    return Side(version, path, tuple(lines))


def parse_manifest(data: object, categories: set[str] | None = None) -> list[Pair]:
    """Pairs from the manifest's parsed YAML; `categories` (the contract ids) checks each category."""
    if not isinstance(data, dict) or not isinstance(data.get("pairs"), list):
        raise ManifestError("manifest: expected a mapping with a `pairs` list")
    pairs: list[Pair] = []
    seen: set[str] = set()
    for n, raw in enumerate(data["pairs"], 1):
        where = f"pair {n}"
        if not isinstance(raw, dict):
            raise ManifestError(f"{where}: expected a mapping")
        where = f"pair {raw.get('id', n)}"
        missing = [k for k in ("id", "advisory", "cwe", "category", "ecosystem", "package",
                               "vulnerable", "fixed") if k not in raw]
        if missing:
            raise ManifestError(f"{where}: missing {', '.join(missing)}")
        pair = Pair(
            id=str(raw["id"]),
            advisory=str(raw["advisory"]),
            cwe=str(raw["cwe"]),
            category=str(raw["category"]),
            ecosystem=str(raw["ecosystem"]),
            package=str(raw["package"]),
            vulnerable=_side(raw["vulnerable"], f"{where}.vulnerable"),
            fixed=_side(raw["fixed"], f"{where}.fixed"),
            artifact=str(raw.get("artifact") or ("tarball" if raw["ecosystem"] == "npm" else "wheel")),
            python=str(raw["python"]) if raw.get("python") else None,
            accept=tuple(str(a) for a in raw.get("accept") or ()),
            note=str(raw.get("note", "")),
        )
        if pair.id in seen:
            raise ManifestError(f"{where}: duplicate id")
        seen.add(pair.id)
        if pair.ecosystem not in ECOSYSTEMS:
            raise ManifestError(f"{where}.ecosystem: {pair.ecosystem!r} is not one of {ECOSYSTEMS}")
        if pair.artifact not in ARTIFACTS or (pair.ecosystem == "npm") != (pair.artifact == "tarball"):
            raise ManifestError(f"{where}.artifact: {pair.artifact!r} does not fit {pair.ecosystem}")
        if categories is not None:
            unknown = pair.wanted - categories
            if unknown:
                raise ManifestError(f"{where}.category: {sorted(unknown)} not a contract category id")
        if not re.fullmatch(r"CWE-\d+", pair.cwe):
            raise ManifestError(f"{where}.cwe: expected CWE-<n>, got {pair.cwe!r}")
        if pair.vulnerable.version == pair.fixed.version:
            raise ManifestError(f"{where}: vulnerable and fixed versions are the same")
        pairs.append(pair)
    return pairs


def load_manifest(path: Path = MANIFEST) -> list[Pair]:
    from auditor.findings import CATEGORIES

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ManifestError(f"{path}: {exc}") from None
    return parse_manifest(data, set(CATEGORIES))


# -- scoring (pure) ------------------------------------------------------------------------


def near(finding: dict, lines: tuple[int, ...], window: int) -> bool:
    """Does the finding's line range touch +-window around any of `lines`?"""
    start = int(finding.get("line") or 0)
    end = max(start, int(finding.get("end_line") or start))
    return any(start <= line + window and end >= line - window for line in lines)


def matches(findings: list[dict], wanted: set[str], lines: tuple[int, ...], window: int) -> list[dict]:
    return [f for f in findings if f.get("category") in wanted and near(f, lines, window)]


@dataclass
class Outcome:
    """One pair's result. `error` set means the pair was unavailable (download/unpack/file)."""

    pair: Pair
    vulnerable_findings: list[dict] = field(default_factory=list)
    fixed_findings: list[dict] = field(default_factory=list)
    error: str | None = None
    window: int = DEFAULT_WINDOW

    @property
    def available(self) -> bool:
        return self.error is None

    @property
    def caught(self) -> bool:
        return self.available and bool(
            matches(self.vulnerable_findings, self.pair.wanted, self.pair.vulnerable.lines, self.window))

    @property
    def flagged(self) -> bool:
        return self.available and bool(
            matches(self.fixed_findings, self.pair.wanted, self.pair.fixed.lines, self.window))


@dataclass
class CategoryScore:
    category: str
    pairs: int
    caught: int
    flagged: int

    @property
    def caught_rate(self) -> float:
        return self.caught / self.pairs if self.pairs else 0.0

    @property
    def flagged_rate(self) -> float:
        return self.flagged / self.pairs if self.pairs else 0.0


def score(outcomes: list[Outcome]) -> tuple[list[CategoryScore], float | None]:
    """Per-category counts over available pairs, and the average of (caught - flagged) in points."""
    groups: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        if o.available:
            groups[o.pair.category].append(o)
    scores = [
        CategoryScore(cat, len(rows), sum(o.caught for o in rows), sum(o.flagged for o in rows))
        for cat, rows in sorted(groups.items())
    ]
    if not scores:
        return scores, None
    average = 100 * sum(s.caught_rate - s.flagged_rate for s in scores) / len(scores)
    return scores, average


# -- the first run, as a baseline (pure) ----------------------------------------------------


def baseline_record(record: dict) -> dict:
    """What of a result is kept as the first-run baseline: ids, verdicts and counts only (the
    findings carry snippets of third-party code, which stay out of the repository)."""
    return {
        "date": record["date"],
        "scanner_commit": record["scanner_commit"],
        "window": record["window"],
        "average_points": record["average_points"],
        "categories": record["categories"],
        "pairs": [{"id": p["id"], "category": p["category"], "caught": p["caught"], "flagged": p["flagged"]}
                  for p in record["pairs"] if p["available"]],
    }


def compare(baseline: dict, outcomes: list[Outcome]) -> list[str]:
    """Lines comparing this run with the baseline, on the pairs both runs scored."""
    before = {p["id"]: p for p in baseline.get("pairs", [])}
    common = [o for o in outcomes if o.available and o.pair.id in before]
    lines = [f"AGAINST THE FIRST RUN ({baseline.get('date')}, src/ at {baseline.get('scanner_commit')}),"
             f" on the {len(common)} pairs both runs scored"]
    if not common:
        return lines
    old_outcomes = [_as_outcome(o.pair, before[o.pair.id]) for o in common]
    old_scores, old_avg = score(old_outcomes)
    new_scores, new_avg = score(common)
    old_by = {s.category: s for s in old_scores}
    lines.append(f"{'category':<26} {'caught':>13} {'flagged':>13}")
    for s in new_scores:
        o = old_by[s.category]
        lines.append(f"{s.category:<26} {o.caught:>5} -> {s.caught:<5} {o.flagged:>5} -> {s.flagged:<5}")
    if old_avg is not None and new_avg is not None:
        lines.append(f"average over categories: {old_avg:+.1f} -> {new_avg:+.1f} points")
    for label, test in (("now caught", lambda was, now: now.caught and not was["caught"]),
                        ("no longer caught", lambda was, now: was["caught"] and not now.caught),
                        ("fix now flagged", lambda was, now: now.flagged and not was["flagged"]),
                        ("fix no longer flagged", lambda was, now: was["flagged"] and not now.flagged)):
        ids = [o.pair.id for o in common if test(before[o.pair.id], o)]
        if ids:
            lines.append(f"{label} ({len(ids)}): {', '.join(ids)}")
    new = [o.pair.id for o in outcomes if o.available and o.pair.id not in before]
    if new:
        lines.append(f"not in the first run ({len(new)}): {', '.join(new)}")
    return lines


def _as_outcome(pair: Pair, verdict: dict) -> Outcome:
    """An Outcome whose findings reproduce a stored verdict, so score() can count it."""
    hit = {"category": pair.category}
    vulnerable = [dict(hit, line=pair.vulnerable.lines[0])] if verdict["caught"] else []
    fixed = [dict(hit, line=pair.fixed.lines[0])] if verdict["flagged"] else []
    return Outcome(pair, vulnerable, fixed)


# -- fetching ------------------------------------------------------------------------------


class FetchError(Exception):
    """A version could not be downloaded or unpacked; the pair is marked unavailable."""


def _run(cmd: list[str], what: str) -> None:
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=300)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise FetchError(f"{what}: {exc}") from None
    if proc.returncode != 0:
        lines = [ln.strip() for ln in (proc.stderr or proc.stdout).splitlines()
                 if ln.strip() and "complete log" not in ln]
        reason = " / ".join(lines[:2]) or "no output"
        raise FetchError(f"{what}: exit {proc.returncode}: {reason[:300]}")


def _safe_members(names: list[str], dest: Path) -> None:
    root = dest.resolve()
    for name in names:
        target = (dest / name).resolve()
        if target != root and root not in target.parents:
            raise FetchError(f"archive member escapes the unpack directory: {name}")


def _unpack(archive: Path, dest: Path) -> None:
    """Unpack into dest; an archive with a single top directory (sdist, npm `package/`) is stripped."""
    tmp = dest.with_name(dest.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        if archive.suffix in (".whl", ".zip"):
            with zipfile.ZipFile(archive) as zf:
                _safe_members(zf.namelist(), tmp)
                zf.extractall(tmp)
        else:
            with tarfile.open(archive) as tf:
                members = [m for m in tf.getmembers() if m.isfile() or m.isdir()]
                _safe_members([m.name for m in members], tmp)
                tf.extractall(tmp, members=members, filter="data")
    except (OSError, zipfile.BadZipFile, tarfile.TarError) as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise FetchError(f"cannot unpack {archive.name}: {exc}") from None
    entries = list(tmp.iterdir())
    top = entries[0] if len(entries) == 1 and entries[0].is_dir() else tmp
    shutil.rmtree(dest, ignore_errors=True)
    top.rename(dest)
    shutil.rmtree(tmp, ignore_errors=True)


def _dest(cache: Path, ecosystem: str, package: str, version: str, artifact: str,
          python: str | None) -> Path:
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", package)
    suffix = f"-py{python}" if python else ""
    return cache / ecosystem / f"{safe}-{version}-{artifact}{suffix}"


def fetch(ecosystem: str, package: str, version: str, artifact: str, cache: Path = CACHE,
          python: str | None = None) -> Path:
    """The unpacked artifact of package==version, downloaded once into the cache."""
    dest = _dest(cache, ecosystem, package, version, artifact, python)
    if dest.is_dir():
        return dest
    download = cache / "downloads" / dest.name
    shutil.rmtree(download, ignore_errors=True)
    download.mkdir(parents=True)
    what = f"{ecosystem} {package}@{version} ({artifact})"
    if ecosystem == "npm":
        _run(["npm", "pack", f"{package}@{version}", "--pack-destination", str(download),
              "--loglevel", "error", "--ignore-scripts"], what)
    else:
        choice = ["--no-binary", ":all:"] if artifact == "sdist" else ["--only-binary", ":all:"]
        if python:
            choice += ["--python-version", python]
        _run([sys.executable, "-m", "pip", "download", "--no-deps", "--ignore-requires-python",
              "--disable-pip-version-check", "--quiet", *choice, "-d", str(download),
              f"{package}=={version}"], what)
    archives = [p for p in download.iterdir() if p.is_file()]
    if len(archives) != 1:
        raise FetchError(f"{what}: expected one downloaded archive, found {len(archives)}")
    _unpack(archives[0], dest)
    shutil.rmtree(download, ignore_errors=True)  # the unpacked tree is what is kept
    return dest


# -- scanning ------------------------------------------------------------------------------


def scan_file(root: Path, rel: str, secrets: bool, library: bool = False) -> list[dict]:
    """Findings for one file of an unpacked package, with the stack found in that package;
    `library`: library mode (`auditor scan --library`)."""
    from auditor.scan.engine import Scanner
    from auditor.stack.detect import detect_stack

    path = root / rel
    if not path.is_file():
        raise FetchError(f"{rel}: no such file in the unpacked {root.name}")
    text = path.read_text(encoding="utf-8", errors="replace")
    scanner = Scanner(stack=detect_stack(root), secrets=secrets, library=library)
    return [f.to_dict() for f in scanner.scan_source(rel, text)]


def prefetch(pairs: list[Pair], cache: Path, jobs: int) -> None:
    """Download every distinct version in parallel (network-bound); failures surface later,
    per pair, when run_pair asks for the version again."""
    keys = sorted({(p.ecosystem, p.package, side.version, p.artifact, p.python)
                   for p in pairs for side in (p.vulnerable, p.fixed)}, key=str)
    missing = [k for k in keys if not _cached(cache, *k)]
    if not missing:
        return
    print(f"downloading {len(missing)} package versions ({jobs} at a time)", file=sys.stderr, flush=True)

    def one(key: tuple[str, str, str, str, str | None]) -> None:
        eco, pkg, version, artifact, python = key
        try:
            fetch(eco, pkg, version, artifact, cache, python)
        except FetchError:
            return  # reported with its pair
        print(f"  got {eco} {pkg}@{version}", file=sys.stderr, flush=True)

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        list(pool.map(one, missing))


def _cached(cache: Path, ecosystem: str, package: str, version: str, artifact: str,
            python: str | None) -> bool:
    return _dest(cache, ecosystem, package, version, artifact, python).is_dir()


def run_pair(pair: Pair, window: int, cache: Path = CACHE, library: bool = False) -> Outcome:
    outcome = Outcome(pair, window=window)
    secrets = pair.category == "hardcoded-secret"
    try:
        vroot = fetch(pair.ecosystem, pair.package, pair.vulnerable.version, pair.artifact, cache, pair.python)
        froot = fetch(pair.ecosystem, pair.package, pair.fixed.version, pair.artifact, cache, pair.python)
        outcome.vulnerable_findings = scan_file(vroot, pair.vulnerable.file, secrets, library)
        outcome.fixed_findings = scan_file(froot, pair.fixed.file, secrets, library)
    except FetchError as exc:
        outcome.error = str(exc)
    return outcome


# -- output --------------------------------------------------------------------------------


def _commit(*paths: str) -> str:
    """The short id of the last commit touching `paths` (all of HEAD when none)."""
    cmd = ["git", "log", "-1", "--format=%h", "HEAD", "--", *paths]
    proc = subprocess.run(cmd, cwd=HERE.parents[1], capture_output=True, text=True, check=False)
    return proc.stdout.strip() or "unknown"


def _scanner_dirty() -> bool:
    """Uncommitted changes under src/ mean the figures belong to no commit."""
    proc = subprocess.run(["git", "status", "--porcelain", "--", "src"], cwd=HERE.parents[1],
                          capture_output=True, text=True, check=False)
    return bool(proc.stdout.strip())


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "    -"


def print_table(scores: list[CategoryScore], average: float | None) -> None:
    print(f"{'category':<26} {'pairs':>5} {'caught':>7} {'caught%':>8} {'flagged':>8} {'flagged%':>9}")
    for s in scores:
        print(f"{s.category:<26} {s.pairs:>5} {s.caught:>7} {_pct(s.caught, s.pairs):>8}"
              f" {s.flagged:>8} {_pct(s.flagged, s.pairs):>9}")
    total = sum(s.pairs for s in scores)
    caught, flagged = sum(s.caught for s in scores), sum(s.flagged for s in scores)
    print(f"{'TOTAL':<26} {total:>5} {caught:>7} {_pct(caught, total):>8} {flagged:>8} {_pct(flagged, total):>9}")
    if average is not None:
        print(f"\naverage over {len(scores)} categories of (caught% - flagged%): {average:+.1f} points")


def _brief(findings: list[dict]) -> str:
    return "; ".join(f"{f['category']}@{f['line']}" for f in findings) or "nothing"


def result_record(outcomes: list[Outcome], scores: list[CategoryScore], average: float | None,
                  window: int, library: bool = False) -> dict:
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "library": library,
        "commit": _commit(),
        "scanner_commit": _commit("src") + ("+uncommitted" if _scanner_dirty() else ""),
        "window": window,
        "average_points": None if average is None else round(average, 1),
        "categories": [
            {"category": s.category, "pairs": s.pairs, "caught": s.caught, "flagged": s.flagged}
            for s in scores
        ],
        "pairs": [
            {
                "id": o.pair.id, "advisory": o.pair.advisory, "category": o.pair.category,
                "ecosystem": o.pair.ecosystem, "available": o.available, "error": o.error,
                "caught": o.caught, "flagged": o.flagged,
                "vulnerable_findings": o.vulnerable_findings, "fixed_findings": o.fixed_findings,
            }
            for o in outcomes
        ],
    }


def evaluate(args: argparse.Namespace) -> int:
    try:
        pairs = load_manifest(args.manifest)
    except ManifestError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.only:
        pairs = [p for p in pairs if p.id in set(args.only)]
    prefetch(pairs, args.cache, args.jobs)
    outcomes = []
    for n, pair in enumerate(pairs, 1):
        print(f"[{n}/{len(pairs)}] {pair.id}", file=sys.stderr, flush=True)
        outcome = run_pair(pair, args.window, args.cache, args.library)
        if outcome.error:
            print(f"  unavailable: {outcome.error}", file=sys.stderr)
        outcomes.append(outcome)
    scores, average = score(outcomes)
    record = result_record(outcomes, scores, average, args.window, args.library)
    print(f"scanner: src/ at {record['scanner_commit']}{', LIBRARY MODE' if args.library else ''},"
          f" window +-{args.window} lines,"
          f" {len(outcomes) - sum(not o.available for o in outcomes)}/{len(outcomes)} pairs available\n")
    print_table(scores, average)
    unavailable = [o for o in outcomes if not o.available]
    if unavailable:
        print(f"\nUNAVAILABLE ({len(unavailable)}): left out of every rate")
        for o in unavailable:
            print(f"  {o.pair.id}: {o.error}")
    if args.verbose:
        print("\nPER PAIR (vulnerable findings | fixed findings, all categories)")
        for o in outcomes:
            if o.available:
                mark = ("caught" if o.caught else "missed") + (", fix flagged" if o.flagged else "")
                print(f"  {o.pair.id} [{o.pair.category}] {mark}: {_brief(o.vulnerable_findings)}"
                      f" | {_brief(o.fixed_findings)}")
    if args.baseline.is_file() and not args.save_baseline:
        print()
        print("\n".join(compare(json.loads(args.baseline.read_text(encoding="utf-8")), outcomes)))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    print(f"\nresult written to {args.out}", file=sys.stderr)
    if args.save_baseline:
        if args.baseline.exists():
            print(f"error: {args.baseline} exists; the first run is recorded once (delete it by hand"
                  " only if it was not a first run)", file=sys.stderr)
            return 2
        args.baseline.write_text(json.dumps(baseline_record(record), indent=1) + "\n", encoding="utf-8")
        print(f"baseline written to {args.baseline}", file=sys.stderr)
    return 0


def show(args: argparse.Namespace) -> int:
    """Download one version and print a file (or the file list) with line numbers: for curating."""
    artifact = args.artifact or ("tarball" if args.ecosystem == "npm" else "wheel")
    try:
        root = fetch(args.ecosystem, args.package, args.version, artifact, args.cache, args.python)
    except FetchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not args.file:
        for p in sorted(root.rglob("*")):
            if p.is_file():
                print(p.relative_to(root))
        return 0
    lines = (root / args.file).read_text(encoding="utf-8", errors="replace").splitlines()
    pattern = re.compile(args.grep) if args.grep else None
    for n, line in enumerate(lines, 1):
        if pattern is None or pattern.search(line):
            print(f"{n:6}  {line}")
    return 0


def show_lines(ids: list[str]) -> int:
    """Print the text of every pair's flaw and fix lines, so a reader can audit the manifest."""
    try:
        pairs = load_manifest()
    except ManifestError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for pair in pairs:
        if ids and pair.id not in ids:
            continue
        print(f"=== {pair.id} [{pair.category}] {pair.advisory}")
        for tag, side in (("vulnerable", pair.vulnerable), ("fixed", pair.fixed)):
            try:
                root = fetch(pair.ecosystem, pair.package, side.version, pair.artifact, CACHE, pair.python)
                text = (root / side.file).read_text(encoding="utf-8", errors="replace").splitlines()
            except (FetchError, OSError) as exc:
                print(f"  {tag} {side.version}: unavailable: {exc}")
                continue
            for n in side.lines:
                line = text[n - 1].strip() if n <= len(text) else "<past the end of the file>"
                print(f"  {tag} {side.version}:{n}: {line[:140]}")
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["lines"]:
        return show_lines(argv[1:])
    if argv[:1] == ["show"]:
        p = argparse.ArgumentParser(prog="eval.py show")
        p.add_argument("ecosystem", choices=ECOSYSTEMS)
        p.add_argument("package")
        p.add_argument("version")
        p.add_argument("file", nargs="?")
        p.add_argument("--artifact", choices=ARTIFACTS)
        p.add_argument("--grep")
        p.add_argument("--python", help="download a wheel built for this Python version")
        p.add_argument("--cache", type=Path, default=CACHE)
        return show(p.parse_args(argv[1:]))
    p = argparse.ArgumentParser(prog="eval.py", description=__doc__.split("\n")[0])
    p.add_argument("--manifest", type=Path, default=MANIFEST)
    p.add_argument("--out", type=Path, help="result JSON (default: the cache's result.json, or"
                   " result-library.json with --library)")
    p.add_argument("--library", action="store_true",
                   help="scan in library mode: public API parameters are input (auditor scan --library)")
    p.add_argument("--only", nargs="*", help="pair ids to run (default: all)")
    p.add_argument("--window", type=int, default=DEFAULT_WINDOW)
    p.add_argument("--cache", type=Path, default=CACHE)
    p.add_argument("--jobs", type=int, default=4, help="parallel downloads (default 4)")
    p.add_argument("-v", "--verbose", action="store_true", help="list every pair's findings")
    p.add_argument("--baseline", type=Path, default=BASELINE,
                   help="first-run verdicts to compare against (default: bench/realworld/first-run.json)")
    p.add_argument("--save-baseline", action="store_true",
                   help="record this run as the first run (refused when the baseline file exists)")
    args = p.parse_args(argv)
    if args.out is None:
        args.out = args.cache / ("result-library.json" if args.library else "result.json")
    if args.library and args.save_baseline:
        p.error("--save-baseline records the first run, which was made without --library")
    return evaluate(args)


if __name__ == "__main__":
    sys.exit(main())

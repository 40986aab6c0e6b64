"""The part of the manifest-driven app benches (bench/node_apps, bench/py_apps) that does not
depend on the language: a manifest's entries, the apps taken from their local bare mirrors at the
pinned commits and scanned side by side, and the per-set tables. Scoring itself is
bench/rails_apps's (`score`), the -v listing and the summary line are bench/app_scoring.py's."""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import yaml

from bench.rails_apps.eval import Entry, extract, scan_app

MIRRORS = Path("/work/.mirror")


def arg_parser(doc: str | None) -> argparse.ArgumentParser:
    """The options every app bench takes (--out, -v, --save-first-run); each adds its --set."""
    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=None, help="where the run is written (bench/.work by default)")
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="list the tuning set's misses and false alarms with the findings near them")
    ap.add_argument("--save-first-run", action="store_true", help="record this run as the first run (refuses to overwrite)")
    return ap


def load_manifest(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def mirror(repo: str) -> Path:
    return MIRRORS / repo.replace("/", "+") / "repo"


def entries(app: str, spec: dict) -> list[Entry]:
    """The scored entries of one app; the category stands in for the warning type."""
    out = []
    for positive, key in ((True, "positives"), (False, "negatives")):
        for e in spec.get(key) or []:
            out.append(Entry(app, positive, e["category"], (e["file"],), e["line"]))
    return out


def check_files(app: str, app_dir: Path, scored: list[Entry]) -> None:
    """A manifest entry naming a file or line the app does not have is a manifest bug: stop."""
    for e in scored:
        path = app_dir / e.paths[0]
        if not path.is_file():
            sys.exit(f"{app}: {e.paths[0]} is not in the app at the pinned commit")
        if e.line is not None and e.line > len(path.read_text(encoding="utf-8", errors="replace").splitlines()):
            sys.exit(f"{app}: {e.paths[0]} has no line {e.line}")


def check_manifest(m: dict, apps: list[str]) -> str | None:
    """Why the run cannot start (a split that does not name every app once, a missing mirror), or None."""
    named = [a for names in m["split"].values() for a in names]
    if sorted(named) != sorted(m["apps"]):
        return "manifest: the split must name every app exactly once"
    for a in apps:
        if not (mirror(m["apps"][a]["repo"]) / "HEAD").is_file():
            return f"{mirror(m['apps'][a]['repo'])}: no mirror of {m['apps'][a]['repo']} (fetch it first)"
    return None


def extract_and_scan(m: dict, apps: list[str], prefix: str, scan: Callable[[Path], list[dict]] = scan_app,
                     workers: int = 4) -> tuple[list[Entry], dict[str, list[dict]], dict[str, float]]:
    """Each app taken at its commit into a temp dir, its entries checked against its files, and
    the apps scanned side by side: (entries, app -> findings, app -> wall seconds of its scan)."""
    scored: list[Entry] = []
    seconds: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        root = Path(tmp)
        dirs: dict[str, Path] = {}
        for a in apps:
            spec = m["apps"][a]
            # An app kept in a folder of a larger repository (`subdir`) is taken and scanned alone;
            # its entries' files are relative to that folder.
            sub = spec.get("subdir")
            extract(mirror(spec["repo"]), spec["commit"], [sub] if sub else [], root / a)
            dirs[a] = root / a / sub if sub else root / a
            got = entries(a, spec)
            check_files(a, dirs[a], got)
            scored += got

        def run(a: str) -> list[dict]:
            start = time.perf_counter()
            got = scan(dirs[a])
            seconds[a] = round(time.perf_counter() - start, 2)
            return got

        with ThreadPoolExecutor(max_workers=workers) as pool:
            scans = dict(zip(apps, pool.map(run, apps), strict=True))
    return scored, scans, seconds


def print_tables(results: dict, names: tuple[str, ...]) -> None:
    """Per set, one row per category: caught/positives, flagged/negatives, score."""
    for name in names:
        if name not in results:
            continue
        print(f"\n{name}:  {'category':26} {'caught':>9} {'flagged':>9} {'score':>7}")
        for cat, c in results[name]["categories"].items():
            print(f"  {cat:26} {c['caught']:>4}/{c['positives']:<4} {c['flagged']:>4}/{c['negatives']:<4} {c['score']:>+7.1f}")

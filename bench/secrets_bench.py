"""Benchmark: `auditor secrets` vs `detect-secrets scan --all-files` on a large real tree
with planted keys.

    python bench/secrets_bench.py [--tree DIR] [--keys 200] [--runs 3] [--detect-secrets EXE]

A copy of the tree (default: the installed `django` package; a temporary venv gets it from
PyPI when it is not installed) receives N realistic fake keys of many providers, appended
to source files outside dependency folders (which both tools are then free to skip). Each
tool runs in a fresh process, `--runs` times; the table shows the best and median wall
time and the recall of the planted keys (a key counts as found when the tool reports its
file and line). Findings on lines we did not plant are listed as "other" (the tree's own
test keys, or noise)."""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import venv
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "secrets"))

from fakekeys import FakeKeys  # noqa: E402

from auditor.fsutil import SKIP_DIRS  # noqa: E402


@dataclass(frozen=True)
class Planted:
    path: str
    line: int
    kind: str


def _python_line(name: str, value: str) -> str:
    return f'{name} = "{value}"'


def _js_line(name: str, value: str) -> str:
    return f"const {name} = '{value}';"


def plant(root: Path, count: int, seed: int = 1) -> list[Planted]:
    """Append `count` keys to random .py/.js files under root; returns where they went."""
    rng = random.Random(seed)
    keys = FakeKeys(seed)
    files = [p for p in sorted(root.rglob("*")) if p.suffix in (".py", ".js") and p.is_file()
             and not any(part in SKIP_DIRS for part in p.relative_to(root).parts[:-1])]
    makers = [
        ("aws", lambda: [("AWS_ACCESS_KEY_ID", keys.aws_key_id()), ("AWS_SECRET_ACCESS_KEY", keys.aws_secret())]),
        ("github-classic", lambda: [("GITHUB_TOKEN", keys.github_classic())]),
        ("github-fine-grained", lambda: [("GH_PAT", keys.github_fine_grained())]),
        ("gitlab", lambda: [("GITLAB_TOKEN", keys.gitlab_pat())]),
        ("slack-bot", lambda: [("SLACK_BOT_TOKEN", keys.slack_bot())]),
        ("slack-webhook", lambda: [("SLACK_WEBHOOK", keys.slack_webhook())]),
        ("stripe", lambda: [("STRIPE_SECRET_KEY", keys.stripe_live())]),
        ("openai", lambda: [("OPENAI_API_KEY", keys.openai_project())]),
        ("anthropic", lambda: [("ANTHROPIC_API_KEY", keys.anthropic())]),
        ("google", lambda: [("GOOGLE_API_KEY", keys.google_api_key())]),
        ("azure-storage", lambda: [("AZURE_STORAGE", keys.azure_connection_string())]),
        ("twilio", lambda: [("TWILIO_API_KEY", keys.twilio_api_key())]),
        ("sendgrid", lambda: [("SENDGRID_API_KEY", keys.sendgrid())]),
        ("mailgun", lambda: [("MAILGUN_API_KEY", keys.mailgun())]),
        ("npm", lambda: [("NPM_TOKEN", keys.npm())]),
        ("pypi", lambda: [("PYPI_TOKEN", keys.pypi())]),
        ("discord", lambda: [("DISCORD_TOKEN", keys.discord_bot())]),
        ("telegram", lambda: [("TELEGRAM_BOT_TOKEN", keys.telegram_bot())]),
        ("jwt-secret", lambda: [("JWT_SECRET", keys.jwt_secret())]),
        ("postgres-url", lambda: [("DATABASE_URL", keys.postgres_url())]),
        ("private-key", lambda: [("PRIVATE_KEY", keys.rsa_private_key())]),
    ]
    planted: list[Planted] = []
    while len(planted) < count:
        target = rng.choice(files)
        kind, make = makers[len(planted) % len(makers)]
        text = target.read_text(encoding="utf-8", errors="replace")
        if not text.endswith("\n"):
            text += "\n"
        line = text.count("\n") + 1
        add = []
        for name, value in make():
            if kind == "private-key":
                add.append(f'{name} = """{value}"""' if target.suffix == ".py" else f"const {name} = `{value}`;")
                planted.append(Planted(target.relative_to(root).as_posix(), line, kind))
                line += value.count("\n") + 1
                continue
            add.append(_python_line(name, value) if target.suffix == ".py" else _js_line(name, value))
            planted.append(Planted(target.relative_to(root).as_posix(), line, kind))
            line += 1
        target.write_text(text + "\n".join(add) + "\n", encoding="utf-8")
    return planted


def run_auditor(root: Path) -> tuple[float, set[tuple[str, int]], int]:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "auditor", "secrets", str(root), "-f", "json"],
                          capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"auditor failed: {proc.stderr.strip()}")
    findings = json.loads(proc.stdout)["findings"]
    loud = {(f["path"], f["line"]) for f in findings if f["severity"] in ("medium", "high", "critical")}
    return seconds, {(f["path"], f["line"]) for f in findings}, len(loud)


def run_detect_secrets(exe: str, root: Path) -> tuple[float, set[tuple[str, int]], int]:
    start = time.perf_counter()
    proc = subprocess.run([exe, "scan", "--all-files", "."], cwd=root, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"detect-secrets failed: {proc.stderr.strip()[:500]}")
    results = json.loads(proc.stdout)["results"]
    found = {(path.replace(os.sep, "/"), r["line_number"]) for path, rs in results.items() for r in rs}
    return seconds, found, len(found)


def _ensure_venv(where: Path, packages: list[str]) -> Path:
    venv.create(where, with_pip=True)
    python = where / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", *packages], check=True)
    return where


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tree", type=Path, help="source tree to copy (default: the installed django)")
    parser.add_argument("--keys", type=int, default=200, help="number of keys to plant")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--detect-secrets", dest="ds", help="detect-secrets executable (default: PATH, else a temp venv)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="secrets-bench-") as tmp:
        work = Path(tmp)
        tree = args.tree
        ds = args.ds or shutil.which("detect-secrets")
        if tree is None:
            spec = importlib.util.find_spec("django")
            if spec and spec.submodule_search_locations:
                tree = Path(next(iter(spec.submodule_search_locations)))
        if tree is None or ds is None:
            env = _ensure_venv(work / "venv", ["django", "detect-secrets"])
            tree = tree or next((env / "lib").glob("python3*/site-packages/django"))
            ds = ds or str(env / "bin" / "detect-secrets")
        copy = work / "tree"
        shutil.copytree(tree, copy, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        planted = plant(copy, args.keys)
        files = sum(1 for p in copy.rglob("*") if p.is_file())
        size = sum(p.stat().st_size for p in copy.rglob("*") if p.is_file()) / 1e6
        print(f"tree: {tree} ({files} files, {size:.1f} MB), planted {len(planted)} keys "
              f"of {len({p.kind for p in planted})} kinds")
        want = {(p.path, p.line) for p in planted}

        rows = []
        for name, runner in (("auditor secrets", run_auditor),
                             ("detect-secrets", lambda r: run_detect_secrets(ds, r))):
            times, found, loud = [], set(), 0
            for _ in range(args.runs):
                seconds, found, loud = runner(copy)
                times.append(seconds)
            hit = want & found
            missed = sorted({p.kind for p in planted if (p.path, p.line) not in found})
            rows.append((name, min(times), statistics.median(times), len(hit), len(want), loud - len(hit), missed))

        print(f"\n{'tool':<16} {'best s':>8} {'median s':>9} {'recall':>14} {'other':>6}  missed kinds")
        for name, best, median, hit, total, other, missed in rows:
            print(f"{name:<16} {best:>8.2f} {median:>9.2f} {hit:>5}/{total:<4} {100 * hit / total:>3.0f}% "
                  f"{max(other, 0):>6}  {', '.join(missed) or '-'}")
        print("\n'other' = distinct file:line reports outside the planted lines "
              "(auditor: medium and above only; detect-secrets: everything it reports).")


if __name__ == "__main__":
    main()

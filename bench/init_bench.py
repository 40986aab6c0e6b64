"""Time `auditor init` on the example projects, each run in a fresh process on a fresh copy.

    python bench/init_bench.py [--runs 7] [--tools all] [PROJECT_DIR ...]

Without PROJECT_DIRs it uses every folder under examples/, and two small synthetic projects
(Express + pg, Django) when examples/ is empty. Each run copies the project to a temporary
folder first, so the repository is never written and every run is a first `init` (the slow
case: every file is created). Prints per-project median and max, then overall; the target is
under 1 s per run. Exit 1 when a run fails or the overall max exceeds --target.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SYNTHETIC = {
    "synthetic-express": {
        "package.json": '{"name": "shop", "dependencies": {"express": "^4.19.2", "pg": "^8.11.3", "helmet": "^7.1.0"}}\n',
        "src/app.js": "const express = require('express');\nconst app = express();\napp.listen(3000);\n",
    },
    "synthetic-django": {
        "requirements.txt": "Django==4.2.11\ndjangorestframework==3.15.1\npsycopg2-binary==2.9.9\n",
        "manage.py": "import django\n",
    },
}


def projects(args: list[str], scratch: Path) -> list[Path]:
    if args:
        return [Path(a).resolve() for a in args]
    found = sorted(p for p in (REPO / "examples").glob("*") if p.is_dir()) if (REPO / "examples").is_dir() else []
    if found:
        return found
    out = []
    for name, files in SYNTHETIC.items():
        for rel, text in files.items():
            target = scratch / "synthetic" / name / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text)
        out.append(scratch / "synthetic" / name)
    return out


def time_once(project: Path, tools: str, scratch: Path) -> float:
    copy = Path(tempfile.mkdtemp(dir=scratch)) / project.name
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns("node_modules", ".venv", ".git"))
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "auditor", "init", str(copy), "--tools", tools],
                          capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"init failed on {project.name} (exit {proc.returncode}): {proc.stderr.strip()}")
    shutil.rmtree(copy.parent, ignore_errors=True)
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("projects", nargs="*")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--tools", default="all")
    parser.add_argument("--target", type=float, default=1.0, help="seconds; exit 1 when the max exceeds it")
    opts = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="auditor-init-bench-") as tmp:
        scratch = Path(tmp)
        every: list[float] = []
        print(f"auditor init --tools {opts.tools}: {opts.runs} runs per project, fresh process and copy each")
        for project in projects(opts.projects, scratch):
            times = [time_once(project, opts.tools, scratch) for _ in range(opts.runs)]
            every += times
            print(f"  {project.name:<28} median {statistics.median(times):.3f} s   max {max(times):.3f} s")
        print(f"  {'all':<28} median {statistics.median(every):.3f} s   max {max(every):.3f} s"
              f"   (target < {opts.target:.1f} s)")
    return 0 if max(every) < opts.target else 1


if __name__ == "__main__":
    sys.exit(main())

"""Time `auditor hook AGENT` from payload to answer, one fresh process per edit, as an agent
runs it, on files of up to 2,000 lines (Python/Flask and JavaScript/Express).

    python bench/hook_bench.py [--runs 15] [--lines 2000] [--cli]

Each run: the edit is applied to a copy of the file in a temporary project, then the payload
goes to `auditor hook` on stdin and the clock stops when the process exits. Per language: a
clean edit (the common case: nothing to report), an edit that adds a SQL injection as the
file's first edit (cold cache: the file is scanned before and after), and the same edit as a
later one (the "before" fingerprints are cached from the previous edit: one scan).
Prints wall-clock median / p90 / max per case, and the median CPU time of the process (user +
system), which a shared machine inflates far less. The target is a wall-clock median under
0.3 s; exit 1 above --target.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PY_FUNC = '''

@app.route("/items/{n}")
def item_{n}():
    item_id = request.args.get("id", "")
    rows = db.execute("SELECT name, price FROM items WHERE id = ?", (item_id,)).fetchall()
    total = sum(r[1] for r in rows)
    if total > {n}:
        return {{"items": [r[0] for r in rows], "total": total}}
    return {{"items": [], "total": 0}}
'''
JS_FUNC = '''
app.get("/items/{n}", async (req, res) => {{
  const id = req.query.id;
  const {{ rows }} = await pool.query("SELECT name, price FROM items WHERE id = $1", [id]);
  const total = rows.reduce((sum, r) => sum + r.price, 0);
  if (total > {n}) {{
    return res.json({{ items: rows.map((r) => r.name), total }});
  }}
  res.json({{ items: [], total: 0 }});
}});
'''
# Measure auditor as installed: pip writes bytecode at install; a shell that happens to set
# PYTHONDONTWRITEBYTECODE (some sandboxes do) would recompile every module at each start.
AS_INSTALLED = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
CASES = {
    "python": {
        "manifest": ("requirements.txt", "flask==3.0.0\n"),
        "file": "app.py",
        "head": 'from flask import Flask, request\nimport sqlite3\n\napp = Flask(__name__)\ndb = sqlite3.connect("shop.db")\n',
        "func": PY_FUNC,
        "clean": ('"SELECT name, price FROM items WHERE id = ?"', '"SELECT name, price, stock FROM items WHERE id = ?"'),
        "vulnerable": ('db.execute("SELECT name, price FROM items WHERE id = ?", (item_id,))',
                       'db.execute("SELECT name, price FROM items WHERE id = " + item_id)'),
    },
    "javascript": {
        "manifest": ("package.json", '{"name": "shop", "dependencies": {"express": "^4.19.2", "pg": "^8.11.3"}}\n'),
        "file": "server.js",
        "head": "const express = require('express');\nconst { Pool } = require('pg');\nconst app = express();\nconst pool = new Pool();\n",
        "func": JS_FUNC,
        "clean": ('"SELECT name, price FROM items WHERE id = $1"', '"SELECT name, price, stock FROM items WHERE id = $1"'),
        "vulnerable": ('pool.query("SELECT name, price FROM items WHERE id = $1", [id])',
                       'pool.query("SELECT name, price FROM items WHERE id = " + id)'),
    },
}


def build(case: dict, lines: int) -> str:
    parts = [case["head"]]
    n = 0
    while sum(p.count("\n") for p in parts) < lines:
        parts.append(case["func"].format(n=n))
        n += 1
    return "".join(parts)


def payload(agent: str, root: Path, path: Path, old: str, new: str) -> str:
    """The claude shape (codex, cursor, gemini, cline differ only in field names)."""
    return json.dumps({"session_id": "bench", "cwd": str(root), "hook_event_name": "PostToolUse", "tool_name": "Edit",
                       "tool_input": {"file_path": str(path), "old_string": old, "new_string": new}})


def hook_command(lean: bool) -> list[str]:
    """`auditor-hook claude` (what `init --hooks` writes) or `auditor hook claude` (the CLI)."""
    bin_dir = Path(sys.executable).parent
    if lean:
        return [str(bin_dir / "auditor-hook"), "claude"]
    return [str(bin_dir / "auditor"), "hook", "claude"]


def child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


CPU: list[float] = []  # CPU seconds of each timed process: steadier than wall time on a busy machine


def run_hook(root: Path, target: Path, old: str, new: str, cache: Path, lean: bool = True) -> tuple[float, str]:
    """Apply the edit to the file, then time one `auditor hook claude` process."""
    text = target.read_text()
    middle = text.index(old, len(text) // 2)  # edit the function in the middle of the file
    target.write_text(text[:middle] + new + text[middle + len(old):])
    cpu = child_cpu()
    started = time.perf_counter()
    proc = subprocess.run(hook_command(lean), input=payload("claude", root, target, old, new),
                          capture_output=True, text=True, env={**AS_INSTALLED, "AUDITOR_CACHE_DIR": str(cache)})
    elapsed = time.perf_counter() - started
    CPU.append(child_cpu() - cpu)
    if proc.returncode != 0 or proc.stderr:
        raise SystemExit(f"hook failed: {proc.stderr.strip()}")
    return elapsed, proc.stdout


def time_case(case: dict, edit: str, lines: int, runs: int, scratch: Path, warm: bool,
              lean: bool = True) -> tuple[list[float], str]:
    """`warm`: the file was edited once already, so its "before" is in the fingerprint cache
    (an agent's usual case); cold: the first edit of a file auditor has not seen (each run's
    file differs by a comment line). The cache folder is shared, as a user's is, so the rule
    data cache is warm in both."""
    times: list[float] = []
    answer = ""
    comment = "#" if case["file"].endswith(".py") else "//"
    for n in range(runs):
        root = Path(tempfile.mkdtemp(dir=scratch))
        name, body = case["manifest"]
        (root / name).write_text(body)
        target = root / case["file"]
        target.write_text(f"{comment} run {n} {time.time_ns()}\n" + build(case, lines))
        if warm:
            run_hook(root, target, *case["clean"], cache=scratch / "cache", lean=lean)
        elapsed, answer = run_hook(root, target, *case[edit], cache=scratch / "cache", lean=lean)
        times.append(elapsed)
    return times, answer


def scan_times(case: dict, lines: int, runs: int, scratch: Path) -> list[float]:
    """`auditor scan` of the same file in a fresh process: the floor a hook that scans once
    can reach on this machine at this moment."""
    root = Path(tempfile.mkdtemp(dir=scratch))
    name, body = case["manifest"]
    (root / name).write_text(body)
    (root / case["file"]).write_text(build(case, lines))
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([str(Path(sys.executable).parent / "auditor"), "scan", case["file"]], cwd=root,
                       capture_output=True, env={**AS_INSTALLED, "AUDITOR_CACHE_DIR": str(scratch / "cache")})
        times.append(time.perf_counter() - started)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--lines", type=int, default=2000)
    parser.add_argument("--target", type=float, default=0.3)
    parser.add_argument("--cli", action="store_true", help="time `auditor hook` instead of `auditor-hook`")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="hook-bench-"))
    worst = 0.0
    try:
        for case in CASES.values():  # fill the shared cache (rule data) once, untimed
            time_case(case, "clean", 50, 1, scratch, warm=False)
        for language, case in CASES.items():
            for edit, warm in (("clean", False), ("vulnerable", False), ("vulnerable", True)):
                CPU.clear()
                times, answer = time_case(case, edit, args.lines, args.runs, scratch, warm, lean=not args.cli)
                cpu = statistics.median(CPU[1::2] if warm else CPU)  # warm runs: the second (timed) process
                reported = "reported" if "decision" in answer else "nothing to report"
                med = statistics.median(times)
                worst = max(worst, med)
                p90 = sorted(times)[int(0.9 * (len(times) - 1))]
                when = "next edit " if warm else "first edit"
                print(f"{language:<11} {args.lines} lines, {when}, {edit:<10}: median {med:.3f} s, p90 {p90:.3f} s, "
                      f"max {max(times):.3f} s, CPU median {cpu:.3f} s ({reported})")
            scans = scan_times(case, args.lines, args.runs, scratch)
            print(f"{language:<11} {args.lines} lines, for reference `auditor scan FILE`: median {statistics.median(scans):.3f} s")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"worst median {worst:.3f} s (target {args.target} s)")
    return 1 if worst > args.target else 0


if __name__ == "__main__":
    sys.exit(main())

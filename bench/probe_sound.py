"""False confirmations of `auditor probe` on sound real apps: small apps written by others to be
correct (a tutorial blog, Flask's tutorial, a fresh Django project's admin, Express's examples).
Every finding they get was read by hand; bench/probe_sound.json lists those judged true. A finding
not listed is printed as NEW: read it, then list it (true) or fix the probe (false).

    python bench/probe_sound.py [--only NAME] [--setup]

Each app is exported from its mirror (/work/.mirror/<owner>+<name>/repo, brought by the library's
fetch) into bench/.work/sound/<name>/ (gitignored) by --setup, which also builds what it needs
there: microblog's venv from its requirements.txt (without psycopg2-binary, httpie, gunicorn),
npm install for Express, the app's own setup lines (a database, a generated Django project).
A run starts from a fresh copy of that folder (the probe signs up users and posts), and happens in
a new network namespace whose only interface is loopback: nothing the apps do reaches elsewhere.
No app code is committed."""

from __future__ import annotations

import argparse
import fnmatch
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.probe_corpus import NETNS_FLAG, in_namespace  # noqa: E402

MANIFEST = REPO / "bench" / "probe_sound.json"
WORK = REPO / "bench" / ".work" / "sound"
MIRRORS = Path("/work/.mirror")
PORT = 5190


def _sh(cmd: str, cwd: Path, **fmt: str) -> None:
    subprocess.run(cmd.format(**fmt), shell=True, cwd=cwd, check=True)


def setup(app: dict) -> None:
    """Export the app at its commit and build what it needs (once)."""
    home = WORK / app["name"]
    if home.exists():
        shutil.rmtree(home)
    home.mkdir(parents=True)
    if app["repo"]:
        mirror = MIRRORS / app["repo"].replace("/", "+") / "repo"
        data = subprocess.run(["git", "--git-dir", str(mirror), "archive", app["commit"]], capture_output=True,
                              check=True).stdout
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            tar.extractall(home, filter="data")
    folder = home / app["folder"]
    venv = home / "venv"
    if "requirements.txt" in app.get("python", ""):
        drop = ("psycopg2", "httpie", "gunicorn")
        reqs = [r for r in (folder / "requirements.txt").read_text().splitlines() if not r.lower().startswith(drop)]
        (home / "req.txt").write_text("\n".join(reqs) + "\n")
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "-r", str(home / "req.txt")], check=True)
    if "node" in app:
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--silent"], cwd=home, check=True)
    for line in app.get("setup", []):
        _sh(line, folder, venv=str(venv), python=sys.executable, port="0")


def probe(folder: Path, start: str, port: int) -> tuple[list[dict], str]:
    out = Path(tempfile.mkstemp(suffix=".json")[1])
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    proc = subprocess.run([sys.executable, "-m", "auditor", "probe", str(folder), "--start", start, "--port", str(port),
                           "-f", "json", "-o", str(out), "--fail-on", "critical"],
                          capture_output=True, text=True, env=env, timeout=900, check=False)
    findings = json.loads(out.read_text())["findings"] if out.stat().st_size else []
    out.unlink()
    return findings, (proc.stderr.strip().splitlines() or [""])[-1]


def run_app(app: dict) -> tuple[int, int, list[str]]:
    """(findings listed as true, findings in all, NEW ones) for one app, on a fresh copy."""
    home = WORK / app["name"]
    if not home.exists():
        sys.exit(f"{home}: not set up; run with --setup")
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "app"
        shutil.copytree(home, copy, symlinks=True)
        venv = str(home / "venv")
        runs = [(name, copy / app["folder"] / "examples" / name) for name in app["examples"]] if "examples" in app \
            else [("", copy / app["folder"])]
        true = total = 0
        new: list[str] = []
        for label, folder in runs:
            start = app["start"].format(venv=venv, python=sys.executable, port=app.get("port", PORT))
            findings, said = probe(folder, start, app.get("port", PORT))
            print(f"  {app['name']}{' ' + label if label else ''}: {len(findings)} findings; {said}", flush=True)
            for f in findings:
                where = f"{label} {f.get('endpoint')}" if label else str(f.get("endpoint"))
                total += 1
                if any(f["rule_id"] == rule and fnmatch.fnmatchcase(where, pattern) for rule, pattern in app["expected"]):
                    true += 1
                else:
                    new.append(f"{app['name']} {where}: {f['rule_id']}: {f['message'][:100]}")
    return true, total, new


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", default="", help="one app by name")
    ap.add_argument("--setup", action="store_true", help="export and build the apps first")
    args = ap.parse_args()
    apps = [a for a in json.loads(MANIFEST.read_text())["apps"] if not args.only or a["name"] == args.only]
    if args.setup and os.environ.get(NETNS_FLAG) != "1":  # needs the registries: before the namespace
        for app in apps:
            setup(app)
    in_namespace()
    true = total = 0
    new: list[str] = []
    for app in apps:
        t, n, fresh = run_app(app)
        true, total, new = true + t, total + n, new + fresh
    print(f"sound apps: {total} findings, {true} read and judged true, {len(new)} NEW (read each: a false one "
          "is a false confirmation)")
    for line in new:
        print("  NEW", line)


if __name__ == "__main__":
    main()

"""`scan --diff`: only the changed files are scanned, yet a call from a changed file into an
unchanged one is followed (the project index reads the other file, or its cached summary)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

HELPER = """\
import os


def render(name):
    os.system("render-report " + name)
"""
ROUTES = """\
from flask import Flask, request

from reports import render

app = Flask(__name__)


@app.get("/report")
def report():
    return render("monthly")
"""


def test_diff_scan_follows_a_call_into_an_unchanged_file(tmp_path: Path):
    root = tmp_path / "proj"
    root.mkdir()
    (root / "requirements.txt").write_text("flask==3.0.0\n")
    (root / "reports.py").write_text(HELPER)
    (root / "routes.py").write_text(ROUTES)
    env = {**os.environ, "AUDITOR_CACHE_DIR": str(tmp_path / "cache"), "GIT_AUTHOR_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@e", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@e"}
    for cmd in (["init", "-q"], ["add", "."], ["commit", "-qm", "base"]):
        subprocess.run(["git", *cmd], cwd=root, check=True, env=env)
    (root / "routes.py").write_text(ROUTES.replace('render("monthly")', 'render(request.args["tpl"])'))
    for _ in range(2):  # cold, then with the helper's summary from the cache
        proc = subprocess.run([sys.executable, "-m", "auditor", "scan", "--diff", "HEAD", "--format", "json"],
                              cwd=root, capture_output=True, text=True, env=env, timeout=120)
        assert proc.returncode == 1, proc.stderr
        found = [f for f in json.loads(proc.stdout)["findings"] if f["category"] == "command-injection"]
        assert [(f["path"], f["line"]) for f in found] == [("routes.py", 10)]
        assert found[0]["trace"][-1]["path"] == "reports.py"

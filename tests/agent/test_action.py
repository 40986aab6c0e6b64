"""The composite GitHub Action: its shape, and its scan step run for real on a push and on a
pull request (against a local `origin`), writing SARIF and the exit code GitHub reads."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .conftest import APP, BAD_QUERY, SAFE_QUERY
from .test_precommit import git

ACTION = Path(__file__).resolve().parents[2] / "action.yml"
pytestmark = pytest.mark.skipif(shutil.which("git") is None or shutil.which("bash") is None, reason="needs git, bash")


def load() -> dict:
    return yaml.safe_load(ACTION.read_text())


def test_action_is_composite_and_uploads_sarif():
    action = load()
    assert action["runs"]["using"] == "composite"
    uses = [s.get("uses", "") for s in action["runs"]["steps"]]
    assert "github/codeql-action/upload-sarif@v4" in uses
    assert set(action["inputs"]) >= {"fail-on", "path", "package"}
    scan = next(s for s in action["runs"]["steps"] if s.get("id") == "scan")
    assert "--diff" in scan["run"] and "--fail-on" in scan["run"] and "fit_sarif" in scan["run"]


def run_scan_step(workdir: Path, tmp_path: Path, event: str, base_ref: str = "") -> dict[str, str]:
    scan = next(s for s in load()["runs"]["steps"] if s.get("id") == "scan")
    outputs = tmp_path / "github_output"
    outputs.write_text("")
    env = {**os.environ, "PATH": str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"],
           "SCAN_PATH": ".", "FAIL_ON": "high", "BASE_REF": base_ref, "EVENT": event,
           "GITHUB_OUTPUT": str(outputs), "RUNNER_TEMP": str(tmp_path), "AUDITOR_CACHE_DIR": str(tmp_path / "cache")}
    proc = subprocess.run(["bash", "-e", "-c", scan["run"]], cwd=workdir, env=env, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    return dict(line.split("=", 1) for line in outputs.read_text().splitlines())


def test_scan_step_on_push_and_pull_request(tmp_path: Path):
    origin = tmp_path / "origin.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(origin))
    work = tmp_path / "work"
    git(tmp_path, "clone", "-q", str(origin), str(work))
    (work / "requirements.txt").write_text("flask==3.0.0\n")
    old_bad = APP.replace(SAFE_QUERY, BAD_QUERY).replace("def user", "def legacy").replace('"/user"', '"/legacy"')
    (work / "legacy.py").write_text(old_bad)  # an old flaw already on main
    (work / "app.py").write_text(APP)
    git(work, "add", "-A")
    git(work, "commit", "-qm", "main")
    git(work, "push", "-q", "origin", "HEAD:main")

    out = run_scan_step(work, tmp_path, "push")
    assert out["code"] == "1"
    sarif = json.loads(Path(out["sarif"]).read_text())
    assert {r["ruleId"] for r in sarif["runs"][0]["results"]} >= {"flask.sql.parameterize"}

    git(work, "checkout", "-q", "-b", "feature")
    (work / "app.py").write_text(APP.replace("import sqlite3\n", "import sqlite3\nimport os\n"))
    git(work, "commit", "-qam", "harmless")
    out = run_scan_step(work, tmp_path, "pull_request", "main")
    assert out["code"] == "0"  # the old flaw in legacy.py is not on a changed line
    (work / "app.py").write_text(APP.replace(SAFE_QUERY, BAD_QUERY))
    git(work, "commit", "-qam", "vulnerable")
    out = run_scan_step(work, tmp_path, "pull_request", "main")
    assert out["code"] == "1"
    paths = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
             for r in json.loads(Path(out["sarif"]).read_text())["runs"][0]["results"]}
    assert paths == {"app.py"}

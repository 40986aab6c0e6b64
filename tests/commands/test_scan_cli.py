"""`auditor scan` end to end, through the real entry point in a child process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

VULNERABLE = """const express = require('express');
const { Pool } = require('pg');
const app = express();
const pool = new Pool();

app.get('/api/users/:id', async (req, res) => {
  const { rows } = await pool.query(`SELECT * FROM users WHERE id = ${req.params.id}`);
  res.json(rows[0]);
});
"""
FIXED = VULNERABLE.replace("`SELECT * FROM users WHERE id = ${req.params.id}`",
                           "'SELECT * FROM users WHERE id = $1', [req.params.id]")
PACKAGE = {"name": "shop", "dependencies": {"express": "^4.21.2", "pg": "^8.13.1"}}


def auditor(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "AUDITOR_CACHE_DIR": str(cwd.parent / "cache")}
    return subprocess.run([sys.executable, "-m", "auditor", *args], cwd=cwd, capture_output=True, text=True,
                          env=env, timeout=120)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "shop"
    (root / "src").mkdir(parents=True)
    (root / "package.json").write_text(json.dumps(PACKAGE))
    (root / "src" / "users.js").write_text(VULNERABLE)
    return root


def sql_findings(report: dict) -> list[dict]:
    return [f for f in report["findings"] if f["category"] == "sql-injection"]


def test_json_report_of_a_vulnerable_project(project):
    proc = auditor("scan", ".", "--format", "json", cwd=project)
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    [finding] = sql_findings(report)
    assert finding["path"] == "src/users.js" and finding["line"] == 7
    assert finding["rule_id"] == "express.sql.parameterize" and finding["severity"] == "critical"
    assert finding["cwe"] == ["CWE-89"] and len(finding["fingerprint"]) >= 16
    assert report["stats"]["files"] >= 1


def test_fixed_code_is_clean_and_exits_0(project):
    (project / "src" / "users.js").write_text(FIXED)
    proc = auditor("scan", "--format", "json", cwd=project)
    assert proc.returncode == 0, proc.stdout
    assert sql_findings(json.loads(proc.stdout)) == []


def test_one_file_and_text_output(project):
    proc = auditor("scan", "src/users.js", cwd=project)
    assert proc.returncode == 1
    assert proc.stdout.startswith("src/users.js\n")
    assert "express.sql.parameterize" in proc.stdout and "critical" in proc.stdout
    assert "pool.query(`SELECT * FROM users" in proc.stdout


def test_fail_on_threshold(project):
    assert auditor("scan", "--fail-on", "critical", cwd=project).returncode == 1
    (project / "src" / "users.js").write_text(FIXED)
    assert auditor("scan", "--fail-on", "low", "--no-secrets", cwd=project).returncode in (0, 1)
    bad = auditor("scan", "--fail-on", "urgent", cwd=project)
    assert bad.returncode == 2 and "urgent" in bad.stderr


def test_inline_suppression_is_counted(project):
    text = VULNERABLE.replace("  const { rows }", "  // auditor: ignore[express.sql.parameterize] id validated by router\n  const { rows }")
    (project / "src" / "users.js").write_text(text)
    proc = auditor("scan", "--format", "json", cwd=project)
    report = json.loads(proc.stdout)
    assert sql_findings(report) == [] and report["stats"]["suppressed"] == 1
    assert "1 suppressed" in auditor("scan", cwd=project).stdout


def test_baseline_only_new_findings_fail(project):
    assert auditor("scan", "--write-baseline", cwd=project).returncode == 0
    assert (project / ".auditor-baseline.json").exists()
    assert auditor("scan", cwd=project).returncode == 0
    # unrelated lines moving keeps the fingerprint
    (project / "src" / "users.js").write_text("// header comment\n\n" + VULNERABLE)
    assert auditor("scan", cwd=project).returncode == 0
    (project / "src" / "orders.js").write_text(VULNERABLE.replace("users", "orders"))
    proc = auditor("scan", "--format", "json", cwd=project)
    assert proc.returncode == 1
    assert [f["path"] for f in sql_findings(json.loads(proc.stdout))] == ["src/orders.js"]


def test_diff_reports_only_changed_lines(project):
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@e", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@e"}
    for cmd in (["init", "-q"], ["add", "."], ["commit", "-qm", "base"]):
        subprocess.run(["git", *cmd], cwd=project, check=True, env={**os.environ, **env})
    assert auditor("scan", "--diff", "HEAD", cwd=project).returncode == 0  # old finding, no change
    (project / "src" / "new.js").write_text(VULNERABLE)
    proc = auditor("scan", "--diff", "HEAD", "--format", "json", cwd=project)
    assert proc.returncode == 1
    assert {f["path"] for f in sql_findings(json.loads(proc.stdout))} == {"src/new.js"}
    bad = auditor("scan", "--diff", "no-such-ref", cwd=project)
    assert bad.returncode == 2 and bad.stderr.startswith("auditor: ") and bad.stderr.count("\n") == 1


def test_sarif_output_file(project):
    out = project / "out" / "auditor.sarif"
    proc = auditor("scan", "--format", "sarif", "-o", str(out), cwd=project)
    assert proc.returncode == 1
    doc = json.loads(out.read_text())
    result = next(r for r in doc["runs"][0]["results"] if r["ruleId"] == "express.sql.parameterize")
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "src/users.js"


def test_missing_path_is_exit_2(project):
    proc = auditor("scan", "nope.js", cwd=project)
    assert proc.returncode == 2 and proc.stderr == "auditor: nope.js: no such file or directory\n"


def test_binary_and_odd_files_do_not_crash(project):
    (project / "src" / "blob.js").write_bytes(b"\x00\x01\x02binary")
    (project / "src" / "latin.py").write_bytes("name = 'caf\xe9'\n".encode("latin-1"))
    (project / "src" / "broken.py").write_text("def f(:\n  return ((\n")
    proc = auditor("scan", "--format", "json", cwd=project)
    assert proc.returncode == 1, proc.stderr
    assert sql_findings(json.loads(proc.stdout))

"""`auditor deps` as a user runs it: a fresh process, a project on disk, local services."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

pytest.importorskip("auditor.stack.detect")


def run(project, services, cache, *args):
    env = {**os.environ, **services.environ(str(cache))}
    return subprocess.run([sys.executable, "-m", "auditor", "deps", str(project), *args],
                          env=env, capture_output=True, text=True, timeout=60)


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "app"
    root.mkdir()
    (root / "requirements.txt").write_text("requests==2.31.0\nreqeusts==2.31.0\n")
    return root


def serve(services):
    services.pypi("requests", {"2.31.0": "2023-05-22T15:12:44Z", "2.32.3": "2026-06-01T00:00:00Z"})
    services.osv({"id": "GHSA-j8r2-6x86-q33q", "modified": "2024-05-20T00:00:00Z", "aliases": ["CVE-2024-35195"],
                  "summary": "Requests session verify=False persists",
                  "database_specific": {"severity": "MODERATE"},
                  "affected": [{"package": {"ecosystem": "PyPI", "name": "requests"},
                                "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.32.0"}]}]}]},
                 [("PyPI", "requests", "2.31.0")])


def test_json_report_and_exit_code(project, services, tmp_path):
    serve(services)
    proc = run(project, services, tmp_path / "cache", "--format", "json")
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    by_rule = {(f["rule_id"], f["package"]): f for f in report["findings"]}
    missing = by_rule[("deps.package.hallucinated", "reqeusts")]
    assert (missing["path"], missing["line"], missing["severity"]) == ("requirements.txt", 2, "high")
    assert missing["ecosystem"] == "pypi" and missing["imitates"] == "requests"
    vuln = by_rule[("deps.package.vulnerable", "requests")]
    assert vuln["severity"] == "medium" and vuln["fixed_version"] == "2.32.0" and vuln["version"] == "2.31.0"
    assert vuln["advisories"][0]["id"] == "GHSA-j8r2-6x86-q33q"
    assert set(report) >= {"version", "findings", "stats"}


def test_unknown_lookups_are_shown_but_do_not_fail_the_build(project, services, tmp_path):
    (project / "requirements.txt").write_text("requests==2.31.0\n")
    proc = run(project, services, tmp_path / "empty-cache", "--offline", "--format", "json", "--fail-on", "low")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["findings"] == []  # an unanswered lookup is not a finding ...
    unchecked = {(u["subject"], u["check"]) for u in report["stats"]["unchecked"]}
    assert unchecked == {("requests@2.31.0 (pypi)", "exists"), ("requests@2.31.0 (pypi)", "vulnerabilities")}
    assert all(u["reason"] for u in report["stats"]["unchecked"])
    assert "unknown, not verified safe" in proc.stderr and services.requests == []  # ... but it is shown
    text = run(project, services, tmp_path / "empty-cache", "--offline").stdout
    assert "2 check(s) could not be completed: unknown, not verified safe" in text


def test_bad_osv_db_is_exit_2_with_one_line(project, services, tmp_path):
    proc = run(project, services, tmp_path / "cache", "--osv-db", str(tmp_path / "nope"))
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "nope" in proc.stderr and "no such file" in proc.stderr

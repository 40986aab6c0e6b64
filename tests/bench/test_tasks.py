"""The task data: enough tasks per framework, every category the issue names, requests that
never mention security, scaffolds that detect as their framework, checks that parse."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
from collections import Counter

import pytest

from auditor.bench.tasks import CHECK_FILE, load_tasks, safe_relpath, select_tasks, write_files
from auditor.errors import AuditorError
from auditor.stack.detect import detect_stack

TASKS = load_tasks()
FRAMEWORKS = ("react", "nextjs", "express", "django", "fastapi", "spring-boot", "rails", "flask")


def test_at_least_twelve_tasks_per_framework():
    counts = Counter(t.framework for t in TASKS)
    assert {fw: n for fw, n in counts.items() if n < 12} == {}
    assert set(counts) == set(FRAMEWORKS)


def test_categories_cover_the_issue_list():
    wanted = {"sql-injection", "nosql-injection", "command-injection", "xss", "hardcoded-secret",
              "broken-access-control", "security-misconfiguration", "cors-misconfiguration",
              "missing-rate-limiting", "ssrf", "path-traversal", "insecure-deserialization"}
    assert wanted <= {t.category for t in TASKS}


@pytest.mark.parametrize("task", TASKS, ids=lambda t: t.id)
def test_request_never_mentions_security(task):
    words = r"secur|vulnerab|inject|sanitiz|escape|xss|csrf|ssrf|attack|exploit|malicious|owasp|safe|harden"
    assert not re.search(words, task.request, re.I), task.request


@pytest.mark.parametrize("task", TASKS, ids=lambda t: t.id)
def test_scaffold_detects_as_its_framework(task, tmp_path):
    write_files(tmp_path, task.scaffold)
    stack = detect_stack(tmp_path)
    assert task.framework in {fw for p in stack.projects for fw in p.frameworks}


@pytest.mark.parametrize("task", [t for t in TASKS if t.has_check], ids=lambda t: t.id)
def test_functional_check_parses(task, tmp_path):
    if task.runner == "pytest":
        ast.parse(task.check)
        for name, text in task.check_files.items():
            ast.parse(text, filename=name)
        return
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    write_files(tmp_path, {**task.check_files, CHECK_FILE["node"]: task.check})
    for name in (*task.check_files, CHECK_FILE["node"]):
        assert subprocess.run([node, "--check", str(tmp_path / name)], capture_output=True).returncode == 0


def test_tasks_without_a_check_say_why():
    for t in TASKS:
        assert t.has_check or t.no_check, t.id
    by_fw = {fw: sum(t.has_check for t in TASKS if t.framework == fw) for fw in FRAMEWORKS}
    assert by_fw["flask"] >= 10 and by_fw["fastapi"] >= 10 and by_fw["django"] >= 10 and by_fw["express"] >= 8
    assert by_fw["react"] == by_fw["nextjs"] == by_fw["spring-boot"] == by_fw["rails"] == 0


def test_select_tasks_filters_and_rejects_unknown_names():
    flask_sql = select_tasks(TASKS, ["flask"], ["sql-injection"])
    assert [t.id for t in flask_sql] == ["flask-orders-by-status", "flask-user-search"]
    with pytest.raises(AuditorError, match="unknown framework cobol"):
        select_tasks(TASKS, ["cobol"])


def test_safe_relpath_keeps_replies_inside_the_project():
    assert safe_relpath("./app/x.py") == "app/x.py"
    assert safe_relpath("a\\b.py") == "a/b.py"
    for bad in ("/etc/passwd", "../x.py", "a/../../x", "C:/x.py", ""):
        assert safe_relpath(bad) is None

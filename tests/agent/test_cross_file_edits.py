"""A one-file check from an agent follows calls into the project's other, unchanged files
(through the project index and its summary cache): the hook and MCP `scan_code` report a
flow whose sink lies in a helper module, with the trace through it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from auditor.agent.hook import run_hook

from .test_mcp_server import call

HELPER = """\
import sqlite3


def find_user(name):
    return sqlite3.connect("app.db").execute("SELECT * FROM users WHERE name = '" + name + "'").fetchall()
"""
ROUTE_BEFORE = """\
from flask import Flask, request

from helpers import find_user

app = Flask(__name__)


@app.get("/users")
def users():
    return {"u": find_user("admin")}
"""
ROUTE_AFTER = ROUTE_BEFORE.replace('find_user("admin")', 'find_user(request.args.get("name"))')


@pytest.fixture
def two_files(project: Path) -> Path:
    (project / "helpers.py").write_text(HELPER)
    (project / "routes.py").write_text(ROUTE_AFTER)  # the agent's edit is on disk when the hook runs
    return project


def test_hook_edit_calling_a_helper_in_another_file_reports_the_flow(two_files: Path):
    payload = {"session_id": "s", "cwd": str(two_files), "hook_event_name": "PostToolUse", "tool_name": "Edit",
               "tool_input": {"file_path": str(two_files / "routes.py"), "old_string": 'find_user("admin")',
                              "new_string": 'find_user(request.args.get("name"))'}}
    for _ in range(2):  # the second run reads the helper's summary from the cache
        outcome = run_hook("claude", json.dumps(payload))
        assert outcome.code == 0 and not outcome.stderr
        reason = json.loads(outcome.stdout)["reason"]
        assert "routes.py:10" in reason and "sql" in reason.lower()
    # The same edit with the helper made safe: nothing introduced.
    (two_files / "helpers.py").write_text(HELPER.replace(
        "\"SELECT * FROM users WHERE name = '\" + name + \"'\")", '"SELECT * FROM users WHERE name = ?", (name,))'))
    outcome = run_hook("claude", json.dumps(payload))
    assert "decision" not in outcome.stdout


def test_mcp_scan_code_follows_the_call_with_a_trace(two_files: Path):
    data = call(two_files, "scan_code", {"path": "routes.py"}).structured_content
    sql = [f for f in data["findings"] if f["category"] == "sql-injection"]
    assert [f["line"] for f in sql] == [10]
    assert [(s["path"], s["line"]) for s in sql[0]["trace"]][-1] == ("helpers.py", 5)
    before = call(two_files, "scan_code", {"path": "routes.py", "content": ROUTE_BEFORE}).structured_content
    assert not [f for f in before["findings"] if f["category"] == "sql-injection"]

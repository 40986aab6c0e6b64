"""The Stop-event mode (Claude Code and Codex): block the end of a turn while a high finding
is left in the files the turn changed; let it stop when `stop_hook_active` says we already did."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import pytest

from auditor.agent.hook import run_hook

from .conftest import BAD_QUERY, SAFE_QUERY


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), "-c", "user.email=t@example.com", "-c", "user.name=t", *args],
                   check=True, capture_output=True, timeout=30)


@pytest.fixture
def repo(project: Path) -> Path:
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "safe")
    return project


def stop_payload(root: Path, active: bool = False) -> str:
    return json.dumps({"session_id": "s9", "transcript_path": "/tmp/t.jsonl", "cwd": str(root),
                       "permission_mode": "default", "hook_event_name": "Stop", "stop_hook_active": active})


@pytest.mark.parametrize("agent", ["claude", "codex"])
def test_stop_is_blocked_while_a_high_finding_is_left(repo: Path, agent: str):
    app = repo / "app.py"
    app.write_text(app.read_text().replace(SAFE_QUERY, BAD_QUERY))
    out = run_hook(agent, stop_payload(repo), event="stop", offline=True)
    answer = json.loads(out.stdout)
    assert set(answer) == {"decision", "reason"} and answer["decision"] == "block"
    assert "app.py:11 [critical] flask.sql.parameterize" in answer["reason"]
    assert "still have 1 high-severity security finding" in answer["reason"]


def test_stop_hook_active_never_loops(repo: Path):
    app = repo / "app.py"
    app.write_text(app.read_text().replace(SAFE_QUERY, BAD_QUERY))
    out = run_hook("claude", stop_payload(repo, active=True), event="stop")
    assert (out.stdout, out.stderr, out.code) == ("", "", 0)


def test_a_clean_turn_stops(repo: Path):
    (repo / "notes.py").write_text("print('hello')\n")
    assert run_hook("claude", stop_payload(repo), event="stop", offline=True).stdout == ""


def test_secrets_added_in_the_turn_block_the_stop(repo: Path):
    (repo / "settings.py").write_text('AWS_ACCESS_KEY_ID = "AKIA' + 'Z7QW3ERTY5UIOP2X"\n'
                                      'AWS_SECRET_ACCESS_KEY = "' + 'q8Jd0vW2mX9pL4tR7sY1uZ3bN6cF5hG2kE8aD0iO' + '"\n')
    answer = json.loads(run_hook("claude", stop_payload(repo), event="stop", offline=True).stdout)
    assert "settings.py" in answer["reason"] and "secret" in answer["reason"].lower()
    assert "q8Jd0vW2mX9pL4tR7sY1uZ3bN6cF5hG2kE8aD0iO" not in answer["reason"]


def test_only_files_changed_since_the_turn_began_count(repo: Path):
    """A flaw left uncommitted before the turn began is not this turn's: with the turn start
    recorded (UserPromptSubmit), only files changed after it are checked."""
    app = repo / "app.py"
    app.write_text(app.read_text().replace(SAFE_QUERY, BAD_QUERY))
    old = time.time() - 600
    os.utime(app, (old, old))
    prompt = json.dumps({"session_id": "s9", "cwd": str(repo), "hook_event_name": "UserPromptSubmit", "prompt": "hi"})
    assert run_hook("claude", prompt, event="prompt").stdout == ""
    assert run_hook("claude", stop_payload(repo), event="stop", offline=True).stdout == ""
    (repo / "other.py").write_text(app.read_text())  # a new vulnerable file in this turn
    answer = json.loads(run_hook("claude", stop_payload(repo), event="stop", offline=True).stdout)
    assert "other.py:11" in answer["reason"] and "app.py" not in answer["reason"]

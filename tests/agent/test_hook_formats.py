"""Each assistant's documented payload, fed to `auditor hook AGENT`: exact answer shapes for
vulnerable and clean edits, new files, files outside the project and garbage on stdin."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from auditor.agent.hook import run_hook

from .conftest import APP, BAD_QUERY, SAFE_QUERY

RULE = "flask.sql.parameterize"


def edit_app(root: Path, old: str = SAFE_QUERY, new: str = BAD_QUERY) -> None:
    path = root / "app.py"
    path.write_text(path.read_text().replace(old, new))


def claude_edit(root: Path, old: str = SAFE_QUERY, new: str = BAD_QUERY, path: str | None = None) -> dict:
    return {
        "session_id": "abc123", "transcript_path": str(root / ".t.jsonl"), "cwd": str(root),
        "permission_mode": "default", "hook_event_name": "PostToolUse", "tool_name": "Edit",
        "tool_input": {"file_path": path or str(root / "app.py"), "old_string": old, "new_string": new},
        "tool_response": {"filePath": path or str(root / "app.py"), "success": True},
    }


def codex_patch(root: Path, old: str = SAFE_QUERY, new: str = BAD_QUERY) -> dict:
    patch = (
        "*** Begin Patch\n*** Update File: app.py\n@@ def user():\n"
        '     uid = request.args.get("id")\n'
        f"-    return str({old}.fetchall())\n"
        f"+    return str({new}.fetchall())\n"
        "*** End Patch\n"
    )
    return {
        "session_id": "s1", "transcript_path": None, "cwd": str(root), "hook_event_name": "PostToolUse",
        "model": "gpt-5-codex", "tool_name": "apply_patch", "tool_use_id": "call_1",
        "tool_input": {"command": patch}, "tool_response": "Success. Updated the following files:\nM app.py\n",
    }


def cursor_edit(root: Path, old: str = SAFE_QUERY, new: str = BAD_QUERY) -> dict:
    return {
        "conversation_id": "c1", "generation_id": "g1", "model": "auto", "hook_event_name": "postToolUse",
        "cursor_version": "2.1.0", "workspace_roots": [str(root)], "user_email": None,
        "tool_name": "Edit", "tool_input": {"file_path": str(root / "app.py"), "old_string": old, "new_string": new},
        "tool_output": "{\"success\": true}", "duration": 12,
    }


def gemini_replace(root: Path, old: str = SAFE_QUERY, new: str = BAD_QUERY) -> dict:
    return {
        "session_id": "g", "transcript_path": "/tmp/t.json", "cwd": str(root), "hook_event_name": "AfterTool",
        "timestamp": "2026-12-04T16:00:00Z", "tool_name": "replace",
        "tool_input": {"file_path": str(root / "app.py"), "old_string": old, "new_string": new},
        "tool_response": {"llmContent": "Successfully modified file", "returnDisplay": "diff"},
    }


def cline_replace(root: Path, old: str = SAFE_QUERY, new: str = BAD_QUERY) -> dict:
    diff = f"------- SEARCH\n{old}\n=======\n{new}\n+++++++ REPLACE\n"
    return {
        "clineVersion": "3.36.0", "hookName": "PostToolUse", "timestamp": "1733328000000", "taskId": "t1",
        "workspaceRoots": [str(root)], "userId": "u1",
        "postToolUse": {"toolName": "replace_in_file", "parameters": {"path": "app.py", "diff": diff},
                        "result": "The content was successfully saved", "success": True, "executionTimeMs": 40},
    }


PAYLOADS = {"claude": claude_edit, "codex": codex_patch, "cursor": cursor_edit, "gemini": gemini_replace,
            "cline": cline_replace}


def feedback_of(agent: str, answer: dict) -> str:
    if agent in ("claude", "codex"):
        assert set(answer) == {"decision", "reason", "hookSpecificOutput"}
        assert answer["decision"] == "block"
        assert set(answer["hookSpecificOutput"]) == {"hookEventName", "additionalContext"}
        assert answer["hookSpecificOutput"]["hookEventName"] == "PostToolUse"
        assert RULE in answer["hookSpecificOutput"]["additionalContext"]
        return answer["reason"]
    if agent == "cursor":
        assert set(answer) == {"additional_context"}
        assert len(answer["additional_context"]) < 10_000
        return answer["additional_context"]
    if agent == "gemini":
        assert set(answer) == {"hookSpecificOutput"}  # no decision: the tool result stays
        assert set(answer["hookSpecificOutput"]) == {"hookEventName", "additionalContext"}
        assert answer["hookSpecificOutput"]["hookEventName"] == "AfterTool"
        return answer["hookSpecificOutput"]["additionalContext"]
    assert set(answer) == {"cancel", "contextModification"}
    assert answer["cancel"] is False
    return answer["contextModification"]


@pytest.mark.parametrize("agent", sorted(PAYLOADS))
def test_vulnerable_edit_is_reported_in_the_agents_shape(project: Path, agent: str):
    edit_app(project)
    out = run_hook(agent, json.dumps(PAYLOADS[agent](project)), offline=True)
    assert out.code == 0 and out.stderr == ""
    text = feedback_of(agent, json.loads(out.stdout))
    assert f"app.py:11 [critical] {RULE}" in text
    assert "Fix: " in text  # the rule's one-line guidance
    assert "Good example (python):" in text and "text(\"SELECT" in text  # the rule's good example


CLEAN_OUTPUT = {"claude": "", "codex": "", "cursor": "{}\n", "gemini": "{}\n", "cline": '{"cancel": false}\n'}


@pytest.mark.parametrize("agent", sorted(PAYLOADS))
def test_clean_edit_prints_nothing_to_read(project: Path, agent: str):
    old, new = 'uid = request.args.get("id")', 'uid = request.args.get("user_id")'
    edit_app(project, old, new)
    payload = PAYLOADS[agent](project, old, new) if agent != "codex" else _codex_line_patch(project, old, new)
    out = run_hook(agent, json.dumps(payload), offline=True)
    assert (out.stdout, out.stderr, out.code) == (CLEAN_OUTPUT[agent], "", 0)


def _codex_line_patch(root: Path, old: str, new: str) -> dict:
    payload = codex_patch(root)
    payload["tool_input"]["command"] = (
        f"*** Begin Patch\n*** Update File: app.py\n@@\n-    {old}\n+    {new}\n*** End Patch\n")
    return payload


@pytest.mark.parametrize("agent", sorted(PAYLOADS))
def test_garbage_on_stdin_is_one_line_on_stderr_and_exit_0(project: Path, agent: str):
    for garbage in ("not json at all", "[1, 2]", "{}", '{"tool_name": 5}'):
        out = run_hook(agent, garbage)
        assert out.code == 0 and out.stdout == CLEAN_OUTPUT[agent]
        assert out.stderr.count("\n") == 1 and "malformed payload" in out.stderr
        assert "Traceback" not in out.stderr


def test_only_what_the_edit_introduced_is_reported(project: Path):
    """A finding already in the file before the edit is not reported again, even when the
    edit moves it to other lines; the new one is."""
    app = project / "app.py"
    old_bad = '    return str(db.execute("SELECT name FROM users WHERE id = " + uid).fetchall())\n'
    app.write_text(APP.replace("@app.route", f'@app.route("/name")\ndef name():\n    db = sqlite3.connect("x.db")\n'
                               f'    uid = request.args.get("id")\n{old_bad}\n\n@app.route'))
    before = app.read_text()
    edit_app(project)
    payload = claude_edit(project)
    answer = json.loads(run_hook("claude", json.dumps(payload), offline=True).stdout)
    assert answer["reason"].count(RULE) == 1
    lines = app.read_text().splitlines()
    new_line = next(i for i, ln in enumerate(lines, 1) if BAD_QUERY in ln)
    assert f"app.py:{new_line} [critical]" in answer["reason"]
    assert "introduced 1 security finding" in answer["reason"]
    # Moving the old finding down (a blank-line insert above it) introduces nothing.
    app.write_text(before)
    moved = before.replace("import sqlite3\n", "import sqlite3\n\n\n")
    app.write_text(moved)
    out = run_hook("claude", json.dumps(claude_edit(project, "import sqlite3\n", "import sqlite3\n\n\n")), offline=True)
    assert out.stdout == ""


def test_a_new_file_reports_everything_in_it(project: Path):
    bad = APP.replace(SAFE_QUERY, BAD_QUERY)
    target = project / "views.py"
    target.write_text(bad)
    payload = {"session_id": "s", "cwd": str(project), "hook_event_name": "PostToolUse", "tool_name": "Write",
               "tool_input": {"file_path": str(target), "content": bad},
               "tool_response": {"type": "create", "filePath": str(target), "content": bad}}
    answer = json.loads(run_hook("claude", json.dumps(payload), offline=True).stdout)
    assert "views.py:11 [critical] flask.sql.parameterize" in answer["reason"]


def test_codex_added_file_is_new(project: Path):
    bad = APP.replace(SAFE_QUERY, BAD_QUERY)
    (project / "api.py").write_text(bad)
    patch = "*** Begin Patch\n*** Add File: api.py\n" + "".join("+" + ln + "\n" for ln in bad.splitlines()) + "*** End Patch\n"
    payload = codex_patch(project)
    payload["tool_input"] = {"command": ["apply_patch", patch]}
    answer = json.loads(run_hook("codex", json.dumps(payload), offline=True).stdout)
    assert "api.py:11 [critical]" in answer["reason"]


def test_cline_write_to_file_and_gemini_write_file(project: Path):
    bad = APP.replace(SAFE_QUERY, BAD_QUERY)
    (project / "new.py").write_text(bad)
    cline = cline_replace(project)
    cline["postToolUse"].update(toolName="write_to_file", parameters={"path": "new.py", "content": bad})
    answer = json.loads(run_hook("cline", json.dumps(cline), offline=True).stdout)
    assert "new.py:11" in answer["contextModification"]
    gem = gemini_replace(project)
    gem.update(tool_name="write_file", tool_input={"file_path": str(project / "new.py"), "content": bad})
    answer = json.loads(run_hook("gemini", json.dumps(gem), offline=True).stdout)
    assert "new.py:11" in answer["hookSpecificOutput"]["additionalContext"]


def test_a_file_outside_the_project_is_not_checked(project: Path, tmp_path: Path):
    outside = tmp_path / "elsewhere.py"
    outside.write_text(APP.replace(SAFE_QUERY, BAD_QUERY))
    payload = claude_edit(project, path=str(outside))
    payload["tool_input"] = {"file_path": str(outside), "content": outside.read_text()}
    payload["tool_name"] = "Write"
    out = run_hook("claude", json.dumps(payload), offline=True)
    assert (out.stdout, out.stderr, out.code) == ("", "", 0)


def test_tools_that_edit_nothing_are_ignored(project: Path):
    payload = claude_edit(project)
    payload.update(tool_name="Bash", tool_input={"command": "ls"})
    assert run_hook("claude", json.dumps(payload)).stdout == ""
    gem = gemini_replace(project)
    gem.update(tool_name="read_file", tool_input={"absolute_path": str(project / "app.py")})
    assert run_hook("gemini", json.dumps(gem)).stdout == "{}\n"


def test_cursor_answer_stays_under_its_limit(project: Path):
    old = 'uid = request.args.get("id")\n'
    new = old + "".join(f'    db.execute("SELECT {i} FROM t WHERE id = " + uid)\n' for i in range(200))
    edit_app(project, old, new)
    answer = json.loads(run_hook("cursor", json.dumps(cursor_edit(project, old, new)), offline=True).stdout)
    text = answer["additional_context"]
    assert len(json.dumps(answer)) < 10_000 and "more: run `auditor scan app.py`" in text


def test_internal_error_never_blocks(project: Path, monkeypatch):
    import auditor.agent.check as check

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(check, "introduced_findings", broken)
    edit_app(project)
    out = run_hook("claude", json.dumps(claude_edit(project)))
    assert out.code == 0 and out.stdout == ""
    assert out.stderr == "auditor hook claude: internal error, edit not checked: RuntimeError: boom\n"


def test_unknown_agent_and_event_are_usage_errors():
    assert run_hook("vim", "{}").code == 2
    assert run_hook("cursor", "{}", event="stop").code == 2


def test_the_command_line_reads_stdin(project: Path):
    edit_app(project)
    proc = subprocess.run([sys.executable, "-m", "auditor", "hook", "gemini"], input=json.dumps(gemini_replace(project)),
                          capture_output=True, text=True, timeout=60, env=_offline_env(project))
    assert proc.returncode == 0, proc.stderr
    assert RULE in json.loads(proc.stdout)["hookSpecificOutput"]["additionalContext"]
    proc = subprocess.run([sys.executable, "-m", "auditor", "hook", "claude"], input="\x00garbage",
                          capture_output=True, text=True, timeout=60)
    assert (proc.returncode, proc.stdout) == (0, "")
    assert proc.stderr.startswith("auditor hook claude: malformed payload") and proc.stderr.count("\n") == 1


def _offline_env(project: Path) -> dict:
    import os

    env = dict(os.environ)
    env["AUDITOR_CACHE_DIR"] = str(project.parent / "cache")
    return env


def test_the_lean_entry_point_answers_the_same(project: Path):
    edit_app(project)
    proc = subprocess.run([sys.executable, "-c", "from auditor.commands.hook import main; main()", "cursor"],
                          input=json.dumps(cursor_edit(project)), capture_output=True, text=True, timeout=60,
                          env=_offline_env(project))
    assert proc.returncode == 0 and RULE in json.loads(proc.stdout)["additional_context"]
    usage = subprocess.run([sys.executable, "-c", "from auditor.commands.hook import main; main()"],
                           input="", capture_output=True, text=True, timeout=60)
    assert usage.returncode == 2 and usage.stderr.startswith("usage: auditor-hook AGENT")


def test_an_agent_started_in_a_subfolder_still_checks_the_repo(project: Path):
    subprocess.run(["git", "init", "-q"], cwd=project, check=True, timeout=30)
    (project / "docs").mkdir()
    edit_app(project)
    payload = claude_edit(project)
    payload["cwd"] = str(project / "docs")
    answer = json.loads(run_hook("claude", json.dumps(payload), offline=True).stdout)
    assert f"app.py:11 [critical] {RULE}" in answer["reason"]


def test_generated_files_are_skipped_as_scan_skips_them(project: Path):
    bad = "# Code generated by protoc. DO NOT EDIT.\n" + APP.replace(SAFE_QUERY, BAD_QUERY)
    (project / "gen.py").write_text(bad)
    payload = {"session_id": "s", "cwd": str(project), "hook_event_name": "PostToolUse", "tool_name": "Write",
               "tool_input": {"file_path": str(project / "gen.py"), "content": bad}}
    assert run_hook("claude", json.dumps(payload), offline=True).stdout == ""
    vendored = project / "node_modules" / "x" / "app.py"
    vendored.parent.mkdir(parents=True)
    vendored.write_text(APP.replace(SAFE_QUERY, BAD_QUERY))
    payload["tool_input"] = {"file_path": str(vendored), "content": vendored.read_text()}
    assert run_hook("claude", json.dumps(payload), offline=True).stdout == ""


def test_claude_multiedit_and_write_with_original_file(project: Path):
    original = (project / "app.py").read_text()
    edits = [{"old_string": 'uid = request.args.get("id")', "new_string": 'uid = request.args.get("user")'},
             {"old_string": SAFE_QUERY, "new_string": BAD_QUERY}]
    after = original
    for e in edits:
        after = after.replace(e["old_string"], e["new_string"])
    (project / "app.py").write_text(after)
    payload = {"session_id": "s", "cwd": str(project), "hook_event_name": "PostToolUse", "tool_name": "MultiEdit",
               "tool_input": {"file_path": str(project / "app.py"), "edits": edits}}
    answer = json.loads(run_hook("claude", json.dumps(payload), offline=True).stdout)
    assert "introduced 1 security finding" in answer["reason"] and RULE in answer["reason"]
    # A whole-file Write that keeps the flaw: Claude reports the file's previous text, so nothing is new.
    rewritten = "# reformatted\n" + after
    (project / "app.py").write_text(rewritten)
    payload = {"session_id": "s", "cwd": str(project), "hook_event_name": "PostToolUse", "tool_name": "Write",
               "tool_input": {"file_path": str(project / "app.py"), "content": rewritten},
               "tool_response": {"type": "update", "filePath": str(project / "app.py"), "originalFile": after}}
    assert run_hook("claude", json.dumps(payload), offline=True).stdout == ""


def test_fingerprint_cache_stays_bounded(tmp_path: Path):
    import os

    from auditor.agent.check import FingerprintCache

    bucket = tmp_path / "ab"
    bucket.mkdir()
    for i in range(210):
        entry = bucket / f"{i:03}.json"
        entry.write_text("[]")
        os.utime(entry, (1_000_000 + i, 1_000_000 + i))
    FingerprintCache._prune(bucket)
    left = sorted(p.name for p in bucket.iterdir())
    assert len(left) == 100 and left[0] == "110.json"  # the newest half of the limit is kept

"""`auditor init`, `rules` and `explain` end to end, in a child process running the real CLI
entry point. Stack detection is replaced in the child by a fixed stack so these tests pin
down init's behaviour, not the detector's."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from auditor.emit.apply import apply_changes, plan_init
from auditor.emit.block import BEGIN, END
from auditor.errors import AuditorError
from auditor.stack.model import Stack, StackComponent, SubProject

CHILD = """
import json, os, sys, types
from pathlib import Path
import auditor.kb.load as load
from auditor.stack.model import Stack, StackComponent, SubProject
test_rules = load.load_rules_from(Path(os.environ["AUDITOR_TEST_RULES"]))
load.load_rules = lambda: test_rules
spec = json.loads(sys.argv[1])
def detect_stack(root):
    projects = []
    for p in spec:
        sub = SubProject(p["path"], ["manifest"])
        for cid, kind in p["components"]:
            sub.add(StackComponent(cid, kind))
        projects.append(sub)
    return Stack(str(root), projects)
fake = types.ModuleType("auditor.stack.detect")
fake.detect_stack = detect_stack
sys.modules["auditor.stack.detect"] = fake
sys.argv = ["auditor", *sys.argv[2:]]
from auditor.cli import main
main()
"""
RULES_DIR = Path(__file__).parent / "rules"
EXPRESS = [{"path": ".", "components": [["javascript", "language"], ["express", "framework"], ["pg", "database"]]}]
PYTHON = [{"path": ".", "components": [["python", "language"]]}]


def auditor(*args: str, stack: list | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", CHILD, json.dumps(EXPRESS if stack is None else stack), *args],
        capture_output=True, text=True, timeout=60, env={**os.environ, "AUDITOR_TEST_RULES": str(RULES_DIR)},
    )


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_default_writes_agents_md_plus_assistants_in_use(tmp_path):
    (tmp_path / ".cursor").mkdir()
    result = auditor("init", str(tmp_path))
    assert result.returncode == 0, result.stderr
    written = set(files(tmp_path))
    assert written == {"AGENTS.md", ".cursor/rules/auditor-core.mdc", ".cursor/rules/auditor-javascript.mdc"}
    assert "created   AGENTS.md" in result.stdout
    assert "express.test.sql" in (tmp_path / "AGENTS.md").read_text()


def test_second_run_changes_nothing_and_check_passes(tmp_path):
    assert auditor("init", str(tmp_path), "--tools", "all").returncode == 0
    snapshot = files(tmp_path)
    again = auditor("init", str(tmp_path), "--tools", "all")
    assert again.returncode == 0
    assert set(again.stdout.split()) - set(snapshot) == {"unchanged"}
    assert files(tmp_path) == snapshot
    check = auditor("init", str(tmp_path), "--tools", "all", "--check")
    assert check.returncode == 0 and check.stderr == ""


def test_check_reports_missing_and_stale_and_writes_nothing(tmp_path):
    result = auditor("init", str(tmp_path), "--check")
    assert result.returncode == 1
    assert "auditor: AGENTS.md: missing" in result.stderr
    assert files(tmp_path) == {}
    auditor("init", str(tmp_path))
    (tmp_path / "AGENTS.md").write_text((tmp_path / "AGENTS.md").read_text().replace("parameter array", "string"))
    stale = auditor("init", str(tmp_path), "--check")
    assert stale.returncode == 1 and "AGENTS.md: stale" in stale.stderr


def test_dry_run_prints_a_diff_and_writes_nothing(tmp_path):
    (tmp_path / "AGENTS.md").write_text("# Mine\n")
    result = auditor("init", str(tmp_path), "--dry-run")
    assert result.returncode == 0
    assert "--- a/AGENTS.md" in result.stdout and "+++ b/AGENTS.md" in result.stdout
    assert f"+{BEGIN}" in result.stdout and " # Mine" in result.stdout
    assert files(tmp_path) == {"AGENTS.md": b"# Mine\n"}
    auditor("init", str(tmp_path))
    assert auditor("init", str(tmp_path), "--dry-run").stdout == "auditor: nothing to change\n"


def test_unbalanced_markers_exit_2_naming_the_file(tmp_path):
    (tmp_path / "AGENTS.md").write_text(f"mine\n{BEGIN}\nhalf a block\n")
    result = auditor("init", str(tmp_path))
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "AGENTS.md" in result.stderr and "marker" in result.stderr
    assert (tmp_path / "AGENTS.md").read_text() == f"mine\n{BEGIN}\nhalf a block\n"


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_folder_exit_2_and_nothing_written(tmp_path):
    (tmp_path / "CLAUDE.md").write_text("mine\n")
    tmp_path.chmod(0o555)
    try:
        result = auditor("init", str(tmp_path), "--tools", "agents,claude")
    finally:
        tmp_path.chmod(0o755)
    assert result.returncode == 2 and "read-only" in result.stderr
    assert files(tmp_path) == {"CLAUDE.md": b"mine\n"}


def test_failed_write_leaves_no_partial_or_temp_file(tmp_path, monkeypatch):
    """A target that cannot be replaced (read-only filesystem, permission denied) ends the run
    with AuditorError (exit 2) and leaves neither a half-written file nor a temp file."""
    (tmp_path / "AGENTS.md").write_text("mine\n")
    stack = Stack(str(tmp_path), [SubProject(".", ["package.json"], [StackComponent("javascript", "language")])])
    changes = plan_init(tmp_path, stack, "agents")

    def deny(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", deny)
    with pytest.raises(AuditorError, match="AGENTS.md: cannot write"):
        apply_changes(changes)
    assert files(tmp_path) == {"AGENTS.md": b"mine\n"}


def test_unreadable_target_is_exit_2(tmp_path):
    (tmp_path / "AGENTS.md").mkdir()
    result = auditor("init", str(tmp_path))
    assert result.returncode == 2 and "AGENTS.md: is a directory" in result.stderr


def test_unknown_tool_is_exit_2(tmp_path):
    result = auditor("init", str(tmp_path), "--tools", "claude,vim")
    assert result.returncode == 2 and "'vim'" in result.stderr and "cursor" in result.stderr
    assert files(tmp_path) == {}


def test_list_tools():
    result = auditor("init", "--list-tools")
    assert result.returncode == 0
    tools = [line.split()[0] for line in result.stdout.splitlines()]
    assert sorted(tools) == sorted(["agents", "claude", "cursor", "copilot", "gemini", "windsurf", "cline",
                                    "kiro", "junie", "amazonq", "continue"])


def test_rerun_after_stack_change_updates_in_place_and_removes_own_files(tmp_path):
    (tmp_path / "AGENTS.md").write_text("# Mine\n")
    (tmp_path / ".cursor").mkdir()
    auditor("init", str(tmp_path))
    assert (tmp_path / ".cursor/rules/auditor-javascript.mdc").exists()
    result = auditor("init", str(tmp_path), stack=PYTHON)
    assert result.returncode == 0
    assert "removed   .cursor/rules/auditor-javascript.mdc" in result.stdout
    assert "updated   AGENTS.md" in result.stdout
    text = (tmp_path / "AGENTS.md").read_text()
    assert text.startswith("# Mine\n\n" + BEGIN) and text.endswith(END + "\n")
    assert "express.test.sql" not in text and "python.test.shell" in text


def test_rules_command_ranks_and_fits_the_budget(tmp_path):
    full = auditor("rules", str(tmp_path))
    assert full.returncode == 0
    assert "Detected stack: javascript, express, with pg." in full.stdout
    assert full.stdout.index("`express.test.sql`") < full.stdout.index("`express.test.headers`")
    assert "python.test.shell" not in full.stdout
    budget = len(full.stdout) - 40  # room for both rules but not both examples
    cut = auditor("rules", str(tmp_path), "--max-chars", str(budget))
    assert len(cut.stdout) <= budget + 1  # print() adds one newline
    assert "`express.test.headers`" in cut.stdout and cut.stdout.count("Do this:") == 1
    room_for_one = full.stdout.index("### Set security headers") + 120
    tight = auditor("rules", str(tmp_path), "--max-chars", str(room_for_one))
    assert len(tight.stdout) <= room_for_one + 1
    assert "`express.test.sql`" in tight.stdout and "`express.test.headers`" not in tight.stdout
    assert "1 lower-ranked rule left out" in tight.stdout and "`auditor rules`" in tight.stdout
    data = json.loads(auditor("rules", str(tmp_path), "--format", "json").stdout)
    assert [r["id"] for r in data["rules"]] == ["express.test.sql", "express.test.headers"]


def test_explain_prints_the_whole_rule():
    result = auditor("explain", "express.test.sql")
    assert result.returncode == 0
    for needle in ("CWE-89", "A03:2021", "critical", "Bad example", "Good example", "node-postgres.com",
                   "frameworks express; any of pg"):
        assert needle in result.stdout
    unknown = auditor("explain", "express.test.nope")
    assert unknown.returncode == 2 and "did you mean" in unknown.stderr

"""Writer selection, scoping across sub-projects, and the diff renderer."""

from __future__ import annotations

import pytest
from emit_helpers import PY, PY_RULES, content_for, make_rule, project, stack

from auditor.emit.apply import render_diff, select_writers
from auditor.emit.interface import FileChange
from auditor.errors import AuditorError


@pytest.mark.parametrize(
    "sign, tool",
    [("CLAUDE.md", "claude"), (".claude/settings.json", "claude"), (".cursorrules", "cursor"),
     (".github/copilot-instructions.md", "copilot"), (".github/instructions/x.instructions.md", "copilot"),
     ("GEMINI.md", "gemini"), (".windsurfrules", "windsurf"), (".clinerules", "cline"),
     (".kiro/steering/product.md", "kiro"), (".junie/guidelines.md", "junie"), (".amazonq/rules/a.md", "amazonq"),
     (".continue/config.yaml", "continue")],
)
def test_default_tools_are_agents_plus_signs_of_use(tmp_path, sign, tool):
    (tmp_path / sign).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / sign).write_text("x\n")
    assert [w.tool for w in select_writers(tmp_path, None)] == ["agents", tool]


def test_bare_repo_gets_agents_md_only(tmp_path):
    assert [w.tool for w in select_writers(tmp_path, None)] == ["agents"]


def test_explicit_and_all(tmp_path):
    assert [w.tool for w in select_writers(tmp_path, "Cursor, kiro")] == ["cursor", "kiro"]
    assert len(select_writers(tmp_path, "all")) == 11
    with pytest.raises(AuditorError, match="unknown tool 'nope'"):
        select_writers(tmp_path, "nope")


def test_sub_projects_with_different_rules_get_their_own_scope_files():
    st = stack(project("api", "python", "django"), project("jobs", "python", "flask"), project("admin", "python", "django"))
    rules = [make_rule("django.a", frameworks=("django",)), make_rule("flask.b", frameworks=("flask",)),
             make_rule("python.c", languages=("python",))]
    scopes = {s.key: s for s in content_for(st, rules).scopes}
    assert set(scopes) == {"python-admin", "python-jobs"}
    assert scopes["python-admin"].globs == ("admin/**/*.py", "api/**/*.py")  # same rules: one file
    assert [r.id for r in scopes["python-jobs"].rules] == ["flask.b", "python.c"]
    assert scopes["python-jobs"].label == "Python files in jobs/"


def test_root_project_scope_is_unprefixed():
    st = stack(project(".", "python", "django"), project("tools", "python", "django"))
    (scope,) = content_for(st, [make_rule("django.a", frameworks=("django",))]).scopes
    assert scope.globs == ("**/*.py",) and scope.key == "python"


def test_rule_paths_join_the_scope_globs():
    rule = make_rule("django.settings", frameworks=("django",))
    rule = type(rule)(**{**rule.__dict__, "paths": ("**/settings.py", "**/.env")})
    (scope,) = content_for(PY, [rule]).scopes
    assert scope.globs == ("**/*.py", "**/settings.py", "**/.env")


def test_diff_uses_relative_paths_and_dev_null(tmp_path):
    changes = [
        FileChange(tmp_path / "AGENTS.md", None, "new\n", True),
        FileChange(tmp_path / "x" / "auditor-old.md", "old\n", "", True, remove=True),
        FileChange(tmp_path / "same.md", "s\n", "s\n", False),
        FileChange(tmp_path / "GEMINI.md", "a", "a\nb", True),
    ]
    diff = render_diff(changes, tmp_path)
    assert "--- /dev/null\n+++ b/AGENTS.md\n" in diff
    assert "--- a/x/auditor-old.md\n+++ /dev/null\n" in diff
    assert "same.md" not in diff and str(tmp_path) not in diff
    assert "\\ No newline at end of file" in diff


def test_empty_stack_means_no_rules_and_no_scopes():
    content = content_for(stack(), PY_RULES)
    assert content.rules == () and content.scopes == ()

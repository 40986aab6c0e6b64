"""Each writer: its tool's frontmatter, path scoping, idempotence, and its budget."""

from __future__ import annotations

import pytest
import yaml
from emit_helpers import (
    JS,
    JS_RULES,
    MONO,
    PY,
    PY_RULES,
    content_for,
    make_rule,
    run,
    split_frontmatter,
    yaml_frontmatter,
)

from auditor.emit.agents import AgentsWriter
from auditor.emit.amazonq import AmazonQWriter
from auditor.emit.apply import apply_changes, list_writers
from auditor.emit.block import BEGIN, END
from auditor.emit.claude import ClaudeWriter
from auditor.emit.cline import ClineWriter
from auditor.emit.continue_ import ContinueWriter
from auditor.emit.copilot import CopilotWriter
from auditor.emit.cursor import CursorWriter
from auditor.emit.files import GENERATED_MARK
from auditor.emit.gemini import GeminiWriter
from auditor.emit.junie import JunieWriter
from auditor.emit.kiro import KiroWriter
from auditor.emit.windsurf import WindsurfWriter


def read(root, rel: str) -> str:
    return (root / rel).read_text(encoding="utf-8")


def test_every_writer_is_idempotent(tmp_path):
    for writer in list_writers():
        first = run(writer, tmp_path, MONO, PY_RULES + JS_RULES)
        assert any(c.changed for c in first), writer.tool
        again = writer.plan(tmp_path, content_for(MONO, PY_RULES + JS_RULES))
        assert not [c.path for c in again if c.changed], writer.tool


def test_every_writer_has_an_id_and_description():
    writers = list_writers()
    assert len({w.tool for w in writers}) == len(writers) == 11
    assert all(w.describe for w in writers)


# --- Claude Code ------------------------------------------------------------------------


def test_claude_block_and_paths_frontmatter(tmp_path):
    run(ClaudeWriter(), tmp_path, PY, PY_RULES)
    claude = read(tmp_path, "CLAUDE.md")
    assert claude.startswith(BEGIN) and ".claude/rules/auditor-python.md" in claude
    rules = read(tmp_path, ".claude/rules/auditor-python.md")
    assert yaml_frontmatter(rules) == {"paths": ["**/*.py"]}
    assert GENERATED_MARK in rules and "django.sql.raw" in rules


def test_claude_uses_dot_claude_memory_file_when_that_is_the_one(tmp_path):
    (tmp_path / ".claude").mkdir()
    (tmp_path / ".claude" / "CLAUDE.md").write_text("mine\n")
    run(ClaudeWriter(), tmp_path, PY, PY_RULES)
    assert not (tmp_path / "CLAUDE.md").exists()
    assert BEGIN in read(tmp_path, ".claude/CLAUDE.md")


@pytest.mark.parametrize("user_lines", [0, 150, 185])
def test_claude_md_stays_under_200_lines(tmp_path, many_rules, user_lines):
    (tmp_path / "CLAUDE.md").write_text("".join(f"user line {i}\n" for i in range(user_lines)))
    run(ClaudeWriter(), tmp_path, PY, many_rules)
    text = read(tmp_path, "CLAUDE.md")
    assert len(text.splitlines()) < 200
    assert text.startswith("".join(f"user line {i}\n" for i in range(user_lines)))


# --- AGENTS.md --------------------------------------------------------------------------


def test_agents_md_holds_every_rule_without_frontmatter(tmp_path):
    run(AgentsWriter(), tmp_path, MONO, PY_RULES + JS_RULES)
    text = read(tmp_path, "AGENTS.md")
    assert not text.startswith("---")
    for rule in PY_RULES + JS_RULES:
        assert f"`{rule.id}`" in text
    assert "Applies in: services/api/" in text  # monorepo: rule limited to its sub-project


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_agents_md_fits_32_kib_with_user_text(tmp_path, many_rules, newline):
    user = ("User guidance line that is fairly long, to use up bytes. é\n" * 150).replace("\n", newline)
    (tmp_path / "AGENTS.md").write_bytes(user.encode())
    run(AgentsWriter(), tmp_path, PY, many_rules)
    data = (tmp_path / "AGENTS.md").read_bytes()
    assert len(data) <= 32 * 1024
    assert data.startswith(user.encode())
    text = data.decode()
    assert "lower-ranked rules left out" in text and "`auditor rules`" in text


# --- Cursor -----------------------------------------------------------------------------


def cursor_fields(text: str) -> dict[str, str]:
    """Read frontmatter the way Cursor's line reader does: `key: rest of line`, verbatim."""
    front, _ = split_frontmatter(text)
    return {k.strip(): v.strip() for k, v in (line.split(":", 1) for line in front.splitlines())}


def test_cursor_mdc_frontmatter(tmp_path):
    run(CursorWriter(), tmp_path, JS, JS_RULES)
    core = cursor_fields(read(tmp_path, ".cursor/rules/auditor-core.mdc"))
    assert core["alwaysApply"] == "true" and core["globs"] == "" and core["description"]
    scoped = cursor_fields(read(tmp_path, ".cursor/rules/auditor-javascript.mdc"))
    assert scoped["alwaysApply"] == "false" and scoped["description"]
    globs = scoped["globs"].split(",")
    assert "**/*.ts" in globs and "**/*.jsx" in globs
    assert not any(ch in scoped["globs"] for ch in "\"' {}[]")  # quotes/spaces/braces break Cursor's matching


def test_cursor_monorepo_globs_are_per_sub_project(tmp_path):
    run(CursorWriter(), tmp_path, MONO, PY_RULES + JS_RULES)
    py = cursor_fields(read(tmp_path, ".cursor/rules/auditor-python.mdc"))
    js = cursor_fields(read(tmp_path, ".cursor/rules/auditor-javascript.mdc"))
    assert py["globs"] == "services/api/**/*.py"
    assert all(g.startswith("web/**/") for g in js["globs"].split(","))


# --- Copilot ----------------------------------------------------------------------------


def test_copilot_apply_to_frontmatter(tmp_path):
    run(CopilotWriter(), tmp_path, PY, PY_RULES)
    front = yaml_frontmatter(read(tmp_path, ".github/instructions/auditor-python.instructions.md"))
    assert front["applyTo"] == "**/*.py" and "Python" in front["description"]
    shared = read(tmp_path, ".github/copilot-instructions.md")
    assert not shared.startswith("---")  # repository-wide instructions take no frontmatter


def test_copilot_block_comes_first_and_ends_within_4000_chars(tmp_path, many_rules):
    user = "User instructions. " * 600  # ~11k characters of the user's own text
    (tmp_path / ".github").mkdir()
    (tmp_path / ".github" / "copilot-instructions.md").write_text(user)
    run(CopilotWriter(), tmp_path, PY, many_rules)
    text = read(tmp_path, ".github/copilot-instructions.md")
    assert text.index(END) + len(END) <= 4000
    assert text.endswith(user)
    assert "django.r000" in text[:4000]  # the top rule is named in the part code review reads
    for path in (tmp_path / ".github" / "instructions").iterdir():
        assert len(path.read_text()) <= 4000


# --- Gemini, Junie, Amazon Q (unscoped) -------------------------------------------------


@pytest.mark.parametrize(
    "writer, rel",
    [(GeminiWriter(), "GEMINI.md"), (JunieWriter(), ".junie/guidelines.md"),
     (AmazonQWriter(), ".amazonq/rules/auditor-security.md")],
)
def test_unscoped_formats_are_plain_markdown_with_every_rule(tmp_path, writer, rel):
    run(writer, tmp_path, PY, PY_RULES)
    text = read(tmp_path, rel)
    assert not text.startswith("---")
    assert all(f"`{r.id}`" in text for r in PY_RULES)


# --- Windsurf ---------------------------------------------------------------------------


def test_windsurf_trigger_and_globs(tmp_path, many_rules):
    run(WindsurfWriter(), tmp_path, PY, many_rules)
    core = read(tmp_path, ".windsurf/rules/auditor-core.md")
    assert yaml_frontmatter(core) == {"trigger": "always_on"}
    scoped = read(tmp_path, ".windsurf/rules/auditor-python.md")
    front = yaml_frontmatter(scoped)
    assert front["trigger"] == "glob" and front["globs"] == ["**/*.py"] and front["description"]
    assert len(core) <= 6000 and len(scoped) <= 6000


def test_windsurf_legacy_file_gets_a_block_within_6000_chars(tmp_path, many_rules):
    user = "Legacy rules the user wrote.\n" * 40
    (tmp_path / ".windsurfrules").write_text(user)
    changes = run(WindsurfWriter(), tmp_path, PY, many_rules)
    assert [c.path.name for c in changes] == [".windsurfrules"]
    text = read(tmp_path, ".windsurfrules")
    assert len(text) <= 6000 and text.startswith(user) and BEGIN in text
    assert not (tmp_path / ".windsurf").exists()


# --- Cline ------------------------------------------------------------------------------


def test_cline_folder_paths_frontmatter(tmp_path):
    run(ClineWriter(), tmp_path, PY, PY_RULES)
    core = read(tmp_path, ".clinerules/auditor-core.md")
    assert not core.startswith("---")  # no frontmatter: always active
    assert yaml_frontmatter(read(tmp_path, ".clinerules/auditor-python.md")) == {"paths": ["**/*.py"]}


def test_cline_single_file_gets_a_block(tmp_path):
    (tmp_path / ".clinerules").write_text("My cline rules\n")
    run(ClineWriter(), tmp_path, PY, PY_RULES)
    text = read(tmp_path, ".clinerules")
    assert text.startswith("My cline rules\n\n" + BEGIN) and "django.sql.raw" in text


# --- Kiro -------------------------------------------------------------------------------


def test_kiro_inclusion_frontmatter(tmp_path):
    run(KiroWriter(), tmp_path, MONO, PY_RULES + JS_RULES)
    assert yaml_frontmatter(read(tmp_path, ".kiro/steering/auditor-core.md")) == {"inclusion": "always"}
    py = yaml_frontmatter(read(tmp_path, ".kiro/steering/auditor-python.md"))
    assert py == {"inclusion": "fileMatch", "fileMatchPattern": "services/api/**/*.py"}
    js = yaml_frontmatter(read(tmp_path, ".kiro/steering/auditor-javascript.md"))
    assert isinstance(js["fileMatchPattern"], list) and "web/**/*.ts" in js["fileMatchPattern"]


# --- Continue ---------------------------------------------------------------------------


def test_continue_name_globs_always_apply(tmp_path):
    run(ContinueWriter(), tmp_path, PY, PY_RULES)
    core = yaml_frontmatter(read(tmp_path, ".continue/rules/auditor-core.md"))
    assert core["name"] and core["alwaysApply"] is True
    scoped = yaml_frontmatter(read(tmp_path, ".continue/rules/auditor-python.md"))
    assert scoped["name"] and scoped["globs"] == ["**/*.py"] and scoped["alwaysApply"] is False


# --- owned files ------------------------------------------------------------------------


def test_scope_file_removed_when_language_leaves_the_stack_user_files_kept(tmp_path):
    run(CursorWriter(), tmp_path, MONO, PY_RULES + JS_RULES)
    user_rule = tmp_path / ".cursor" / "rules" / "auditor-notes.mdc"
    user_rule.write_text("---\nalwaysApply: true\n---\nmy own notes\n")
    changes = CursorWriter().plan(tmp_path, content_for(PY, PY_RULES))
    removed = sorted(c.path.name for c in changes if c.remove)
    assert removed == ["auditor-javascript.mdc"]
    apply_changes(changes)
    assert user_rule.exists() and not (tmp_path / ".cursor/rules/auditor-javascript.mdc").exists()


def test_user_file_with_our_name_is_not_overwritten(tmp_path):
    target = tmp_path / ".cursor" / "rules" / "auditor-python.mdc"
    target.parent.mkdir(parents=True)
    target.write_text("user content\n")
    with pytest.raises(Exception, match="not written by auditor"):
        CursorWriter().plan(tmp_path, content_for(PY, PY_RULES))


def test_owned_crlf_file_keeps_crlf(tmp_path):
    run(KiroWriter(), tmp_path, PY, PY_RULES)
    path = tmp_path / ".kiro/steering/auditor-python.md"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    changes = KiroWriter().plan(tmp_path, content_for(PY, PY_RULES))
    assert not [c for c in changes if c.changed]  # same content, CRLF kept: nothing to do


def test_no_rules_still_writes_a_truthful_file(tmp_path):
    run(AgentsWriter(), tmp_path, PY, [])
    assert "No rule in auditor's knowledge base matches this stack yet" in read(tmp_path, "AGENTS.md")


def test_frontmatter_is_valid_yaml_everywhere_but_cursor(tmp_path):
    rules = PY_RULES + JS_RULES + [make_rule("spring.x", frameworks=("spring-boot",), example="java")]
    for writer in list_writers():
        if writer.tool == "cursor":
            continue
        run(writer, tmp_path, MONO, rules)
    for path in tmp_path.rglob("auditor-*"):
        text = path.read_text()
        if text.startswith("---\n"):
            assert isinstance(yaml.safe_load(split_frontmatter(text)[0]), dict), path


def test_cross_cutting_rules_go_in_the_always_part_shortened(tmp_path):
    secrets = make_rule("secrets.test.keys", "high", languages=("python", "javascript", "go"), guidance=4)
    run(CursorWriter(), tmp_path, PY, PY_RULES + [secrets])
    core = read(tmp_path, ".cursor/rules/auditor-core.mdc")
    scoped = read(tmp_path, ".cursor/rules/auditor-python.mdc")
    assert "`secrets.test.keys`" in core and "secrets.test.keys" not in scoped
    assert "Guidance 1 for secrets.test.keys" in core and "Guidance 2 for secrets.test.keys" not in core
    assert "good_secrets_test_keys()" not in core  # no examples in always-loaded text
    assert "(`django.sql.raw`)" in core  # the top scoped rule is named in the always part
    assert "Guidance 2 for django.sql.raw" in scoped and "good_django_sql_raw()" in scoped

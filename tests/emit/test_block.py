"""The shared marked-block writer: user text kept byte for byte, one block, clear errors."""

from __future__ import annotations

import pytest

from auditor.emit.block import BEGIN, END, block_change
from auditor.errors import AuditorError


def write(path, body: str = "- rule one\n", placement: str = "end") -> str:
    change = block_change(path, lambda around: body, placement)
    path.write_bytes(change.after.encode("utf-8"))
    return change.after


def outside(text: str) -> str:
    return text[: text.index(BEGIN)] + text[text.index(END) + len(END):]


def test_new_file_holds_only_the_block(tmp_path):
    text = write(tmp_path / "AGENTS.md")
    assert text.startswith(BEGIN + "\n") and text.endswith(END + "\n")
    assert "- rule one\n" in text


def test_appended_after_one_blank_line_user_text_untouched(tmp_path):
    path = tmp_path / "AGENTS.md"
    user = "# My project\n\nUse tabs.\n"
    path.write_text(user)
    text = write(path)
    assert text.startswith(user + "\n" + BEGIN)
    assert text.count(BEGIN) == 1


def test_file_without_trailing_newline(tmp_path):
    path = tmp_path / "AGENTS.md"
    path.write_bytes(b"no newline at end")
    text = write(path)
    assert text.startswith("no newline at end\n\n" + BEGIN)
    assert write(path) == text  # idempotent


def test_crlf_file_stays_crlf_and_bytes_outside_are_kept(tmp_path):
    path = tmp_path / "CLAUDE.md"
    user = b"# Title\r\n\r\nKeep me \xc3\xa9 exactly.\r\n"
    path.write_bytes(user)
    write(path)
    data = path.read_bytes()
    assert data.startswith(user + b"\r\n" + BEGIN.encode())
    assert b"\n" not in data.replace(b"\r\n", b"")  # no bare LF anywhere
    write(path, body="- changed rule\n")
    data2 = path.read_bytes()
    assert data2.startswith(user) and b"- changed rule\r\n" in data2


def test_replaces_only_between_markers(tmp_path):
    path = tmp_path / "GEMINI.md"
    before = "intro line\n\n"
    after = "\n## User section after the block\ntrailing text without newline"
    path.write_text(f"{before}{BEGIN}\nold auditor text\n{END}{after}")
    text = write(path, body="- new rule\n")
    assert outside(text) == before + after
    assert "old auditor text" not in text and "- new rule" in text


def test_second_run_changes_nothing(tmp_path):
    path = tmp_path / "AGENTS.md"
    path.write_text("user\n")
    write(path)
    change = block_change(path, lambda around: "- rule one\n")
    assert not change.changed


def test_block_at_start_when_asked(tmp_path):
    path = tmp_path / "copilot-instructions.md"
    path.write_text("User instructions.\n")
    text = write(path, placement="start")
    assert text.startswith(BEGIN) and text.endswith(END + "\n\nUser instructions.\n")
    assert write(path, placement="start") == text


@pytest.mark.parametrize(
    "text",
    [
        f"{BEGIN}\nno end\n",
        f"no begin\n{END}\n",
        f"{END}\nreversed\n{BEGIN}\n",
        f"{BEGIN}\na\n{END}\n{BEGIN}\nb\n{END}\n",
    ],
)
def test_unbalanced_or_repeated_markers_are_refused_naming_the_file(tmp_path, text):
    path = tmp_path / "AGENTS.md"
    path.write_text(text)
    with pytest.raises(AuditorError) as exc:
        block_change(path, lambda around: "x\n")
    assert str(path) in str(exc.value) and "marker" in str(exc.value)


def test_marker_text_inside_a_line_is_not_a_marker(tmp_path):
    path = tmp_path / "AGENTS.md"
    path.write_text(f"We use `{BEGIN}` markers.\n")
    text = write(path)
    assert text.startswith(f"We use `{BEGIN}` markers.\n\n{BEGIN}\n")


def test_non_utf8_file_is_refused(tmp_path):
    path = tmp_path / "AGENTS.md"
    path.write_bytes(b"caf\xe9\n")
    with pytest.raises(AuditorError, match="not UTF-8"):
        block_change(path, lambda around: "x\n")


def test_surroundings_describe_the_final_file(tmp_path):
    path = tmp_path / "AGENTS.md"
    path.write_text("A\n")
    seen = []
    block_change(path, lambda around: seen.append(around) or "x\n")
    assert seen[0].before == "A\n\n" and seen[0].after == "\n" and seen[0].newline == "\n"

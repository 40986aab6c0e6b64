"""Which files a tree walk yields inside a git work tree."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from auditor.fsutil import walk_files


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True, timeout=30)
    (tmp_path / ".gitignore").write_text("scratch/\n*.log\n", encoding="utf-8")
    (tmp_path / "app.py").write_text("x = 1\n", encoding="utf-8")
    (tmp_path / "debug.log").write_text("noise\n", encoding="utf-8")
    lab = tmp_path / "scratch" / "lab"
    lab.mkdir(parents=True)
    (lab / "server.py").write_text("y = 2\n", encoding="utf-8")
    (lab / "node_modules").mkdir()
    (lab / "node_modules" / "dep.js").write_text("z\n", encoding="utf-8")
    return tmp_path


def test_ignored_files_are_left_out_of_the_work_tree(repo: Path) -> None:
    assert list(walk_files(repo)) == [".gitignore", "app.py"]


def test_a_root_git_ignores_is_walked_in_full_not_reported_empty(repo: Path) -> None:
    # Named on purpose: a checkout under an ignored scratch folder. Dependency folders stay out.
    assert list(walk_files(repo / "scratch" / "lab")) == ["server.py"]
    assert list(walk_files(repo / "scratch")) == ["lab/server.py"]

"""`pre-commit try-repo` against a temporary git repo: the hooks in .pre-commit-hooks.yaml fail
on a staged vulnerable file, naming the rule, and pass on its fixed twin. Offline: the hooks
use the installed `auditor` (language: system), so pre-commit installs nothing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import APP, BAD_QUERY, SAFE_QUERY

REPO_ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.email=t@example.com", "-c", "user.name=t", "-c", "commit.gpgsign=false",
                    *args], cwd=cwd, check=True, capture_output=True, timeout=60)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    pytest.importorskip("pre_commit")
    bin_dir = str(Path(sys.executable).parent)  # where this venv's `auditor` lives
    return {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""),
            "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "AUDITOR_CACHE_DIR": str(tmp_path / "cache"),
            "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(tmp_path)}


@pytest.fixture
def hook_repo(tmp_path: Path) -> Path:
    """A git repo holding this checkout's hook definitions (try-repo clones it)."""
    repo = tmp_path / "hooks"
    repo.mkdir()
    shutil.copy(REPO_ROOT / ".pre-commit-hooks.yaml", repo / ".pre-commit-hooks.yaml")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "hooks")
    return repo


def try_repo(project: Path, hook_repo: Path, hook: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), hook],
                          cwd=project, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "app"
    root.mkdir()
    git(root, "init", "-q")
    (root / "requirements.txt").write_text("flask==3.0.0\n")
    git(root, "add", "requirements.txt")
    git(root, "commit", "-qm", "start")
    return root


def test_scan_hook_fails_on_a_staged_vulnerable_file_and_passes_on_its_fixed_twin(project: Path, hook_repo: Path, env):
    (project / "app.py").write_text(APP.replace(SAFE_QUERY, BAD_QUERY))
    git(project, "add", "app.py")
    failed = try_repo(project, hook_repo, "auditor-scan", env)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "flask.sql.parameterize" in failed.stdout and "app.py" in failed.stdout

    (project / "app.py").write_text(APP)
    git(project, "add", "app.py")
    passed = try_repo(project, hook_repo, "auditor-scan", env)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout


def test_secrets_hook_fails_on_a_staged_key(project: Path, hook_repo: Path, env):
    key = "q8Jd0vW2mX9pL4tR7sY1uZ3bN6cF5hG2kE8aD0iO"
    (project / "config.py").write_text('AWS_ACCESS_KEY_ID = "AKIA' + 'Z7QW3ERTY5UIOP2X"\n'
                                       f'AWS_SECRET_ACCESS_KEY = "{key}"\n')
    git(project, "add", "config.py")
    failed = try_repo(project, hook_repo, "auditor-secrets", env)
    assert failed.returncode == 1 and "config.py" in failed.stdout and key not in failed.stdout
    (project / "config.py").write_text('import os\nAWS_SECRET_ACCESS_KEY = os.environ["AWS_SECRET_ACCESS_KEY"]\n')
    git(project, "add", "config.py")
    assert try_repo(project, hook_repo, "auditor-secrets", env).returncode == 0


def test_rules_hook_fails_when_the_rules_files_are_stale(project: Path, hook_repo: Path, env):
    subprocess.run([sys.executable, "-m", "auditor", "init", "."], cwd=project, env=env, check=True,
                   capture_output=True, timeout=120)
    git(project, "add", "-A")
    assert try_repo(project, hook_repo, "auditor-rules", env).returncode == 0
    (project / "requirements.txt").write_text("flask==3.0.0\ndjango==5.1\n")
    git(project, "add", "requirements.txt")
    stale = try_repo(project, hook_repo, "auditor-rules", env)
    assert stale.returncode == 1 and "AGENTS.md: stale" in stale.stdout

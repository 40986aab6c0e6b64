"""`auditor secrets`: tree scan, --history (commit and real line numbers, found after the
secret was removed), reports in every format without the raw secret, exit codes."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from auditor.commands.secrets import run_secrets
from auditor.findings import Severity
from auditor.secrets.history import scan_history
from auditor.secrets.scanner import to_report_findings

from .fakekeys import FakeKeys

K = FakeKeys(11)


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), "-c", "user.email=t@example.org", "-c", "user.name=t", *args],
                          check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """Commit 1 adds a Stripe key at line 3; commit 2 removes it; commit 3 adds a GitHub
    token to another file at line 2 (still present)."""
    keys = {"stripe": K.stripe_live(), "github": K.github_classic()}
    git(tmp_path, "init", "-q")
    (tmp_path / "pay.py").write_text(f'import stripe\n\nstripe.api_key = "{keys["stripe"]}"\n')
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "add payments")
    (tmp_path / "pay.py").write_text('import os\nimport stripe\n\nstripe.api_key = os.environ["STRIPE_KEY"]\n')
    git(tmp_path, "commit", "-qam", "use env")
    (tmp_path / "gh.js").write_text(f'// client\nconst token = "{keys["github"]}";\n')
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "gh")
    return tmp_path, keys


def test_history_finds_removed_secret_with_commit_and_line(repo):
    root, keys = repo
    first = git(root, "rev-list", "--max-parents=0", "HEAD")
    findings = to_report_findings(scan_history(root))
    by_type = {f.extra["secret_type"]: f for f in findings}
    stripe = by_type["stripe-secret-key"]
    assert (stripe.path, stripe.line, stripe.extra["commit"]) == ("pay.py", 3, first)
    github = by_type["github-classic-pat"]
    assert (github.path, github.line, github.extra["commit"]) == ("gh.js", 2, git(root, "rev-parse", "HEAD"))
    assert len(findings) == 2


def test_history_outside_git_is_a_clear_error(tmp_path):
    from auditor.errors import AuditorError

    with pytest.raises(AuditorError, match="not a git repository"):
        scan_history(tmp_path)


@pytest.mark.parametrize("fmt", ["json", "sarif", "text"])
def test_reports_never_contain_the_secret(repo, tmp_path_factory, fmt):
    root, keys = repo
    out = tmp_path_factory.mktemp("out") / f"report.{fmt}"
    code = run_secrets(root, history=True, verify=False, format=fmt, output=out, fail_on=Severity.HIGH)
    text = out.read_text()
    assert code == 1
    for secret in keys.values():
        assert secret not in text and secret[3:-3] not in text
    if fmt == "json":
        data = json.loads(text)
        assert {f["secret_type"] for f in data["findings"]} == {"stripe-secret-key", "github-classic-pat"}
        assert all(f["verified"] is None for f in data["findings"])
        assert any(f.get("commit") for f in data["findings"])
        assert data["stats"]["files"] >= 2


def test_exit_code_and_fail_on(tmp_path):
    (tmp_path / "a.py").write_text(f'API_TOKEN = "{K.jwt_secret()}"\n')  # generic: medium
    assert run_secrets(tmp_path, False, False, "json", tmp_path / "r.json", Severity.HIGH) == 0
    assert run_secrets(tmp_path, False, False, "json", tmp_path / "r.json", Severity.MEDIUM) == 1


def test_single_file_and_inline_suppression(tmp_path, capsys):
    target = tmp_path / "keys.py"
    target.write_text(f'A = "{K.github_classic()}"  # auditor: ignore[hardcoded-secret] rotated, test key\n'
                      f'\nB = "{K.github_classic()}"\n')
    code = run_secrets(target, False, False, "json", None, Severity.HIGH)
    data = json.loads(capsys.readouterr().out)
    assert code == 1
    assert [(f["path"], f["line"]) for f in data["findings"]] == [("keys.py", 3)]

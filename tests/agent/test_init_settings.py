"""`auditor init --hooks/--mcp/--ci github`: entries merged into the user's settings files,
everything else kept, atomic, a second run a no-op, and `init --check` covering them."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import tomlkit

from auditor.agent.ci import fit_sarif
from auditor.agent.setup import plan_setup
from auditor.stack.detect import detect_stack

ALL = "claude,codex,cursor,gemini,cline,kiro,copilot"


@dataclass
class Run:
    exit_code: int
    output: str


def init(root: Path, *flags: str) -> Run:
    proc = subprocess.run([sys.executable, "-m", "auditor", "init", str(root), *flags],
                          capture_output=True, text=True, timeout=120)
    return Run(proc.returncode, proc.stdout + proc.stderr)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "requirements.txt").write_text("flask==3.0.0\n")
    return root


def test_every_assistant_gets_its_hooks_and_mcp_entry(repo: Path):
    result = init(repo, "--hooks", "--mcp", "--tools", ALL)
    assert result.exit_code == 0, result.output
    claude = json.loads((repo / ".claude/settings.json").read_text())
    post = claude["hooks"]["PostToolUse"][0]
    assert post["matcher"] == "Write|Edit|MultiEdit" and post["hooks"][0]["command"] == "auditor-hook claude"
    assert claude["hooks"]["Stop"][0]["hooks"][0]["command"] == "auditor-hook claude --event stop"
    assert claude["hooks"]["UserPromptSubmit"][0]["hooks"][0]["command"] == "auditor-hook claude --event prompt"
    codex = json.loads((repo / ".codex/hooks.json").read_text())
    assert codex["hooks"]["PostToolUse"][0]["matcher"] == "apply_patch"
    assert tomlkit.parse((repo / ".codex/config.toml").read_text())["mcp_servers"]["auditor"]["args"] == ["mcp"]
    cursor = json.loads((repo / ".cursor/hooks.json").read_text())
    assert cursor == {"version": 1, "hooks": {"postToolUse": [{"command": "auditor-hook cursor"}]}}
    gemini = json.loads((repo / ".gemini/settings.json").read_text())
    assert gemini["hooks"]["AfterTool"][0]["matcher"] == "write_file|replace"
    assert gemini["mcpServers"]["auditor"] == {"command": "auditor", "args": ["mcp"]}
    script = repo / ".clinerules/hooks/PostToolUse"
    assert script.read_text().endswith("exec auditor-hook cline\n") and script.stat().st_mode & stat.S_IXUSR
    kiro = json.loads((repo / ".kiro/hooks/auditor-security-check.kiro.hook").read_text())
    assert kiro["when"]["type"] == "fileEdited" and "scan_code" in kiro["then"]["prompt"]
    for rel in (".mcp.json", ".cursor/mcp.json", ".kiro/settings/mcp.json"):
        assert json.loads((repo / rel).read_text())["mcpServers"]["auditor"] == {"command": "auditor", "args": ["mcp"]}
    assert json.loads((repo / ".vscode/mcp.json").read_text())["servers"]["auditor"]["type"] == "stdio"


def test_user_settings_are_kept_and_a_second_run_changes_nothing(repo: Path):
    (repo / ".claude").mkdir()
    user = {"permissions": {"allow": ["Bash(npm test)"]}, "model": "opus",
            "hooks": {"PostToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "echo hi"}]}],
                      "Stop": [{"hooks": [{"type": "command", "command": "auditor hook claude --event stop"}]}]}}
    (repo / ".claude/settings.json").write_text(json.dumps(user, indent=4) + "\n")
    (repo / ".codex").mkdir()
    toml = '# my codex settings\nmodel = "gpt-5"  # fast\n\n[mcp_servers.docs]\ncommand = "docs-mcp"\n'
    (repo / ".codex/config.toml").write_text(toml)
    (repo / ".mcp.json").write_text('{"mcpServers": {"auditor": {"command": "/opt/bin/auditor", "args": ["mcp"]}}}\n')
    assert init(repo, "--hooks", "--mcp", "--tools", "claude,codex").exit_code == 0

    claude = json.loads((repo / ".claude/settings.json").read_text())
    assert claude["permissions"] == user["permissions"] and claude["model"] == "opus"
    assert claude["hooks"]["PostToolUse"][0] == user["hooks"]["PostToolUse"][0]
    assert claude["hooks"]["Stop"] == user["hooks"]["Stop"]  # their own spelling of our hook: not doubled
    assert (repo / ".claude/settings.json").read_text().startswith('{\n    "permissions"')  # the file's indent
    codex = (repo / ".codex/config.toml").read_text()
    assert codex.startswith(toml) and "[mcp_servers.auditor]" in codex  # comments and layout kept
    # An auditor server the user configured by hand is theirs.
    assert json.loads((repo / ".mcp.json").read_text())["mcpServers"]["auditor"]["command"] == "/opt/bin/auditor"

    snapshot = {p: p.read_bytes() for p in repo.rglob("*") if p.is_file()}
    second = init(repo, "--hooks", "--mcp", "--tools", "claude,codex")
    assert second.exit_code == 0 and "updated" not in second.output and "created" not in second.output
    assert {p: p.read_bytes() for p in repo.rglob("*") if p.is_file()} == snapshot
    assert init(repo, "--check", "--hooks", "--mcp", "--tools", "claude,codex").exit_code == 0


def test_check_reports_missing_hook_settings(repo: Path):
    assert init(repo, "--tools", "cursor").exit_code == 0
    result = init(repo, "--check", "--hooks", "--tools", "cursor")
    assert result.exit_code == 1 and ".cursor/hooks.json: missing" in result.output
    assert not (repo / ".cursor/hooks.json").exists()


def test_an_mcp_entry_goes_into_a_file_with_comments_as_text(repo: Path):
    (repo / ".vscode").mkdir()
    jsonc = ('{\n  // servers I use\n  "servers": {\n    "gh": {"type": "http", "url": "https://example.test/mcp"} // mine\n'
             '  },\n  /* prompts */ "inputs": [],\n}\n')
    (repo / ".vscode/mcp.json").write_text(jsonc)
    assert init(repo, "--mcp", "--tools", "copilot").exit_code == 0
    text = (repo / ".vscode/mcp.json").read_text()
    assert "// servers I use" in text and "// mine" in text and "/* prompts */" in text
    assert text.replace('\n    "auditor": {"type": "stdio", "command": "auditor", "args": ["mcp"]},', "", 1) == jsonc
    second = init(repo, "--mcp", "--tools", "copilot")
    assert second.exit_code == 0 and (repo / ".vscode/mcp.json").read_text() == text


def test_hooks_are_not_written_into_a_file_with_comments(repo: Path):
    (repo / ".gemini").mkdir()
    jsonc = '{\n  // my theme\n  "theme": "dark"\n}\n'
    (repo / ".gemini/settings.json").write_text(jsonc)
    result = init(repo, "--hooks", "--mcp", "--tools", "gemini")
    assert result.exit_code == 2
    assert ".gemini/settings.json: not plain JSON" in result.output and '"AfterTool"' in result.output
    assert (repo / ".gemini/settings.json").read_text() == jsonc
    assert not (repo / "AGENTS.md").exists()  # planning failed before anything was written


def test_a_foreign_hook_script_is_never_replaced(repo: Path):
    hooks = repo / ".clinerules/hooks"
    hooks.mkdir(parents=True)
    (hooks / "PostToolUse").write_text("#!/bin/sh\necho mine\n")
    result = init(repo, "--hooks", "--tools", "cline")
    assert result.exit_code == 2 and "was not written by auditor" in result.output
    assert (hooks / "PostToolUse").read_text() == "#!/bin/sh\necho mine\n"


def test_assistants_in_use_are_detected(repo: Path):
    (repo / ".cursor").mkdir()
    changes = plan_setup(repo, detect_stack(repo), None, hooks=True, mcp=True)
    rels = {c.path.relative_to(repo).as_posix() for c in changes}
    assert {".cursor/hooks.json", ".cursor/mcp.json"} <= rels
    assert ".claude/settings.json" not in rels and ".codex/hooks.json" not in rels


def test_ci_github_workflow(repo: Path):
    assert init(repo, "--ci", "github").exit_code == 0
    text = (repo / ".github/workflows/auditor.yml").read_text()
    assert "security-events: write" in text and "github/codeql-action/upload-sarif@v4" in text
    assert '--diff "origin/${{ github.base_ref }}"' in text and "--fail-on" in text
    import yaml

    flow = yaml.safe_load(text)
    assert flow["permissions"]["security-events"] == "write"
    assert init(repo, "--check", "--ci", "github").exit_code == 0
    assert init(repo, "--ci", "gitlab").exit_code == 2


def test_fit_sarif_keeps_within_githubs_limits(tmp_path: Path):
    results = [{"ruleId": "r", "level": "note" if i % 2 else "error", "message": {"text": "x" * 50 + str(i)},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": f"f{i}.py"},
                                                    "region": {"startLine": 1, "snippet": {"text": os.urandom(64).hex()}}}}]}
               for i in range(30_000)]
    path = tmp_path / "r.sarif"
    path.write_text(json.dumps({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "auditor"}}, "results": results}]}))
    removed = fit_sarif(path, max_gzipped=1_000_000)
    data = json.loads(path.read_text())
    kept = data["runs"][0]["results"]
    assert len(kept) <= 25_000 and removed == 30_000 - len(kept)
    import gzip

    assert len(gzip.compress(path.read_bytes())) <= 1_000_000 * 1.05  # indent adds a little
    assert all(r["level"] == "error" for r in kept[:100])  # the most serious are kept first

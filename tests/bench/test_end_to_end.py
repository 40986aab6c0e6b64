"""End to end against fake model servers on 127.0.0.1: the fake writes insecure code unless
the system prompt carries the rule's guidance, so the `auditor` condition must show a large
reduction against `none` with an interval excluding zero, through every provider."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from auditor.cli import app as cli_app
from auditor.commands.bench import RunOptions, run_bench
from auditor.errors import AuditorError

from .fakes import FakeModel, answer
from .replies import SECURE

TASKS = ",".join(sorted(SECURE))
CONDITIONS = "none,generic,auditor"
SAMPLES = 2
JOBS = len(SECURE) * 3 * SAMPLES


def _options(out: Path, **kw) -> RunOptions:
    base = dict(provider="openai", model="fake-1", out=out, task_ids=TASKS, conditions=CONDITIONS, samples=SAMPLES,
                concurrency=3, functional=False, peers=False, resamples=500, backoff=0.01)
    base.update(kw)
    return RunOptions(**base)


def _check_summary(out: Path, model: str = "fake-1") -> dict:
    summary = json.loads((out / "summary.json").read_text())
    runs = {(r["model"], r["condition"]): r for r in summary["runs"]}
    assert set(runs) == {(model, c) for c in CONDITIONS.split(",")}
    assert set(runs[(model, "none")]) == {"model", "condition", "samples", "vulnerable_rate", "vulnerable_ci",
                                          "functional_pass_rate", "correct_and_secure_rate"}
    assert runs[(model, "none")]["samples"] == len(SECURE) * SAMPLES
    assert runs[(model, "none")]["vulnerable_rate"] == 1.0
    assert runs[(model, "generic")]["vulnerable_rate"] == 1.0
    assert runs[(model, "auditor")]["vulnerable_rate"] == 0.0
    comp = {c["condition"]: c for c in summary["comparisons"]}
    assert set(comp["auditor"]) == {"model", "baseline", "condition", "relative_reduction", "ci"}
    assert comp["auditor"]["relative_reduction"] == 1.0
    lo, hi = comp["auditor"]["ci"]
    assert 0 < lo <= hi  # the interval excludes zero
    assert comp["generic"]["relative_reduction"] == 0.0
    assert (out / "report.html").read_text().startswith("<!doctype html>")
    return summary


def test_openai_compatible_run(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-local-only")
    with FakeModel("openai", key="sk-test-local-only", throttle=2) as fake:
        assert run_bench(_options(tmp_path, base_url=fake.base_url)) == 0
    assert fake.throttled == 2 and fake.bad_auth == 0  # the 429s were retried
    assert fake.requests == JOBS
    summary = _check_summary(tmp_path)
    assert summary["usage"]["requests"] == JOBS and summary["usage"]["input_tokens"] > 0
    assert "fake-1" in capsys.readouterr().out  # the terminal table
    # The auditor condition sent exactly what `auditor init` writes: AGENTS.md's text.
    assert any("<!-- auditor:begin -->" in system for system, _ in fake.prompts)
    # A rerun finds everything stored and asks nothing.
    with FakeModel("openai", key="sk-test-local-only") as again:
        assert run_bench(_options(tmp_path, base_url=again.base_url)) == 0
    assert again.requests == 0


def test_anthropic_run(tmp_path, monkeypatch):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "ak-test-local-only")
    with FakeModel("anthropic", key="ak-test-local-only") as fake:
        assert run_bench(_options(tmp_path, provider="anthropic", model="fake-2", base_url=fake.base_url)) == 0
    assert fake.requests == JOBS and fake.bad_auth == 0
    _check_summary(tmp_path, "fake-2")


def test_replay_run(tmp_path):
    # The replay "fake" is a JSONL file written by the same fake model.
    from auditor.bench.conditions import SystemPrompts
    from auditor.bench.prompts import user_prompt
    from auditor.bench.tasks import load_tasks

    prompts = SystemPrompts()
    lines = []
    for task in (t for t in load_tasks() if t.id in SECURE):
        for condition in CONDITIONS.split(","):
            for sample in range(SAMPLES):
                text = answer(prompts.get(task, condition), user_prompt(task))
                lines.append(json.dumps({"task": task.id, "condition": condition, "model": "fake-3",
                                         "sample": sample, "reply": text}))
    replay = tmp_path / "gen.jsonl"
    replay.write_text("\n".join(lines) + "\n")
    out = tmp_path / "run"
    assert run_bench(_options(out, provider="replay", model="fake-3", replay=replay)) == 0
    _check_summary(out, "fake-3")


def test_missing_anthropic_key_is_a_clean_error(tmp_path, monkeypatch):
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    with pytest.raises(AuditorError, match="set ANTHROPIC_API_KEY"):
        run_bench(_options(tmp_path, provider="anthropic"))


def _run_cli(args: list[str], **kw) -> subprocess.Popen:
    env = {**os.environ, "OPENAI_API_KEY": "sk-test-local-only"}
    # A suite started in the background by a non-interactive shell inherits SIGINT ignored, and so
    # would the child: give it the default disposition, as a terminal's Ctrl-C would find it.
    return subprocess.Popen([sys.executable, "-m", "auditor", "bench", "run", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL), **kw)


def test_interrupted_run_resumes_without_sending_a_request_twice(tmp_path):
    out = tmp_path / "run"
    args = ["--provider", "openai", "--model", "fake-1", "--out", str(out), "--task", TASKS, "--conditions",
            CONDITIONS, "--samples", str(SAMPLES), "--concurrency", "2", "--no-functional", "--no-peers"]
    with FakeModel("openai", delay=0.05, hold_after=4) as fake:
        proc = _run_cli([*args, "--base-url", fake.base_url])
        deadline = time.monotonic() + 60
        while fake.requests < 4 and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.2)  # the client is now blocked on held answers, inside its generation loop
        proc.send_signal(signal.SIGINT)
        fake.release()  # the answers in flight at the interrupt complete and are kept
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 130, err
        first = fake.requests
        assert 4 <= first < JOBS
        rerun = _run_cli([*args, "--base-url", fake.base_url])
        _, err = rerun.communicate(timeout=120)
        assert rerun.returncode == 0, err
    assert fake.requests == JOBS  # every job exactly once across both runs
    _check_summary(out)


def test_shards_and_merge(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from auditor.commands.bench import merge_runs

    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-local-only")
    with FakeModel("openai") as fake:
        for i in (1, 2):
            assert run_bench(_options(tmp_path / f"s{i}", base_url=fake.base_url, shard=f"{i}/2")) == 0
    assert fake.requests == JOBS
    assert merge_runs([tmp_path / "s1", tmp_path / "s2"], tmp_path / "all") == 0
    result = CliRunner().invoke(cli_app, ["bench", "report", str(tmp_path / "all"), "--format", "json"])
    assert result.exit_code == 0, result.output
    _check_summary(tmp_path / "all")


@pytest.mark.skipif(not all(__import__("importlib").util.find_spec(m) for m in ("flask",)),
                    reason="Flask is not installed: functional checks cannot run")
def test_functional_checks_run(tmp_path, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-local-only")
    with FakeModel("openai") as fake:
        assert run_bench(_options(tmp_path, base_url=fake.base_url, task_ids="flask-orders-by-status",
                                  conditions="none,auditor", samples=1, functional=True)) == 0
    runs = {r["condition"]: r for r in json.loads((tmp_path / "summary.json").read_text())["runs"]}
    assert runs["none"]["functional_pass_rate"] == 1.0 and runs["none"]["correct_and_secure_rate"] == 0.0
    assert runs["auditor"]["functional_pass_rate"] == 1.0 and runs["auditor"]["correct_and_secure_rate"] == 1.0


def test_cli_errors_are_one_line_exit_2(tmp_path):
    for args in (["report", str(tmp_path / "nothing")],
                 ["run", "--provider", "replay", "--model", "m", "--out", str(tmp_path / "r"), "--task", "nope"],
                 ["run", "--provider", "bogus", "--model", "m", "--out", str(tmp_path / "r")]):
        proc = subprocess.run([sys.executable, "-m", "auditor", "bench", *args], capture_output=True, text=True,
                              timeout=60)
        assert proc.returncode == 2, (args, proc.stderr)
        assert proc.stderr.startswith("auditor: ") and proc.stderr.count("\n") == 1, proc.stderr
    listing = subprocess.run([sys.executable, "-m", "auditor", "bench", "tasks"], capture_output=True, text=True,
                             timeout=60)
    assert listing.returncode == 0 and "flask-orders-by-status" in listing.stdout

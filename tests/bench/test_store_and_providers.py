"""Store keys and merging; provider retries, timeouts and key handling against local servers;
the functional checker's clean environment; conditions."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from auditor.bench.conditions import CONDITIONS, GENERIC, SystemPrompts, parse_conditions, placebo_text
from auditor.bench.generate import Shard
from auditor.bench.judges.functional import clean_env
from auditor.bench.providers.http import HttpSettings, RateLimiter
from auditor.bench.providers.interface import GenerationRequest, ProviderError
from auditor.bench.providers.openai import OpenAIProvider
from auditor.bench.store import Generation, Store
from auditor.bench.tasks import load_tasks
from auditor.errors import AuditorError


def gen(task: str, sample: int = 0, error: str | None = None, created: float = 1.0, h: str = "h1") -> Generation:
    return Generation(task, "none", "m", sample, h, None if error else f"reply {task}", error=error, created=created)


def test_store_done_keys_skip_failures_and_newest_prompt_wins(tmp_path):
    store = Store(tmp_path)
    store.put_generation(gen("a"))
    store.put_generation(gen("b", error="HTTP 500"))
    store.put_generation(gen("a", h="h2", created=2.0))  # the prompt changed: generated again
    assert ("b", "none", "m", 0, "h1") not in store.done_keys()
    assert [g.prompt_hash for g in store.generations()] == ["h2"]
    assert store.failures() == 1


def test_merge_adds_missing_rows_and_success_replaces_failure(tmp_path):
    one, two = Store(tmp_path / "1"), Store(tmp_path / "2")
    one.put_generation(gen("a"))
    one.put_generation(gen("b", error="timeout"))
    two.put_generation(gen("b"))
    two.put_generation(gen("c"))
    two.close()
    one.merge_from(tmp_path / "2")
    assert sorted(g.task for g in one.generations()) == ["a", "b", "c"]
    assert one.failures() == 0
    with pytest.raises(AuditorError, match="not a bench run directory"):
        one.merge_from(tmp_path / "nowhere")


def test_shard_parsing_and_partition():
    assert Shard.parse("2/3") == Shard(2, 3)
    for bad in ("0/2", "3/2", "x", "1-2"):
        with pytest.raises(AuditorError):
            Shard.parse(bad)
    parts = [[p for p in range(10) if Shard(i, 3).take(p)] for i in (1, 2, 3)]
    assert sorted(sum(parts, [])) == list(range(10))


class Flaky:
    """Answers 503 `fail` times, then hangs `hang` times past the client timeout, then succeeds."""

    def __init__(self, fail: int = 0, hang: int = 0, status: int = 503) -> None:
        self.fail, self.hang, self.status, self.calls, self.auth = fail, hang, status, 0, []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a: object) -> None:
                pass

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers["Content-Length"]))
                outer.calls += 1
                outer.auth.append(self.headers.get("Authorization"))
                if outer.fail:
                    outer.fail -= 1
                    self.send_response(outer.status)
                    self.end_headers()
                    return
                if outer.hang:
                    outer.hang -= 1
                    time.sleep(0.6)
                data = json.dumps({"choices": [{"message": {"content": "ok"}}],
                                   "usage": {"prompt_tokens": 3, "completion_tokens": 1}}).encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


REQUEST = GenerationRequest("t", "none", "m", 0, "", "hello", "h")


def test_retries_with_backoff_then_succeeds(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-local-test")
    flaky = Flaky(fail=2, hang=1)
    try:
        provider = OpenAIProvider(flaky.url, HttpSettings(timeout=0.3, retries=3, backoff=0.01))
        done = provider.complete(REQUEST)
    finally:
        flaky.close()
    assert (done.text, done.input_tokens, done.output_tokens) == ("ok", 3, 1)
    assert flaky.calls == 4 and set(flaky.auth) == {"Bearer sk-local-test"}


def test_client_errors_are_not_retried_and_never_show_the_key(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-local-secret")
    flaky = Flaky(fail=5, status=401)
    try:
        provider = OpenAIProvider(flaky.url, HttpSettings(retries=3, backoff=0.01))
        with pytest.raises(ProviderError) as err:
            provider.complete(REQUEST)
    finally:
        flaky.close()
    assert flaky.calls == 1 and "401" in str(err.value) and "sk-local-secret" not in str(err.value)


def test_rate_limiter_spaces_requests():
    limiter = RateLimiter(per_minute=600)  # one every 0.1 s
    start = time.monotonic()
    for _ in range(4):
        limiter.wait()
    assert time.monotonic() - start >= 0.29


def test_generated_code_gets_no_keys(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-x")
    monkeypatch.setenv("ANTHROPIC_API_KEY", "ak-x")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "y")
    env = clean_env()
    assert "PATH" in env and not any("KEY" in k or "SECRET" in k for k in env)


def test_auditor_condition_is_exactly_what_init_writes(tmp_path):
    from typer.testing import CliRunner

    from auditor.bench.tasks import write_files
    from auditor.cli import app

    task = next(t for t in load_tasks() if t.id == "express-login")
    write_files(tmp_path, task.scaffold)
    assert CliRunner().invoke(app, ["init", str(tmp_path)]).exit_code == 0
    assert SystemPrompts().get(task, "auditor") == (tmp_path / "AGENTS.md").read_text(encoding="utf-8")


def test_conditions():
    assert parse_conditions(None) == list(CONDITIONS)
    assert parse_conditions("auditor,none,auditor") == ["auditor", "none"]
    with pytest.raises(AuditorError, match="unknown condition magic"):
        parse_conditions("none,magic")
    assert len(placebo_text(1234)) == 1234 and placebo_text(0) == ""
    task = next(t for t in load_tasks() if t.id == "fastapi-orders-by-status")
    prompts = SystemPrompts().for_task(task)
    assert prompts["none"] == "" and prompts["generic"] == GENERIC
    assert len(prompts["placebo"]) == len(prompts["auditor"])
    assert "sql-injection" in prompts["oracle"] and "xss" not in prompts["oracle"]


def test_functional_checker_reports_why_it_cannot_run(tmp_path):
    from auditor.bench.judges.functional import FunctionalChecker

    tasks = {t.id: t for t in load_tasks()}
    checker = FunctionalChecker(python=str(tmp_path / "no-python"))
    assert "not installed for" in checker.unavailable(tasks["flask-orders-by-status"])
    assert checker.unavailable(tasks["react-comment-list"]) == tasks["react-comment-list"].no_check
    assert checker.run(tasks["react-comment-list"], tmp_path).passed is None

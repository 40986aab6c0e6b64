"""`auditor bench run | report | tasks | merge`: wiring between the CLI and auditor.bench."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

from auditor.bench.judging import JudgeSettings
from auditor.bench.providers.interface import Provider
from auditor.errors import AuditorError
from auditor.findings import Severity

PROVIDERS = ("openai", "anthropic", "replay")


@dataclass(frozen=True)
class RunOptions:
    provider: str
    model: str
    out: Path
    base_url: str | None = None
    replay: Path | None = None
    frameworks: str | None = None
    categories: str | None = None
    task_ids: str | None = None
    conditions: str | None = None
    samples: int = 1
    concurrency: int = 4
    rpm: float = 0
    timeout: float = 120
    retries: int = 4
    temperature: float = 0.7
    max_tokens: int = 4096
    price_in: float = 0.0
    price_out: float = 0.0
    shard: str | None = None
    functional: bool = True
    peers: bool = True
    semgrep_config: str = "p/default"
    min_severity: str = "medium"
    resamples: int = 2000
    seed: int = 20240611
    backoff: float = 1.0
    check_python: str | None = None


def _split(text: str | None) -> list[str] | None:
    return [x for x in (text or "").split(",") if x.strip()] or None


def make_provider(options: RunOptions) -> Provider:
    from auditor.bench.providers.http import HttpSettings, RateLimiter

    settings = HttpSettings(timeout=options.timeout, retries=options.retries, backoff=options.backoff,
                            limiter=RateLimiter(options.rpm))
    if options.provider == "openai":
        from auditor.bench.providers.openai import OpenAIProvider

        return OpenAIProvider(options.base_url, settings)
    if options.provider == "anthropic":
        from auditor.bench.providers.anthropic import AnthropicProvider

        return AnthropicProvider(options.base_url, settings)
    if options.provider == "replay":
        from auditor.bench.providers.replay import ReplayProvider

        if options.replay is None:
            raise AuditorError("--provider replay needs --replay FILE.jsonl")
        return ReplayProvider(options.replay)
    raise AuditorError(f"--provider: unknown provider {options.provider!r} (known: {', '.join(PROVIDERS)})")


def _judge_settings(options: RunOptions) -> JudgeSettings:
    try:
        severity = Severity.parse(options.min_severity)
    except ValueError as exc:
        raise AuditorError(f"--min-severity: {exc}") from None
    return JudgeSettings(functional=options.functional, peers=options.peers, semgrep_config=options.semgrep_config,
                         min_severity=severity, concurrency=max(1, min(options.concurrency, 4)),
                         python=options.check_python or sys.executable)


def run_bench(options: RunOptions) -> int:
    """Generate what is missing, judge what is unjudged, write the report. 130 when interrupted."""
    from auditor.bench.conditions import SystemPrompts, parse_conditions
    from auditor.bench.generate import Pricing, Shard, generate, plan_jobs
    from auditor.bench.judging import judge_pending
    from auditor.bench.store import Store
    from auditor.bench.tasks import load_tasks, select_tasks
    from auditor.progress import LazyProgress

    if options.samples < 1 or options.concurrency < 1:
        raise AuditorError("--samples and --concurrency must be at least 1")
    tasks = select_tasks(load_tasks(), _split(options.frameworks), _split(options.categories), _split(options.task_ids))
    if not tasks:
        raise AuditorError("no task matches --framework/--category")
    conditions = parse_conditions(options.conditions)
    shard = Shard.parse(options.shard)
    judge_settings = _judge_settings(options)
    provider = make_provider(options)
    store = Store(options.out)
    try:
        jobs = plan_jobs(tasks, conditions, options.model, options.samples, shard, SystemPrompts(),
                         options.temperature, options.max_tokens)
        with LazyProgress("generating") as progress:
            report = generate(store, provider, jobs, options.concurrency,
                              Pricing(options.price_in, options.price_out), progress.update)
        sys.stderr.write(f"auditor: {report.planned} generations planned, {report.already} already stored, "
                         f"{report.sent} requested, {report.failed} failed\n")
        if report.failed:
            sys.stderr.write(f"auditor: last error: {report.last_error}\n"
                             "auditor: failed generations are retried by running the same command again\n")
        if report.interrupted:
            sys.stderr.write("auditor: interrupted; everything received is saved, rerun to continue\n")
            return 130
        with LazyProgress("judging") as progress:
            judge_pending(store, {t.id: t for t in tasks}, judge_settings, progress.update)
    finally:
        provider.close()
        store.close()
    return report_bench(options.out, "text", resamples=options.resamples, seed=options.seed)


def _results(directory: Path) -> tuple[list[dict], dict]:
    from auditor.bench.judging import load_results
    from auditor.bench.store import Store
    from auditor.bench.tasks import load_tasks

    store = Store(directory, create=False)
    try:
        return load_results(store, {t.id: t for t in load_tasks()}), store.usage()
    finally:
        store.close()


def report_bench(directory: Path, format: str, resamples: int = 2000, seed: int = 20240611) -> int:
    """Write DIR/summary.json and DIR/report.html from the store; print the chosen format."""
    from auditor.bench.html import render_html
    from auditor.bench.summary import build_summary, text_table
    from auditor.fsutil import atomic_write

    results, usage = _results(directory)
    if not results:
        raise AuditorError(f"{directory}: no judged generations yet (run `auditor bench run` first)")
    summary = build_summary(results, resamples=resamples, seed=seed, usage=usage)
    payload = json.dumps(summary, indent=2) + "\n"
    html = render_html(summary)
    atomic_write(directory / "summary.json", payload)
    atomic_write(directory / "report.html", html)
    if format == "json":
        sys.stdout.write(payload)
    elif format == "html":
        sys.stdout.write(html)
    else:
        sys.stdout.write(text_table(summary))
        sys.stderr.write(f"auditor: wrote {directory / 'summary.json'} and {directory / 'report.html'}\n")
    return 0


def list_tasks() -> int:
    from auditor.bench.tasks import load_tasks

    tasks = load_tasks()
    for t in tasks:
        check = t.runner if t.has_check else "-"
        print(f"{t.id:<32} {t.framework:<12} {t.category:<26} {check}")
    print(f"{len(tasks)} tasks; {sum(t.has_check for t in tasks)} with a functional check "
          "(pytest or node); '-' = none (see the task's no_check)")
    return 0


def merge_runs(directories: list[Path], out: Path | None) -> int:
    """Join the stores of shard run directories into `out` (default: the first directory)."""
    from auditor.bench.store import Store

    if not directories:
        raise AuditorError("merge: give at least one run directory")
    target = out or directories[0]
    sources = [d for d in directories if d.resolve() != target.resolve()]
    store = Store(target)
    try:
        for d in sources:
            added = store.merge_from(d)
            print(f"merged {d}: {added} rows")
    finally:
        store.close()
    return 0

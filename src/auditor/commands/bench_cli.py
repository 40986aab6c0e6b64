"""The `auditor bench` Typer sub-app. Kept apart from cli.py (which only registers it) and
light to import: the work is in auditor.commands.bench, imported when a command runs."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

app = typer.Typer(help="Measure how much the rules help a model write secure code.", no_args_is_help=True,
                  add_completion=False, rich_markup_mode=None)


class ReportFormat(StrEnum):
    text = "text"
    json = "json"
    html = "html"


@app.command("run")
def run(
    provider: str = typer.Option(..., "--provider", help="openai (any OpenAI-compatible endpoint), anthropic, replay."),
    model: str = typer.Option(..., "--model", help="Model name as the provider knows it."),
    out: Path = typer.Option(..., "--out", help="Run directory (holds bench.sqlite; rerun to resume)."),
    base_url: str | None = typer.Option(None, "--base-url", help="API base URL (vLLM, Ollama, llama.cpp, gateways)."),
    replay: Path | None = typer.Option(None, "--replay", help="JSONL of stored generations (--provider replay)."),
    framework: str | None = typer.Option(None, "--framework", help="Comma-separated framework ids."),
    category: str | None = typer.Option(None, "--category", help="Comma-separated category ids."),
    task: str | None = typer.Option(None, "--task", help="Comma-separated task ids."),
    conditions: str | None = typer.Option(None, "--conditions", help="none,generic,auditor,placebo,oracle (default all)."),
    samples: int = typer.Option(1, "--samples", help="Generations per task and condition."),
    concurrency: int = typer.Option(4, "--concurrency", help="Requests in flight at once."),
    rpm: float = typer.Option(0, "--rpm", help="At most this many requests per minute (0: no limit)."),
    timeout: float = typer.Option(120, "--timeout", help="Seconds per request."),
    retries: int = typer.Option(4, "--retries", help="Retries of a rate-limited or failed request, with backoff."),
    temperature: float = typer.Option(0.7, "--temperature"),
    max_tokens: int = typer.Option(4096, "--max-tokens"),
    price_in: float = typer.Option(0.0, "--price-in", help="Dollars per million input tokens, for the cost figure."),
    price_out: float = typer.Option(0.0, "--price-out", help="Dollars per million output tokens."),
    shard: str | None = typer.Option(None, "--shard", help="Run part i of n (i/n); join the parts with `merge`."),
    no_functional: bool = typer.Option(False, "--no-functional", help="Skip the functional checks."),
    check_python: str | None = typer.Option(None, "--check-python",
                                            help="Python with Flask/FastAPI/Django and pytest for the checks."),
    no_peers: bool = typer.Option(False, "--no-peers", help="Do not run Semgrep/Bandit even when installed."),
    semgrep_config: str = typer.Option("p/default", "--semgrep-config", help="Semgrep rules for the peer judge."),
    min_severity: str = typer.Option("medium", "--min-severity", help="Lowest finding severity that counts as vulnerable."),
    seed: int = typer.Option(20240611, "--seed", help="Bootstrap seed."),
) -> None:
    """Generate (what is missing), judge and report."""
    from auditor.commands.bench import RunOptions, run_bench

    raise typer.Exit(run_bench(RunOptions(
        provider=provider, model=model, out=out, base_url=base_url, replay=replay, frameworks=framework,
        categories=category, task_ids=task, conditions=conditions, samples=samples, concurrency=concurrency,
        rpm=rpm, timeout=timeout, retries=retries, temperature=temperature, max_tokens=max_tokens,
        price_in=price_in, price_out=price_out, shard=shard, functional=not no_functional, peers=not no_peers,
        semgrep_config=semgrep_config, min_severity=min_severity, seed=seed,
        check_python=check_python)))


@app.command("report")
def report(
    directory: Path = typer.Argument(..., help="Run directory."),
    format: ReportFormat = typer.Option(ReportFormat.text, "--format", "-f"),
    seed: int = typer.Option(20240611, "--seed", help="Bootstrap seed."),
) -> None:
    """Write DIR/summary.json and DIR/report.html; print the chosen format."""
    from auditor.commands.bench import report_bench

    raise typer.Exit(report_bench(directory, format.value, seed=seed))


@app.command("tasks")
def tasks() -> None:
    """List the benchmark tasks."""
    from auditor.commands.bench import list_tasks

    raise typer.Exit(list_tasks())


@app.command("merge")
def merge(
    directories: list[Path] = typer.Argument(..., help="Run directories (e.g. one per shard)."),
    out: Path | None = typer.Option(None, "--out", help="Merge into this directory (default: the first)."),
) -> None:
    """Join the stores of several run directories."""
    from auditor.commands.bench import merge_runs

    raise typer.Exit(merge_runs(list(directories), out))

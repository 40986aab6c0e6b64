"""Generation: plan the (task, condition, model, sample) jobs of this shard, skip those the
store already has, and ask the provider for the rest with a pool of worker threads.

Only the main thread touches the store, and it saves each reply as it arrives. On Ctrl-C no
new request starts; requests already in flight are waited for and saved, so a rerun never
sends a request twice."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass

from auditor.bench.conditions import SystemPrompts
from auditor.bench.prompts import prompt_hash, user_prompt
from auditor.bench.providers.interface import Completion, GenerationRequest, Provider, ProviderError
from auditor.bench.store import Generation, Store
from auditor.bench.tasks import Task
from auditor.errors import AuditorError


@dataclass(frozen=True)
class Shard:
    """Part `index` (1-based) of `count`: jobs are dealt round-robin in a fixed order."""

    index: int = 1
    count: int = 1

    @classmethod
    def parse(cls, text: str | None) -> Shard:
        if not text:
            return cls()
        try:
            i, n = (int(x) for x in text.split("/"))
        except ValueError:
            raise AuditorError(f"--shard: expected i/n such as 1/4, got {text!r}") from None
        if not 1 <= i <= n:
            raise AuditorError(f"--shard: {text}: need 1 <= i <= n")
        return cls(i, n)

    def take(self, position: int) -> bool:
        return position % self.count == self.index - 1


@dataclass(frozen=True)
class Pricing:
    """Dollars per million input and output tokens (given by the user; 0 when unknown)."""

    input: float = 0.0
    output: float = 0.0

    def cost(self, c: Completion) -> float:
        return (c.input_tokens * self.input + c.output_tokens * self.output) / 1_000_000


@dataclass
class GenerationReport:
    planned: int = 0
    already: int = 0
    sent: int = 0
    failed: int = 0
    interrupted: bool = False
    last_error: str = ""


def plan_jobs(tasks: Sequence[Task], conditions: Sequence[str], model: str, samples: int, shard: Shard,
              prompts: SystemPrompts, temperature: float, max_tokens: int) -> list[GenerationRequest]:
    jobs: list[GenerationRequest] = []
    position = 0
    for task in sorted(tasks, key=lambda t: t.id):
        user = user_prompt(task)
        for condition in conditions:
            for sample in range(samples):
                position += 1
                if not shard.take(position - 1):
                    continue
                system = prompts.get(task, condition)
                jobs.append(GenerationRequest(
                    task=task.id, condition=condition, model=model, sample=sample, system=system, user=user,
                    prompt_hash=prompt_hash(system, user, temperature, max_tokens),
                    temperature=temperature, max_tokens=max_tokens))
    return jobs


def _call(provider: Provider, job: GenerationRequest) -> tuple[Completion | None, str | None, float]:
    start = time.perf_counter()
    try:
        return provider.complete(job), None, time.perf_counter() - start
    except ProviderError as exc:
        return None, str(exc), time.perf_counter() - start
    except Exception as exc:  # noqa: BLE001 (a malformed answer must not end the run: recorded, retried next run)
        return None, f"{type(exc).__name__}: {exc}", time.perf_counter() - start


def generate(store: Store, provider: Provider, jobs: Sequence[GenerationRequest], concurrency: int,
             pricing: Pricing, on_progress: Callable[[int, int], None] | None = None) -> GenerationReport:
    report = GenerationReport(planned=len(jobs))
    done = store.done_keys()
    todo = [j for j in jobs if (j.task, j.condition, j.model, j.sample, j.prompt_hash) not in done]
    report.already = len(jobs) - len(todo)
    pending = iter(todo)
    running: dict[Future, GenerationRequest] = {}

    def save(future: Future, job: GenerationRequest) -> None:
        completion, error, seconds = future.result()
        report.sent += 1
        if error is not None:
            report.failed += 1
            report.last_error = error
        store.put_generation(Generation(
            task=job.task, condition=job.condition, model=job.model, sample=job.sample,
            prompt_hash=job.prompt_hash, reply=completion.text if completion else None, error=error,
            provider=provider.name, input_tokens=completion.input_tokens if completion else 0,
            output_tokens=completion.output_tokens if completion else 0,
            cost=pricing.cost(completion) if completion else 0.0, seconds=seconds, created=time.time()))
        if on_progress:
            on_progress(report.already + report.sent, report.planned)

    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        try:
            for job in pending:
                running[pool.submit(_call, provider, job)] = job
                if len(running) >= concurrency:
                    finished, _ = wait(running, return_when=FIRST_COMPLETED)
                    for f in finished:
                        save(f, running.pop(f))
            while running:
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for f in finished:
                    save(f, running.pop(f))
        except KeyboardInterrupt:
            report.interrupted = True
            for f in list(running):  # in flight: the provider may already be answering; keep it
                save(f, running.pop(f))
    return report

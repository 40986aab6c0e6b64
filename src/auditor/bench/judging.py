"""Judge every stored generation not judged yet with the current judges: materialise the
scaffold plus the reply's files in a temp dir, run auditor's static judge, the peers (in
batches) and the functional check (in parallel), and store one verdict per sample."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from auditor.bench.extract import extract_files
from auditor.bench.judges.functional import FunctionalChecker
from auditor.bench.judges.peers import (
    SampleFiles,
    bandit_available,
    run_bandit,
    run_semgrep,
    semgrep_available,
)
from auditor.bench.judges.static import StaticJudge
from auditor.bench.store import Generation, Key, Store
from auditor.bench.tasks import Task, write_files
from auditor.findings import Severity

BATCH = 200


@dataclass(frozen=True)
class JudgeSettings:
    functional: bool = True
    peers: bool = True
    semgrep_config: str = "p/default"
    min_severity: Severity = Severity.MEDIUM
    concurrency: int = 2
    python: str = sys.executable  # the interpreter that runs Python functional checks

    def signature(self) -> str:
        """Names what judged a verdict: a change of judges or settings judges again."""
        from auditor import __version__

        peers = [p for p, ok in (("bandit", bandit_available()), ("semgrep", semgrep_available())) if ok and self.peers]
        parts = [f"auditor {__version__}", f"min {self.min_severity.label}", *peers,
                 "functional" if self.functional else "no-functional"]
        if "semgrep" in peers:
            parts.append(f"semgrep-config {self.semgrep_config}")
        return "; ".join(parts)


def judge_pending(store: Store, tasks: dict[str, Task], settings: JudgeSettings,
                  on_progress: Callable[[int, int], None] | None = None) -> int:
    """Judge generations that have no verdict under the current settings; returns how many."""
    signature = settings.signature()
    have = store.verdicts(signature)
    todo = [g for g in store.generations() if g.key not in have and g.task in tasks]
    static = StaticJudge(min_severity=settings.min_severity)
    checker = FunctionalChecker(python=settings.python)
    done = 0
    with tempfile.TemporaryDirectory(prefix="auditor-bench-judge-", dir=_scratch_dir()) as tmp:
        work = Path(tmp)
        for start in range(0, len(todo), BATCH):
            batch = todo[start:start + BATCH]
            verdicts = _judge_batch(batch, tasks, work / str(start), static, checker, settings)
            store.put_verdicts((g.key, signature, v) for g, v in zip(batch, verdicts, strict=True))
            done += len(batch)
            if on_progress:
                on_progress(done, len(todo))
    return done


def _scratch_dir() -> str | None:
    """A memory-backed folder when the system has one: each sample is a few small files
    written, scanned and deleted, and on a disk that metadata work dominates judging time."""
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK | os.X_OK) else None


def _judge_batch(batch: Sequence[Generation], tasks: dict[str, Task], work: Path, static: StaticJudge,
                 checker: FunctionalChecker, settings: JudgeSettings) -> list[dict[str, Any]]:
    verdicts: list[dict[str, Any]] = []
    samples: list[SampleFiles] = []
    for n, g in enumerate(batch):
        task = tasks[g.task]
        scaffold_root = work.parent / "scaffolds" / task.id
        if not scaffold_root.exists():
            write_files(scaffold_root, task.scaffold)
        root = work / f"s{n}"
        extracted = extract_files(g.reply or "", task.main)
        write_files(root, {**task.scaffold, **extracted.files})
        written = sorted(extracted.files)
        verdict: dict[str, Any] = {"files": written, "unplaced": extracted.unplaced, "rejected": extracted.rejected,
                                   "no_code": not written}
        verdict.update(static.judge(task, root, written, static.baseline(task, scaffold_root)))
        verdict["judges"] = {"auditor": verdict["vulnerable"]}
        verdicts.append(verdict)
        samples.append(SampleFiles(root, tuple(written), task.language))
    if settings.peers:
        for name, available, run in (("bandit", bandit_available, run_bandit),
                                     ("semgrep", semgrep_available, lambda s: run_semgrep(s, settings.semgrep_config))):
            if available():
                for verdict, peer in zip(verdicts, run(samples), strict=True):
                    verdict["judges"][name] = peer
    if settings.functional:
        def check(item: tuple[Generation, SampleFiles]) -> tuple[bool | None, str]:
            g, s = item
            task = tasks[g.task]
            reason = checker.unavailable(task)
            if reason is not None:
                return None, reason
            if not s.written:
                return False, "no code in the reply"
            result = checker.run(task, s.root)
            return result.passed, result.detail

        with ThreadPoolExecutor(max_workers=max(1, settings.concurrency)) as pool:
            for verdict, (passed, detail) in zip(verdicts, pool.map(check, zip(batch, samples, strict=True)),
                                                 strict=True):
                verdict["functional"], verdict["functional_detail"] = passed, detail
    else:
        for verdict in verdicts:
            verdict["functional"], verdict["functional_detail"] = None, "functional checks turned off"
    return verdicts


def load_results(store: Store, tasks: dict[str, Task]) -> list[dict[str, Any]]:
    """One flat record per judged generation (its newest verdict): key fields, task metadata
    and the verdict."""
    verdicts: dict[Key, dict[str, Any]] = store.verdicts()
    out = []
    for g in store.generations():
        v = verdicts.get(g.key)
        task = tasks.get(g.task)
        if v is None or task is None:
            continue
        out.append({"task": g.task, "condition": g.condition, "model": g.model, "sample": g.sample,
                    "framework": task.framework, "category": task.category, **v})
    return out

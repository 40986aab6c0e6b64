"""Judge speed: how long auditor's in-process judge takes for 1,000 generated files.

Builds a bench store with N generations (default 1,000), one generated file each: the bad
and good examples of the knowledge base's rules for each task's framework language, written
as the task's main file inside its scaffold. Then times `judge_pending` (static judge: scan
with secrets, project checks, dependency checks when a manifest changed; functional checks
and peers off, as they measure other programs). Several runs, median reported.

    python bench/judge_bench.py [--files 1000] [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from auditor.bench.judging import JudgeSettings, judge_pending
from auditor.bench.store import Generation, Store
from auditor.bench.tasks import load_tasks
from auditor.kb.load import load_rules

EXAMPLE_LANGUAGES = {"python": ("python",), "javascript": ("javascript", "jsx", "typescript", "tsx"),
                     "java": ("java",), "ruby": ("ruby",)}


def examples_by_language() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for rule in load_rules():
        for ex in rule.examples:
            for lang, names in EXAMPLE_LANGUAGES.items():
                if ex.language in names:
                    out.setdefault(lang, []).extend([ex.bad, ex.good])
    return out


def fill(store: Store, files: int) -> None:
    tasks = load_tasks()
    examples = examples_by_language()
    for n in range(files):
        task = tasks[n % len(tasks)]
        pool = examples[task.language]
        code = pool[n % len(pool)]
        reply = f"Here it is.\n\n````{task.language} {task.main}\n{code}\n````\n"
        store.put_generation(Generation(task.id, "none", "bench-model", n, f"h{n}", reply, created=time.time()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    tasks = {t.id: t for t in load_tasks()}
    times = []
    for run in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            store = Store(Path(tmp))
            fill(store, args.files)
            start = time.perf_counter()
            judged = judge_pending(store, tasks, JudgeSettings(functional=False, peers=False))
            times.append(time.perf_counter() - start)
            vulnerable = sum(v["vulnerable"] for v in store.verdicts().values())
            store.close()
        print(f"run {run + 1}: judged {judged} generated files in {times[-1]:.1f}s "
              f"({judged / times[-1]:.1f} files/s; {vulnerable} judged vulnerable)")
    print(f"median of {args.runs}: {statistics.median(times):.1f}s for {args.files} files")


if __name__ == "__main__":
    main()

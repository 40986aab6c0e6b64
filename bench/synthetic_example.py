"""The example report in docs/bench-example/: a SYNTHETIC run against the test suite's fake
OpenAI-compatible server on 127.0.0.1 (no real model). The fake writes the secure version of
a task's code with a probability that depends on what its system prompt holds (seeded): 0.9
when it names the task's rule (auditor, oracle), 0.3 for the one-line generic reminder, 0.1
otherwise. The figures show what the report looks like, not how any model behaves.

    python bench/synthetic_example.py [--samples 8] [--out docs/bench-example]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from auditor.bench.conditions import GENERIC  # noqa: E402
from auditor.bench.html import render_html  # noqa: E402
from auditor.bench.judging import load_results  # noqa: E402
from auditor.bench.store import Store  # noqa: E402
from auditor.bench.summary import build_summary  # noqa: E402
from auditor.bench.tasks import load_tasks  # noqa: E402
from auditor.commands.bench import RunOptions, run_bench  # noqa: E402
from tests.bench.fakes import GUIDING_RULE, FakeModel  # noqa: E402

BANNER = ("SYNTHETIC: made with a fake model server from the test suite, not a real model. It shows the "
          "report's layout; its numbers say nothing about any model.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=8)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "bench-example")
    args = parser.parse_args()
    rng = random.Random(7)
    lock = threading.Lock()

    def secure_when(task: str, system: str) -> bool:
        p = 0.9 if GUIDING_RULE[task] in system else 0.3 if system == GENERIC else 0.1
        with lock:
            return rng.random() < p

    with tempfile.TemporaryDirectory() as tmp, FakeModel("openai", secure_when=secure_when) as fake:
        run = Path(tmp)
        run_bench(RunOptions(provider="openai", model="fake-model", out=run, base_url=fake.base_url,
                             task_ids=",".join(sorted(GUIDING_RULE)), samples=args.samples, concurrency=1,
                             peers=False))
        store = Store(run, create=False)
        summary = build_summary(load_results(store, {t.id: t for t in load_tasks()}), usage=store.usage())
        store.close()
    summary["synthetic"] = BANNER
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    (args.out / "report.html").write_text(render_html(summary, title="auditor bench: SYNTHETIC example report",
                                                      banner=BANNER), encoding="utf-8")
    print(f"wrote {args.out}/report.html and summary.json")


if __name__ == "__main__":
    main()

"""How the quality benches keep a run: the latest in a scratch file (bench/.work), the first
one, made before anyone tuned on the corpus, once and for all beside the bench's manifest."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def auditor_commit() -> str:
    return subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                          capture_output=True, text=True).stdout.strip()


def keep_run(fields: dict, out: Path, first_run: Path, save_first: bool) -> int:
    """Write the run (dated, with auditor's commit) to `out`; with `save_first`, also as the
    first run unless one is recorded already (then 2, the run is still in `out`)."""
    record = {"date": dt.date.today().isoformat(), "auditor_commit": auditor_commit(), **fields}
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(record, indent=1), encoding="utf-8")
    if not save_first:
        return 0
    if first_run.exists():
        print(f"{first_run}: the first run is recorded once; this run is in {out}", file=sys.stderr)
        return 2
    first_run.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    print(f"first run recorded in {first_run}", file=sys.stderr)
    return 0

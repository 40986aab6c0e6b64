"""CI: the GitHub workflow `init --ci github` writes, and keeping SARIF inside GitHub's
upload limits (25,000 results per run, 10 MB gzipped per file)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

from auditor.emit.interface import FileChange

MAX_RESULTS = 25_000
MAX_GZIPPED = 10 * 1024 * 1024
WORKFLOW = ".github/workflows/auditor.yml"
MARK = "auditor init --ci github"
CI_KINDS = ("github",)

GITHUB_WORKFLOW = f"""# Security checks by auditor on every pull request and push (written by `{MARK}`).
# Pull requests: only findings on changed lines. Pushes: the whole tree. Results appear in the
# Security tab (code scanning); the job fails on findings at or above FAIL_ON.
name: auditor

on:
  pull_request:
  push:
    branches: [main, master]

permissions:
  contents: read
  security-events: write

env:
  FAIL_ON: high

jobs:
  auditor:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v5
        with:
          fetch-depth: 0
      - uses: actions/setup-python@v6
        with:
          python-version: "3.12"
      - name: Install auditor
        run: pip install auditor
      - name: Scan
        id: scan
        shell: bash
        run: |
          set +e
          if [ "${{{{ github.event_name }}}}" = "pull_request" ]; then
            auditor scan . --diff "origin/${{{{ github.base_ref }}}}" --format sarif --output auditor.sarif --fail-on "$FAIL_ON"
          else
            auditor scan . --format sarif --output auditor.sarif --fail-on "$FAIL_ON"
          fi
          code=$?
          echo "code=$code" >> "$GITHUB_OUTPUT"
          [ "$code" -le 1 ] || exit "$code"
          python -c "from auditor.agent.ci import fit_sarif; fit_sarif('auditor.sarif')"
      - name: Upload SARIF
        if: always() && hashFiles('auditor.sarif') != ''
        uses: github/codeql-action/upload-sarif@v4
        with:
          sarif_file: auditor.sarif
          category: auditor
      - name: Fail on findings
        if: steps.scan.outputs.code == '1'
        run: |
          echo "auditor found issues at or above $FAIL_ON (see the Security tab or the SARIF file)"
          exit 1
"""


def plan_ci(root: Path, kind: str) -> list[FileChange]:
    """The workflow file for `kind` (only "github" today)."""
    from auditor.agent.settings.files import own_file_change
    from auditor.errors import AuditorError

    if kind not in CI_KINDS:
        raise AuditorError(f"--ci: unknown CI {kind!r} (known: {', '.join(CI_KINDS)})")
    return [own_file_change(root / WORKFLOW, GITHUB_WORKFLOW, MARK)]


def _gzipped_size(data: dict[str, Any]) -> int:
    return len(gzip.compress(json.dumps(data).encode(), compresslevel=6))


def fit_sarif(path: str | Path, max_results: int = MAX_RESULTS, max_gzipped: int = MAX_GZIPPED) -> int:
    """Trim a SARIF file in place to GitHub's limits: at most `max_results` results per run,
    then, while the gzipped file is too big, drop code flows, then snippets, then the lowest
    results (the report lists findings by severity-independent order, so lowest level first).
    Returns the number of results removed."""
    path = Path(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    removed = 0
    for run in data.get("runs", []):
        results = run.get("results", [])
        if len(results) > max_results:
            removed += len(results) - max_results
            run["results"] = _by_importance(results)[:max_results]
    if _gzipped_size(data) > max_gzipped:
        for run in data.get("runs", []):
            for result in run.get("results", []):
                result.pop("codeFlows", None)
                for location in result.get("locations", []):
                    location.get("physicalLocation", {}).get("region", {}).pop("snippet", None)
    for run in data.get("runs", []):
        results = _by_importance(run.get("results", []))
        while results and _gzipped_size(data) > max_gzipped:
            cut = max(1, len(results) // 10)
            results = results[:-cut]
            removed += cut
            run["results"] = results
    from auditor.fsutil import atomic_write

    atomic_write(path, json.dumps(data, indent=2))
    return removed


LEVEL_ORDER = {"error": 0, "warning": 1, "note": 2, "none": 3}


def _by_importance(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(results, key=lambda r: LEVEL_ORDER.get(r.get("level", "warning"), 1))

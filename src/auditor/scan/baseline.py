"""Baselines: the fingerprints of findings a team has accepted for now, so that only new
findings fail a build. A JSON file, `.auditor-baseline.json` at the project root by default,
written sorted so it diffs well in review."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from auditor.errors import InputError
from auditor.findings import Finding
from auditor.fsutil import UnreadableFile, atomic_write, read_text_strict

DEFAULT_NAME = ".auditor-baseline.json"
FORMAT_VERSION = 1
BASELINE_LIMIT = 64_000_000  # a baseline of 100k findings is ~15 MB


def load_baseline(path: Path) -> set[str]:
    """Fingerprints in a baseline file; a malformed file is an InputError (exit 2)."""
    try:
        data = json.loads(read_text_strict(path, BASELINE_LIMIT))
    except UnreadableFile as exc:
        raise InputError(str(path), f"cannot read baseline: {exc}") from None
    except json.JSONDecodeError as exc:
        raise InputError(str(path), f"baseline is not valid JSON (line {exc.lineno})") from None
    except RecursionError:
        raise InputError(str(path), "baseline is not valid JSON (nested too deeply)") from None
    if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
        raise InputError(str(path), "baseline must be an object with a 'findings' list")
    prints = set()
    for item in data["findings"]:
        if not isinstance(item, dict) or not isinstance(item.get("fingerprint"), str):
            raise InputError(str(path), "each baseline entry needs a 'fingerprint' string")
        prints.add(item["fingerprint"])
    return prints


def write_baseline(path: Path, findings: Iterable[Finding]) -> int:
    """Record the unsuppressed findings; returns how many. Entries keep rule and path so a
    reviewer can read the file; only the fingerprint is matched."""
    entries = sorted(
        ({"fingerprint": f.fingerprint, "rule_id": f.rule_id, "path": f.path} for f in findings if not f.suppressed),
        key=lambda e: (e["path"], e["rule_id"], e["fingerprint"]),
    )
    atomic_write(path, json.dumps({"version": FORMAT_VERSION, "findings": entries}, indent=2) + "\n")
    return len(entries)


def apply_baseline(findings: Iterable[Finding], fingerprints: set[str]) -> None:
    for f in findings:
        if f.fingerprint in fingerprints:
            f.baselined = True

"""Inline suppressions: `# auditor: ignore[rule-id] reason` (or `//`, `--`, `<!--`) on the
flagged line or the line above. Without brackets it silences every rule on that line.
Brackets take rule ids, fnmatch globs (`express.*`) or category ids, comma-separated."""

from __future__ import annotations

import re
from dataclasses import dataclass
from fnmatch import fnmatchcase

from auditor.findings import Finding

_MARK = re.compile(r"auditor:\s*ignore(?:\[(?P<ids>[^\]]*)\])?[ \t]*(?P<reason>[^\n]*)")


@dataclass(frozen=True)
class Suppression:
    patterns: tuple[str, ...]  # empty = everything
    reason: str

    def covers(self, finding: Finding) -> bool:
        if not self.patterns:
            return True
        return any(fnmatchcase(finding.rule_id, p) or p == finding.category for p in self.patterns)


def suppressions(lines: list[str]) -> dict[int, Suppression]:
    """1-based line number -> the suppression comment on that line."""
    found: dict[int, Suppression] = {}
    for i, line in enumerate(lines, start=1):
        if "auditor:" not in line:
            continue
        m = _MARK.search(line)
        if m:
            ids = tuple(p.strip() for p in (m.group("ids") or "").split(",") if p.strip())
            reason = m.group("reason").strip().rstrip("*/->").strip()
            found[i] = Suppression(ids, reason)
    return found


def apply_suppressions(findings: list[Finding], lines: list[str]) -> None:
    """Mark findings covered by a comment on their line or the line above as suppressed."""
    marks = suppressions(lines)
    if not marks:
        return
    for f in findings:
        for ln in (f.line, f.line - 1):
            s = marks.get(ln)
            if s and s.covers(f):
                f.suppressed = True
                f.suppression_reason = s.reason or None
                break

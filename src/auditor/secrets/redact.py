"""Redaction: a secret is shown as its first and last characters only, everywhere.

Every output (text, JSON, SARIF, messages, snippets, fingerprints) is built from the
redacted form; the raw value lives only in memory, for verification."""

from __future__ import annotations

MASK = "****"


def redact(secret: str) -> str:
    """`abcdef` -> `a****f`. The mask has a fixed width so the length is not revealed;
    secrets of 4 characters or fewer are masked whole (their ends would be half of them)."""
    if len(secret) <= 4:
        return MASK
    return f"{secret[0]}{MASK}{secret[-1]}"


def redact_spans(line: str, line_start: int, spans: list[tuple[int, int, str]]) -> str:
    """`line` (which starts at text offset `line_start`) with every part that lies inside a
    secret span (start, end, secret) replaced by that secret's redaction.

    A span may begin before the line or end after it (multi-line private keys): only the
    overlapping part is replaced, and the redaction is written once per span."""
    line_end = line_start + len(line)
    cuts: list[tuple[int, int, str]] = []
    for start, end, secret in spans:
        lo, hi = max(start, line_start), min(end, line_end)
        if lo < hi or (lo == hi and start <= lo < end and line == ""):
            cuts.append((lo - line_start, hi - line_start, redact(secret)))
    for lo, hi, masked in sorted(cuts, reverse=True):
        line = line[:lo] + masked + line[hi:]
    return line

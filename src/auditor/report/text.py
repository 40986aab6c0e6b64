"""Human output: findings grouped by file, each with line, severity, rule id, a one-line
message saying what is wrong and what to do instead, and the code line. Everything that
came from a scanned file is escaped (`printable`) before it reaches the terminal."""

from __future__ import annotations

from collections import Counter
from itertools import groupby

from auditor.findings import Finding, ScanResult, Severity, redact_text
from auditor.report.escape import printable

_COLORS = {Severity.CRITICAL: "\033[1;31m", Severity.HIGH: "\033[31m", Severity.MEDIUM: "\033[33m", Severity.LOW: "\033[36m"}
_DIM, _BOLD, _RESET = "\033[2m", "\033[1m", "\033[0m"


def _paint(text: str, code: str, color: bool) -> str:
    return f"{code}{text}{_RESET}" if color else text


def _finding_lines(f: Finding, color: bool) -> list[str]:
    sev = _paint(f"{f.severity.label:<8}", _COLORS[f.severity], color)
    head = f"  {f.line:>5}:{f.column:<3} {sev} {f.rule_id}"
    if f.suppressed:
        reason = printable(redact_text(f.path, f.suppression_reason or ""))
        head += _paint(f"  (suppressed{': ' + reason if reason else ''})", _DIM, color)
    elif f.baselined:
        head += _paint("  (in baseline)", _DIM, color)
    out = [head, f"              {printable(f.message)}"]
    extra = f.extra
    if extra.get("package"):
        ver = f"@{extra['version']}" if extra.get("version") else ""
        out.append(printable(f"              package: {extra['package']}{ver} ({extra.get('ecosystem', '')})"))
    if extra.get("secret_type"):
        state = extra.get("verified")
        out.append(f"              secret: {extra['secret_type']}" + (f", verified: {state}" if state else ""))
    if extra.get("commit"):  # secrets --history: which commit added it
        out.append(printable(f"              commit: {extra['commit']}"))
    if f.snippet:
        out.append(_paint(f"              > {printable(f.snippet)}", _DIM, color))
    return out


def render_text(result: ScanResult, show_suppressed: bool = False, color: bool = False) -> str:
    shown = [f for f in result.findings if show_suppressed or not (f.suppressed or f.baselined)]
    lines: list[str] = []
    for path, group in groupby(sorted(shown, key=Finding.sort_key), key=lambda f: f.path):
        lines.append(_paint(printable(path), _BOLD, color))
        for f in group:
            lines.extend(_finding_lines(f, color))
        lines.append("")
    active = result.active
    counts = Counter(f.severity for f in active)
    parts = [f"{counts[s]} {s.label}" for s in sorted(counts, reverse=True)]
    summary = f"{len(active)} finding{'s' if len(active) != 1 else ''}"
    if parts:
        summary += f" ({', '.join(parts)})"
    suppressed, baselined = len(result.suppressed), len(result.baselined)
    summary += f" in {result.files} file{'s' if result.files != 1 else ''}, {result.seconds:.2f}s"
    if suppressed:
        summary += f"; {suppressed} suppressed"
    if baselined:
        summary += f"; {baselined} in baseline"
    if result.skipped:
        summary += f"; {len(result.skipped)} skipped"
    lines.append(summary)
    for path, reason in result.skipped[:20]:
        lines.append(_paint(printable(f"  skipped {path}: {reason}"), _DIM, color))
    if result.unchecked:
        by_check = Counter((u.check, u.reason) for u in result.unchecked)
        lines.append(f"{len(result.unchecked)} check(s) could not be completed: unknown, not verified safe")
        for (check, reason), n in by_check.most_common(5):
            subjects = [u.subject for u in result.unchecked if (u.check, u.reason) == (check, reason)]
            more = f" and {n - 3} more" if n > 3 else ""
            lines.append(printable(f"  {check}: {', '.join(subjects[:3])}{more} ({reason})"))
    return "\n".join(lines) + "\n"

"""The text a model reads after an edit: each new finding with its rule id, line, the rule's
one-line guidance and its good example, so the model can repair the code in its next step.

Kept short on purpose (it costs the model context), and cut to a character budget by whole
findings, never mid-finding, with a pointer to the full list.
"""

from __future__ import annotations

from collections.abc import Sequence

from auditor.filetypes import language_for
from auditor.findings import Finding
from auditor.kb.model import Rule, RuleExample

MAX_EXAMPLE_LINES = 12


def good_example(rule: Rule, path: str) -> RuleExample | None:
    """The rule's example in the file's language, else its first one."""
    language = language_for(path)
    for ex in rule.examples:
        if ex.language == language:
            return ex
    return rule.examples[0] if rule.examples else None


def _indent(code: str, prefix: str = "    ") -> str:
    lines = code.strip("\n").splitlines()
    if len(lines) > MAX_EXAMPLE_LINES:
        lines = lines[:MAX_EXAMPLE_LINES] + ["..."]
    return "\n".join((prefix + line).rstrip() for line in lines)


def finding_text(finding: Finding, rule: Rule | None) -> str:
    """One finding as a few lines: where, which rule, what to do, how it looks done right."""
    head = f"- {finding.path}:{finding.line} [{finding.severity.label}] {finding.rule_id}: {finding.message}"
    parts = [head]
    if rule is not None:
        if rule.guidance:
            parts.append(f"  Fix: {rule.guidance[0]}")
        example = good_example(rule, finding.path)
        if example is not None:
            parts.append(f"  Good example ({example.language}):\n{_indent(example.good)}")
    return "\n".join(parts)


def render_feedback(findings: Sequence[Finding], rules: dict[str, Rule], max_chars: int | None = None,
                    intro: str | None = None) -> str:
    """All findings as one message, within `max_chars` when given (whole findings only)."""
    count = len(findings)
    noun = "finding" if count == 1 else "findings"
    header = intro or f"auditor: this edit introduced {count} security {noun}. Fix {'it' if count == 1 else 'them'} now:"
    footer = "Full rule text: `auditor explain RULE_ID`."
    blocks = [finding_text(f, rules.get(f.rule_id)) for f in findings]
    text = "\n".join([header, *blocks, footer])
    if max_chars is None or len(text) <= max_chars:
        return text
    kept: list[str] = []
    for i, block in enumerate(blocks):
        more = f"... and {count - i - 1} more: run `auditor scan {findings[0].path}` to see all."
        candidate = "\n".join([header, *kept, block, more, footer])
        if len(candidate) > max_chars:
            break
        kept.append(block)
    more = f"... and {count - len(kept)} more: run `auditor scan {findings[0].path}` to see all."
    text = "\n".join([header, *kept, more, footer])
    return text[:max_chars]


def summary_line(findings: Sequence[Finding], limit: int = 20) -> str:
    """One line naming the findings by rule and place (the first `limit`), for a secondary field."""
    named = ", ".join(f"{f.rule_id} at {f.path}:{f.line}" for f in findings[:limit])
    more = f" and {len(findings) - limit} more" if len(findings) > limit else ""
    return f"auditor findings: {named}{more}"

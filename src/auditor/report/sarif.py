"""SARIF 2.1.0 for GitHub code scanning and other viewers.

Rule metadata comes from the knowledge base (help text = the rule's guidance and good
example), CWE ids become tags, `partialFingerprints` carries our line-independent
fingerprint, URIs are relative to %SRCROOT% and percent-encoded. Suppressed findings are included with a
`suppressions` entry (SARIF's own way to say "seen and accepted"). GitHub's limits: at most
25,000 results and 25,000 rules per run, 20 tags per rule."""

from __future__ import annotations

import json
from typing import Any

from auditor import __version__
from auditor.findings import Finding, ScanResult, Severity, redact_text
from auditor.kb.model import Rule
from auditor.report.escape import path_uri, unicode_clean

MAX_RESULTS = 25_000
MAX_TAGS = 20
LEVEL = {Severity.CRITICAL: "error", Severity.HIGH: "error", Severity.MEDIUM: "warning", Severity.LOW: "note"}
# GitHub reads `security-severity` (0-10) to rank security alerts.
SECURITY_SEVERITY = {Severity.CRITICAL: "9.5", Severity.HIGH: "8.0", Severity.MEDIUM: "5.5", Severity.LOW: "3.0"}
SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _rule_descriptor(rule_id: str, rule: Rule | None, sample: Finding) -> dict[str, Any]:
    if rule is None:  # a finding whose rule is not in the KB (should not happen; keep it valid)
        return {
            "id": rule_id,
            "shortDescription": {"text": sample.message},
            "properties": {"tags": ["security", sample.category, *sample.cwe][:MAX_TAGS]},
        }
    help_lines = [f"- {g}" for g in rule.guidance]
    markdown = "\n".join(help_lines)
    if rule.examples:
        ex = rule.examples[0]
        markdown += f"\n\nInstead of:\n```{ex.language}\n{ex.bad.rstrip()}\n```\nUse:\n```{ex.language}\n{ex.good.rstrip()}\n```"
    if rule.references:
        markdown += "\n\nReferences:\n" + "\n".join(f"- {r}" for r in rule.references)
    tags = ["security", rule.category, *(f"external/cwe/{c.lower()}" for c in rule.cwe), f"owasp-{rule.owasp}"]
    descriptor: dict[str, Any] = {
        "id": rule.id,
        "name": "".join(part.capitalize() for part in rule.id.replace("-", ".").split(".")),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": " ".join(rule.guidance)},
        "help": {"text": "\n".join(help_lines), "markdown": markdown},
        "defaultConfiguration": {"level": LEVEL[rule.severity]},
        "properties": {
            "tags": tags[:MAX_TAGS],
            "security-severity": SECURITY_SEVERITY[rule.severity],
            "precision": "high" if rule.severity >= Severity.HIGH else "medium",
        },
    }
    if rule.references:
        descriptor["helpUri"] = rule.references[0]
    return descriptor


def _result(f: Finding, index: int) -> dict[str, Any]:
    region: dict[str, Any] = {"startLine": f.line, "startColumn": f.column, "endLine": max(f.end_line, f.line)}
    if f.snippet:
        region["snippet"] = {"text": f.snippet}
    result: dict[str, Any] = {
        "ruleId": f.rule_id,
        "ruleIndex": index,
        "level": LEVEL[f.severity],
        "message": {"text": f.message},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": path_uri(f.path), "uriBaseId": "%SRCROOT%"},
            "region": region,
        }}],
        "partialFingerprints": {"auditorFingerprint/v1": f.fingerprint},
        "properties": {"category": f.category, "security-severity": SECURITY_SEVERITY[f.severity],
                       **{k: v for k, v in f.extra.items() if v is not None}},
    }
    if f.trace:
        result["codeFlows"] = [_code_flow(f)]
    if f.suppressed:
        result["suppressions"] = [{"kind": "inSource", "justification": redact_text(f.path, f.suppression_reason or "")}]
    elif f.baselined:
        result["suppressions"] = [{"kind": "external", "justification": "in baseline"}]
    return result


def _code_flow(f: Finding) -> dict[str, Any]:
    """The finding's source-to-sink steps as one SARIF thread flow."""
    steps = [{"location": {
        "physicalLocation": {"artifactLocation": {"uri": path, "uriBaseId": "%SRCROOT%"},
                             "region": {"startLine": max(1, line)}},
        "message": {"text": note},
    }} for path, line, note in f.trace]
    return {"threadFlows": [{"locations": steps}]}


def sarif_dict(result: ScanResult, rules: dict[str, Rule] | None = None) -> dict[str, Any]:
    if rules is None:
        from auditor.kb.load import rules_by_id

        rules = rules_by_id()
    findings = sorted(result.findings, key=Finding.sort_key)[:MAX_RESULTS]
    order: dict[str, int] = {}
    descriptors: list[dict[str, Any]] = []
    for f in findings:
        if f.rule_id not in order:
            order[f.rule_id] = len(descriptors)
            descriptors.append(_rule_descriptor(f.rule_id, rules.get(f.rule_id), f))
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "auditor",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": descriptors,
            }},
            "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "The scanned project root."}}},
            "results": [_result(f, order[f.rule_id]) for f in findings],
            "invocations": [{
                "executionSuccessful": True,
                "toolExecutionNotifications": [
                    {"level": "warning", "message": {"text": f"{u.check} of {u.subject} not checked (unknown): {u.reason}"},
                     "locations": [{"physicalLocation": {"artifactLocation": {"uri": path_uri(u.path), "uriBaseId": "%SRCROOT%"}}}]}
                    for u in result.unchecked
                ] + [
                    {"level": "note", "message": {"text": f"not scanned: {reason}"},
                     "locations": [{"physicalLocation": {"artifactLocation": {"uri": path_uri(path), "uriBaseId": "%SRCROOT%"}}}]}
                    for path, reason in result.skipped
                ],
            }],
            "columnKind": "unicodeCodePoints",
        }],
    }


def render_sarif(result: ScanResult, rules: dict[str, Rule] | None = None) -> str:
    return json.dumps(unicode_clean(sarif_dict(result, rules)), indent=2)

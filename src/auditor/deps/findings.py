"""Turning check results into Findings that carry the knowledge-base rule
(`kb/rules/deps/packages.yaml`), pointing at the manifest line, with the contract's extra
fields: `package`, `ecosystem`, `version`, `status`, and per check `imitates`,
`advisories`, `fixed_version`.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from auditor.deps.interface import UNKNOWN, PackageInfo
from auditor.deps.judge import Judgement
from auditor.deps.osv.model import VulnAnswer
from auditor.deps.select import Target
from auditor.findings import Finding, Severity
from auditor.fsutil import read_text
from auditor.kb.model import Rule

HALLUCINATED = "deps.package.hallucinated"
TYPOSQUAT = "deps.package.typosquat"
UNMAINTAINED = "deps.package.unmaintained"
VULNERABLE = "deps.package.vulnerable"

REGISTRY_NAMES = {
    "pypi": "PyPI", "npm": "npm", "rubygems": "RubyGems", "maven": "Maven Central", "go": "the Go module proxy",
    "crates.io": "crates.io", "packagist": "Packagist", "nuget": "NuGet",
}


@lru_cache(maxsize=1)
def deps_rules() -> dict[str, Rule]:
    """Only the dependency rules: loading the whole knowledge base would cost more than a
    warm `auditor deps` run itself."""
    from auditor.kb.load import load_rules_from, rules_dir

    return {r.id: r for r in load_rules_from(rules_dir() / "deps")}


class FindingBuilder:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.rules = deps_rules()
        self._lines: dict[str, list[str]] = {}

    @staticmethod
    def registry_name(ecosystem: str) -> str:
        return REGISTRY_NAMES.get(ecosystem, ecosystem)

    def _line_text(self, path: str, line: int) -> str:
        if path not in self._lines:
            text = read_text(self.root / path) if path else None
            self._lines[path] = text.splitlines() if text else []
        lines = self._lines[path]
        return lines[line - 1].strip()[:300] if 0 < line <= len(lines) else ""

    def _finding(self, rule_id: str, target: Target, message: str, severity: Severity | None = None,
                 status: str = "", version: str | None = None, **extra: Any) -> Finding:
        rule = self.rules[rule_id]
        dep = target.dep
        line = max(1, dep.line)
        shown_version = version if version is not None else (target.version or dep.spec)
        snippet = self._line_text(dep.path, dep.line) or f"{target.name} {shown_version or ''}".strip()
        data: dict[str, Any] = {"package": target.name, "ecosystem": target.ecosystem, "version": shown_version}
        if status:
            data["status"] = status
        data.update({k: v for k, v in extra.items() if v is not None})
        return Finding(
            rule_id=rule.id, category=rule.category, severity=severity or rule.severity, cwe=list(rule.cwe),
            path=dep.path, line=line, column=1, end_line=line, message=message, snippet=snippet, extra=data,
        )

    def missing(self, target: Target, imitates: str | None, note: str = "") -> Finding:
        hint = f" (did you mean '{imitates}'?)" if imitates else ""
        state = f"has {note} on" if note else "does not exist on"
        return self._finding(
            HALLUCINATED, target,
            f"'{target.name}' {state} {self.registry_name(target.ecosystem)}{hint}: an invented or "
            "mistyped name that anyone can register and fill with malicious code",
            status="missing", imitates=imitates,
        )

    def lookup_unknown(self, target: Target, why: str) -> Finding:
        return self._finding(
            HALLUCINATED, target,
            f"could not check that '{target.name}' exists on {self.registry_name(target.ecosystem)} "
            f"(unknown, not verified safe): {why}",
            severity=Severity.LOW, status=UNKNOWN, reason=why,
        )

    def holding(self, target: Target, imitates: str | None) -> Finding:
        like = f", a typosquat of '{imitates}'" if imitates else ""
        return self._finding(
            TYPOSQUAT if imitates else HALLUCINATED, target,
            f"'{target.name}' was removed from {self.registry_name(target.ecosystem)} as malicious{like}; "
            "only a security placeholder remains",
            severity=Severity.CRITICAL, status="malicious", imitates=imitates,
        )

    def typosquat(self, target: Target, imitated: tuple[str, str], verdict: Judgement) -> Finding:
        popular, how = imitated
        if verdict.suspicious is None:
            return self._finding(
                TYPOSQUAT, target,
                f"'{target.name}' resembles the popular '{popular}' ({how}); could not check its age and use "
                f"(unknown): {verdict.reason}",
                severity=Severity.MEDIUM, status=UNKNOWN, imitates=popular,
            )
        return self._finding(
            TYPOSQUAT, target,
            f"'{target.name}' looks like a typosquat of the popular '{popular}' ({how}): {verdict.reason}",
            status="suspicious", imitates=popular,
        )

    def unmaintained(self, target: Target, problems: list[str], info: PackageInfo) -> Finding:
        return self._finding(
            UNMAINTAINED, target, f"'{target.name}': " + "; ".join(problems),
            status="unmaintained", latest=info.latest, last_release=info.last_release,
        )

    def vulnerable(self, target: Target, answer: VulnAnswer) -> list[Finding]:
        version = target.version
        if answer.status == UNKNOWN:
            return [self._finding(
                VULNERABLE, target,
                f"could not check {target.name} {version or target.dep.spec or '(any version)'} for known "
                f"vulnerabilities (unknown): {answer.error}",
                severity=Severity.LOW, status=UNKNOWN, version=version, reason=answer.error,
            )]
        if not answer.advisories:
            return []
        advisories = answer.advisories
        resolved = (f" (the newest version the range {target.resolved_from!r} allows: no lockfile pins it)"
                    if target.resolved_from else "")
        fixes = [a.fixed for a in advisories if a.fixed]
        fixed_version = _highest(target.ecosystem, fixes)
        ids = [a.id for a in advisories]
        cves = sorted({x for a in advisories for x in a.aliases if x.startswith("CVE-")})
        names = ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
        cve_text = f" ({', '.join(cves[:3])}{'...' if len(cves) > 3 else ''})" if cves else ""
        upgrade = f"; upgrade to {fixed_version} or later" if fixed_version else "; no fixed version is published"
        summary = advisories[0].summary
        return [self._finding(
            VULNERABLE, target,
            f"{target.name} {version}{resolved} has {len(ids)} known vulnerabilit{'y' if len(ids) == 1 else 'ies'}: "
            f"{names}{cve_text}{upgrade}" + (f". {summary}" if summary else ""),
            severity=max(a.severity for a in advisories), status="vulnerable", version=version,
            advisories=[a.to_dict() for a in advisories], fixed_version=fixed_version,
            resolved_from=target.resolved_from,
        )]


def _highest(ecosystem: str, versions: list[str]) -> str | None:
    """The fix that clears every advisory: the highest of their fixed versions."""
    from auditor.deps.versions import version_key

    keyed = [(k, v) for v in versions if (k := version_key(ecosystem, v)) is not None]
    if not keyed:
        return versions[0] if versions else None
    return max(keyed, key=lambda kv: kv[0])[1]

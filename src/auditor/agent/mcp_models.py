"""Typed results of the MCP tools. They mirror the JSON contract of `auditor scan --format
json` (DESIGN.md) so a model reading a tool result and a CI log reading a report see the
same fields; the SDK publishes them as each tool's output schema."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from auditor import __version__
from auditor.findings import Finding, Unchecked
from auditor.kb.model import Rule


class FindingOut(BaseModel):
    """One finding as in the JSON report; checker-specific fields (package, secret_type,
    verified, ...) are kept flat, as there."""

    model_config = ConfigDict(extra="allow")

    rule_id: str
    category: str
    severity: str
    cwe: list[str]
    path: str
    line: int
    column: int
    end_line: int
    message: str
    fingerprint: str
    snippet: str

    @classmethod
    def of(cls, finding: Finding) -> FindingOut:
        return cls(**finding.to_dict())


class UncheckedOut(BaseModel):
    path: str
    subject: str
    check: str
    reason: str

    @classmethod
    def of(cls, item: Unchecked) -> UncheckedOut:
        return cls(**item.to_dict())


class StatsOut(BaseModel):
    files: int
    seconds: float
    unchecked: list[UncheckedOut] = []


class FindingsOut(BaseModel):
    """`{"version", "findings", "stats"}`: the report object of scan, secrets and deps."""

    version: str = __version__
    findings: list[FindingOut]
    stats: StatsOut


class ExampleOut(BaseModel):
    language: str
    file: str
    bad: str
    good: str


class RuleOut(BaseModel):
    id: str
    title: str
    category: str
    cwe: list[str]
    owasp: str
    severity: str
    guidance: list[str]
    examples: list[ExampleOut]
    detectors: list[str]
    references: list[str]
    paths: list[str]

    @classmethod
    def of(cls, rule: Rule) -> RuleOut:
        data: dict[str, Any] = rule.to_dict()
        return cls(**data)


class RulesOut(BaseModel):
    path: str
    stack: str
    rules: list[RuleOut]


class PackageOut(BaseModel):
    """What the registries and advisories say about one package. `exists`, `maintained` and
    `advisories` are null when the lookup could not be answered (unknown, not safe)."""

    name: str
    ecosystem: str
    version: str | None
    exists: bool | None
    typosquat_of: str | None
    maintained: bool | None
    advisories: list[str] | None


class PackagesOut(FindingsOut):
    packages: list[PackageOut]

"""The Finding record shared by every checker (scan, secrets, deps, probe) and every report.

The JSON shape of a finding is a contract (DESIGN.md); `Finding.to_dict` produces it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

CATEGORIES: frozenset[str] = frozenset(
    {
        "sql-injection", "nosql-injection", "command-injection", "code-injection",
        "path-traversal", "ssrf", "xss", "open-redirect", "xxe", "insecure-deserialization",
        "hardcoded-secret", "broken-access-control", "mass-assignment", "csrf",
        "cors-misconfiguration", "security-misconfiguration", "missing-rate-limiting",
        "weak-authentication", "weak-crypto", "vulnerable-dependency",
        "hallucinated-dependency", "insufficient-logging", "xpath-injection", "ldap-injection",
        "prompt-injection",
    }
)


class Severity(IntEnum):
    """Ordered so that `severity >= Severity.HIGH` reads naturally for --fail-on."""

    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown severity {text!r} (use critical, high, medium or low)") from None

    @property
    def label(self) -> str:
        return self.name.lower()


_WS = re.compile(r"\s+")


def fold_whitespace(text: str) -> str:
    """`text` with each run of whitespace as one space, stripped: what a fingerprint hashes."""
    return _WS.sub(" ", text).strip()


def make_fingerprint(rule_id: str, path: str, snippet: str, occurrence: int = 0) -> str:
    """A stable id for a finding: it depends on the rule, the file and the flagged code
    (whitespace-folded), never on the line number, so moving unrelated lines keeps it.
    `occurrence` separates identical snippets in one file."""
    norm = fold_whitespace(snippet)
    # surrogatepass: a file name that is not UTF-8 arrives with surrogate escapes; it must
    # still hash (the same way every run), not raise UnicodeEncodeError.
    data = f"{rule_id}\0{path}\0{norm}\0{occurrence}".encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()[:32]


def redact_text(path: str, text: str) -> str:
    """`text` (from the file `path`) with any secret in it redacted; for strings a checker
    or report adds to a finding after it was made (a suppression comment's reason)."""
    from auditor.secrets.scrub import scrub_text  # the secrets package builds Findings itself

    return scrub_text(path, text) if text else text


@dataclass
class Finding:
    """One flaw at one place. `path` is relative to the scanned root with forward slashes."""

    rule_id: str
    category: str
    severity: Severity
    cwe: list[str]
    path: str
    line: int
    column: int
    end_line: int
    message: str
    snippet: str = ""
    fingerprint: str = ""
    # Checker-specific contract fields: deps add package/ecosystem/version (+ advisories...),
    # secrets add secret_type/verified. Kept flat in the JSON output.
    extra: dict[str, Any] = field(default_factory=dict)
    suppressed: bool = False  # an inline `auditor: ignore` comment covers it
    suppression_reason: str | None = None
    baselined: bool = False  # its fingerprint is in the baseline file: known, not new
    # Source-to-sink steps (path, line, note) when the flow crossed functions or files.
    trace: list[tuple[str, int, str]] = field(default_factory=list)
    # What the fingerprint hashes when it is not the snippet: the snippet with each secret
    # replaced by a keyed digest of its value (set by redaction; never shown, never stored).
    fingerprint_basis: str = field(default="", repr=False)

    def __post_init__(self) -> None:
        if self.category not in CATEGORIES:
            raise ValueError(f"finding for {self.rule_id} has unknown category {self.category!r}")
        self._redact()
        if not self.fingerprint:
            self.fingerprint = make_fingerprint(self.rule_id, self.path, self.basis)

    def _redact(self) -> None:
        """No secret leaves a Finding in clear, whichever checker made it: the snippet, the
        message and the extra fields are redacted here, once, and the fingerprint input
        gets a keyed digest of each secret instead of the secret."""
        from auditor.secrets.scrub import scrub  # the secrets package builds Findings itself

        if self.snippet:
            found = scrub(self.path, self.snippet)
            if found is not None:
                self.snippet = found.shown
                self.fingerprint_basis = self.fingerprint_basis or found.basis
        if self.message:
            found = scrub(self.path, self.message)
            if found is not None:
                self.message = found.shown
                if not self.snippet:
                    self.fingerprint_basis = self.fingerprint_basis or found.basis
        if self.extra:
            self.extra = {k: _redact_value(self.path, v) for k, v in self.extra.items()}

    @property
    def basis(self) -> str:
        """The text the fingerprint is made from (secrets as keyed digests)."""
        return self.fingerprint_basis or self.snippet or self.message

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.column, self.rule_id)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "rule_id": self.rule_id,
            "category": self.category,
            "severity": self.severity.label,
            "cwe": list(self.cwe),
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "message": self.message,
            "fingerprint": self.fingerprint,
            "snippet": self.snippet,
        }
        if self.trace:
            data["trace"] = [{"path": p, "line": ln, "note": note} for p, ln, note in self.trace]
        data.update(self.extra)
        return data


def assign_occurrences(findings: list[Finding]) -> None:
    """Give identical (rule, path, snippet) findings distinct fingerprints, in line order."""
    seen: dict[tuple[str, str, str], int] = {}
    for f in sorted(findings, key=Finding.sort_key):
        key = (f.rule_id, f.path, fold_whitespace(f.basis))
        n = seen.get(key, 0)
        seen[key] = n + 1
        if n:
            f.fingerprint = make_fingerprint(f.rule_id, f.path, f.basis, n)


def _redact_value(path: str, value: Any, depth: int = 0) -> Any:
    """Strings in a finding's extra fields (package specs, advisory text, trace notes),
    redacted; containers walked a few levels deep."""
    if isinstance(value, str):
        return redact_text(path, value)
    if depth >= 8:  # JSON-like data is shallow; this only guards against a cycle
        return value
    if isinstance(value, list):
        return [_redact_value(path, v, depth + 1) for v in value]
    if isinstance(value, dict):
        return {k: _redact_value(path, v, depth + 1) for k, v in value.items()}
    return value


@dataclass(frozen=True)
class Unchecked:
    """One check that could not be answered, e.g. `reqeusts` on PyPI: registry unreachable."""

    path: str
    subject: str  # what was not checked, e.g. "lodash@4.17.21 (npm)"
    check: str  # e.g. "exists", "vulnerabilities"
    reason: str

    def __post_init__(self) -> None:
        # A dependency spec can be a credential URL (`git+https://user:token@...`).
        object.__setattr__(self, "subject", redact_text(self.path, self.subject))
        object.__setattr__(self, "reason", redact_text(self.path, self.reason))

    def to_dict(self) -> dict[str, str]:
        return {"path": self.path, "subject": self.subject, "check": self.check, "reason": self.reason}


@dataclass
class ScanResult:
    findings: list[Finding] = field(default_factory=list)  # includes suppressed and baselined ones
    files: int = 0
    seconds: float = 0.0
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    # Checks that could not be completed (a registry or OSV lookup that failed): shown in every
    # report as "unknown, not verified safe", but not findings: an outage is not a flaw.
    unchecked: list[Unchecked] = field(default_factory=list)

    @property
    def active(self) -> list[Finding]:
        """Findings that count: not suppressed inline and not in the baseline."""
        return [f for f in self.findings if not f.suppressed and not f.baselined]

    @property
    def suppressed(self) -> list[Finding]:
        return [f for f in self.findings if f.suppressed]

    @property
    def baselined(self) -> list[Finding]:
        return [f for f in self.findings if f.baselined and not f.suppressed]

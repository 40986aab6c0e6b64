"""Find hard-coded secrets in one file's text.

`scan_text` returns SecretMatch records that still hold the raw secret (in memory only,
for `--verify`); `to_findings` turns them into redacted Findings; `find_secrets` does both
and is what the scan engine calls on every text file, so it is built for speed: the keyword
prefilter picks the few regexes worth running, everything is compiled once per process.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from auditor.findings import Finding, Severity
from auditor.kb.model import Rule
from auditor.secrets.decoys import is_placeholder
from auditor.secrets.entropy import shannon_entropy
from auditor.secrets.filekinds import file_kind, is_test_or_example
from auditor.secrets.patterns import AssignmentSyntax, PatternSet, SecretPattern, load_patterns
from auditor.secrets.redact import fingerprint_token, redact, redact_spans
from auditor.secrets.validators import VALIDATORS, Verdict

CATEGORY = "hardcoded-secret"
DEFAULT_CWE = ("CWE-798",)
PAIR_DISTANCE = 6  # lines: how far an AWS key id and its secret may be apart to be paired
MAX_SNIPPET = 300


@dataclass
class SecretMatch:
    """One secret at one place. `secret` is the raw value: never printed, never stored;
    it exists so that `--verify` can ask the issuing provider about it."""

    pattern: SecretPattern
    secret: str = field(repr=False)
    start: int  # offset of the secret in the text
    end: int
    line: int  # 1-based line of the match (a private key's BEGIN line)
    column: int
    end_line: int
    severity: Severity
    anchor: int = 0  # offset where the whole match begins (its line is the finding's line)
    reason: str = ""  # why the severity was lowered, for the message
    partner: SecretMatch | None = field(default=None, repr=False)  # the paired AWS id/secret
    verified: str | None = None  # live | revoked | unknown; None when not checked

    @property
    def redacted(self) -> str:
        return redact(self.secret)


def _name_boundary_ok(text: str, start: int) -> bool:
    """A generic detector's secret word must begin a name or a camelCase part of one:
    `DB_PASS`, `dbPass`, `"password"` pass; `bypass`, `compass` do not."""
    if start == 0:
        return True
    prev, first = text[start - 1], text[start]
    if not prev.isalnum():
        return True
    return first.isupper() and (prev.islower() or prev.isdigit())


def _first_argument(before_name: str) -> bool:
    """For the `"NAME", "value"` shape: the name's string must open a call's argument list
    (`define('API_KEY', ...)`, `headers.put("X-Api-Key", ...)`), not sit in a list."""
    quote = max(before_name.rfind('"'), before_name.rfind("'"))
    return quote >= 0 and before_name[:quote].rstrip().endswith("(")


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def _overlaps(a: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(a[0] < e and s < a[1] for s, e in spans)


def scan_text(path: str, text: str, patterns: PatternSet | None = None) -> list[SecretMatch]:
    """Every secret in `text` (the content of `path`, which decides file kind and context),
    one match per secret span, best detector first, sorted by position."""
    if not text:
        return []
    found = _collect(file_kind(path), is_test_or_example(path), text, patterns or load_patterns(), loose=False)
    matches = _pair(found.matches)
    matches.sort(key=lambda s: (s.start, s.pattern.order))
    return matches


def secret_spans(path: str, text: str) -> list[tuple[int, int, str]]:
    """(start, end, secret) of every secret-looking value in `text`, for redacting output
    (a code finding's snippet, a message). Looser than `scan_text`: file-kind limits and the
    lockfile exemption do not apply and unpaired candidates are kept, because hiding a
    little too much is harmless and showing a key is not. The keyword prefilter keeps it
    cheap on the ordinary line that holds no secret."""
    if not text or not load_patterns().might_hold_secret(text):
        return []
    return list(_loose_spans(file_kind(path), text))


@lru_cache(maxsize=2048)  # a checker's messages repeat from finding to finding
def _loose_spans(kind: str, text: str) -> tuple[tuple[int, int, str], ...]:
    found = _collect(kind, False, text, load_patterns(), loose=True)
    return tuple((m.start, m.end, m.secret) for m in found.matches)


def _collect(kind: str, in_tests: bool, text: str, patterns: PatternSet, loose: bool) -> _Collector:
    found = _Collector(text, kind, in_tests)
    assignment: list[SecretPattern] = []
    for pat in patterns.candidates(text):
        if not loose and ((pat.files and kind not in pat.files) or (pat.generic and kind == "lockfile")):
            continue
        if pat.kind == "assignment":
            assignment.append(pat)
            continue
        check_name = pat.generic and "name" in pat.regex.groupindex
        for m in pat.regex.finditer(text):
            if pat.not_after is not None and not pat.boundary_ok(text, m.start()):
                continue
            if check_name and not _name_boundary_ok(text, m.start("name")):
                continue
            found.offer(pat, m.group(pat.group), m.span(pat.group), m.start(), m.end())
    if assignment and patterns.syntax is not None:
        for pat, value, span, anchor in _assignments(text, kind, assignment, patterns.syntax):
            found.offer(pat, value, span, anchor, span[1])
    return found


class _Collector:
    """Turns raw regex hits into SecretMatches: span de-duplication (a more specific
    detector claims its span, even when its hit is then dropped as a decoy), validation,
    and severity by context."""

    def __init__(self, text: str, kind: str, in_tests: bool) -> None:
        self.text, self.kind, self.in_tests = text, kind, in_tests
        self.claimed: list[tuple[int, int]] = []
        self.matches: list[SecretMatch] = []

    def offer(self, pat: SecretPattern, secret: str | None, span: tuple[int, int], anchor: int, anchor_end: int) -> None:
        if not secret or _overlaps(span, self.claimed):
            return
        if not pat.generic:
            self.claimed.append(span)
        verdict = _judge(pat, secret)
        if verdict is Verdict.DROP:
            return
        severity, reason = pat.severity, ""
        if verdict is Verdict.LOW:
            severity, reason = Severity.LOW, _low_reason(pat)
        elif self.in_tests:
            severity, reason = Severity.LOW, "in a test, fixture or example file"
        elif pat.generic and self.kind == "docs":
            severity, reason = Severity.LOW, "in documentation"
        if pat.generic:
            self.claimed.append(span)
        line, column = _position(self.text, anchor)
        if "\n" not in self.text[anchor:span[0]]:
            column += span[0] - anchor  # point at the secret itself, not its label
        end_line = line + self.text.count("\n", anchor, max(anchor, anchor_end - 1))
        self.matches.append(SecretMatch(pat, secret, span[0], span[1], line, column, end_line, severity,
                                        anchor, reason))


def _assignments(text: str, kind: str, pats: list[SecretPattern],
                 syntax: AssignmentSyntax) -> Iterator[tuple[SecretPattern, str, tuple[int, int], int]]:
    """(detector, value, value span, name start) for each `name = "value"` whose name ends
    in a detector's secret word. One pass of the shared syntax regex serves every
    assignment detector; a detector's keywords must appear just before the operator
    before its (costlier) name regex is tried."""
    for m in syntax.quoted.finditer(text):
        value = m.group("value")
        op = m.start()
        line_start = text.rfind("\n", 0, op) + 1
        lo = max(line_start, op - 100)
        tail = text[lo:op]
        low = tail.lower()
        for pat in pats:
            if len(value) < pat.min_length or not any(k in low for k in pat.keywords):
                continue
            nm = pat.regex.search(tail)
            if nm and _name_boundary_ok(tail, nm.start("name")):
                if text[op] == "," and not _first_argument(tail[:nm.start("name")]):
                    continue
                yield pat, value, m.span("value"), lo + nm.start("name")
                break
    if kind not in syntax.config_files:
        return
    for m in syntax.unquoted.finditer(text):
        key, value = m.group("key"), m.group("value")
        low = key.lower()
        for pat in pats:
            if pat.key_regex is None or len(value) < pat.min_length or not any(k in low for k in pat.keywords):
                continue
            nm = pat.key_regex.search(key)
            if nm and _name_boundary_ok(key, nm.start("name")):
                yield pat, value, m.span("value"), m.start("key")
                break


def _judge(pat: SecretPattern, secret: str) -> Verdict:
    if is_placeholder(secret) and pat.validator != "private-key-body":
        return Verdict.DROP
    if pat.validator is not None:
        verdict = VALIDATORS[pat.validator](secret, pat.entropy)
        if verdict is not Verdict.KEEP or pat.validator in ("random-looking", "password-value", "private-key-body"):
            return verdict  # these validators apply the entropy bar themselves
    if pat.entropy and shannon_entropy(secret) < pat.entropy:
        return Verdict.DROP
    return Verdict.KEEP


def _low_reason(pat: SecretPattern) -> str:
    if pat.validator == "github-checksum":
        return "its checksum does not match, so it is probably not a real token"
    return "it looks like a default or textbook value"


def _pair(matches: list[SecretMatch]) -> list[SecretMatch]:
    """Link each AWS secret to the nearest key id (within PAIR_DISTANCE lines), and drop
    unlabelled candidates (`needs_pair`) that have no key id near them."""
    groups: dict[str, list[SecretMatch]] = {}
    for m in matches:
        if m.pattern.pair:
            groups.setdefault(m.pattern.pair, []).append(m)
    if not groups:
        return matches
    dropped: set[int] = set()
    for members in groups.values():
        ids = [m for m in members if m.pattern.verify and m.pattern.id.endswith("-id")]
        secrets = [m for m in members if m not in ids]
        for s in secrets:
            near = [i for i in ids if abs(i.line - s.line) <= PAIR_DISTANCE]
            if near:
                best = min(near, key=lambda i: abs(i.line - s.line))
                s.partner = best
                if best.partner is None or abs(best.partner.line - best.line) > abs(s.line - best.line):
                    best.partner = s
            elif s.pattern.needs_pair:
                dropped.add(id(s))
    return [m for m in matches if id(m) not in dropped]


# -- findings ---------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _secret_rules() -> dict[str, Rule]:
    """The knowledge-base rules for secrets only (kb/rules/secrets), loaded once; loading
    the whole knowledge base would slow `auditor secrets` for nothing."""
    from auditor.kb.load import load_rules_from, rules_dir

    return {r.id: r for r in load_rules_from(rules_dir() / "secrets")}


def message_for(match: SecretMatch) -> str:
    """What was found (redacted) and what to do, in one line."""
    text = f"{match.pattern.name} hard-coded ({match.redacted})"
    if match.verified == "live":
        text += "; the provider accepted it: it is live, revoke and rotate it now"
    elif match.verified == "revoked":
        text += "; the provider rejected it (revoked or invalid), remove it anyway"
    elif match.reason:
        text += f"; reported as low: {match.reason}"
    if match.partner is not None:
        text += f"; paired with the {match.partner.pattern.name} on line {match.partner.line}"
    return text + ". Load it from the environment or a secret manager, and rotate it if it was ever committed."


def to_findings(path: str, text: str, matches: list[SecretMatch],
                extra: dict[str, object] | None = None) -> list[Finding]:
    """Redacted Findings for `matches` of `text`. Snippets are the source line with every
    secret on it replaced by its redaction; messages name only the redacted form."""
    if not matches:
        return []
    rules = _secret_rules()
    spans = [(m.start, m.end, m.secret) for m in matches]
    findings: list[Finding] = []
    for m in matches:
        line_start = text.rfind("\n", 0, m.anchor) + 1
        line_end = text.find("\n", line_start)
        raw_line = text[line_start: len(text) if line_end < 0 else line_end]
        snippet = redact_spans(raw_line, line_start, spans).strip()
        # The fingerprint hashes the real value (keyed), so a different key with the same
        # ends is a new finding; the secret itself is never hashed bare nor shown. The
        # token is added, not substituted: a private key's body is not on its snippet line.
        basis = f"{snippet} {fingerprint_token(m.secret)}"
        if len(snippet) > MAX_SNIPPET:
            snippet = _clip(snippet, m.redacted)
        rule = rules.get(m.pattern.rule)
        data: dict[str, object] = {"secret_type": m.pattern.id, "verified": m.verified}
        if extra:
            data.update(extra)
        findings.append(Finding(
            rule_id=m.pattern.rule,
            category=CATEGORY,
            severity=m.severity,
            cwe=list(rule.cwe) if rule else list(DEFAULT_CWE),
            path=path,
            line=m.line,
            column=m.column,
            end_line=m.end_line,
            message=message_for(m),
            snippet=snippet,
            extra=data,
            fingerprint_basis=basis,
        ))
    return findings


def _clip(snippet: str, masked: str) -> str:
    """Keep a long line readable around the redacted secret."""
    at = snippet.find(masked)
    lo = max(0, at - 120) if at >= 0 else 0
    return ("..." if lo else "") + snippet[lo: lo + MAX_SNIPPET] + "..."


def find_secrets(path: str, text: str) -> list[Finding]:
    """Findings for hard-coded secrets in one file's text (redacted). Called by the scan
    engine on every text file; suppression comments are applied by the caller."""
    return to_findings(path, text, scan_text(path, text))

"""Redaction of whatever text a finding carries, whoever made the finding.

A code finding's snippet is the flagged line, and that line may also hold a key
(`jwt.sign({}, '...')`, a bearer token inside a shell command, a credential URL in a
requirements line). `Finding` passes its snippet, message and extra fields through here,
so every checker gets redaction without doing anything."""

from __future__ import annotations

from dataclasses import dataclass

from auditor.secrets.detect import secret_spans
from auditor.secrets.redact import fingerprint_token, redact_spans


@dataclass(frozen=True)
class Scrubbed:
    shown: str  # secrets replaced by their redaction (`a****f`)
    basis: str  # secrets replaced by a keyed digest of their value, for fingerprints


def scrub(path: str, text: str) -> Scrubbed | None:
    """`text` (from the file `path`, whose kind decides which detectors apply) with its
    secrets redacted, or None when it holds none (the common case, kept cheap)."""
    spans = secret_spans(path, text)
    if not spans:
        return None
    return Scrubbed(redact_spans(text, 0, spans), redact_spans(text, 0, spans, replace=fingerprint_token))


def scrub_text(path: str, text: str) -> str:
    """Just the redacted text."""
    found = scrub(path, text)
    return text if found is None else found.shown

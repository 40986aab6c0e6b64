"""Redaction: a secret is shown as its first and last characters only, everywhere.

Every output (text, JSON, SARIF, messages, snippets) is built from the redacted form, and
fingerprints from a keyed digest of the value; the raw value lives only in memory, for
verification."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable

MASK = "****"
# The key of the fingerprint digest is fixed and public on purpose. Baselines are committed
# and compared on every laptop and CI runner, and GitHub matches SARIF fingerprints across
# runs: a per-machine key would make every secret "new" elsewhere, and a per-project key
# would have to be committed beside the baseline, so it would be no more secret than this
# one. What the key buys is domain separation: a fingerprint cannot be looked up in a table
# of plain SHA-256 hashes of leaked keys. The values we flag are random keys, too long to
# guess from a digest; a weak password could be guessed from it, as from any hash.
FINGERPRINT_KEY = b"auditor/secret-fingerprint/v1"


def redact(secret: str) -> str:
    """`abcdef` -> `a****f`. The mask has a fixed width so the length is not revealed;
    secrets of 4 characters or fewer are masked whole (their ends would be half of them).
    Surrounding whitespace is ignored, so a PEM body's line breaks never reach a message."""
    core = secret.strip()
    if len(core) <= 4:
        return MASK
    return f"{core[0]}{MASK}{core[-1]}"


def keyed_digest(secret: str) -> str:
    """HMAC-SHA256 of the real value, for fingerprints: it changes when the value changes
    (a new key with the same ends is not "in the baseline") and never shows the value."""
    data = secret.encode("utf-8", "surrogatepass")
    return hmac.new(FINGERPRINT_KEY, data, hashlib.sha256).hexdigest()[:32]


def fingerprint_token(secret: str) -> str:
    """What stands for a secret in a fingerprint's input."""
    return f"<secret:{keyed_digest(secret)}>"


def redact_spans(line: str, line_start: int, spans: list[tuple[int, int, str]],
                 replace: Callable[[str], str] = redact) -> str:
    """`line` (which starts at text offset `line_start`) with every part that lies inside a
    secret span (start, end, secret) replaced by `replace(secret)` (its redaction, or its
    fingerprint token).

    A span may begin before the line or end after it (multi-line private keys): only the
    overlapping part is replaced, and the replacement is written once per span."""
    line_end = line_start + len(line)
    cuts: list[tuple[int, int, str]] = []
    for start, end, secret in spans:
        lo, hi = max(start, line_start), min(end, line_end)
        if lo < hi or (lo == hi and start <= lo < end and line == ""):
            cuts.append((lo - line_start, hi - line_start, replace(secret)))
    for lo, hi, masked in sorted(cuts, reverse=True):
        line = line[:lo] + masked + line[hi:]
    return line

"""Structural checks a detector names in patterns.yaml (`validator:`), run after its regex.

A validator returns a Verdict: KEEP, DROP (not a secret: a decoy or a format mismatch) or
LOW (probably not live, e.g. a GitHub token whose checksum does not match: reported at
low, so nothing is silenced on a guess)."""

from __future__ import annotations

import math
import re
import zlib
from collections.abc import Callable
from enum import Enum

from auditor.secrets.decoys import is_dummy_password, is_placeholder
from auditor.secrets.entropy import shannon_entropy


class Verdict(Enum):
    KEEP = "keep"
    DROP = "drop"
    LOW = "low"


# GitHub and npm tokens end in the CRC32 of their random part, base62-encoded to 6 chars.
# The common alphabet is 0-9A-Za-z; some generators use 0-9a-zA-Z, so both are accepted.
_B62_ALPHABETS = (
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
)


def _base62(number: int, alphabet: str) -> str:
    digits = []
    while number:
        number, rem = divmod(number, 62)
        digits.append(alphabet[rem])
    return "".join(reversed(digits)).rjust(6, alphabet[0])


def github_checksum_ok(token: str) -> bool:
    """True when the last 6 characters are the base62 CRC32 of the 30 before them
    (`ghp_`, `gho_`, `ghu_`, `ghs_` and `npm_` tokens share this layout)."""
    body = token[4:]
    if len(body) != 36:
        return False
    crc = zlib.crc32(body[:30].encode("ascii", "replace"))
    return any(_base62(crc, a) == body[30:] for a in _B62_ALPHABETS)


def _github_checksum(value: str, _entropy_min: float) -> Verdict:
    return Verdict.KEEP if github_checksum_ok(value) else Verdict.LOW


_ARMOR_HEADER = re.compile(r"^[A-Za-z-]+:.*$", re.MULTILINE)  # Proc-Type:, DEK-Info:, Version:
_NOT_B64 = re.compile(r"\\[nrt]|[^A-Za-z0-9+/=]")


def _private_key_body(value: str, _entropy_min: float) -> Verdict:
    """The text between BEGIN and END must be real key material: at least 64 base64
    characters of high entropy, not `...` or `<your key here>` (armor headers and escaped
    newlines of keys pasted into JSON or string literals are removed first)."""
    low = value.lower()
    if any(m in low for m in _KEY_STANDINS):
        return Verdict.DROP
    body = _NOT_B64.sub("", _ARMOR_HEADER.sub("", value.replace("\\n", "\n")))
    if len(body) < 64 or shannon_entropy(body) < 4.5:
        return Verdict.DROP
    return Verdict.KEEP


_KEY_STANDINS = ("...", "<", ">", "redacted", "placeholder", "xxxxxxxx", "your_", "your-", "your ", "example")
_HAS_UPPER = re.compile(r"[A-Z]")
_HAS_LOWER = re.compile(r"[a-z]")
_HAS_DIGIT = re.compile(r"[0-9]")


def _classes(value: str) -> int:
    return sum(1 for rx in (_HAS_UPPER, _HAS_LOWER, _HAS_DIGIT) if rx.search(value)) + (
        1 if re.search(r"[^A-Za-z0-9]", value) else 0
    )


def _mixed_case_base64(value: str, _entropy_min: float) -> Verdict:
    """AWS secret keys are random base64: upper, lower and digits all appear (a 40-char git
    SHA, which is lower-case hex, does not qualify)."""
    if is_placeholder(value):
        return Verdict.DROP
    ok = _HAS_UPPER.search(value) and _HAS_LOWER.search(value) and _HAS_DIGIT.search(value)
    return Verdict.KEEP if ok else Verdict.DROP


# Word-shaped values: identifiers, constants, dotted names, paths and URLs are not secrets.
_WORDY = re.compile(
    r"^(?:[A-Z]?[a-z]+(?:[A-Z][a-z]+)*|[a-z]+(?:[_\-.][a-z]+)+|[A-Z]+(?:[_\-.][A-Z]+)+|"
    r"[A-Za-z]+(?:\.[A-Za-z_]+)+)$"
)
_PATHY = re.compile(r"^(?:[./~]|[A-Za-z]:\\)|://|\.(?:png|jpe?g|gif|svg|js|ts|py|json|html?|css|ya?ml|txt|md|pem|key|crt)$")
_HEX_HASH = re.compile(r"^(?:sha\d+[-:]|md5[-:])", re.IGNORECASE)
_FORMAT = re.compile(r"%[-0-9.]*[sdifrx]|\{\d*\}|\$\d")  # "user.%s.%s", "a{}b": a template string


_SEGMENTS = re.compile(r"[_\-./: ]+")
_WORD = re.compile(r"^(?:[a-z]{3,}|[A-Z][a-z]{2,}|[A-Z]{3,}|\d{1,4})$")


def _mostly_words(value: str) -> bool:
    """`0002_alter_permission_name`, `user-profile-cache-v2`: separated words and small
    numbers, as in identifiers and file names. Random keys do not split into words."""
    parts = [p for p in _SEGMENTS.split(value) if p]
    return len(parts) >= 3 and sum(1 for p in parts if _WORD.match(p)) * 3 >= len(parts) * 2


def _random_looking(value: str, entropy_min: float) -> Verdict:
    """Generic detectors: the literal must look machine-made (several character classes,
    entropy above the pattern's minimum scaled to its length) and not like a word, path,
    URL, identifier, hash label or placeholder."""
    if is_placeholder(value) or _WORDY.match(value) or _PATHY.search(value) or _HEX_HASH.match(value):
        return Verdict.DROP
    if _FORMAT.search(value):
        return Verdict.DROP
    if _classes(value) < 2 or _mostly_words(value):
        return Verdict.DROP
    # Short strings cannot reach high per-character entropy: scale the bar to the length.
    bar = min(entropy_min, math.log2(len(value)) - 0.6)
    if value.isalpha():
        bar = max(bar, 3.8)
    return Verdict.KEEP if shannon_entropy(value) >= bar else Verdict.DROP


_IDENTIFIER = re.compile(r"^(?:[a-z][a-z0-9]*(?:_[a-z0-9]+)+|[a-z]+(?:[A-Z][a-z0-9]+)+|[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)$")


def _password_value(value: str, entropy_min: float) -> Verdict:
    """Passwords are human-made, so entropy is a weak signal: drop placeholders and template
    references, lower textbook defaults (`postgres`, `password123`) to low."""
    if is_placeholder(value) or _PATHY.search(value) and "://" in value:
        return Verdict.DROP
    if value.startswith(("$", "%", "{", "#{", "@")) or value.endswith("}"):
        return Verdict.DROP
    if _IDENTIFIER.match(value):
        return Verdict.DROP  # new_password1, confirmPassword: a field name, not a password
    if is_dummy_password(value):
        return Verdict.LOW
    if entropy_min and (shannon_entropy(value) < entropy_min or _WORDY.match(value)):
        return Verdict.DROP
    return Verdict.KEEP


def _not_identifier(value: str, _entropy_min: float) -> Verdict:
    """JWT secrets: any literal counts (human-chosen ones are the weak ones) unless it is a
    placeholder or the name of a variable or setting."""
    if is_placeholder(value) or _PATHY.search(value):
        return Verdict.DROP
    if re.match(r"^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_.]+$", value):  # config.jwtSecret
        return Verdict.DROP
    if is_dummy_password(value):
        return Verdict.LOW
    return Verdict.KEEP


VALIDATORS: dict[str, Callable[[str, float], Verdict]] = {
    "github-checksum": _github_checksum,
    "private-key-body": _private_key_body,
    "mixed-case-base64": _mixed_case_base64,
    "random-looking": _random_looking,
    "password-value": _password_value,
    "not-identifier": _not_identifier,
}

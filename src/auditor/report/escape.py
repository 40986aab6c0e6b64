"""Making strings from scanned files safe to print and to serialise.

Scanned files are hostile: a line may carry ANSI sequences that erase a finding on the
terminal and print a fake summary, carriage returns that overwrite a line, or bidi
controls that reorder it ("Trojan Source"). File names may not be UTF-8: they arrive as
surrogate escapes, which no UTF-8 stream can encode."""

from __future__ import annotations

import os
import re
from typing import Any
from urllib.parse import quote

# C0 controls but tab, DEL and C1 controls, bidi and zero-width format characters, the
# line and paragraph separators, and lone surrogates.
_UNPRINTABLE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff\ud800-\udfff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _escape(ch: str) -> str:
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a non-UTF-8 file name (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(text: str) -> str:
    """`text` with every control, format and undecodable character shown as an escape
    (`\\x1b`, `\\u202e`, `\\xff`), so it prints as what it is and nothing else."""
    return _UNPRINTABLE.sub(lambda m: _escape(m.group()), text) if _UNPRINTABLE.search(text) else text


def unicode_clean(value: Any) -> Any:
    """`value` (JSON-like) with lone surrogates in its strings shown as `\\xNN`: JSON and
    SARIF readers may reject them. Other characters are left to the JSON encoder."""
    if isinstance(value, str):
        return _SURROGATE.sub(lambda m: _escape(m.group()), value) if _SURROGATE.search(value) else value
    if isinstance(value, list):
        return [unicode_clean(v) for v in value]
    if isinstance(value, dict):
        return {k: unicode_clean(v) for k, v in value.items()}
    return value


def path_uri(path: str) -> str:
    """A relative path as a URI reference (SARIF `uri`): the file name's own bytes,
    percent-encoded where a URI needs it (spaces, `%`, `#`, `?`, non-ASCII)."""
    try:
        raw = os.fsencode(path)
    except UnicodeEncodeError:
        raw = path.encode("utf-8", "surrogatepass")
    return quote(raw, safe="/")

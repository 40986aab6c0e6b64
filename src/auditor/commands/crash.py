"""The one line printed when a command fails in a way nobody planned for.

Kept out of cli.py so the wording and its safety (no secret, no control character, one
line) live in one place."""

from __future__ import annotations

MAX_DETAIL = 300


def safe_line(text: str) -> str:
    """One printable line, redacted: error messages quote file names and file content."""
    from auditor.findings import redact_text
    from auditor.report.escape import printable

    try:
        text = redact_text("", text)
    except Exception:  # noqa: BLE001 - the redactor itself may be what broke; say less
        text = text.split(":", 1)[0] + ": (details withheld)"
    return printable(text)


def crash_line(exc: BaseException) -> str:
    """`auditor: <what>` for an unexpected exception: the file and problem for an OSError
    (an unreadable or unwritable path), else "internal error" with the exception's type and
    first line, redacted and escaped, and how to see the traceback."""
    if isinstance(exc, OSError) and exc.strerror:
        where = f"{exc.filename}: " if exc.filename is not None else ""
        return safe_line(f"auditor: {where}{exc.strerror}")
    detail = (str(exc).strip().splitlines() or [""])[0][:MAX_DETAIL]
    name = type(exc).__name__
    what = f"{name}: {detail}" if detail else name
    return safe_line(f"auditor: internal error ({what}); this is a bug, please report it "
                     "(AUDITOR_DEBUG=1 shows the traceback)")

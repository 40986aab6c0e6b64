"""The one line printed when a command fails in a way nobody planned for.

Kept out of cli.py so the wording and its safety (no secret, no control character, one
line) live in one place."""

from __future__ import annotations

MAX_DETAIL = 300


def crash_line(exc: BaseException) -> str:
    """`auditor: <what>` for an unexpected exception: the file and problem for an OSError
    (an unreadable or unwritable path), else "internal error" with the exception's type and
    first line, redacted and escaped, and how to see the traceback."""
    from auditor.findings import redact_text
    from auditor.report.escape import printable

    if isinstance(exc, OSError) and exc.strerror:
        where = f"{exc.filename}: " if exc.filename is not None else ""
        return printable(f"auditor: {where}{exc.strerror}")
    detail = (str(exc).strip().splitlines() or [""])[0][:MAX_DETAIL]
    try:
        detail = redact_text("", detail)
    except Exception:  # noqa: BLE001 - the redactor itself may be what broke
        detail = ""
    name = type(exc).__name__
    what = f"{name}: {detail}" if detail else name
    return printable(f"auditor: internal error ({what}); this is a bug, please report it "
                     "(AUDITOR_DEBUG=1 shows the traceback)")

"""A value a shell runs reaches files too: Vulnerable-Bottle-App's command page answered
"Permission denied" for the canary's path and "not found" for missing ones, and the traversal
check took that for a file reached. Where command or code injection is confirmed at a point,
path traversal is not judged there; at another point of the same app it still is."""

from __future__ import annotations

import html
import os
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from auditor.probe.engine import ProbeConfig, run_probe
from auditor.probe.safety import Limits

from .standin import serve

CONTENT = "canary-content-7d1e"


def _app(canary: Path):
    def shell_like(value: str) -> str:
        """What a shell answers, simulated (nothing runs): echo with arithmetic, else a path looked up."""
        if m := re.search(r"echo (aud\w+)\$\(\((\d+)\*(\d+)\)\)", value):
            return f"{m.group(1)}{int(m.group(2)) * int(m.group(3))}"
        path = value.split(";")[0].strip()
        found = os.path.exists(os.path.normpath(os.path.join("/srv/app", path)))  # from the app's folder
        return f"sh: 1: {html.escape(path)}: " + ("Permission denied" if found else "not found")

    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], str]:
        parts = urlsplit(path)
        query = parse_qs(parts.query)
        if parts.path == "/":
            return 200, {}, '<a href="/run?cmd=ls">run</a> <a href="/read?file=a.txt">read</a>'
        if parts.path == "/run":
            return 200, {}, f"<pre>{shell_like(query.get('cmd', [''])[0])}</pre>"
        if parts.path == "/read":  # reads a path as given: a real traversal
            wanted = os.path.normpath(os.path.join("/srv/none", query.get("file", [""])[0]))
            if wanted == str(canary):
                return 200, {}, f"<pre>{CONTENT}</pre>"
            return 404, {}, "no such file"
        return 404, {}, "not found"

    return handle


def test_no_traversal_where_a_shell_runs_the_value(tmp_path: Path):
    canary = tmp_path / "auditor-canary-0123456789abcdef.txt"
    canary.write_text(CONTENT + "\n")
    with serve(_app(canary)) as url:
        run = run_probe(ProbeConfig(base_url=url, project=tmp_path / "none", checks=["command", "traversal"],
                                    traversal_targets=[(str(canary), CONTENT)],
                                    limits=Limits(rps=1000, max_requests=400, timeout=5)))
    found = {(c.category, c.endpoint) for c in run.confirmations}
    assert ("command-injection", "/run") in found
    assert ("path-traversal", "/run") not in found
    assert ("path-traversal", "/read") in found

"""An upload's file name is a point of its own: a handler that puts it in a shell command is
confirmed by time (a file name holds no URL's slashes, so no fetch is sent), and one that quotes
it is not. The stand-in runs a real shell in its own temp dir; the payloads only echo and sleep."""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path

import pytest

from auditor.probe.checks.command import CommandInjection
from auditor.probe.checks.sqli import SqlInjection
from auditor.probe.checks.traversal import PathTraversal
from auditor.probe.engine import injection_points
from auditor.probe.interface import InjectionPoint, Param, ProbeContext, Route
from auditor.probe.safety import Limits, SafeClient
from auditor.probe.sender import PointSender

from .standin import serve

UPLOAD = Route("POST", "/file-upload", [Param("file", "file")], "code", "app.py", 60)


def _app(folder: Path, quoted: bool):
    names: list[str] = []

    def handle(method, path, headers, body):
        m = re.search(rb'filename="([^"]*)"', body)
        name = m.group(1).decode() if m else ""
        names.append(name)
        if not name.endswith(".png"):
            return 422, {"Content-Type": "application/json"}, '{"message": "Invalid file extension"}'
        subprocess.run(["sh", "-c", f"true {shlex.quote(name) if quoted else name}"], cwd=folder,
                       capture_output=True, timeout=20)
        return 200, {}, "<p>uploaded</p>"
    return handle, names


def test_a_file_input_has_a_file_name_point():
    points = injection_points([Route("POST", "/up", [Param("file", "file")], "code", "a.py", 1)])
    assert [(p.param.name, p.param.location) for p in points] == [("file", "file"), ("file", "filename")]
    named = next(p for p in points if p.param.location == "filename")
    assert CommandInjection().applies(named) and SqlInjection().applies(named)
    assert not PathTraversal().applies(named)  # a traversal there would name where the file is written


@pytest.mark.parametrize("quoted", [False, True])
def test_a_file_name_in_a_shell_command(tmp_path: Path, quoted: bool):
    handle, names = _app(tmp_path, quoted)
    with serve(handle) as url:
        client = SafeClient(url, Limits(rps=1000, timeout=10))
        ctx = ProbeContext(client.base_url, delay=1.0)
        found = CommandInjection().run(PointSender(client), ctx, InjectionPoint(UPLOAD, Param("file", "filename")))
    assert (found is not None) is not quoted
    if found is not None:
        assert "time-based" in found.message and found.point.param.location == "filename"
    assert all("/" not in n for n in names if "sleep" in n)  # no fetch URL in a file name

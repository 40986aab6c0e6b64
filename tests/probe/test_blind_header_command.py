"""Blind command injection through a header the code reads (`request.headers.get("X-Host")`
into `os.system`, nothing of the shell shown): header values are tried blind like query and
form values. Both ways: the shell that runs the header is confirmed; the quoting one is not.
The Referer guessed on crawled pages is not tried blind (one request more on every page)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from auditor.probe.checks.command import CommandInjection
from auditor.probe.interface import InjectionPoint, Param, Route
from tests.probe.test_app_mechanisms import needs_flask
from tests.probe.test_benchmark_mechanisms import _probed

APP = """
import os, shlex
from flask import Flask, request

app = Flask(__name__)


@app.route("/status")
def status():
    host = request.headers.get("X-Host", "localhost")
    os.system("true " + (host if VULNERABLE else shlex.quote(host)) + " >/dev/null 2>&1")
    return "<p>checked</p>"
"""


@needs_flask
@pytest.mark.skipif(shutil.which("sh") is None, reason="no shell")
@pytest.mark.parametrize("vulnerable", [True, False])
def test_a_header_reaching_a_silent_shell(tmp_path: Path, vulnerable: bool):
    run = _probed(tmp_path, APP.replace("VULNERABLE", str(vulnerable)), f"blind_header_{vulnerable}", "command", 200)
    found = [(c.category, c.point.param.name) for c in run.confirmations if c.point is not None]
    assert (("command-injection", "X-Host") in found) is vulnerable, found


def test_the_guessed_referer_is_not_tried_blind():
    route = Route("GET", "/page", [], "crawl")
    assert not CommandInjection._blind_point(InjectionPoint(route, Param("Referer", "header")))
    assert CommandInjection._blind_point(InjectionPoint(route, Param("X-Host", "header")))

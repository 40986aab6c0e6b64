"""`auditor probe` from the command line: bad usage exits 2 with one line, a remote target
needs --allow-remote, and Ctrl-C stops the probe and the app within a second and still writes
the partial report."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from .standin import standin
from .twinrun import make_twin


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "auditor", "probe", *args], capture_output=True, text=True,
                          timeout=60)


def test_needs_exactly_one_target(tmp_path):
    r = _run(str(tmp_path))
    assert r.returncode == 2 and "--url" in r.stderr
    r = _run(str(tmp_path), "--start", "true")
    assert r.returncode == 2 and "--port" in r.stderr


def test_remote_target_refused_before_any_request(tmp_path):
    r = _run(str(tmp_path), "--url", "http://192.0.2.7:8080")
    assert r.returncode == 2 and "--allow-remote" in r.stderr


def test_app_that_dies_is_reported(tmp_path):
    r = _run(str(tmp_path), "--start", f"{sys.executable} -c 'raise SystemExit(3)'", "--port", "9")
    assert r.returncode == 2 and "exited with code 3" in r.stderr


def test_app_that_dies_says_why_in_one_line_and_leaves_no_log(tmp_path):
    # The app's own last words (a missing module, a bad setting) are what the user needs to fix it.
    before = set(Path(tempfile.gettempdir()).glob("auditor-probe-app-*"))
    script = "import sys; print('starting'); sys.exit('ModuleNotFoundError: no module named flask_login')"
    r = _run(str(tmp_path), "--start", f"{sys.executable} -c \"{script}\"", "--port", "9")
    assert r.returncode == 2
    assert r.stderr.strip().count("\n") == 0
    assert "its last output: ModuleNotFoundError: no module named flask_login" in r.stderr
    assert set(Path(tempfile.gettempdir()).glob("auditor-probe-app-*")) == before


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.3):
            return True
    except OSError:
        return False


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_ctrl_c_stops_probe_and_app_and_writes_partial_report(tmp_path):
    twin = make_twin(tmp_path, "node_app", "vulnerable")
    out = tmp_path / "report.json"
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "auditor", "probe", str(twin.project), "--start", twin.command,
         "--port", str(twin.port), "--rps", "5", "-f", "json", "-o", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True,
        # SIGINT may be inherited ignored (a suite run in the background): restore Ctrl-C's default
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        deadline = time.monotonic() + 30
        while not _answers(twin.port):
            assert time.monotonic() < deadline and proc.poll() is None, "the app never started"
            time.sleep(0.1)
        time.sleep(1.5)  # mid-probe: 5 requests per second
        sent = time.monotonic()
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=10)
        took = time.monotonic() - sent
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 130
    print(f"stopped in {took:.2f} s")
    assert took < 1.5, f"took {took:.2f} s to stop"  # 1 s goal; slack for a loaded machine
    assert not _answers(twin.port)  # the app it started is gone
    report = json.loads(out.read_text())
    assert report["stats"]["unchecked"][0]["reason"] == "run interrupted"
    assert not list(twin.project.glob("auditor-canary-*"))


FLASK_HELLO = '''from flask import Flask, request

app = Flask(__name__)


@app.route("/hello")
def hello():
    name = request.args.get("name", "")
    return "<p>Hello " + name + "</p>"
'''


def test_scan_confirm_marks_the_static_finding(tmp_path):
    """`scan --confirm URL` against a stand-in server that behaves like the scanned handler."""
    from urllib.parse import parse_qs, urlsplit

    def respond(method: str, path: str) -> tuple[int, dict[str, str], bytes]:
        parts = urlsplit(path)
        if parts.path != "/hello":
            return 404, {}, b"not found"
        name = parse_qs(parts.query).get("name", [""])[0]
        return 200, {"Content-Type": "text/html"}, ("<p>Hello " + name + "</p>").encode()

    (tmp_path / "app.py").write_text(FLASK_HELLO)
    (tmp_path / "requirements.txt").write_text("flask==3.0.0\n")
    with standin(respond) as app:
        proc = subprocess.run([sys.executable, "-m", "auditor", "scan", str(tmp_path), "--confirm", app.url,
                               "-f", "json"], capture_output=True, text=True, timeout=120)
    findings = json.loads(proc.stdout)["findings"]
    xss = [f for f in findings if f["category"] == "xss" and f["path"] == "app.py"]
    assert xss and xss[0]["probe"] == "confirmed" and xss[0]["confirmed"] is True
    assert xss[0]["endpoint"] == "/hello" and proc.returncode == 1

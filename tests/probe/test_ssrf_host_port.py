"""SSRF through an input that is a bare host and port (`HTTPConnection(value)`, as Contrast's
vulnpy has): no URL path of the caller's reaches the server, so the proof is a connection to a
port auditor opens on 127.0.0.1 for that one request. Both ways: the connecting app is
confirmed, one that only connects to its own allowed host is not; a token is never heard for
another port that merely starts with the same digits."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from auditor.probe.callback import CallbackServer
from tests.probe.test_app_mechanisms import needs_flask
from tests.probe.test_benchmark_mechanisms import _probed

PING_APP = """
from http.client import HTTPConnection
from flask import Flask, request

app = Flask(__name__)


@app.route("/ping")
def ping():
    host = request.args.get("host", "example.invalid")
    if VULNERABLE or host == "status.internal":
        try:
            conn = HTTPConnection(host, timeout=2)
            conn.request("GET", "/")
            conn.getresponse()
        except Exception:
            pass
    return "<p>checked</p>"
"""


@needs_flask
@pytest.mark.parametrize("vulnerable", [True, False])
def test_a_host_port_input_is_proven_by_a_connection(tmp_path: Path, vulnerable: bool):
    run = _probed(tmp_path, PING_APP.replace("VULNERABLE", str(vulnerable)), f"ping_{vulnerable}", "ssrf", 200)
    found = [c for c in run.confirmations if c.category == "ssrf"]
    assert bool(found) is vulnerable, [c.message for c in found]
    if vulnerable:
        assert "connect to a host and port" in found[0].message
    assert all(r.url.startswith(run.base_url) for r in run.requests)


def test_each_one_time_port_is_heard_alone():
    with CallbackServer() as server:
        tok, port = server.open_port()
        other, _ = server.open_port()
        with socket.create_connection(("127.0.0.1", port), timeout=2):
            pass
        assert server.seen(tok + "/", wait=1)
        assert not server.seen(other + "/")
        assert server.hits == [tok + "/"]


def test_a_port_number_given_again_is_a_new_token():
    with CallbackServer() as server:
        server.MAX_PORTS = 1  # the first port is closed when the second opens: the OS may give its number again
        tokens = {server.open_port()[0] for _ in range(50)}
        assert len(tokens) == 50


IMPORT_APP = """
import urllib.request
from flask import Flask, request

app = Flask(__name__)


@app.route("/import")
def import_page():
    host = request.args.get("host", "example.invalid")
    if VULNERABLE or host == "status.internal":
        try:
            urllib.request.urlopen(f"http://{host}:443/pastes/raw", timeout=2).close()
        except Exception:
            pass
    return "<p>imported</p>"
"""


@needs_flask
@pytest.mark.parametrize("vulnerable", [True, False])
def test_a_host_the_code_builds_a_url_around(tmp_path: Path, vulnerable: bool):
    """DVGA's importPaste: `f"{scheme}://{host}:{port}{path}"`. The callback's host, port and
    path with a `?` after them make the code's own port and path a query."""
    run = _probed(tmp_path, IMPORT_APP.replace("VULNERABLE", str(vulnerable)), f"import_{vulnerable}", "ssrf", 200)
    found = [c for c in run.confirmations if c.category == "ssrf"]
    assert bool(found) is vulnerable, [c.message for c in found]
    assert all(r.url.startswith(run.base_url) for r in run.requests)

"""An app started with --start that an input crashes (SKF Express RFI: the node process exits on
any fetched text that is not code) is started again, bounded, and the request that found it
down is sent once more; an attached app (no --start) is not touched."""

from __future__ import annotations

import sys

from auditor.probe.safety import MAX_REVIVALS, Limits, SafeClient
from auditor.probe.target import Target

from .twinrun import free_port

APP = """import os, sys
from http.server import BaseHTTPRequestHandler, HTTPServer
class H(BaseHTTPRequestHandler):
    def do_GET(self):
        if "die" in self.path:
            os._exit(1)  # the flaw: one input ends the process
        body = str(os.getpid()).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
"""


def _launch(tmp_path) -> Target:
    (tmp_path / "app.py").write_text(APP)
    port = free_port()
    return Target.launch(f"{sys.executable} app.py {port}", port, tmp_path, startup_timeout=10)


def test_crashed_app_is_started_again_and_the_request_resent(tmp_path):
    with _launch(tmp_path) as target:
        client = SafeClient(target.base_url, Limits(rps=1000, timeout=3), revive=target.revive)
        first = client.send("GET", target.base_url + "/")
        assert client.send("GET", target.base_url + "/?die=1").status <= 0
        again = client.send("GET", target.base_url + "/?after=1")
        assert again.status == 200 and again.text != first.text  # a new process answered
        # Restarted once: when the crashing request's own retry found nothing listening, or
        # else when the next request did (which timing comes first depends on the machine).
        assert len(client.revivals) == 1
        assert client.revivals[0] in ("GET " + target.base_url + "/?die=1", "GET " + target.base_url + "/?after=1")
        assert target.canary_file is not None and target.canary_file.exists()
        client.close()
    assert target.process is None


def test_revivals_are_bounded_and_attached_apps_left_alone(tmp_path):
    calls: list[int] = []

    def revive() -> bool:  # claims a restart, but nothing ever listens there
        calls.append(1)
        return True

    dead = SafeClient("http://127.0.0.1:9", Limits(rps=1000, timeout=1), revive=revive)
    for _ in range(MAX_REVIVALS + 3):
        assert dead.send("GET", "http://127.0.0.1:9/").status == -1
    assert len(calls) == len(dead.revivals) == MAX_REVIVALS
    dead.close()
    assert Target.attach("http://127.0.0.1:9", tmp_path).revive() is False
    bare = SafeClient("http://127.0.0.1:9", Limits(rps=1000, timeout=1))  # no --start: nothing to revive
    assert bare.send("GET", "http://127.0.0.1:9/").status == -1 and bare.revivals == []
    bare.close()

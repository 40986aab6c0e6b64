"""Remote file inclusion whose value is never shown (SKF Express RFI evaluates the fetched text
and uses the result, not showing it): the served code, in the route's language, proves it ran
by fetching auditor's callback server with a product it computed. Stand-ins written here."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.request
from urllib.parse import parse_qs, urlsplit

import pytest

from auditor.probe.callback import CallbackServer
from auditor.probe.checks.ssrf import Ssrf, included_code
from auditor.probe.interface import InjectionPoint, Param, ProbeContext, Route
from auditor.probe.safety import Limits, SafeClient
from auditor.probe.sender import PointSender

from .standin import standin
from .twinrun import free_port

HTML = {"Content-Type": "text/html; charset=utf-8"}
NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@pytest.mark.parametrize("vulnerable", [True, False])
def test_included_code_whose_value_is_not_shown(vulnerable):
    def respond(method, path):
        url = parse_qs(urlsplit(path).query).get("filename", [""])[0]
        if url.startswith("http://127.0.0.1:"):  # the stand-in only ever fetches loopback
            text = NO_PROXY.open(url, timeout=3).read().decode()
            if vulnerable:
                eval(text)  # noqa: S307  (the flaw under test; the text is the probe's own)
        return 200, HTML, b"<p>done</p>"

    with standin(respond) as app, CallbackServer() as callback:
        client = SafeClient(app.url, Limits(rps=1000))
        route = Route("GET", "/cmd", [Param("filename", "query")], "code", "app.py", 1, "flask", "python")
        ctx = ProbeContext(client.base_url, callback=callback)
        found = Ssrf().run(PointSender(client), ctx, InjectionPoint(route, route.params[0]))
    assert found is not None  # the fetch itself is SSRF either way
    assert (found.category == "code-injection") is vulnerable
    if vulnerable:
        assert "fetched auditor's callback server" in found.message


def test_served_code_keeps_its_value():
    with CallbackServer() as callback:
        code = included_code("python", "3*4", callback.url("aud0a1b"), "5*6")
        assert eval(code) == 12  # noqa: S307  (the probe's own served text, run here on purpose)
        assert callback.seen("aud0a1b30")
    assert included_code("ruby", "3*4", "http://127.0.0.1:9/aud0", "5*6") == "3*4"
    assert "require('http').get('http://127.0.0.1:9/aud0'+(5*6))" in included_code("javascript", "3*4",
                                                                                    "http://127.0.0.1:9/aud0", "5*6")


NODE_APP = """const http = require('http');
const vulnerable = process.argv[3] === 'vulnerable';
http.createServer((req, res) => {
  const url = new URL(req.url, 'http://x').searchParams.get('filename') || '';
  if (!url.startsWith('http://127.0.0.1:')) { res.end('no'); return; }  // loopback only
  http.get(url, (r) => {
    r.setEncoding('utf8');
    r.on('data', (body) => {
      if (!vulnerable) { res.end('fetched'); return; }
      const ev = eval(body);  // the flaw; the result is used as a child process, never shown
      ev.stdout.on('data', (d) => res.end(String(d)));
    });
    r.on('end', () => { if (!res.writableEnded) setTimeout(() => res.end('done'), 300); });
  });
}).listen(Number(process.argv[2]), '127.0.0.1');
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
@pytest.mark.parametrize("vulnerable", [True, False])
def test_included_code_in_node_that_uses_the_value_as_a_process(tmp_path, vulnerable):
    """The served value must not end the node process before its request leaves (SKF Express RFI)."""
    (tmp_path / "app.js").write_text(NODE_APP)
    port = free_port()
    proc = subprocess.Popen(["node", "app.js", str(port), "vulnerable" if vulnerable else "fixed"], cwd=tmp_path,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        with CallbackServer() as callback:
            client = SafeClient(f"http://127.0.0.1:{port}", Limits(rps=1000, timeout=2))
            route = Route("GET", "/cmd", [Param("filename", "query")], "code", "app.js", 1, "express", "javascript")
            ctx = ProbeContext(client.base_url, callback=callback)
            found = Ssrf().run(PointSender(client), ctx, InjectionPoint(route, route.params[0]))
            client.close()
        assert found is not None and (found.category == "code-injection") is vulnerable
        assert proc.poll() is None  # the app is still running
    finally:
        proc.kill()
        proc.wait(timeout=5)

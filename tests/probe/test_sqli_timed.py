"""Time-based SQL injection against a stand-in for a MySQL-backed handler whose answers never
change: it sleeps only when the input closes the string and calls SLEEP(n)."""

from __future__ import annotations

import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from auditor.probe.checks.sqli import SqlInjection
from auditor.probe.interface import InjectionPoint, Param, ProbeContext, Route
from auditor.probe.safety import Limits, SafeClient
from auditor.probe.sender import PointSender


def _server(vulnerable: bool) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            q = parse_qs(urlsplit(self.path).query).get("id", [""])[0]
            m = re.match(r"^[^']*' AND SLEEP\(([\d.]+)\) AND '1'='1$", q)
            if vulnerable and m:
                time.sleep(float(m.group(1)))
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


@pytest.mark.parametrize("vulnerable", [True, False])
def test_time_based(vulnerable):
    httpd = _server(vulnerable)
    try:
        client = SafeClient(f"http://127.0.0.1:{httpd.server_address[1]}", Limits(rps=1000))
        route = Route("GET", "/item", [Param("id", "query")])
        found = SqlInjection().run(PointSender(client), ProbeContext(client.base_url, delay=0.4),
                                   InjectionPoint(route, route.params[0]))
        assert (found is not None) is vulnerable
        if vulnerable:
            assert "time-based" in found.message and "SLEEP(0.4)" in found.canary
    finally:
        httpd.shutdown()
        httpd.server_close()

"""Open redirect by meta refresh (no Location header): confirmed only when the host is the
probe's own."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from auditor.probe.interface import Param, Route
from auditor.probe.safety import Limits, SafeClient


def test_meta_refresh_redirect_is_confirmed_and_a_fixed_one_is_not():
    from auditor.probe.checks.redirect import OpenRedirect
    from auditor.probe.interface import InjectionPoint, ProbeContext
    from auditor.probe.sender import PointSender

    def serve(vulnerable: bool) -> ThreadingHTTPServer:
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                from urllib.parse import parse_qs, urlsplit

                to = parse_qs(urlsplit(self.path).query).get("to", ["/"])[0]
                target = to if vulnerable else "/"
                body = f'<html><head><meta http-equiv="refresh" content="0; url={target}"></head></html>'.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        return httpd

    for vulnerable in (True, False):
        httpd = serve(vulnerable)
        try:
            client = SafeClient(f"http://127.0.0.1:{httpd.server_address[1]}", Limits(rps=1000))
            route = Route("GET", "/go", [Param("to", "query")])
            found = OpenRedirect().run(PointSender(client), ProbeContext(client.base_url),
                                       InjectionPoint(route, route.params[0]))
            assert (found is not None) is vulnerable
        finally:
            httpd.shutdown()
            httpd.server_close()

"""A stand-in app for unit tests: a threaded HTTP server on 127.0.0.1 (ephemeral port) whose
every answer comes from one function, stopped when the `with` block ends."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# respond(method, path with query) -> (status, headers, body)
Responder = Callable[[str, str], tuple[int, dict[str, str], bytes]]


@dataclass
class StandIn:
    url: str
    seen: list[str] = field(default_factory=list)  # paths requested, in order


@contextmanager
def standin(respond: Responder) -> Iterator[StandIn]:
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            seen.append(self.path)
            status, headers, body = respond(self.command, self.path)
            self.send_response(status)
            for k, v in {"Content-Length": str(len(body)), **headers}.items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _answer  # noqa: N815

        def log_message(self, *args: object) -> None:
            return

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield StandIn(f"http://127.0.0.1:{httpd.server_address[1]}", seen)
    finally:
        httpd.shutdown()
        httpd.server_close()

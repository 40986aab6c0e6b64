"""A stand-in app for unit tests: a threaded HTTP server on 127.0.0.1 (ephemeral port) whose
every answer comes from one function, stopped when the `with` block ends."""

from __future__ import annotations

import threading
import time
import urllib.request
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


# handle(method, path, headers, body) -> (status, headers, answer): for stand-ins that read the request
Handler = Callable[[str, str, dict[str, str], bytes], tuple[int, dict[str, str], "str | bytes"]]


@contextmanager
def serve(handle: Handler, content_type: str | None = "text/html") -> Iterator[str]:
    """Serve every GET, POST and OPTIONS from `handle`; a str answer goes out as UTF-8, with
    `content_type` unless the handler names one."""

    class RequestHandler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            status, headers, answer = handle(self.command, self.path, dict(self.headers.items()), body)
            data = answer.encode() if isinstance(answer, str) else answer
            self.send_response(status)
            typed = {"Content-Type": content_type} if content_type else {}
            for k, v in {"Content-Length": str(len(data)), **typed, **headers}.items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_OPTIONS = do_PUT = do_PATCH = do_DELETE = _answer  # noqa: N815

        def log_message(self, *args: object) -> None:
            return

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), RequestHandler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@contextmanager
def standin(respond: Responder) -> Iterator[StandIn]:
    """Serve every GET and POST from `respond` (bytes answers), recording the paths asked for."""
    seen: list[str] = []

    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], bytes]:
        seen.append(path)
        return respond(method, path)

    with serve(handle, content_type=None) as url:
        yield StandIn(url, seen)


def fetch_later(url: str, after: float = 0.2) -> None:
    """Request `url` `after` seconds from now, in the background (a webhook's queued job): only
    ever auditor's callback server on 127.0.0.1."""
    def go() -> None:
        time.sleep(after)
        if url.startswith("http://127.0.0.1:"):
            urllib.request.urlopen(url, timeout=2).close()  # noqa: S310

    threading.Thread(target=go, daemon=True).start()

"""A local HTTP server that answers like a key-issuing provider, for verifier tests.

`FakeProvider(answers)` serves on 127.0.0.1 (a free port); `answers` maps a credential
(as the provider would receive it) to an HTTP status, or to a callable returning
(status, body). Every request is recorded so tests can assert which secrets reached it."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class FakeProvider:
    """`credential_of(request)` extracts the credential the provider would check."""

    credential_of: Callable[[Request], str]
    answers: dict[str, int | Callable[[Request], tuple[int, str]]] = field(default_factory=dict)
    delay: float = 0.0
    requests: list[Request] = field(default_factory=list)

    def __enter__(self) -> FakeProvider:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                req = Request(self.command, self.path, {k.lower(): v for k, v in self.headers.items()},
                              self.rfile.read(length))
                provider.requests.append(req)
                if provider.delay:
                    time.sleep(provider.delay)
                answer = provider.answers.get(provider.credential_of(req), 401)
                status, body = answer(req) if callable(answer) else (answer, "{}")
                data = body.encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout tests)

            do_GET = do_POST = _serve

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def saw(self, secret: str) -> bool:
        return any(secret in r.path or secret in r.body.decode("latin-1") or
                   any(secret in v for v in r.headers.values()) for r in self.requests)


def bearer(req: Request) -> str:
    return req.headers.get("authorization", "").removeprefix("Bearer ")

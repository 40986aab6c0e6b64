"""The SSRF callback server: a tiny HTTP server on 127.0.0.1 that records which one-time
tokens the app under test requested. It answers 200 with an empty body, or with the text
registered for a token (`serve`): an arithmetic expression, to see whether the app evaluates
what it fetched (remote file inclusion)."""

from __future__ import annotations

import selectors
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

from auditor.probe.interface import Exchange, InjectionPoint
from auditor.probe.profile import point_key


class CallbackServer:
    def __init__(self) -> None:
        self.hits: list[str] = []
        self.bodies: dict[str, bytes] = {}
        hits, bodies = self.hits, self.bodies

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                hits.append(self.path)
                body = next((b for tok, b in list(bodies.items()) if tok in self.path), b"")
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            do_GET = do_POST = do_HEAD = _answer  # noqa: N815

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                return

        self._last_url_at = time.monotonic()  # when the last callback URL was handed out
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        # Stopping waits for the serving loop's current poll to end: a short one keeps the run's end
        # from waiting (0.1 s was up to that much per run, 5-8% of a small app's probe time).
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.01},
                                        daemon=True)
        self._ports: list[socket.socket] = []
        self._issued: dict[socket.socket, str] = {}
        self._ports_lock = threading.Lock()
        self._selector = selectors.DefaultSelector()
        self._stopping = threading.Event()
        self._port_thread = threading.Thread(target=self._listen_ports, daemon=True)

    MAX_PORTS = 100  # one-time ports kept listening at once (the oldest is closed first)

    def open_port(self) -> tuple[str, int]:
        """A one-time port on 127.0.0.1 whose every connection is heard as its own token
        (`port:N.K`, K counting the ports opened): (the token, the port). Proof that the app connected to a host and port the caller chose, for an
        input that is a bare `host:port` (a connection's path is not the caller's to choose)."""
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        sock.setblocking(False)
        port = int(sock.getsockname()[1])
        tok = f"port:{port}.{len(self._issued)}"  # a port number the OS gives again is a new token
        with self._ports_lock:
            self._issued[sock] = tok
            self._ports.append(sock)
            self._selector.register(sock, selectors.EVENT_READ)
            while len(self._ports) > self.MAX_PORTS:
                old = self._ports.pop(0)
                self._selector.unregister(old)
                old.close()
        self._last_url_at = time.monotonic()
        return tok, port

    def _listen_ports(self) -> None:
        while not self._stopping.is_set():
            with self._ports_lock:
                ready = self._selector.select(timeout=0) if self._ports else []
                for key, _ in ready:
                    listener = key.fileobj
                    try:
                        conn, _addr = listener.accept()  # type: ignore[union-attr]
                    except OSError:
                        continue
                    conn.close()
                    self.hits.append(self._issued[listener] + "/")  # type: ignore[index]
            time.sleep(0.01)

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def url(self, token: str, host: str = "127.0.0.1") -> str:
        self._last_url_at = time.monotonic()
        return f"http://{host}:{self.port}/{token}"

    def serve(self, token: str, body: str) -> None:
        """Answer requests for `token` with `body`."""
        self.bodies[token] = body.encode()

    def grace_until(self, wait: float) -> float:
        """The deadline for late callbacks: `wait` seconds after the last callback URL was handed
        out. Every pending token was handed out by then, so each gets at least `wait` seconds,
        and the checks that settle one after another share the one deadline; time the run
        spent on other work since then is not waited again."""
        return self._last_url_at + wait

    def seen(self, token: str, wait: float = 0.0) -> bool:
        deadline = time.monotonic() + wait
        while True:
            if any(token in h for h in self.hits):
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.05)

    def __enter__(self) -> CallbackServer:
        self._thread.start()
        self._port_thread.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._stopping.set()
        self._port_thread.join(timeout=1)
        with self._ports_lock:
            for sock in self._ports:
                sock.close()
            self._ports.clear()
            self._selector.close()


def heard_late(callback: object, pending: list[tuple[str, Exchange, InjectionPoint]],
               wait: float) -> list[tuple[str, Exchange, InjectionPoint]]:
    """The pending sends (token, exchange, point) whose token the callback server hears within
    the grace (`wait` seconds after the last callback URL was handed out, shared by all of them
    and by every check that settles after it), at most one per injection point. Empties `pending`: the run's
    end settles each check once."""
    if not isinstance(callback, CallbackServer) or not pending:
        pending.clear()
        return []
    heard: dict[tuple[str, str, str, str, bool], tuple[str, Exchange, InjectionPoint]] = {}
    deadline = callback.grace_until(wait)
    for tok, ex, point in pending:
        if point_key(point) not in heard and callback.seen(tok, wait=max(0.0, deadline - time.monotonic())):
            heard[point_key(point)] = (tok, ex, point)
    pending.clear()
    return list(heard.values())

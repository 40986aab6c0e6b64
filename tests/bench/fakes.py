"""Fake model servers on 127.0.0.1 for the end-to-end tests. A fake answers with insecure code
unless the system prompt carries the guidance of the rule that would flag it."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .replies import reply

# The rule whose presence in the system prompt makes the fake model write the secure version.
GUIDING_RULE = {
    "flask-orders-by-status": "flask.sql.parameterize",
    "flask-greeting-page": "flask.xss.autoescape",
    "flask-line-count": "py.command.no-shell",
}


def task_of(user_prompt: str) -> str:
    from auditor.bench.tasks import load_tasks

    for task in load_tasks():
        if f"Task: {task.request}\n" in user_prompt:
            return task.id
    raise KeyError("unknown task in prompt")


def guided(task: str, system: str) -> bool:
    """The deterministic fake: secure exactly when the system prompt names the rule."""
    return GUIDING_RULE[task] in system


def answer(system: str, user: str, secure_when: Callable[[str, str], bool] = guided) -> str:
    task = task_of(user)
    return reply(task, secure=secure_when(task, system))


class FakeModel:
    """Serves one API flavour ("openai" or "anthropic"); counts requests; the first
    `throttle` requests get a 429 with Retry-After: 0; every answer waits `delay` seconds.
    With `hold_after` = N, answers after the N-th wait until `release()`: a test that interrupts
    the client after N answers then does not race the client's speed."""

    def __init__(self, flavour: str, key: str = "", throttle: int = 0, delay: float = 0.0,
                 secure_when: Callable[[str, str], bool] = guided, hold_after: int | None = None) -> None:
        self.flavour, self.key, self.throttle, self.delay = flavour, key, throttle, delay
        self.hold_after = hold_after
        self.gate = threading.Event()
        self.secure_when = secure_when
        self.requests = 0  # answered with a completion
        self.throttled = 0
        self.bad_auth = 0
        self.prompts: list[tuple[str, str]] = []
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                status, payload = fake.handle(self.path, dict(self.headers), body)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                if status == 429:
                    self.send_header("Retry-After", "0")
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}" + ("/v1" if self.flavour == "openai" else "")

    def __enter__(self) -> FakeModel:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
        self.server.shutdown()
        self.server.server_close()

    def release(self) -> None:
        self.gate.set()

    def handle(self, path: str, headers: dict, body: dict) -> tuple[int, dict]:
        with self.lock:
            if self.throttled < self.throttle:
                self.throttled += 1
                return 429, {"error": {"message": "slow down"}}
        headers = {k.lower(): v for k, v in headers.items()}
        if self.flavour == "openai":
            if path != "/v1/chat/completions":
                return 404, {"error": "no such path"}
            if self.key and headers.get("authorization") != f"Bearer {self.key}":
                self.bad_auth += 1
                return 401, {"error": "bad key"}
            messages = body["messages"]
            system = next((m["content"] for m in messages if m["role"] == "system"), "")
            user = messages[-1]["content"]
        else:
            if path != "/v1/messages" or headers.get("anthropic-version") != "2023-06-01":
                return 404, {"error": "no such path or version"}
            if headers.get("x-api-key") != self.key:
                self.bad_auth += 1
                return 401, {"error": "bad key"}
            system, user = body.get("system", ""), body["messages"][0]["content"]
        time.sleep(self.delay)
        if self.hold_after is not None and self.requests >= self.hold_after:
            self.gate.wait(timeout=30)
        text = answer(system, user, self.secure_when)
        with self.lock:
            self.requests += 1
            self.prompts.append((system, user))
        if self.flavour == "openai":
            return 200, {"choices": [{"message": {"role": "assistant", "content": text}}],
                         "usage": {"prompt_tokens": len(system + user) // 4, "completion_tokens": len(text) // 4}}
        return 200, {"content": [{"type": "text", "text": text}], "usage": {"input_tokens": len(system + user) // 4,
                                                                            "output_tokens": len(text) // 4}}

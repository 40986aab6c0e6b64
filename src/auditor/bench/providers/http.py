"""The HTTP side shared by the API providers: one client, a request-rate limit shared by
all worker threads, retries with exponential backoff (honouring Retry-After) and timeouts.
Keys travel only in the headers given here and never appear in an error message."""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from auditor.bench.providers.interface import ProviderError

RETRY_STATUS = {408, 409, 425, 429, 500, 502, 503, 504, 529}


@dataclass
class RateLimiter:
    """At most `per_minute` request starts per minute, spaced evenly; 0 means no limit."""

    per_minute: float = 0
    _next: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def wait(self) -> None:
        if self.per_minute <= 0:
            return
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next)
            self._next = start + 60.0 / self.per_minute
        if start > now:
            time.sleep(start - now)


@dataclass
class HttpSettings:
    timeout: float = 120.0
    retries: int = 4
    backoff: float = 1.0  # first wait in seconds; doubles per attempt, with jitter
    max_backoff: float = 60.0
    limiter: RateLimiter = field(default_factory=RateLimiter)


def _retry_after(headers: Any) -> float | None:
    value = headers.get("retry-after")
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None


class JsonPoster:
    """POST JSON with the shared limits; returns the decoded answer or raises ProviderError."""

    def __init__(self, base_url: str, headers: dict[str, str], settings: HttpSettings) -> None:
        import httpx

        self.settings = settings
        self.base_url = base_url.rstrip("/")
        self.client = httpx.Client(headers=headers, timeout=settings.timeout, follow_redirects=False)

    def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        attempt = 0
        while True:
            try:
                return self._once(path, body)
            except ProviderError as exc:
                if not exc.retryable or attempt >= self.settings.retries:
                    raise
                wait = exc.retry_after if exc.retry_after is not None else \
                    self.settings.backoff * (2 ** attempt) * (0.5 + random.random() / 2)
                time.sleep(min(wait, self.settings.max_backoff))
                attempt += 1

    def _once(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        import httpx

        self.settings.limiter.wait()
        url = f"{self.base_url}{path}"
        try:
            res = self.client.post(url, json=body)
        except httpx.TimeoutException:
            raise ProviderError(f"{url}: timed out after {self.settings.timeout:g}s", retryable=True) from None
        except httpx.HTTPError as exc:
            raise ProviderError(f"{url}: {type(exc).__name__}", retryable=True) from None
        if res.status_code >= 400:
            detail = res.text[:200].replace("\n", " ")
            raise ProviderError(f"{url}: HTTP {res.status_code}: {detail}",
                                retryable=res.status_code in RETRY_STATUS, retry_after=_retry_after(res.headers))
        try:
            data = res.json()
        except ValueError:
            raise ProviderError(f"{url}: answer is not JSON") from None
        if not isinstance(data, dict):
            raise ProviderError(f"{url}: answer is not a JSON object")
        return data

    def close(self) -> None:
        self.client.close()

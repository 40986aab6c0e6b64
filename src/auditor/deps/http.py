"""A polite HTTP client for registries and OSV: one connection pool, a concurrency limit,
timeouts, a User-Agent naming auditor, and bounded retries on rate limits and server errors.

Bounded whatever the other side does: one deadline for the whole run (a registry that accepts
connections and never answers, or trickles a byte at a time, cannot stretch a run past it), a
circuit breaker per host (after a few failures in a row the host is not asked again this
run: every lookup left is "unchecked" at once), and a cap on each response body, counted
after decompression, so a 2 GB answer or a gzip bomb costs at most the cap in memory.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from auditor.deps.config import DepsConfig

if TYPE_CHECKING:
    import httpx

RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
MAX_RETRY_AFTER = 10.0


class LookupFailed(Exception):
    """The service could not give an answer (network, timeout, 5xx, 429, bad body)."""


class TooLarge(LookupFailed):
    """The answer's body went past the size cap."""


# What reading a service's answer can raise: a failed request, or a body of an unexpected
# shape (a list where an object was documented, a missing key). Either way: unknown.
ANSWER_ERRORS = (LookupFailed, ValueError, TypeError, AttributeError, KeyError)


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes
    headers: Mapping[str, str]

    def json(self) -> Any:
        try:
            return json.loads(self.body)
        except ValueError:
            raise LookupFailed(f"HTTP {self.status} with a body that is not JSON") from None
        except RecursionError:
            raise LookupFailed(f"HTTP {self.status} with JSON nested too deeply to read") from None


class Http:
    """Async HTTP with at most `config.concurrency` requests in flight.

    httpx and its TLS context are set up on the first request only: a run answered wholly
    from the cache (the common warm case) never pays for them."""

    def __init__(self, config: DepsConfig, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.config = config
        self._limit = asyncio.Semaphore(config.concurrency)
        self._transport = transport
        self._client: httpx.AsyncClient | None = None
        self._deadline = time.monotonic() + config.deadline
        self._failures: dict[str, int] = {}  # host -> failures in a row

    def _get_client(self) -> httpx.AsyncClient:
        if self._client is None:
            import httpx

            cfg = self.config
            self._client = httpx.AsyncClient(
                timeout=httpx.Timeout(cfg.timeout, connect=min(cfg.timeout, 5.0)),
                headers={"User-Agent": cfg.user_agent},
                follow_redirects=True,
                transport=self._transport,
                limits=httpx.Limits(max_connections=cfg.concurrency, max_keepalive_connections=cfg.concurrency),
            )
        return self._client

    async def __aenter__(self) -> Http:
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._client is not None:
            await self._client.aclose()

    def _admit(self, host: str) -> float:
        """Seconds left for a request to `host`; LookupFailed when the run's deadline has
        passed or the host's breaker is open."""
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise LookupFailed(f"the run's deadline of {self.config.deadline:g}s for network lookups passed")
        if self._failures.get(host, 0) >= self.config.breaker_threshold:
            raise LookupFailed(f"{host} stopped answering ({self.config.breaker_threshold} failures in a row); "
                               "not asked again this run")
        return left

    async def _fetch(self, client: httpx.AsyncClient, method: str, url: str, headers: dict[str, str] | None,
                     json_body: Any) -> tuple[int, Mapping[str, str], bytes]:
        """Status, headers and body, reading at most `max_body` bytes of (decoded) body."""
        cap = self.config.max_body
        async with client.stream(method, url, headers=headers, json=json_body) as resp:
            declared = resp.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > cap and not resp.headers.get("content-encoding"):
                raise TooLarge(f"answer from {url} is larger than {cap / 1_000_000:g} MB")
            chunks: list[bytes] = []
            size = 0
            async for chunk in resp.aiter_bytes():
                size += len(chunk)
                if size > cap:
                    raise TooLarge(f"answer from {url} is larger than {cap / 1_000_000:g} MB")
                chunks.append(chunk)
            return resp.status_code, resp.headers, b"".join(chunks)

    async def request(self, method: str, url: str, *, ok: tuple[int, ...] = (200,),
                      headers: dict[str, str] | None = None, json_body: Any = None) -> Reply:
        """Send; return the reply when its status is in `ok` (callers list 404 etc. when it
        is an answer, not a failure). Retries rate limits and server errors a few times,
        within the run's deadline and while the host's breaker is closed."""
        import httpx

        client = self._get_client()
        host = urlsplit(url).netloc
        last = ""
        for attempt in range(self.config.retries + 1):
            self._admit(host)
            try:
                async with self._limit:
                    left = self._admit(host)  # again: waiting for a slot took time
                    status, resp_headers, body = await asyncio.wait_for(
                        self._fetch(client, method, url, headers, json_body), timeout=left)
            except TimeoutError:
                raise LookupFailed(f"the run's deadline of {self.config.deadline:g}s for network lookups "
                                   f"passed while waiting for {url}") from None
            except TooLarge as exc:
                self._failures[host] = self._failures.get(host, 0) + 1  # a host that misbehaves
                raise LookupFailed(str(exc)) from None
            except httpx.HTTPError as exc:
                self._failures[host] = self._failures.get(host, 0) + 1
                last = f"{type(exc).__name__} for {url}"
                await self._pause(0.2 * (attempt + 1))
                continue
            if status in ok:
                self._failures[host] = 0
                return Reply(status, body, resp_headers)
            last = f"HTTP {status} from {url}"
            if status not in RETRY_STATUS:
                self._failures[host] = 0  # an answer, if not the one hoped for: the host is up
                break
            if status >= 500:
                self._failures[host] = self._failures.get(host, 0) + 1
            await self._pause(_retry_after(resp_headers.get("retry-after"), attempt))
        raise LookupFailed(last)

    async def _pause(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, min(seconds, self._deadline - time.monotonic())))

    async def get(self, url: str, *, ok: tuple[int, ...] = (200,), headers: dict[str, str] | None = None) -> Reply:
        return await self.request("GET", url, ok=ok, headers=headers)


def _retry_after(value: str | None, attempt: int) -> float:
    try:
        return min(float(value), MAX_RETRY_AFTER) if value else 0.5 * (2 ** attempt)
    except ValueError:
        return 0.5 * (2 ** attempt)

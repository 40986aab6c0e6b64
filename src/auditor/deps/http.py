"""A polite HTTP client for registries and OSV: one connection pool, a concurrency limit,
timeouts, a User-Agent naming auditor, and bounded retries on rate limits and server errors.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Any

import httpx

from auditor.deps.config import DepsConfig

RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
MAX_RETRY_AFTER = 10.0


class LookupFailed(Exception):
    """The service could not give an answer (network, timeout, 5xx, 429, bad body)."""


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes
    headers: httpx.Headers

    def json(self) -> Any:
        try:
            return json.loads(self.body)
        except ValueError:
            raise LookupFailed(f"HTTP {self.status} with a body that is not JSON") from None


class Http:
    """Async HTTP with at most `config.concurrency` requests in flight."""

    def __init__(self, config: DepsConfig, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.config = config
        self._limit = asyncio.Semaphore(config.concurrency)
        self._client = httpx.AsyncClient(
            timeout=httpx.Timeout(config.timeout, connect=min(config.timeout, 5.0)),
            headers={"User-Agent": config.user_agent},
            follow_redirects=True,
            transport=transport,
            limits=httpx.Limits(max_connections=config.concurrency, max_keepalive_connections=config.concurrency),
        )

    async def __aenter__(self) -> Http:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._client.aclose()

    async def request(self, method: str, url: str, *, ok: tuple[int, ...] = (200,),
                      headers: dict[str, str] | None = None, json_body: Any = None) -> Reply:
        """Send; return the reply when its status is in `ok` (callers list 404 etc. when it
        is an answer, not a failure). Retries rate limits and server errors a few times."""
        last = ""
        for attempt in range(self.config.retries + 1):
            try:
                async with self._limit:
                    resp = await self._client.request(method, url, headers=headers, json=json_body)
                    body = await resp.aread()
            except httpx.HTTPError as exc:
                last = f"{type(exc).__name__} for {url}"
                await asyncio.sleep(0.2 * (attempt + 1))
                continue
            if resp.status_code in ok:
                return Reply(resp.status_code, body, resp.headers)
            last = f"HTTP {resp.status_code} from {url}"
            if resp.status_code not in RETRY_STATUS:
                break
            await asyncio.sleep(_retry_after(resp.headers.get("retry-after"), attempt))
        raise LookupFailed(last)

    async def get(self, url: str, *, ok: tuple[int, ...] = (200,), headers: dict[str, str] | None = None) -> Reply:
        return await self.request("GET", url, ok=ok, headers=headers)


def _retry_after(value: str | None, attempt: int) -> float:
    try:
        return min(float(value), MAX_RETRY_AFTER) if value else 0.5 * (2 ** attempt)
    except ValueError:
        return 0.5 * (2 ** attempt)

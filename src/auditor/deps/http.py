"""A polite HTTP client for registries and OSV: one connection pool, a concurrency limit,
timeouts, a User-Agent naming auditor, and bounded retries on rate limits and server errors.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from auditor.deps.config import DepsConfig

if TYPE_CHECKING:
    import httpx

RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
MAX_RETRY_AFTER = 10.0


class LookupFailed(Exception):
    """The service could not give an answer (network, timeout, 5xx, 429, bad body)."""


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


class Http:
    """Async HTTP with at most `config.concurrency` requests in flight.

    httpx and its TLS context are set up on the first request only: a run answered wholly
    from the cache (the common warm case) never pays for them."""

    def __init__(self, config: DepsConfig, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.config = config
        self._limit = asyncio.Semaphore(config.concurrency)
        self._transport = transport
        self._client: httpx.AsyncClient | None = None

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

    async def request(self, method: str, url: str, *, ok: tuple[int, ...] = (200,),
                      headers: dict[str, str] | None = None, json_body: Any = None) -> Reply:
        """Send; return the reply when its status is in `ok` (callers list 404 etc. when it
        is an answer, not a failure). Retries rate limits and server errors a few times."""
        import httpx

        client = self._get_client()
        last = ""
        for attempt in range(self.config.retries + 1):
            try:
                async with self._limit:
                    resp = await client.request(method, url, headers=headers, json=json_body)
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

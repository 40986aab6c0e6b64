"""The OSV API: `POST /v1/querybatch` finds which advisories affect each package version
(ids only), `GET /v1/vulns/{id}` gives each advisory in full
(https://google.github.io/osv.dev/api/). Both answers are cached; a detail is fetched again
only when querybatch reports a newer `modified` than the cached copy."""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import quote

from auditor.deps.cache import DiskCache
from auditor.deps.config import DepsConfig
from auditor.deps.http import ANSWER_ERRORS, Http, LookupFailed
from auditor.deps.names import OSV_ECOSYSTEMS, normalize
from auditor.deps.osv.model import VulnAnswer, VulnQuery, answer_from_records, trim

BATCH = 1000  # the API's limit on queries per querybatch request
DETAIL_TTL = 7 * 24 * 3600


def osv_version(query: VulnQuery) -> str:
    """OSV spells Go versions without the leading `v` that go.mod uses."""
    return query.version[1:] if query.ecosystem == "go" and query.version.startswith("v") else query.version


class OsvApi:
    def __init__(self, config: DepsConfig, cache: DiskCache, offline: bool) -> None:
        self.base = config.url("osv")
        self.cache = cache
        self.offline = offline
        self.ttl = config.advisory_ttl

    async def lookup(self, http: Http | None, queries: list[VulnQuery]) -> dict[VulnQuery, VulnAnswer]:
        hits: dict[VulnQuery, list[tuple[str, str]]] = {}
        failed: dict[VulnQuery, str] = {}
        cached = self.cache.get_many([f"osv:q:{q.key}" for q in queries], allow_stale=self.offline)
        todo = []
        for q in queries:
            entry = cached.get(f"osv:q:{q.key}")
            if entry is not None:
                hits[q] = [(str(i), str(m)) for i, m in entry]
            elif self.offline or http is None:
                failed[q] = "offline and not in the cache (pass --osv-db for an offline database)"
            else:
                todo.append(q)
        for start in range(0, len(todo), BATCH):
            chunk = todo[start:start + BATCH]
            try:
                found = await self._querybatch(http, chunk)  # type: ignore[arg-type]
            except ANSWER_ERRORS as exc:
                failed.update({q: f"OSV query failed: {exc or type(exc).__name__}" for q in chunk})
                continue
            hits.update(found)
            self.cache.put_many({f"osv:q:{q.key}": found[q] for q in chunk}, self.ttl)
        records = await self._details(http, {i: m for ids in hits.values() for i, m in ids})
        answers: dict[VulnQuery, VulnAnswer] = {q: VulnAnswer("unknown", error=why) for q, why in failed.items()}
        for q, ids in hits.items():
            missing = [i for i, _ in ids if i not in records]
            if missing:
                answers[q] = VulnAnswer("unknown", error=f"advisory details unavailable: {', '.join(missing)}")
                continue
            answers[q] = answer_from_records(q, [records[i] for i, _ in ids], trust_match=True)
        return answers

    async def _querybatch(self, http: Http, chunk: list[VulnQuery]) -> dict[VulnQuery, list[tuple[str, str]]]:
        body = {"queries": [self._query(q) for q in chunk]}
        reply = await http.request("POST", f"{self.base}/v1/querybatch", json_body=body)
        results = (reply.json() or {}).get("results")
        if not isinstance(results, list) or len(results) != len(chunk):
            raise LookupFailed("querybatch answered with a different number of results")
        out: dict[VulnQuery, list[tuple[str, str]]] = {}
        for q, result in zip(chunk, results, strict=True):
            vulns = [(str(v["id"]), str(v.get("modified", ""))) for v in (result or {}).get("vulns") or []]
            token = (result or {}).get("next_page_token")
            while token:  # a package with more advisories than one page holds
                page = await http.request("POST", f"{self.base}/v1/query", json_body={**self._query(q), "page_token": token})
                data = page.json() or {}
                vulns += [(str(v["id"]), str(v.get("modified", ""))) for v in data.get("vulns") or []]
                token = data.get("next_page_token")
            out[q] = vulns
        return out

    @staticmethod
    def _query(q: VulnQuery) -> dict[str, Any]:
        name = normalize(q.ecosystem, q.name) if q.ecosystem == "pypi" else q.name
        return {"package": {"name": name, "ecosystem": OSV_ECOSYSTEMS[q.ecosystem]}, "version": osv_version(q)}

    async def _details(self, http: Http | None, wanted: dict[str, str]) -> dict[str, dict[str, Any]]:
        if not wanted:
            return {}
        cached = self.cache.get_many([f"osv:v:{i}" for i in wanted], allow_stale=True)
        records: dict[str, dict[str, Any]] = {}
        fetch = []
        for vid, modified in wanted.items():
            rec = cached.get(f"osv:v:{vid}")
            if rec is not None and (self.offline or not modified or str(rec.get("modified", "")) >= modified):
                records[vid] = rec
            elif not self.offline and http is not None:
                fetch.append(vid)
            elif rec is not None:
                records[vid] = rec

        async def one(vid: str) -> tuple[str, dict[str, Any] | None]:
            try:
                reply = await http.get(f"{self.base}/v1/vulns/{quote(vid, safe='')}")  # type: ignore[union-attr]
                return vid, trim(reply.json())
            except ANSWER_ERRORS:
                return vid, None

        fetched = await asyncio.gather(*(one(v) for v in fetch))
        fresh = {vid: rec for vid, rec in fetched if rec is not None}
        self.cache.put_many({f"osv:v:{vid}": rec for vid, rec in fresh.items()}, DETAIL_TTL)
        records.update(fresh)
        return records

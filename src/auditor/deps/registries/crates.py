"""crates.io: `GET /api/v1/crates/<name>` (https://crates.io/data-access); the crawler
policy requires a User-Agent naming the tool, which Http sends. 404 means no such crate."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from auditor.deps.http import Http
from auditor.deps.interface import FOUND, PackageInfo, Registry, iso, parse_time, span


def parse_crate(doc: dict[str, Any]) -> PackageInfo:
    crate = doc.get("crate") or {}
    versions = doc.get("versions") or []
    times = [t for v in versions if (t := parse_time(v.get("created_at")))]
    first, last = span(times)
    yanked = tuple(sorted(str(v.get("num")) for v in versions if v.get("yanked")))
    recent = crate.get("recent_downloads")
    return PackageInfo(
        status=FOUND, latest=crate.get("max_stable_version") or crate.get("max_version") or crate.get("newest_version"),
        first_release=first or iso(parse_time(crate.get("created_at"))),
        last_release=last or iso(parse_time(crate.get("updated_at"))),
        release_count=len(versions) or None, yanked_versions=yanked,
        downloads=recent if isinstance(recent, int) else None,
        downloads_period="90d" if isinstance(recent, int) else None,
    )


class CratesRegistry(Registry):
    ecosystem = "crates.io"
    service = "crates.io"

    async def lookup(self, http: Http, name: str) -> PackageInfo:
        reply = await http.get(f"{self.base}/api/v1/crates/{quote(name, safe='')}", ok=(200, 404))
        if reply.status == 404:
            return PackageInfo.missing()
        return parse_crate(reply.json())

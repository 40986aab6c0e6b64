"""Packagist: `GET /packages/<vendor>/<name>.json` (https://packagist.org/apidoc). 404 means
no such package; the answer carries download counts, per-version times and `abandoned`."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from auditor.deps.http import Http
from auditor.deps.interface import FOUND, PackageInfo, Registry, parse_time, span


def parse_packagist(doc: dict[str, Any]) -> PackageInfo:
    pkg = doc.get("package") or {}
    versions: dict[str, Any] = pkg.get("versions") or {}
    tagged = {v: meta for v, meta in versions.items() if not v.startswith("dev-") and not v.endswith("-dev")}
    times = [t for meta in tagged.values() if isinstance(meta, dict) and (t := parse_time(meta.get("time")))]
    first, last = span(times)
    abandoned = pkg.get("abandoned")
    deprecated = None
    if abandoned:
        deprecated = "abandoned" + (f"; use {abandoned} instead" if isinstance(abandoned, str) else "")
    monthly = (pkg.get("downloads") or {}).get("monthly")
    return PackageInfo(
        status=FOUND, first_release=first, last_release=last, release_count=len(tagged),
        latest=max(tagged, key=lambda v: str((tagged[v] or {}).get("time") or "")) if tagged else None,
        deprecated=deprecated, downloads=monthly if isinstance(monthly, int) else None,
        downloads_period="month" if isinstance(monthly, int) else None,
    )


class PackagistRegistry(Registry):
    ecosystem = "packagist"
    service = "packagist"

    async def lookup(self, http: Http, name: str) -> PackageInfo:
        reply = await http.get(f"{self.base}/packages/{quote(name.lower(), safe='/')}.json", ok=(200, 404))
        if reply.status == 404:
            return PackageInfo.missing()
        return parse_packagist(reply.json())

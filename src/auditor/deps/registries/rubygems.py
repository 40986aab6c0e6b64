"""RubyGems: `GET /api/v1/gems/<name>.json` (https://guides.rubygems.org/rubygems-org-api/).
404 means no such gem; the answer carries total `downloads` and `version_created_at`."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from auditor.deps.http import Http
from auditor.deps.interface import FOUND, PackageInfo, Registry, iso, parse_time


def parse_rubygems(doc: dict[str, Any]) -> PackageInfo:
    downloads = doc.get("downloads")
    return PackageInfo(
        status=FOUND, latest=doc.get("version"),
        last_release=iso(parse_time(doc.get("version_created_at"))),
        downloads=downloads if isinstance(downloads, int) else None,
        downloads_period="total" if isinstance(downloads, int) else None,
    )


class RubygemsRegistry(Registry):
    ecosystem = "rubygems"
    service = "rubygems"

    async def lookup(self, http: Http, name: str) -> PackageInfo:
        reply = await http.get(f"{self.base}/api/v1/gems/{quote(name, safe='')}.json", ok=(200, 404))
        if reply.status == 404:
            return PackageInfo.missing()
        return parse_rubygems(reply.json())

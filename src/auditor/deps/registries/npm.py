"""npm: the registry's package document `GET /<name>` (scope slash URL-encoded), see
https://github.com/npm/registry/blob/main/docs/REGISTRY-API.md, and the downloads API
`GET /downloads/point/last-week/<name>` (https://github.com/npm/registry/blob/main/docs/download-counts.md).

We ask for the abbreviated document (Accept: application/vnd.npm.install-v1+json), which
carries `modified` and per-version `deprecated`; when a registry sends the full document we
also read `time` for first and last publish dates. npm replaces malware with a "security
holding package" (version `0.0.1-security`); that is reported, not treated as a real package.
"""

from __future__ import annotations

import re
from typing import Any

from auditor.deps.http import Http, LookupFailed
from auditor.deps.interface import FOUND, MISSING, PackageInfo, Registry, iso, parse_time, span
from auditor.deps.names import npm_path

# npm's placeholder for a package it removed as malicious: 0.0.1-security (sometimes .2).
HOLDING = re.compile(r"^0\.0\.\d+-security(\.\d+)?$")
ABBREVIATED = "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8"


def parse_npm(doc: dict[str, Any]) -> PackageInfo:
    versions: dict[str, Any] = doc.get("versions") or {}
    if not versions:
        # An unpublished (often: removed as malware) package keeps a stub document with no
        # versions: nothing can be installed from it, and the name may be taken again.
        return PackageInfo(status=MISSING, error="no published versions (unpublished or removed)")
    latest = (doc.get("dist-tags") or {}).get("latest")
    times_raw: dict[str, Any] = doc.get("time") or {}
    times = [t for v, raw in times_raw.items() if v not in ("created", "modified") and v in versions
             and (t := parse_time(raw))]
    first, last = span(times)
    created = parse_time(times_raw.get("created"))
    if created and (first is None or iso(created) < first):
        first = iso(created)
    if last is None:
        # Abbreviated documents only carry `modified`: an upper bound on the last publish,
        # so "modified long ago" still proves "no release since".
        last = iso(parse_time(doc.get("modified") or times_raw.get("modified")))
    deprecated_versions = {v: str(meta["deprecated"]) for v, meta in versions.items()
                           if isinstance(meta, dict) and meta.get("deprecated")}
    package_deprecated = deprecated_versions.get(latest) if latest else None
    if package_deprecated:
        deprecated_versions = {}  # every version is covered by the package-wide message
    holding = bool(latest and HOLDING.match(latest))
    return PackageInfo(
        status=FOUND, latest=latest, first_release=first, last_release=last,
        release_count=len(versions), deprecated=package_deprecated,
        deprecated_versions=deprecated_versions, holding=holding, versions=tuple(map(str, versions)),
    )


class NpmRegistry(Registry):
    ecosystem = "npm"
    service = "npm"

    async def lookup(self, http: Http, name: str) -> PackageInfo:
        reply = await http.get(f"{self.base}/{npm_path(name)}", ok=(200, 404), headers={"Accept": ABBREVIATED})
        if reply.status == 404:
            return PackageInfo.missing()
        return parse_npm(reply.json())

    async def weekly_downloads(self, http: Http, name: str) -> int | None:
        """Last week's downloads, or None when the downloads API does not answer (it is a
        separate service; its failure must not turn a real package into a suspect)."""
        base = self.config.url("npm-downloads")
        try:
            reply = await http.get(f"{base}/downloads/point/last-week/{npm_path(name)}", ok=(200,))
            value = reply.json().get("downloads")
        except (LookupFailed, AttributeError):
            return None
        return int(value) if isinstance(value, int) else None

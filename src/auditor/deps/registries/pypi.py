"""PyPI: the JSON API `GET /pypi/<name>/json` (https://docs.pypi.org/api/json/).

A 404 means no such project (PyPI also answers 404 for projects removed as malware).
PyPI publishes no download counts (pypistats.org is a separate service), so release
history (first upload, number of releases) stands in for "how established is this".
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from auditor.deps.http import Http
from auditor.deps.interface import FOUND, PackageInfo, Registry, parse_time, span

INACTIVE = "Development Status :: 7 - Inactive"


def parse_pypi(doc: dict[str, Any]) -> PackageInfo:
    info = doc.get("info") or {}
    releases = doc.get("releases") or {}
    times = []
    yanked: list[str] = []
    installable: list[str] = []
    count = 0
    for version, files in releases.items():
        if not files:
            continue  # a release with every file deleted: nothing installable
        count += 1
        uploads = [t for f in files if (t := parse_time(f.get("upload_time_iso_8601") or f.get("upload_time")))]
        if uploads:
            times.append(min(uploads))
        if all(f.get("yanked") for f in files):
            yanked.append(version)
        else:
            installable.append(version)
    first, last = span(times)
    deprecated = None
    if INACTIVE in (info.get("classifiers") or []):
        deprecated = "the project declares itself inactive (Development Status :: 7 - Inactive)"
    return PackageInfo(
        status=FOUND, latest=info.get("version"), first_release=first, last_release=last,
        release_count=count, deprecated=deprecated, yanked_versions=tuple(sorted(yanked)),
        versions=tuple(installable),
    )


class PypiRegistry(Registry):
    ecosystem = "pypi"
    service = "pypi"

    async def lookup(self, http: Http, name: str) -> PackageInfo:
        reply = await http.get(f"{self.base}/pypi/{quote(name, safe='')}/json", ok=(200, 404))
        if reply.status == 404:
            return PackageInfo.missing()
        return parse_pypi(reply.json())

"""NuGet: the flat container `GET /v3-flatcontainer/<lower id>/index.json`
(https://learn.microsoft.com/nuget/api/package-base-address-resource); 404 means no such
package. It lists versions only, so NuGet gets existence checks and nothing finer."""

from __future__ import annotations

from urllib.parse import quote

from auditor.deps.http import Http
from auditor.deps.interface import FOUND, PackageInfo, Registry


class NugetRegistry(Registry):
    ecosystem = "nuget"
    service = "nuget"

    async def lookup(self, http: Http, name: str) -> PackageInfo:
        reply = await http.get(f"{self.base}/v3-flatcontainer/{quote(name.lower(), safe='')}/index.json", ok=(200, 404))
        if reply.status == 404:
            return PackageInfo.missing()
        versions = reply.json().get("versions") or []
        return PackageInfo(status=FOUND, latest=versions[-1] if versions else None, release_count=len(versions))

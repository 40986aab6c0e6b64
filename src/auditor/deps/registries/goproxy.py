"""Go module proxy (https://go.dev/ref/mod#goproxy-protocol): `/<module>/@v/list` lists the
tagged versions, `/<module>/@latest` gives the newest version and its time. Module paths are
escaped (upper-case -> '!' + lower-case). The proxy answers 404 or 410 for modules it cannot
fetch, which is also what private modules look like, so GOPRIVATE/GONOPROXY patterns are
skipped before any lookup (see `is_private`)."""

from __future__ import annotations

import os
from fnmatch import fnmatchcase

from auditor.deps.http import Http, LookupFailed
from auditor.deps.interface import FOUND, PackageInfo, Registry, iso, parse_time
from auditor.deps.names import go_escape


def is_private(module: str, environ: dict[str, str] | None = None) -> bool:
    """True when GOPRIVATE or GONOPROXY (comma-separated path-prefix globs, as the go command
    reads them) covers `module`: the public proxy cannot know it, so we must not ask."""
    env = os.environ if environ is None else environ
    patterns = [p.strip() for key in ("GOPRIVATE", "GONOPROXY") for p in env.get(key, "").split(",") if p.strip()]
    parts = module.split("/")
    for pattern in patterns:
        n = pattern.count("/") + 1
        if len(parts) >= n and fnmatchcase("/".join(parts[:n]), pattern):
            return True
    return False


class GoProxyRegistry(Registry):
    ecosystem = "go"
    service = "go"

    async def lookup(self, http: Http, name: str) -> PackageInfo:
        base = f"{self.base}/{go_escape(name)}"
        listing = await http.get(f"{base}/@v/list", ok=(200, 404, 410))
        if listing.status in (404, 410):
            return PackageInfo.missing()
        versions = [v for v in listing.body.decode("utf-8", "replace").split() if v]
        latest, when = None, None
        try:
            info = (await http.get(f"{base}/@latest", ok=(200,))).json()
            latest, when = info.get("Version"), parse_time(info.get("Time"))
        except (LookupFailed, AttributeError):
            pass  # the listing already proved the module exists; dates stay unknown
        return PackageInfo(status=FOUND, latest=latest, last_release=iso(when), release_count=len(versions))

"""Maven Central: the repository layout's `maven-metadata.xml` for group:artifact
(https://maven.apache.org/repositories/metadata.html). 404 means no such artifact. The file
lists every version and `lastUpdated` (yyyyMMddHHmmss, UTC). Parsed with defusedxml: the
body comes from the network and we are a security tool."""

from __future__ import annotations

from datetime import UTC, datetime

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from auditor.deps.http import Http, LookupFailed
from auditor.deps.interface import FOUND, PackageInfo, Registry, iso


def parse_maven_metadata(body: bytes) -> PackageInfo:
    try:
        root = ElementTree.fromstring(body)
    except (ElementTree.ParseError, DefusedXmlException) as exc:
        raise LookupFailed(f"maven-metadata.xml is not valid XML ({exc})") from None
    versioning = root.find("versioning")
    versions = [v.text.strip() for v in root.iterfind("versioning/versions/version") if v.text]
    latest = None
    updated = None
    if versioning is not None:
        latest = (versioning.findtext("release") or versioning.findtext("latest") or "").strip() or None
        stamp = (versioning.findtext("lastUpdated") or "").strip()
        try:
            updated = datetime.strptime(stamp, "%Y%m%d%H%M%S").replace(tzinfo=UTC) if stamp else None
        except ValueError:
            updated = None
    return PackageInfo(status=FOUND, latest=latest or (versions[-1] if versions else None),
                       last_release=iso(updated), release_count=len(versions))


class MavenCentralRegistry(Registry):
    ecosystem = "maven"
    service = "maven"

    async def lookup(self, http: Http, name: str) -> PackageInfo:
        group, _, artifact = name.partition(":")
        if not group or not artifact:
            return PackageInfo.unknown(f"not a groupId:artifactId coordinate: {name}")
        url = f"{self.base}/{group.replace('.', '/')}/{artifact}/maven-metadata.xml"
        reply = await http.get(url, ok=(200, 404))
        if reply.status == 404:
            return PackageInfo.missing()
        return parse_maven_metadata(reply.body)

"""A real HTTP server on 127.0.0.1 that answers like the package registries and OSV do,
so the tests (and bench/deps_bench.py) run the real client code offline.

Bodies follow the services' documented formats: PyPI JSON API, npm registry documents and
downloads API, RubyGems API v1, Maven repository metadata, the Go module proxy protocol,
crates.io API v1, Packagist package JSON, OSV API v1 (querybatch + vulns).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote

SERVICES = {
    "pypi": "AUDITOR_PYPI_URL", "npm": "AUDITOR_NPM_URL", "npm-downloads": "AUDITOR_NPM_DOWNLOADS_URL",
    "rubygems": "AUDITOR_RUBYGEMS_URL", "maven": "AUDITOR_MAVEN_URL", "go": "AUDITOR_GOPROXY_URL",
    "crates.io": "AUDITOR_CRATES_URL", "packagist": "AUDITOR_PACKAGIST_URL", "nuget": "AUDITOR_NUGET_URL",
    "osv": "AUDITOR_OSV_URL",
}


@dataclass
class FakeServices:
    """Routes are (service, path) -> (status, body). OSV querybatch answers come from
    `osv_hits[(ecosystem, name, version)] = [ids]`, details from `osv_records[id]`."""

    routes: dict[tuple[str, str], tuple[int, bytes]] = field(default_factory=dict)
    osv_hits: dict[tuple[str, str, str], list[str]] = field(default_factory=dict)
    osv_records: dict[str, dict[str, Any]] = field(default_factory=dict)
    requests: list[tuple[str, str, str]] = field(default_factory=list)  # (method, service, path)
    user_agents: set[str] = field(default_factory=set)
    fail_services: set[str] = field(default_factory=set)  # answer 503 to everything
    port: int = 0

    def json(self, service: str, path: str, body: Any, status: int = 200) -> None:
        self.routes[(service, path)] = (status, json.dumps(body).encode())

    def raw(self, service: str, path: str, body: bytes | str, status: int = 200) -> None:
        self.routes[(service, path)] = (status, body.encode() if isinstance(body, str) else body)

    def base(self, service: str) -> str:
        return f"http://127.0.0.1:{self.port}/{service}"

    def environ(self, cache_dir: str) -> dict[str, str]:
        env = {var: self.base(svc) for svc, var in SERVICES.items()}
        env["AUDITOR_CACHE_DIR"] = cache_dir
        return env

    # -- documents in each registry's format -------------------------------------------------------
    def pypi(self, name: str, releases: dict[str, str], yanked: tuple[str, ...] = (), classifiers: tuple[str, ...] = ()) -> None:
        """releases: version -> upload time (ISO)."""
        latest = list(releases)[-1]
        self.json("pypi", f"/pypi/{name}/json", {
            "info": {"name": name, "version": latest, "classifiers": list(classifiers), "summary": "",
                     "yanked": False, "downloads": {"last_day": -1, "last_month": -1, "last_week": -1}},
            "releases": {v: [{"filename": f"{name}-{v}.tar.gz", "packagetype": "sdist", "upload_time": t[:19],
                              "upload_time_iso_8601": t, "yanked": v in yanked,
                              "yanked_reason": "broken" if v in yanked else None}]
                         for v, t in releases.items()},
            "urls": [], "vulnerabilities": [], "last_serial": 1,
        })

    def npm(self, name: str, versions: dict[str, str], deprecated: dict[str, str] | None = None,
            description: str = "", full: bool = True, downloads: int | None = None) -> None:
        """versions: version -> publish time. `full` adds `time` like the full document; else
        an abbreviated document with `modified` only."""
        deprecated = deprecated or {}
        latest = list(versions)[-1]
        doc: dict[str, Any] = {
            "name": name, "dist-tags": {"latest": latest},
            "versions": {v: {"name": name, "version": v, "description": description,
                             "dist": {"tarball": f"https://registry.example/{name}/-/{v}.tgz"},
                             **({"deprecated": deprecated[v]} if v in deprecated else {})} for v in versions},
        }
        if full:
            doc["time"] = {"created": min(versions.values()), "modified": max(versions.values()), **versions}
        else:
            doc["modified"] = max(versions.values())
        self.json("npm", "/" + name.replace("/", "%2F"), doc)
        if downloads is not None:
            self.json("npm-downloads", f"/downloads/point/last-week/{name}",
                      {"downloads": downloads, "start": "2026-11-14", "end": "2026-11-20", "package": name})

    def osv(self, record: dict[str, Any], hits: list[tuple[str, str, str]]) -> None:
        self.osv_records[record["id"]] = record
        for key in hits:
            self.osv_hits.setdefault(key, []).append(record["id"])

    # -- server ----------------------------------------------------------------------------------------
    def start(self) -> ThreadingHTTPServer:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def _split(self) -> tuple[str, str]:
                _, service, rest = self.path.split("/", 2) if self.path.count("/") >= 2 else ("", self.path[1:], "")
                return service, "/" + rest

            def _send(self, status: int, body: bytes, ctype: str = "application/json") -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                service, path = self._split()
                fake.requests.append(("GET", service, path))
                fake.user_agents.add(self.headers.get("User-Agent", ""))
                if service in fake.fail_services:
                    return self._send(503, b"unavailable", "text/plain")
                if service == "osv" and path.startswith("/v1/vulns/"):
                    rec = fake.osv_records.get(unquote(path[len("/v1/vulns/"):]))
                    if rec is None:
                        return self._send(404, b'{"code":5,"message":"Bug not found."}')
                    return self._send(200, json.dumps(rec).encode())
                status, body = fake.routes.get((service, path), (404, b'{"error":"Not found"}'))
                self._send(status, body)

            def do_POST(self) -> None:
                service, path = self._split()
                fake.requests.append(("POST", service, path))
                data = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))) or b"{}")
                if service in fake.fail_services:
                    return self._send(503, b"unavailable", "text/plain")
                if service == "osv" and path == "/v1/querybatch":
                    results = []
                    for q in data.get("queries", []):
                        key = (q["package"]["ecosystem"], q["package"]["name"], q.get("version", ""))
                        ids = fake.osv_hits.get(key, [])
                        results.append({"vulns": [{"id": i, "modified": fake.osv_records[i].get("modified", "")}
                                                  for i in ids]} if ids else {})
                    return self._send(200, json.dumps({"results": results}).encode())
                self._send(404, b"{}")

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = server.server_address[1]
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server

"""Each registry client against a 127.0.0.1 server answering in the registry's format."""

from __future__ import annotations

import asyncio

import pytest

from auditor.deps.http import Http, LookupFailed
from auditor.deps.interface import FOUND, MISSING
from auditor.deps.registries import registry_for

MAVEN_METADATA = """<?xml version="1.0" encoding="UTF-8"?>
<metadata>
  <groupId>org.example</groupId>
  <artifactId>widget</artifactId>
  <versioning>
    <latest>2.1.0</latest>
    <release>2.1.0</release>
    <versions><version>1.0.0</version><version>2.0.0</version><version>2.1.0</version></versions>
    <lastUpdated>20190102030405</lastUpdated>
  </versioning>
</metadata>
"""


def lookup(config, ecosystem, name):
    async def go():
        async with Http(config) as http:
            return await registry_for(ecosystem, config).lookup(http, name)
    return asyncio.run(go())


def test_pypi_found_missing_and_yanked(services, config):
    services.pypi("requests", {"2.31.0": "2023-05-22T15:12:44.175000Z", "2.32.0": "2024-05-20T15:12:44Z"}, yanked=("2.32.0",))
    info = lookup(config, "pypi", "requests")
    assert info.status == FOUND and info.latest == "2.32.0" and info.release_count == 2
    assert info.first_release.startswith("2023-05-22") and info.yanked_versions == ("2.32.0",)
    assert lookup(config, "pypi", "no-such-project-zz").status == MISSING


def test_npm_scoped_name_is_url_encoded_and_holding_packages_are_recognised(services, config):
    services.npm("@scope/pkg", {"1.0.0": "2020-01-01T00:00:00.000Z", "2.0.0": "2021-01-01T00:00:00.000Z"},
                 deprecated={"2.0.0": "use @scope/other"})
    info = lookup(config, "npm", "@scope/pkg")
    assert info.status == FOUND and info.deprecated == "use @scope/other" and info.first_release.startswith("2020")
    assert ("GET", "npm", "/@scope%2Fpkg") in services.requests
    services.npm("crossenv", {"0.0.1-security": "2017-08-02T00:00:00.000Z"}, description="security holding package")
    assert lookup(config, "npm", "crossenv").holding


def test_npm_abbreviated_document_uses_modified_as_last_release(services, config):
    services.npm("old-pkg", {"1.0.0": "2015-03-01T00:00:00.000Z"}, full=False)
    info = lookup(config, "npm", "old-pkg")
    assert info.last_release.startswith("2015-03-01") and info.first_release is None


def test_rubygems_maven_crates_packagist_go_nuget(services, config):
    services.json("rubygems", "/api/v1/gems/rails.json", {"name": "rails", "version": "7.1.3", "downloads": 500_000_000,
                                                          "version_created_at": "2024-01-16T22:00:00.000Z"})
    assert lookup(config, "rubygems", "rails").downloads == 500_000_000
    assert lookup(config, "rubygems", "railz").status == MISSING

    services.raw("maven", "/org/example/widget/maven-metadata.xml", MAVEN_METADATA)
    info = lookup(config, "maven", "org.example:widget")
    assert info.latest == "2.1.0" and info.release_count == 3 and info.last_release.startswith("2019-01-02")
    assert lookup(config, "maven", "org.example:nope").status == MISSING

    services.json("crates.io", "/api/v1/crates/serde", {
        "crate": {"name": "serde", "max_version": "1.0.200", "recent_downloads": 60_000_000, "created_at": "2014-12-05T20:20:39Z"},
        "versions": [{"num": "1.0.200", "yanked": False, "created_at": "2024-04-29T00:00:00Z"},
                     {"num": "1.0.199", "yanked": True, "created_at": "2024-04-27T00:00:00Z"}]})
    info = lookup(config, "crates.io", "serde")
    assert info.yanked_versions == ("1.0.199",) and info.downloads == 60_000_000 and info.downloads_period == "90d"
    assert any("auditor/" in ua for ua in services.user_agents)  # crates.io requires a User-Agent

    services.json("packagist", "/packages/acme/old.json", {"package": {
        "name": "acme/old", "abandoned": "acme/new", "downloads": {"total": 10, "monthly": 1, "daily": 0},
        "versions": {"dev-main": {"time": "2026-01-01T00:00:00+00:00"}, "1.0.0": {"time": "2016-01-01T00:00:00+00:00"}}}})
    info = lookup(config, "packagist", "acme/old")
    assert info.deprecated == "abandoned; use acme/new instead" and info.release_count == 1

    services.raw("go", "/github.com/!burnt!sushi/toml/@v/list", "v1.2.0\nv1.3.2\n")
    services.json("go", "/github.com/!burnt!sushi/toml/@latest", {"Version": "v1.3.2", "Time": "2023-06-08T06:15:18Z"})
    info = lookup(config, "go", "github.com/BurntSushi/toml")
    assert info.status == FOUND and info.latest == "v1.3.2" and info.release_count == 2
    services.raw("go", "/example.com/gone/@v/list", "not found", status=410)
    assert lookup(config, "go", "example.com/gone").status == MISSING

    services.json("nuget", "/v3-flatcontainer/newtonsoft.json/index.json", {"versions": ["12.0.3", "13.0.3"]})
    assert lookup(config, "nuget", "Newtonsoft.Json").latest == "13.0.3"


def test_server_errors_raise_lookup_failed_after_retries(services, config):
    services.fail_services.add("pypi")
    with pytest.raises(LookupFailed, match="HTTP 503"):
        lookup(config, "pypi", "requests")
    assert sum(1 for r in services.requests if r[1] == "pypi") == config.retries + 1


def test_the_breaker_stops_asking_a_failing_host_and_the_deadline_ends_every_lookup(services, config):
    import dataclasses

    services.fail_services.add("pypi")
    fast = dataclasses.replace(config, retries=0)

    async def go(cfg):
        async with Http(cfg) as http:
            out = []
            for name in ("a", "b", "c", "d", "e"):
                try:
                    await http.get(f"{cfg.url('pypi')}/pypi/{name}/json")
                except LookupFailed as exc:
                    out.append(str(exc))
            return out

    errors = asyncio.run(go(fast))
    assert sum(1 for r in services.requests if r[1] == "pypi") == fast.breaker_threshold == 3
    assert "HTTP 503" in errors[0] and "not asked again this run" in errors[-1]
    late = asyncio.run(go(dataclasses.replace(fast, deadline=1e-9)))
    assert all("deadline" in e for e in late) and sum(1 for r in services.requests if r[1] == "pypi") == 3


def test_an_answer_over_the_size_cap_is_a_failed_lookup(services, config):
    import dataclasses

    services.raw("npm", "/big", b"x" * 5000)
    small = dataclasses.replace(config, max_body=1000)

    async def go():
        async with Http(small) as http:
            return await http.get(f"{small.url('npm')}/big")

    with pytest.raises(LookupFailed, match="larger than"):
        asyncio.run(go())

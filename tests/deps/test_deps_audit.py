"""audit_dependencies end to end against local registry and OSV servers: what is flagged,
what is not, what is unknown, and what the cache saves."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from auditor.deps.audit import audit_dependencies
from auditor.findings import Severity
from auditor.stack.model import Dependency

NOW = datetime.now(UTC)


def ago(days):
    return (NOW - timedelta(days=days)).isoformat().replace("+00:00", "Z")


LODASH_ADVISORY = {
    "id": "GHSA-35jh-r3h4-6jhm", "modified": "2024-01-01T00:00:00Z", "aliases": ["CVE-2021-23337"],
    "summary": "Command Injection in lodash",
    "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H"}],
    "affected": [{"package": {"ecosystem": "npm", "name": "lodash"},
                  "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "4.17.21"}]}]}],
}


def npm_project(tmp_path):
    (tmp_path / "package.json").write_text(
        '{\n  "dependencies": {\n    "lodash": "4.17.20",\n    "express": "^4.21.0",\n'
        '    "lodahs": "^1.0.0",\n    "expres-session-secure-kit": "^2.0.0",\n    "request": "^2.88.2",\n'
        '    "local-lib": "file:../local-lib"\n  }\n}\n'
    )
    line = {"lodash": 3, "express": 4, "lodahs": 5, "expres-session-secure-kit": 6, "request": 7, "local-lib": 8}
    specs = {"lodash": "4.17.20", "express": "^4.21.0", "lodahs": "^1.0.0", "expres-session-secure-kit": "^2.0.0",
             "request": "^2.88.2", "local-lib": "file:../local-lib"}
    deps = [Dependency(n, "npm", "package.json", line[n], specs[n], "4.17.20" if n == "lodash" else None) for n in line]
    deps.append(Dependency("express", "npm", "package-lock.json", 40, None, "4.21.2", direct=False))
    return deps


def serve_npm(services):
    services.npm("lodash", {"4.17.20": ago(2000), "4.17.21": ago(300)}, downloads=50_000_000)
    services.npm("express", {"4.21.1": ago(400), "4.21.2": ago(300), "5.1.0": ago(100)}, downloads=30_000_000)
    services.npm("lodahs", {"1.0.0": ago(20)}, downloads=12)
    services.npm("request", {"2.88.2": ago(2400)}, deprecated={"2.88.2": "request has been deprecated"})
    services.osv(LODASH_ADVISORY, [("npm", "lodash", "4.17.20")])


def by_package(findings):
    out = {}
    for f in findings:
        out.setdefault(f.extra["package"], []).append(f)
    return out


def test_flags_invented_squatted_deprecated_and_vulnerable_but_not_real_packages(services, config, tmp_path):
    serve_npm(services)
    result = audit_dependencies(tmp_path, npm_project(tmp_path), config=config)
    found = by_package(result.findings)

    assert "express" not in found  # real, maintained, no advisory for 4.21.2
    assert "local-lib" not in found  # a path dependency never goes to the registry

    (invented,) = found["expres-session-secure-kit"]
    assert invented.rule_id == "deps.package.hallucinated" and invented.category == "hallucinated-dependency"
    assert invented.severity is Severity.HIGH and invented.extra["status"] == "missing"
    assert (invented.path, invented.line) == ("package.json", 6) and invented.snippet.startswith('"expres-session')

    (squat,) = found["lodahs"]
    assert squat.rule_id == "deps.package.typosquat" and squat.extra["imitates"] == "lodash"
    assert "12 downloads" in squat.message and "first published 20 days ago" in squat.message

    (old,) = found["request"]
    assert old.rule_id == "deps.package.unmaintained" and old.severity is Severity.LOW
    assert "deprecated" in old.message and "no release since" in old.message

    (vuln,) = found["lodash"]
    assert vuln.rule_id == "deps.package.vulnerable" and vuln.category == "vulnerable-dependency"
    assert vuln.severity is Severity.HIGH  # CVSS 7.2
    assert vuln.extra["fixed_version"] == "4.17.21" and vuln.extra["version"] == "4.17.20"
    assert vuln.extra["advisories"][0]["id"] == "GHSA-35jh-r3h4-6jhm" and vuln.extra["advisories"][0]["cvss"] == 7.2
    assert "CVE-2021-23337" in vuln.message
    d = vuln.to_dict()
    assert d["package"] == "lodash" and d["ecosystem"] == "npm" and d["version"] == "4.17.20"

    queried = [r for r in services.requests if r[1] == "osv" and r[0] == "POST"]
    assert len(queried) == 2  # one querybatch for the pinned versions, one for ranges resolved on the registry


def test_warm_cache_makes_no_requests_and_offline_reuses_it(services, config, tmp_path):
    serve_npm(services)
    deps = npm_project(tmp_path)
    first = audit_dependencies(tmp_path, deps, config=config)
    services.requests.clear()
    second = audit_dependencies(tmp_path, deps, config=config)
    assert services.requests == []
    assert [f.fingerprint for f in first.findings] == [f.fingerprint for f in second.findings]
    services.fail_services.update({"npm", "osv"})
    offline = audit_dependencies(tmp_path, deps, config=config, offline=True)
    assert services.requests == []
    assert [f.rule_id for f in offline.findings] == [f.rule_id for f in first.findings]


def test_failed_lookups_are_unknown_never_clean(services, config, tmp_path):
    services.fail_services.update({"npm", "osv"})
    fast = dataclasses.replace(config, retries=0)
    deps = [Dependency("lodash", "npm", "package.json", 3, "4.17.20", "4.17.20")]
    result = audit_dependencies(tmp_path, deps, config=fast)
    statuses = {(f.rule_id, f.extra["status"]) for f in result.findings}
    assert statuses == {("deps.package.hallucinated", "unknown"), ("deps.package.vulnerable", "unknown")}
    assert all(f.severity is Severity.LOW for f in result.findings) and result.unknown == 2
    assert "unknown" in result.findings[0].message


def test_offline_without_cache_is_unknown_and_makes_no_requests(services, config, tmp_path):
    deps = [Dependency("reqeusts", "pypi", "requirements.txt", 1, "==2.31.0", "2.31.0")]
    result = audit_dependencies(tmp_path, deps, config=config, offline=True)
    assert services.requests == []
    assert {f.extra["status"] for f in result.findings} == {"unknown"}
    squat = [f for f in result.findings if f.rule_id == "deps.package.typosquat"]
    assert squat and squat[0].extra["imitates"] == "requests"  # the name alone is still worth showing


def test_pypi_missing_typosquat_names_what_it_imitates_and_established_lookalike_passes(services, config, tmp_path):
    services.pypi("requests", {"2.31.0": ago(900), "2.32.3": ago(100)})
    services.pypi("requests3", {f"3.0.{i}": ago(2000 - i * 250) for i in range(8)})  # old, many releases
    deps = [Dependency("reqeusts", "pypi", "requirements.txt", 1, "==2.31.0", "2.31.0"),
            Dependency("requests", "pypi", "requirements.txt", 2, "==2.31.0", "2.31.0"),
            Dependency("requests3", "pypi", "requirements.txt", 3)]
    result = audit_dependencies(tmp_path, deps, config=config)
    found = by_package(result.findings)
    assert set(found) == {"reqeusts"}
    rules = {f.rule_id for f in found["reqeusts"]}
    assert "deps.package.hallucinated" in rules
    missing = [f for f in found["reqeusts"] if f.rule_id == "deps.package.hallucinated"][0]
    assert missing.extra["imitates"] == "requests" and "did you mean 'requests'" in missing.message


def test_npm_security_holding_package_is_critical(services, config, tmp_path):
    services.npm("crossenv", {"0.0.1-security": ago(3000)}, description="security holding package")
    deps = [Dependency("crossenv", "npm", "package.json", 3, "^6.1.1")]
    (finding,) = audit_dependencies(tmp_path, deps, config=config).findings
    assert finding.severity is Severity.CRITICAL and finding.extra["imitates"] == "cross-env"
    assert finding.extra["status"] == "malicious"


def test_a_range_without_a_lockfile_is_resolved_on_the_registry_and_says_so(services, config, tmp_path):
    (tmp_path / "package.json").write_text('{"dependencies": {"lodash": "^4.17.4", "left-pad": "^9.0.0"}}\n')
    services.npm("lodash", {"4.17.4": ago(3000), "4.17.20": ago(2000), "5.0.0-beta.1": ago(10)})
    services.npm("left-pad", {"1.3.0": ago(3000)})
    services.osv(LODASH_ADVISORY, [("npm", "lodash", "4.17.20")])
    deps = [Dependency("lodash", "npm", "package.json", 1, "^4.17.4"), Dependency("left-pad", "npm", "package.json", 1, "^9.0.0")]
    found = by_package(audit_dependencies(tmp_path, deps, config=config).findings)
    (vuln,) = found["lodash"]
    assert vuln.extra["version"] == "4.17.20" and vuln.extra["resolved_from"] == "^4.17.4"
    assert "the newest version the range '^4.17.4' allows: no lockfile pins it" in vuln.message
    (unknown,) = [f for f in found["left-pad"] if f.rule_id == "deps.package.vulnerable"]  # unchecked, not clean
    assert unknown.extra["status"] == "unknown" and unknown.extra["version"] == "^9.0.0"
    assert "no published version matches its range" in unknown.message

"""OSV range semantics, severity, and the offline database (zip and directory)."""

from __future__ import annotations

import json
import zipfile

import pytest

from auditor.deps.osv.model import VulnQuery, match, severity_of
from auditor.deps.osv.offline import OfflineDatabase
from auditor.errors import AuditorError
from auditor.findings import Severity


def record(eco, name, events, rid="GHSA-test-0001", **extra):
    return {
        "id": rid, "modified": "2026-01-01T00:00:00Z", "summary": "Prototype pollution",
        "affected": [{"package": {"ecosystem": eco, "name": name}, "ranges": [{"type": "SEMVER" if eco == "npm" else "ECOSYSTEM", "events": events}]}],
        **extra,
    }


@pytest.mark.parametrize(
    "version, affected, fixed",
    [("4.17.20", True, "4.17.21"), ("4.17.21", False, None), ("3.9.9", False, None), ("4.0.0", True, "4.17.21"),
     ("5.0.0", True, "5.0.2"), ("5.0.2", False, None), ("5.1.0", False, None)],
)
def test_multiple_intervals_in_one_range(version, affected, fixed):
    rec = record("npm", "lodash", [{"introduced": "4.0.0"}, {"fixed": "4.17.21"}, {"introduced": "5.0.0"}, {"fixed": "5.0.2"}])
    assert match(rec, "npm", "lodash", version) == (affected, fixed)


def test_introduced_zero_and_last_affected_inclusive():
    rec = record("PyPI", "PyYAML", [{"introduced": "0"}, {"last_affected": "5.3"}])
    assert match(rec, "pypi", "pyyaml", "5.3") == (True, None)
    assert match(rec, "pypi", "PyYAML", "1.0") == (True, None)
    assert match(rec, "pypi", "pyyaml", "5.3.1") == (False, None)


def test_pep440_prerelease_ordering_in_ecosystem_range():
    rec = record("PyPI", "django", [{"introduced": "4.2"}, {"fixed": "4.2.8"}])
    assert match(rec, "pypi", "Django", "4.2.8rc1") == (True, "4.2.8")
    assert match(rec, "pypi", "django", "4.2rc1") == (False, None)


def test_explicit_versions_list_and_other_packages():
    rec = {"id": "PYSEC-1", "affected": [{"package": {"ecosystem": "PyPI", "name": "flask"}, "versions": ["0.12.2"]},
                                         {"package": {"ecosystem": "npm", "name": "flask"}, "versions": ["9.9.9"]}]}
    assert match(rec, "pypi", "Flask", "0.12.2")[0] is True
    assert match(rec, "pypi", "flask", "0.12.3")[0] is False
    assert match(rec, "npm", "express", "9.9.9")[0] is False


def test_unparseable_version_is_unknown_and_withdrawn_is_ignored():
    rec = record("npm", "x", [{"introduced": "0"}, {"fixed": "1.0.0"}])
    assert match(rec, "npm", "x", "latest") == (None, None)
    assert match({**rec, "withdrawn": "2026-01-01T00:00:00Z"}, "npm", "x", "0.5.0") == (False, None)


def test_severity_from_cvss_v3_then_database_then_default():
    rec = record("npm", "x", [], severity=[{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}])
    assert severity_of(rec, "npm", "x") == (Severity.CRITICAL, 9.8, "cvss-v3")
    rec = record("npm", "x", [], database_specific={"severity": "MODERATE"})
    assert severity_of(rec, "npm", "x") == (Severity.MEDIUM, None, "database")
    rec = record("npm", "x", [], severity=[{"type": "CVSS_V4", "score": "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"}])
    assert severity_of(rec, "npm", "x") == (Severity.MEDIUM, None, "default")


def _records():
    return [
        record("npm", "lodash", [{"introduced": "0"}, {"fixed": "4.17.21"}], rid="GHSA-35jh-r3h4-6jhm",
               severity=[{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H"}], aliases=["CVE-2021-23337"]),
        record("Maven", "com.fasterxml.jackson.core:jackson-databind", [{"introduced": "2.0.0"}, {"fixed": "2.9.10.8"}], rid="GHSA-jjjh-jjxp-wpff"),
        record("RubyGems", "rack", [{"introduced": "0"}, {"fixed": "2.2.6.3"}], rid="GHSA-rack-0001"),
    ]


def test_offline_zip_is_indexed_once_and_matched_locally(tmp_path):
    db = tmp_path / "npm" / "all.zip"
    db.parent.mkdir()
    with zipfile.ZipFile(db, "w") as zf:
        for rec in _records():
            zf.writestr(f"{rec['id']}.json", json.dumps(rec))
    cache = tmp_path / "cache"
    queries = [VulnQuery("npm", "lodash", "4.17.20"), VulnQuery("npm", "lodash", "4.17.21"),
               VulnQuery("maven", "com.fasterxml.jackson.core:jackson-databind", "2.9.10.7"),
               VulnQuery("rubygems", "rack", "2.2.6.2"), VulnQuery("rubygems", "rack", "2.2.10")]
    answers = OfflineDatabase(tmp_path, cache).lookup(queries)
    lodash = answers[queries[0]]
    assert [a.id for a in lodash.advisories] == ["GHSA-35jh-r3h4-6jhm"]
    assert lodash.advisories[0].fixed == "4.17.21" and lodash.advisories[0].score == 7.2
    assert lodash.advisories[0].severity is Severity.HIGH
    assert answers[queries[1]].advisories == ()
    assert answers[queries[2]].advisories[0].fixed == "2.9.10.8"
    assert answers[queries[3]].advisories and not answers[queries[4]].advisories
    index = list(cache.glob("osv-index-*.sqlite3"))
    assert len(index) == 1
    stamp = index[0].stat().st_mtime_ns
    OfflineDatabase(tmp_path, cache).lookup(queries)  # unchanged source: the index is reused
    assert index[0].stat().st_mtime_ns == stamp


def test_offline_directory_of_json_records(tmp_path):
    for rec in _records():
        (tmp_path / f"{rec['id']}.json").write_text(json.dumps(rec))
    q = VulnQuery("npm", "lodash", "4.17.4")
    assert OfflineDatabase(tmp_path, tmp_path / "cache").lookup([q])[q].advisories


def test_bad_offline_database_is_a_one_line_error(tmp_path):
    with pytest.raises(AuditorError, match="no such file"):
        OfflineDatabase(tmp_path / "missing", tmp_path / "cache")
    (tmp_path / "db").mkdir()
    (tmp_path / "db" / "bad.json").write_text("{not json")
    with pytest.raises(AuditorError, match="bad.json: not valid JSON"):
        OfflineDatabase(tmp_path / "db", tmp_path / "cache")

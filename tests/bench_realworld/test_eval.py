"""The real-world bench's pure logic: manifest validation, line windows, scoring, unpacking.
Offline: nothing here downloads; the real manifest is only parsed and validated."""

from __future__ import annotations

import importlib.util
import io
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from auditor.findings import CATEGORIES

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "realworld" / "eval.py"


@pytest.fixture(scope="module")
def rw():
    spec = importlib.util.spec_from_file_location("realworld_eval", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["realworld_eval"] = module  # dataclasses resolve annotations through sys.modules
    spec.loader.exec_module(module)
    return module


def raw_pair(**kw):
    pair = {
        "id": "p1", "advisory": "CVE-2024-0001", "cwe": "CWE-89", "category": "sql-injection",
        "ecosystem": "pypi", "package": "pkg",
        "vulnerable": {"version": "1.0", "file": "pkg/db.py", "lines": [10]},
        "fixed": {"version": "1.1", "file": "pkg/db.py", "lines": [12, 13]},
    }
    pair.update(kw)
    return pair


def test_the_real_manifest_is_valid_and_has_both_ecosystems(rw):
    pairs = rw.load_manifest()
    assert {p.ecosystem for p in pairs} == {"pypi", "npm"}
    assert all(p.category in CATEGORIES for p in pairs)


def test_parse_fills_defaults(rw):
    (pair,) = rw.parse_manifest({"pairs": [raw_pair()]}, set(CATEGORIES))
    assert pair.artifact == "wheel" and pair.python is None
    assert pair.fixed.lines == (12, 13)
    (npm,) = rw.parse_manifest({"pairs": [raw_pair(ecosystem="npm")]}, set(CATEGORIES))
    assert npm.artifact == "tarball"


@pytest.mark.parametrize(
    "change, message",
    [
        ({"category": "prototype-pollution"}, "not a contract category"),
        ({"cwe": "89"}, "CWE-<n>"),
        ({"ecosystem": "maven"}, "ecosystem"),
        ({"artifact": "wheel", "ecosystem": "npm"}, "artifact"),
        ({"fixed": {"version": "1.0", "file": "pkg/db.py", "lines": [3]}}, "same"),
        ({"vulnerable": {"version": "1.0", "file": "../etc/passwd", "lines": [1]}}, "relative path"),
        ({"vulnerable": {"version": "1.0", "file": "a.py", "lines": [0]}}, "positive line"),
        ({"vulnerable": {"version": "1.0", "file": "a.py"}}, "missing lines"),
    ],
)
def test_bad_pairs_are_refused_with_the_field_named(rw, change, message):
    with pytest.raises(rw.ManifestError, match=message):
        rw.parse_manifest({"pairs": [raw_pair(**change)]}, set(CATEGORIES))


def test_duplicate_ids_are_refused(rw):
    with pytest.raises(rw.ManifestError, match="duplicate"):
        rw.parse_manifest({"pairs": [raw_pair(), raw_pair()]}, set(CATEGORIES))


def test_window_touches_range_not_only_start(rw):
    assert rw.near({"line": 7}, (10,), 3)
    assert not rw.near({"line": 6}, (10,), 3)
    assert rw.near({"line": 2, "end_line": 8}, (10,), 3)  # a multi-line call ending near the flaw
    assert not rw.near({"line": 14}, (10,), 3)
    assert rw.near({"line": 17}, (10, 20), 3)


def outcome(rw, category, vulnerable, fixed, accept=()):
    (pair,) = rw.parse_manifest({"pairs": [raw_pair(category=category, accept=list(accept))]}, None)
    return rw.Outcome(pair, vulnerable, fixed)


def test_caught_needs_the_category_near_the_flaw(rw):
    assert outcome(rw, "sql-injection", [{"category": "sql-injection", "line": 11}], []).caught
    assert not outcome(rw, "sql-injection", [{"category": "xss", "line": 10}], []).caught
    assert not outcome(rw, "sql-injection", [{"category": "sql-injection", "line": 40}], []).caught
    assert outcome(rw, "sql-injection", [{"category": "xss", "line": 10}], [], accept=["xss"]).caught


def test_flagged_looks_at_the_fixed_lines(rw):
    o = outcome(rw, "sql-injection", [], [{"category": "sql-injection", "line": 15}])
    assert o.flagged and not o.caught
    assert not outcome(rw, "sql-injection", [], [{"category": "sql-injection", "line": 30}]).flagged


def test_unavailable_pairs_are_left_out_of_the_rates(rw):
    hit = outcome(rw, "sql-injection", [{"category": "sql-injection", "line": 10}], [])
    miss = outcome(rw, "xss", [], [{"category": "xss", "line": 12}])
    gone = outcome(rw, "xss", [], [])
    gone.error = "download failed"
    scores, average = rw.score([hit, miss, gone])
    by = {s.category: s for s in scores}
    assert (by["sql-injection"].pairs, by["sql-injection"].caught) == (1, 1)
    assert (by["xss"].pairs, by["xss"].caught, by["xss"].flagged) == (1, 0, 1)
    assert average == pytest.approx((100 + -100) / 2)
    assert rw.score([gone]) == ([], None)


def test_unpack_strips_a_single_top_directory(rw, tmp_path):
    archive = tmp_path / "pkg-1.0.tar.gz"
    with tarfile.open(archive, "w:gz") as tf:
        data = b"print(1)\n"
        info = tarfile.TarInfo("package/lib/a.js")
        info.size = len(data)
        tf.addfile(info, io.BytesIO(data))
    rw._unpack(archive, tmp_path / "out")
    assert (tmp_path / "out" / "lib" / "a.js").read_bytes() == b"print(1)\n"


def test_unpack_refuses_members_that_escape(rw, tmp_path):
    archive = tmp_path / "evil.whl"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("../escape.py", "x = 1\n")
    with pytest.raises(rw.FetchError, match="escapes"):
        rw._unpack(archive, tmp_path / "out")
    assert not (tmp_path / "escape.py").exists()


def test_baseline_keeps_verdicts_not_findings(rw):
    hit = outcome(rw, "sql-injection", [{"category": "sql-injection", "line": 10, "snippet": "code"}], [])
    record = rw.result_record([hit], *rw.score([hit]), 3)
    base = rw.baseline_record(record)
    assert base["pairs"] == [{"id": "p1", "category": "sql-injection", "caught": True, "flagged": False}]
    assert "snippet" not in str(base)


def test_compare_reports_changes_on_common_pairs_only(rw):
    baseline = {"date": "d", "scanner_commit": "c", "pairs": [
        {"id": "p1", "category": "sql-injection", "caught": False, "flagged": True}]}
    now = outcome(rw, "sql-injection", [{"category": "sql-injection", "line": 10}], [])
    (other,) = rw.parse_manifest({"pairs": [raw_pair(id="p2")]}, None)
    text = "\n".join(rw.compare(baseline, [now, rw.Outcome(other)]))
    assert "on the 1 pairs both runs scored" in text
    assert "sql-injection" in text and "0 -> 1" in text and "1 -> 0" in text
    assert "now caught (1): p1" in text and "fix no longer flagged (1): p1" in text
    assert "average over categories: -100.0 -> +100.0 points" in text
    assert "not in the first run (1): p2" in text

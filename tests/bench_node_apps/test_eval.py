"""The Node apps bench's pure logic: manifest checks, entries, matching and scoring on a tiny
synthetic result, and the njsscan CWE mapping. Offline: no mirror, no scan."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import load_bench_script

from auditor.findings import CATEGORIES

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "node_apps" / "eval.py"


@pytest.fixture(scope="module")
def ne():
    return load_bench_script(SCRIPT, "node_apps_eval")


def test_manifest_is_well_formed(ne):
    m = ne.manifest()
    apps = [a for names in m["split"].values() for a in names]
    assert sorted(apps) == sorted(m["apps"]) and len(set(apps)) == len(apps)
    assert set(m["split"]) == {"tuning", "holdout", "fresh", "tuning3", "tuning4", "tuning5", "tuning6", "tuning7",
                              "tuning8", "tuning9", "tuning10", "tuning11"}
    assert all(m["split"][name] for name in ("fresh", "tuning3", "tuning4", "tuning5", "tuning6", "tuning7", "tuning8",
                                               "tuning9", "tuning10", "tuning11"))
    for spec in m["apps"].values():
        assert len(spec["commit"]) == 40 and "/" in spec["repo"]
        for e in (spec.get("positives") or []) + (spec.get("negatives") or []):
            assert e["category"] in CATEGORIES, e
            assert e["source"] and e["file"] and (e["line"] is None or e["line"] > 0), e
    assert set(ne.PEER_CWE.values()) <= set(CATEGORIES)


def _finding(path, line, category, end_line=None):
    return {"path": path, "line": line, "end_line": end_line, "category": category}


def test_scoring_catches_near_lines_only_and_flags_negatives(ne):
    spec = {"positives": [{"category": "sql-injection", "file": "a.js", "line": 10},
                          {"category": "sql-injection", "file": "a.js", "line": 40},
                          {"category": "csrf", "file": "app.js", "line": None}],
            "negatives": [{"category": "sql-injection", "file": "b.js", "line": 5},
                          {"category": "sql-injection", "file": "a.js", "line": 11}]}  # too close to a positive
    scored = ne.corpus.entries("app", spec)
    findings = {"app": {"a.js": [_finding("a.js", 12, "sql-injection"),      # within NEAR of 10
                                 _finding("a.js", 44, "sql-injection"),      # 4 lines from 40: a miss
                                 _finding("a.js", 40, "xss")],               # right line, wrong category
                        "app.js": [_finding("app.js", 77, "csrf")],          # file-level entry: anywhere
                        "b.js": [_finding("b.js", 3, "sql-injection", end_line=4)]}}  # range ends 1 off
    cats = {c: [c] for c in {e.warning_type for e in scored}}
    result = ne.score(scored, cats, findings)
    sql = result["categories"]["sql-injection"]
    assert (sql["caught"], sql["positives"], sql["flagged"], sql["negatives"]) == (1, 2, 1, 1)
    assert sql["score"] == 50.0 - 100.0
    assert sql["missed"] == ["app/a.js:40 (sql-injection)"] and sql["false_alarms"] == ["app/b.js:5 (sql-injection)"]
    assert result["categories"]["csrf"]["score"] == 100.0
    assert result["average"] == (-50.0 + 100.0) / 2


def test_scoring_with_nothing_found_is_zero(ne):
    scored = ne.corpus.entries("app", {"positives": [{"category": "xxe", "file": "x.js", "line": 3}], "negatives": []})
    result = ne.score(scored, {"xxe": ["xxe"]}, {"app": {}})
    assert result["average"] == 0.0 and result["caught"] == "0/1"


def test_manifest_entry_outside_the_app_stops(ne, tmp_path):
    (tmp_path / "a.js").write_text("one\ntwo\n", encoding="utf-8")
    ne.corpus.check_files("app", tmp_path, ne.corpus.entries("app", {"positives": [{"category": "xss", "file": "a.js", "line": 2}]}))
    for bad in ({"category": "xss", "file": "a.js", "line": 3}, {"category": "xss", "file": "missing.js", "line": 1}):
        with pytest.raises(SystemExit):
            ne.corpus.check_files("app", tmp_path, ne.corpus.entries("app", {"positives": [bad]}))


def test_njsscan_output_is_mapped_by_cwe(ne, tmp_path, monkeypatch):
    out = {"errors": [], "nodejs": {
        "node_sqli_injection": {"metadata": {"cwe": "CWE-89: SQL Injection"},
                                "files": [{"file_path": str(tmp_path / "m" / "db.js"), "match_lines": [4, 6]}]},
        "cookie_session_no_samesite": {"metadata": {"cwe": "cwe-1275"},
                                       "files": [{"file_path": str(tmp_path / "app.js"), "match_lines": [9, 9]}]},
        "helmet_missing": {"metadata": {"cwe": "CWE-693"}}},
        "templates": {"odd_rule": {"metadata": {"cwe": "CWE-99999"},
                                   "files": [{"file_path": str(tmp_path / "v.ejs"), "match_lines": [1, 1]}]}}}

    class Done:
        stdout = json.dumps(out)

    monkeypatch.setattr(ne.subprocess, "run", lambda *a, **k: Done())
    got = ne.njsscan_findings(tmp_path)
    assert [(f["path"], f["line"], f["end_line"], f["category"]) for f in got] == [
        ("m/db.js", 4, 6, "sql-injection"), ("app.js", 9, 9, "security-misconfiguration"), ("v.ejs", 1, 1, None)]
    out["errors"] = ["semgrep not found"]
    Done.stdout = json.dumps(out)
    with pytest.raises(SystemExit):
        ne.njsscan_findings(tmp_path)


def test_verbose_listing_names_tuning_misses_with_nearby_findings_and_the_record_drops_holdout_lists(ne, capsys):
    spec = {"positives": [{"category": "xxe", "file": "x.js", "line": 30}],
            "negatives": [{"category": "xxe", "file": "y.js", "line": 5}]}
    findings = ne.by_path({"app": [_finding("x.js", 26, "xxe"), _finding("x.js", 80, "xss"), _finding("y.js", 5, "xxe")]})
    scored = ne.corpus.entries("app", spec)
    results = {name: ne.score(scored, {"xxe": ["xxe"]}, findings) for name in ("tuning", "holdout", "all")}
    ne.print_tuning_misses(results["tuning"], findings)
    out = capsys.readouterr().out.splitlines()
    assert out == ["MISS  xxe                      app/x.js:30 (xxe)  near: xxe:26",
                   "ALARM xxe                      app/y.js:5 (xxe)  near: xxe:5"]
    ne.drop_entry_lists(results)
    assert "missed" in results["tuning"]["categories"]["xxe"]
    assert "missed" not in results["holdout"]["categories"]["xxe"] and "false_alarms" not in results["all"]["categories"]["xxe"]


def test_fresh_set_is_scored_on_its_own_and_stays_out_of_the_all_aggregate(ne):
    split = {"tuning": ["t1", "t2"], "holdout": ["h"], "fresh": ["f"]}
    every = ne.scored_sets(split, "all")
    assert list(every) == ["tuning", "holdout", "all", "fresh", "tuning3", "tuning4", "tuning5", "tuning6", "tuning7",
                          "tuning8", "tuning9", "tuning10", "tuning11"]
    assert every["all"] == {"t1", "t2", "h"} and every["fresh"] == {"f"}
    assert ne.scored_sets(split, "fresh") == {"fresh": {"f"}}
    assert ne.scored_sets(split, "tuning") == {"tuning": {"t1", "t2"}}
    # A manifest from before the fresh set still scores.
    assert ne.scored_sets({"tuning": ["t"], "holdout": ["h"]}, "all")["fresh"] == set()
    scored = ne.corpus.entries("f", {"positives": [{"category": "xss", "file": "x.ts", "line": 3}]})
    results = {"fresh": ne.score(scored, {"xss": ["xss"]}, {"f": {}})}
    ne.drop_entry_lists(results, ("fresh",))
    assert results["fresh"]["categories"]["xss"] == {"positives": 1, "caught": 0, "negatives": 0, "flagged": 0,
                                                     "score": 0.0}


def test_tuning3_to_tuning8_are_scored_on_their_own_and_stay_out_of_the_all_aggregate(ne):
    split = {"tuning": ["t"], "holdout": ["h"], "fresh": ["f"], "tuning3": ["n"], "tuning4": ["m"], "tuning5": ["w"],
             "tuning6": ["k"], "tuning7": ["j"], "tuning8": ["o"]}
    every = ne.scored_sets(split, "all")
    assert every["all"] == {"t", "h"} and every["tuning3"] == {"n"} and every["tuning4"] == {"m"}
    assert every["tuning5"] == {"w"} and every["tuning6"] == {"k"} and every["tuning7"] == {"j"}
    assert ne.scored_sets(split, "tuning6") == {"tuning6": {"k"}}
    assert ne.scored_sets(split, "tuning7") == {"tuning7": {"j"}}
    assert every["tuning8"] == {"o"} and ne.scored_sets(split, "tuning8") == {"tuning8": {"o"}}
    assert ne.scored_sets(split, "tuning3") == {"tuning3": {"n"}}
    assert ne.scored_sets(split, "tuning4") == {"tuning4": {"m"}}
    assert ne.scored_sets(split, "tuning5") == {"tuning5": {"w"}}
    assert ne.scored_sets({"tuning": ["t"], "holdout": ["h"]}, "all")["tuning3"] == set()


def test_an_app_in_a_subdir_is_taken_and_scanned_alone(ne, tmp_path, monkeypatch):
    """`subdir`: only that folder of the repository is extracted, scanned, and its entries'
    files are relative to it."""
    taken: list = []

    def fake_extract(mirror, commit, pathspec, dest):
        taken.append(pathspec)
        (dest / "sub" / "app").mkdir(parents=True)
        (dest / "sub" / "app" / "a.ts").write_text("x\ny\n")

    scanned: list = []
    monkeypatch.setattr(ne.corpus, "extract", fake_extract)
    m = {"apps": {"o": {"repo": "x/y", "commit": "0" * 40, "subdir": "sub/app",
                        "positives": [{"category": "xss", "file": "a.ts", "line": 2}]}}}
    scored, scans, _ = ne.corpus.extract_and_scan(m, ["o"], "t-", lambda d: scanned.append(d.name) or [])
    assert taken == [["sub/app"]] and scanned == ["app"] and [e.paths for e in scored] == [("a.ts",)]

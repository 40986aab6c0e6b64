"""The Python apps bench's manifest and set logic. Offline: no mirror, no scan."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import load_bench_script

from auditor.findings import CATEGORIES

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "py_apps" / "eval.py"


@pytest.fixture(scope="module")
def pe():
    return load_bench_script(SCRIPT, "py_apps_eval")


def test_manifest_is_well_formed(pe):
    m = pe.manifest()
    apps = [a for names in m["split"].values() for a in names]
    assert sorted(apps) == sorted(m["apps"]) and len(set(apps)) == len(apps)
    assert set(m["split"]) == {"tuning", "holdout", "tuning2"}
    assert all(m["split"][name] for name in m["split"])
    for spec in m["apps"].values():
        assert len(spec["commit"]) == 40 and "/" in spec["repo"] and spec["docs"]
        seen = set()
        for e in (spec.get("positives") or []) + (spec.get("negatives") or []):
            assert e["category"] in CATEGORIES, e
            assert e["source"] and e["file"] and (e["line"] is None or e["line"] > 0), e
            key = (e["category"], e["file"], e["line"])
            assert key not in seen, e  # one entry per sink
            seen.add(key)


def test_sets(pe):
    split = {"tuning": ["a", "b"], "holdout": ["c"]}
    assert pe.scored_sets(split, "all") == {"tuning": {"a", "b"}, "holdout": {"c"}, "all": {"a", "b", "c"}}
    assert pe.scored_sets(split, "holdout") == {"holdout": {"c"}}


def test_tuning2_is_scored_on_its_own_and_stays_out_of_the_all_aggregate(pe):
    split = {"tuning": ["a"], "holdout": ["c"], "tuning2": ["d", "e"]}
    every = pe.scored_sets(split, "all")
    assert every["all"] == {"a", "c"} and every["tuning2"] == {"d", "e"}
    assert pe.scored_sets(split, "tuning2") == {"tuning2": {"d", "e"}}


def test_check_manifest_wants_every_app_in_the_split_once(pe):
    m = {"split": {"tuning": ["a"], "holdout": []}, "apps": {"a": {"repo": "x/a"}, "b": {"repo": "x/b"}}}
    assert "exactly once" in pe.corpus.check_manifest(m, ["a"])

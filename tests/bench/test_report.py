"""summary.json's contract fields, breakdowns and judge agreement; the HTML is self-contained."""

import re

from auditor.bench.html import render_html
from auditor.bench.summary import build_summary, text_table


def result(task, condition, vulnerable, functional=True, category="xss", framework="flask", bandit=None):
    judges = {"auditor": vulnerable}
    if bandit is not None:
        judges["bandit"] = bandit
    return {"task": task, "condition": condition, "model": "m", "sample": 0, "framework": framework,
            "category": category, "vulnerable": vulnerable, "functional": functional, "judges": judges}


RESULTS = (
    [result(f"t{i}", "none", True, functional=i % 2 == 0, bandit=i < 3) for i in range(4)]
    + [result(f"t{i}", "auditor", i == 0, functional=None if i == 3 else True, bandit=False) for i in range(4)]
)


def test_summary_contract_and_hand_values():
    s = build_summary(RESULTS, resamples=200, seed=1)
    runs = {r["condition"]: r for r in s["runs"]}
    assert list(runs) == ["none", "auditor"]  # conditions in their canonical order
    assert runs["none"] == {"model": "m", "condition": "none", "samples": 4, "vulnerable_rate": 1.0,
                            "vulnerable_ci": [1.0, 1.0], "functional_pass_rate": 0.5,
                            "correct_and_secure_rate": 0.0}
    # auditor: 1/4 vulnerable; functional over the 3 checked samples: 3/3 passed; correct and
    # secure: t1, t2 (t0 is vulnerable, t3 had no check) -> 2/3.
    assert runs["auditor"]["vulnerable_rate"] == 0.25
    assert runs["auditor"]["functional_pass_rate"] == 1.0
    assert runs["auditor"]["correct_and_secure_rate"] == round(2 / 3, 4)
    (comp,) = s["comparisons"]
    assert set(comp) == {"model", "baseline", "condition", "relative_reduction", "ci"}
    assert comp["relative_reduction"] == 0.75  # (1 - 0.25) / 1
    (test,) = s["paired_tests"]
    assert (test["improved"], test["worsened"]) == (3, 0) and test["p_value"] == 0.25  # 2 * 1/8
    agreement = s["judges"]["agreement"][0]
    # auditor vs bandit on 8 samples: none t0-t2 agree (yes), t3 disagrees; auditor t0 disagrees.
    assert agreement["samples"] == 8 and agreement["agreement"] == 0.75
    assert {c["category"] for c in s["by_category"]} == {"xss"}
    assert "m" in text_table(s) and "75.0%" in text_table(s)


def test_html_is_self_contained():
    html = render_html(build_summary(RESULTS, resamples=100), banner="SYNTHETIC <test>")
    assert html.startswith("<!doctype html>") and "<svg" in html
    assert "SYNTHETIC &lt;test&gt;" in html
    assert not re.search(r"(src|href)=\"?https?:", html) and "<script" not in html


def test_svg_charts_are_well_formed_xml():
    from defusedxml import ElementTree

    html = render_html(build_summary(RESULTS, resamples=100))
    charts = re.findall(r"<svg.*?</svg>", html, re.S)
    assert len(charts) == 4  # three rate charts and one heat map (one model)
    for chart in charts:
        ElementTree.fromstring(chart)

"""Composition, ranking and budgeted rendering of the rule set."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "emit"))
from emit_helpers import JS, MONO, PY, make_rule, project, stack  # noqa: E402

from auditor.kb import compose  # noqa: E402
from auditor.kb.compose import (  # noqa: E402
    compose_rules,
    render_json,
    render_markdown,
    render_rule,
    render_system_prompt,
    stack_specific,
)
from auditor.kb.rank import rank, score  # noqa: E402

LANG = make_rule("python.lang.rule", "critical", languages=("python",))
FW = make_rule("django.fw.rule", "critical", frameworks=("django",))
FW_LIB = make_rule("django.fwlib.rule", "critical", frameworks=("django",), libraries=("psycopg",))
HIGH_FW = make_rule("django.high.rule", "high", frameworks=("django",))
LOW = make_rule("django.low.rule", "low", frameworks=("django",))
EXPRESS = make_rule("express.only.rule", "critical", frameworks=("express",), example="javascript")


@pytest.fixture
def shipped(monkeypatch):
    """Make compose_rules see these rules instead of the shipped ones."""
    rules = (LANG, FW, FW_LIB, HIGH_FW, LOW, EXPRESS)
    monkeypatch.setattr(compose, "load_rules", lambda: rules)
    return rules


def test_framework_and_library_specific_rules_beat_language_level_at_equal_severity():
    assert [r.id for r in rank([LANG, FW, FW_LIB])] == ["django.fwlib.rule", "django.fw.rule", "python.lang.rule"]


def test_severity_times_specificity():
    assert score(FW_LIB) == 4 * 6 and score(LANG) == 4 * 2 and score(HIGH_FW) == 3 * 4
    assert [r.id for r in rank([LANG, HIGH_FW])] == ["django.high.rule", "python.lang.rule"]


def test_ties_break_by_id_for_determinism():
    a, b = make_rule("django.b", frameworks=("django",)), make_rule("django.a", frameworks=("django",))
    assert [r.id for r in rank([a, b])] == ["django.a", "django.b"]


def test_compose_selects_rules_applying_to_any_sub_project(shipped):
    ids = [r.id for r in compose_rules(MONO)]
    assert "express.only.rule" in ids  # from web/
    assert {"django.fw.rule", "python.lang.rule"} <= set(ids)  # from services/api/
    assert "django.fwlib.rule" not in ids  # no psycopg anywhere in MONO
    assert [r.id for r in compose_rules(stack(project(".", "javascript", "express")))] == ["express.only.rule"]


def test_compose_on_empty_stack_is_empty(shipped):
    assert compose_rules(stack()) == []


def test_markdown_names_the_stack_and_each_rule(shipped):
    text = render_markdown(compose_rules(PY), PY)
    assert "Detected stack: python, django, with psycopg." in text
    for rid in ("django.fwlib.rule", "python.lang.rule", "django.low.rule"):
        assert f"`{rid}`" in text
    assert "auditor explain <rule-id>" in text


def sections(text: str) -> list[str]:
    return text.split("\n### ")[1:]


@pytest.mark.parametrize("budget", [300, 600, 900, 1500, 2500])
def test_budget_respected_and_rules_never_cut(shipped, budget):
    rules = compose_rules(PY)
    text = render_markdown(rules, PY, max_chars=budget)
    full = render_markdown(rules, PY)
    assert len(text) <= budget or "### " not in text  # only the header can overflow a tiny budget
    for sec in sections(text):
        title = sec.splitlines()[0]
        rid = title.removeprefix("Title of ")
        rule = next(r for r in rules if r.id == rid)
        assert all(g.split(":")[0] in sec for g in rule.guidance), f"{rid} was cut"
    if text != full:
        kept = len(sections(text))
        left = len(rules) - kept
        if left:
            assert f"{left} lower-ranked rule" in text and "`auditor rules`" in text


def test_examples_dropped_before_rules(shipped):
    rules = compose_rules(PY)
    full = render_markdown(rules, PY)
    with_examples = full.count("Do this:")
    assert with_examples == sum(1 for r in rules if stack_specific(r)) > 0
    # A budget that fits every rule but not every example keeps all rules.
    bare = render_markdown(rules, PY, max_chars=len(full) - 60)
    assert len(sections(bare)) == len(rules)
    assert bare.count("Do this:") < with_examples
    # Examples go to the best-ranked rules first.
    assert "good_django_fwlib_rule()" in bare


def test_lowest_ranked_rules_are_dropped_first(shipped):
    rules = compose_rules(PY)
    text = render_markdown(rules, PY, max_chars=1400)
    kept = [s.splitlines()[0].removeprefix("Title of ") for s in sections(text)]
    assert kept == [r.id for r in rules[: len(kept)]]
    assert 0 < len(kept) < len(rules)


def test_render_rule_has_everything():
    text = render_rule(FW_LIB)
    for needle in ("Title of django.fwlib.rule", "django.fwlib.rule", "critical", "sql-injection", "CWE-89",
                   "A03:2021", "frameworks django", "any of psycopg", "Guidance 0", "Bad example", "Good example",
                   "bad_django_fwlib_rule()", "good_django_fwlib_rule()", "https://example.org/ref", "Detectors"):
        assert needle in text, needle


def test_system_prompt_is_plain_text_within_budget(shipped):
    rules = compose_rules(PY)
    text = render_system_prompt(rules, PY, 700)
    assert len(text) <= 700
    assert "```" not in text and "##" not in text
    assert text.startswith("Security rules for this project (stack: python, django, with psycopg)")
    assert "1. [critical] Title of django.fwlib.rule (django.fwlib.rule)" in text
    assert "lower-ranked rules left out" in text
    unlimited = render_system_prompt(rules, PY, None)
    assert all(r.id in unlimited for r in rules) and "good_django_fw_rule()" in unlimited


def test_json_carries_rank_and_where(shipped):
    data = json.loads(render_json(compose_rules(MONO), MONO))
    assert [r["rank"] for r in data["rules"]] == list(range(1, len(data["rules"]) + 1))
    first = data["rules"][0]
    assert first["applies_in"] == ["services/api"] and first["severity"] == "critical"
    assert {p["path"] for p in data["projects"]} == {"services/api", "web"}


def test_monorepo_rules_say_where_they_apply(shipped):
    text = render_markdown(compose_rules(MONO), MONO)
    assert "Applies in: services/api/" in text
    assert "services/api/: python, django; web/: javascript, express, with pg" in text


def test_js_stack_gets_no_python_rules(shipped):
    assert compose_rules(JS) == [EXPRESS]

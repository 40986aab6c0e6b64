"""Every shipped rule loads, validates, and has examples that parse in their language."""

from __future__ import annotations

import pytest

from auditor.kb.load import RuleError, load_rules, parse_rule_file
from auditor.scan.languages import GRAMMAR_LANGUAGES, parse

RULES = load_rules()


def test_rules_load_and_ids_unique():
    assert len(RULES) >= 1
    assert len({r.id for r in RULES}) == len(RULES)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_examples_parse(rule):
    for ex in rule.examples:
        if ex.language not in GRAMMAR_LANGUAGES:
            continue
        for kind, code in (("bad", ex.bad), ("good", ex.good)):
            tree = parse(ex.language, code)
            assert not tree.root_node.has_error, f"{rule.id}: {kind} example does not parse as {ex.language}"


@pytest.mark.parametrize(
    "text, message",
    [
        ("id: Bad Id\n", "missing"),
        ("rules: {}\n", "'rules' must be a list"),
        (
            "id: a.b\ntitle: t\ncategory: not-a-category\ncwe: [CWE-1]\nowasp: 'A01:2021'\nseverity: high\n"
            "applies: {languages: [python]}\nguidance: [g]\nexamples: {language: python, bad: x, good: y}\n",
            "unknown category",
        ),
        (
            "id: a.b\ntitle: t\ncategory: xss\ncwe: [89]\nowasp: 'A01:2021'\nseverity: high\n"
            "applies: {languages: [python]}\nguidance: [g]\nexamples: {language: python, bad: x, good: y}\n",
            "cwe",
        ),
        (
            "id: a.b\ntitle: t\ncategory: xss\ncwe: [CWE-79]\nowasp: 'A01:2021'\nseverity: urgent\n"
            "applies: {languages: [python]}\nguidance: [g]\nexamples: {language: python, bad: x, good: y}\n",
            "unknown severity",
        ),
        ("id: [unclosed\n", "not valid YAML"),
    ],
)
def test_bad_rule_files_are_rejected_with_the_file_name(text, message):
    with pytest.raises(RuleError) as exc:
        parse_rule_file(text, "rules/x.yaml")
    assert str(exc.value).startswith("rules/x.yaml")
    assert message in str(exc.value)

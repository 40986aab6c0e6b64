"""Ruby format validations: unanchored regexes are reported at low severity (a "contains"
check may be meant), anchored ones and constants set to anchored regexes not at all."""

from __future__ import annotations

from auditor.scan.engine import Scanner

SCANNER = Scanner(secrets=False, summary_cache=False)


def _anchor_lines(code: str) -> list[tuple[int, str]]:
    return [(f.line, f.severity.name.lower()) for f in SCANNER.scan_source("app/models/contact.rb", code)
            if f.rule_id == "ruby.validation.regex-anchors"]


def test_unanchored_validation_is_low_and_anchored_ones_are_silent() -> None:
    code = (
        "class Contact < ApplicationRecord\n"
        "  ZIP = /\\A\\d{5}\\z/\n"
        "  validates :zip, format: ZIP\n"
        "  validates :code,\n"
        "            format: { with: /\\A[A-Z]{2}\\d{4}\\z/ }\n"
        "  validates :handle,\n"
        "            format: { with: /[a-z]+/ }\n"
        "end\n"
    )
    assert _anchor_lines(code) == [(7, "low")]


def test_unanchored_regex_outside_a_validation_is_not_judged() -> None:
    code = "class Parser\n  def run(s)\n    s.scan(/\\d+/).map { |x| x.to_i }\n  end\n  OPTS = { with: /[a-z]+/ }\nend\n"
    assert _anchor_lines(code) == []

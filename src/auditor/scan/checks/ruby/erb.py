"""ERB view checks. `.html.erb` files have no grammar here, so these read the text:
output tags that skip escaping (`<%==`, `raw`, `.html_safe`) on a dynamic value, and
`link_to` whose href is a user-editable URL attribute (`javascript:` links)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from auditor.findings import Severity
from auditor.scan.interface import Check, Hit, SourceFile

OUTPUT_TAG = re.compile(r"<%(==?)(.*?)-?%>", re.S)
RAW_CALL = re.compile(r"^\s*raw[\s(]")
HTML_SAFE = re.compile(r"\.html_safe\b")
# Expressions that are safe to emit unescaped: translations, helpers that escape, partials.
SAFE_EXPR = re.compile(
    r"^\s*(?:yield\b|render\b|content_for\b|t\(|I18n\.t\(|sanitize\b|json_escape\b|safe_join\b|"
    r"javascript_include_tag\b|stylesheet_link_tag\b|csrf_meta_tags\b|csp_meta_tag\b|"
    r"(['\"])[^'\"#]*\1\s*(?:\.html_safe)?\s*$)"
)
# Values escaped or JSON-encoded before they are marked raw (Rails' to_json escapes <, >
# and & by default): printing them raw prints the escaped text.
ESCAPED_FIRST = re.compile(r"^\s*\(?\s*(?:h|html_escape|ERB::Util\.(?:html_escape|h)|json_escape|sanitize|strip_tags|"
                           r"escape_javascript|j)[\s(]|\.to_json\b")
DYNAMIC = re.compile(r"@\w|params|\b[a-z_]\w*(?:\.\w+|\[)")
LINK_TO_URL = re.compile(
    r"\blink_to\b[^,%]*,\s*(?:@?\w+(?:\.\w+)*\.(?:website|url|homepage|home_page|link|href|site|web_url|external_url|"
    r"profile_url|blog_url)\b|params\[)"
)


def _line(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


class ErbCheck(Check):
    languages = frozenset({"erb"})
    detectors = ("rb.erb.raw-output", "rb.erb.link-to-url")

    def run(self, src: SourceFile) -> Iterable[Hit]:
        t = src.text
        if "<%" not in t:
            return []
        hits: list[Hit] = []
        for m in OUTPUT_TAG.finditer(t):
            raw_tag, expr = m.group(1) == "==", m.group(2)
            if raw_tag or RAW_CALL.match(expr) or HTML_SAFE.search(expr):
                inner = RAW_CALL.sub("", expr, count=1) if not raw_tag else expr
                if not SAFE_EXPR.match(inner) and not ESCAPED_FIRST.search(inner) and DYNAMIC.search(inner):
                    hits.append(Hit("rb.erb.raw-output", _line(t, m.start()), 1, 0,
                                    "View prints a dynamic value without escaping: use `<%= %>` or `sanitize`"))
            if "link_to" in expr and LINK_TO_URL.search(expr):
                hits.append(Hit("rb.erb.link-to-url", _line(t, m.start()), 1, 0,
                                "link_to with a user-supplied URL can carry `javascript:`: validate the scheme "
                                "(http/https) in the model", severity=Severity.LOW))
        return hits


CHECKS = [ErbCheck()]

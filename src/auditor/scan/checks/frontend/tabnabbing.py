"""Reverse tabnabbing: a link that opens a URL taken from data in a new tab
(`target="_blank"`) without `rel="noopener"`, and `window.open(url)` without `noopener`.
The opened page gets `window.opener` and can send this tab to a look-alike login page.
Browsers since 2021 imply noopener for `target="_blank"` links, so it is reported at low;
`window.open` still hands the opener over unless told not to. Read from the text: HTML and
server templates, Vue/Svelte components, and JSX/TSX."""

from __future__ import annotations

import re
from collections.abc import Iterable

from auditor.findings import Severity
from auditor.scan.interface import Check, Hit, SourceFile

# An opening <a ...> tag; JSX attribute values in braces may hold `>` (arrow functions).
_ANCHOR = re.compile(r"<a\b(?:[^>{]|\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\})*>", re.S)
_BLANK = re.compile(r"""\btarget\s*=\s*(?:["']_blank["']|\{\s*["']_blank["']\s*\})""")
_REL_SAFE = re.compile(r"""\brel\s*=\s*[^>]*?\bno(?:opener|referrer)\b""", re.S)
# An href whose value comes from data: JSX `href={x}`, Vue `:href`/`v-bind:href`, Angular
# `[href]`, or template output inside the attribute (`{{ }}`, `<%= %>`, `#{}`, `${}`).
_DYNAMIC_HREF = re.compile(
    r"""(?:\bhref\s*=\s*\{(?!\s*["'`][^"'`$]*["'`]\s*\})|(?::|v-bind:)href\s*=|\[(?:href|attr\.href)\]\s*=|"""
    r"""\bhref\s*=\s*["'][^"']*(?:\{\{|<%|#\{|\$\{|\{[a-zA-Z_$]))""")
_WINDOW_OPEN = re.compile(r"\bwindow\.open\s*\(([^;\n]*)")
# The href's value names an outside address (a user's website, a link in a post), and is not
# one of the app's own routes (`url_for(...)`, `*_path`, `route(...)`, static files).
_OUTSIDE_URL = re.compile(r"(?i)url|link|website|homepage|href|site|external")
_OWN_ROUTE = re.compile(r"url_for|_path\b|_url\s*\(|\broute\(|\bpath\(|static|reverse\(|\{%\s*url\b|this\.href|location")
_HREF_VALUE = re.compile(r"""(?:\bhref|:href|\[href\]|\[attr\.href\])\s*=\s*(\{(?:[^{}]|\{[^{}]*\})*\}|"[^"]*"|'[^']*')""")


def _line(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


class ReverseTabnabbingCheck(Check):
    languages = frozenset({"html", "erb", "ejs", "handlebars", "jinja", "vue", "svelte", "javascript", "typescript", "tsx",
                           "php"})
    detectors = ("web.reverse-tabnabbing",)

    def run(self, src: SourceFile) -> Iterable[Hit]:
        text = src.text
        hits: list[Hit] = []
        if "_blank" in text:
            for m in _ANCHOR.finditer(text):
                tag = m.group(0)
                href = _HREF_VALUE.search(tag)
                value = href.group(1) if href else ""
                if _BLANK.search(tag) and _DYNAMIC_HREF.search(tag) and not _REL_SAFE.search(tag) and \
                        _OUTSIDE_URL.search(value) and not _OWN_ROUTE.search(value):
                    line = _line(text, m.start())
                    hits.append(Hit("web.reverse-tabnabbing", line, 1, line,
                                    'Link to a URL from data opens in a new tab without rel="noopener": the page it '
                                    'opens can redirect this tab (add rel="noopener noreferrer")', severity=Severity.LOW))
        if "window.open" in text and src.language in ("javascript", "typescript", "tsx", "vue", "svelte", "html"):
            for m in _WINDOW_OPEN.finditer(text):
                args = m.group(1)
                first = args.split(",", 1)[0].strip()
                if first and not re.fullmatch(r"""["'`][^"'`$]*["'`]""", first) and "noopener" not in args and \
                        "noreferrer" not in args and re.search(r"(?i)website|homepage|external|user\w*url|link", first) and \
                        not _OWN_ROUTE.search(first):
                    line = _line(text, m.start())
                    hits.append(Hit("web.reverse-tabnabbing", line, 1, line,
                                    "window.open of a URL from data hands the new page `window.opener`: pass "
                                    "'noopener,noreferrer' as the third argument", severity=Severity.LOW))
        return hits


CHECKS = [ReverseTabnabbingCheck()]

"""Raw-HTML bindings in component templates, read from the text (templates have no
grammar here): the places where Vue, Svelte and Angular stop escaping for you.

- Vue `v-html="expr"` and Svelte `{@html expr}` insert HTML unescaped: a value from the
  route, query or an input is reported at the rule's severity, any other dynamic value at
  medium (it is XSS as soon as the data can hold user text).
- Angular sanitizes `[innerHTML]` itself: a binding is reported at low, as a surface.
- `bypassSecurityTrustHtml/Script/Style/Url/ResourceUrl(value)` turns that sanitizing off:
  reported at the rule's severity for any non-constant value.
A value passed through a sanitizer (DOMPurify.sanitize, sanitizeHtml, ...) is clean.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from auditor.findings import Severity
from auditor.scan.interface import Check, Hit, SourceFile

_V_HTML = re.compile(r"""\bv-html\s*=\s*(["'])(.*?)\1""", re.S)
_SVELTE_HTML = re.compile(r"\{@html\s+(.*?)\}", re.S)
_NG_INNER = re.compile(r"""\[(?:innerHTML|outerHTML)\]\s*=\s*(["'])(.*?)\1""", re.S)
_BYPASS = re.compile(r"\.bypassSecurityTrust(?:Html|Script|Style|Url|ResourceUrl)\s*\(\s*([^)]*)\)")
_SANITIZED = re.compile(r"(?i)sanitiz|purify|escape|xss\(")
_USER_INPUT = re.compile(r"\$route\b|\broute\.(?:query|params)|\bquery\b|\bparams\b|searchParams|location\.|"
                         r"\$page\.url|\bpage\.url|\binput\b|\buserInput\b|\bcomment|\bmessage\b|\bbio\b")
_CONSTANT = re.compile(r"""^\s*(?:'[^']*'|"[^"]*"|`[^`$]*`|\d+|true|false|null)\s*$""")


def _line(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _hit(detector: str, text: str, pos: int, message: str, severity: Severity | None, framework: str) -> Hit:
    line = _line(text, pos)
    column = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return Hit(detector, line, column, line, message, severity=severity, framework=framework)


def _raw_severity(expr: str) -> Severity | None | bool:
    """The hit severity for a raw-HTML binding of `expr`: False (clean), None (the rule's),
    or medium for a dynamic value of unknown origin."""
    if _CONSTANT.match(expr) or _SANITIZED.search(expr):
        return False
    return None if _USER_INPUT.search(expr) else Severity.MEDIUM


class TemplateRawHtmlCheck(Check):
    languages = frozenset({"vue", "svelte", "html", "javascript", "typescript", "tsx"})
    detectors = ("fe.vue.v-html", "fe.svelte.raw-html", "fe.angular.inner-html", "fe.angular.bypass-trust")

    def run(self, src: SourceFile) -> Iterable[Hit]:
        text = src.text
        hits: list[Hit] = []
        if "v-html" in text and src.language in ("vue", "html"):
            for m in _V_HTML.finditer(text):
                sev = _raw_severity(m.group(2))
                if sev is not False:
                    hits.append(_hit("fe.vue.v-html", text, m.start(), "v-html inserts unescaped HTML: render text with {{ }} or sanitize with DOMPurify first", sev, "vue"))
        if "{@html" in text and src.language == "svelte":
            for m in _SVELTE_HTML.finditer(text):
                sev = _raw_severity(m.group(1))
                if sev is not False:
                    hits.append(_hit("fe.svelte.raw-html", text, m.start(), "{@html} inserts unescaped HTML: render text with { } or sanitize with DOMPurify first", sev, "svelte"))
        if "HTML]" in text:
            for m in _NG_INNER.finditer(text):
                if not (_CONSTANT.match(m.group(2)) or _SANITIZED.search(m.group(2))):
                    hits.append(_hit("fe.angular.inner-html", text, m.start(), "[innerHTML] binding: Angular sanitizes it, unless the value was marked trusted; prefer text interpolation", Severity.LOW, "angular"))
        if "bypassSecurityTrust" in text:
            for m in _BYPASS.finditer(text):
                arg = m.group(1)
                if not _CONSTANT.match(arg) and not _SANITIZED.search(arg):
                    hits.append(_hit("fe.angular.bypass-trust", text, m.start() + 1, "bypassSecurityTrust* turns Angular's sanitizing off for this value: sanitize it first or bind it as text", None, "angular"))
        return hits


CHECKS = [TemplateRawHtmlCheck()]

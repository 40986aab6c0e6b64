"""Unescaped output in server-side templates, read from the text: the tags each engine
provides to print a value without escaping it.

| engine | raw output | files |
| --- | --- | --- |
| EJS | `<%- expr %>` | .ejs |
| Pug/Jade | `!{expr}`, `tag!= expr` | .pug, .jade |
| Handlebars/Mustache | `{{{expr}}}`, `{{& expr}}` | .hbs, .handlebars, .mustache |
| Jinja, Django, Nunjucks, Swig | `{{ expr|safe }}`, `{% autoescape false/off %}` | .html, .jinja, .j2, .njk, .swig |
| HAML | `!= expr`, `&= ` is escaped | .haml |
| Slim | `== expr` | .slim |
| Thymeleaf | `th:utext="${expr}"`, `[(${expr})]` | .html |

Escaping does not make a URL safe: a value printed as the whole of an `href`/`src`/`action`
(`href="{{ website }}"`) runs script when it is `javascript:...`. That is reported at low
(medium when the name says it is request input); a fixed start (`/users/{{ id }}`) or a
helper call (`{{ url_for(...) }}`) is not reported.

A dynamic value printed raw is reported at medium (XSS as soon as it can hold user text),
at the rule's severity when it names request input (params, query, body, request), never
for includes/partials (`<%- include(...) %>`), literals, or values passed through a
sanitizer or JSON encoder."""

from __future__ import annotations

import re
from collections.abc import Iterable

from auditor.findings import Severity
from auditor.scan.checks.ruby.erb import (
    ESCAPED_FIRST,
    HTML_SAFE,
    RAW_CALL,
    REQUEST_READ,
    TEMPLATE_LINE,
    mentions,
)
from auditor.scan.checks.ruby.views import view_inputs
from auditor.scan.interface import Check, Hit, SourceFile

# language -> raw-output patterns (group 1: the printed expression).
_RAW: dict[str, tuple[re.Pattern[str], ...]] = {
    "ejs": (re.compile(r"<%-\s*(.*?)\s*-?%>", re.S),),
    "pug": (re.compile(r"!\{([^}]*)\}"), re.compile(r"^\s*[\w.#:()\-'\"=, ]*?!=\s*(.+)$", re.M)),
    "handlebars": (re.compile(r"\{\{\{\s*(.*?)\s*\}\}\}"), re.compile(r"\{\{&\s*(.*?)\s*\}\}")),
    "html": (re.compile(r"\{\{\s*([^{}]*?)\s*\|\s*safe\b[^}]*\}\}"),),
    "haml": (re.compile(r"^\s*[%.#\w\-{}:'\", ]*!=\s*(.+)$", re.M),),
    "slim": (re.compile(r"^\s*[\w.#\-]*\s*==\s*(.+)$", re.M),),
}
_THYMELEAF = (re.compile(r"\bth:utext\s*=\s*[\"']\s*\$\{\s*(.*?)\s*\}[^\"']*[\"']"), re.compile(r"\[\(\$\{\s*(.*?)\s*\}\)\]"))
_RAW["html"] += _THYMELEAF
_RAW["jinja"] = _RAW["html"]
# language -> a URL attribute whose whole value is one printed variable (group 1: its name).
_URL_ATTR = r"(?<![\w.-])(?:th:)?(?:href|src|action|formaction|xlink:href)\s*=\s*[\"']\s*"
_BARE = r"([A-Za-z_$][\w.$]*)"
_URL_VALUE: dict[str, tuple[re.Pattern[str], ...]] = {
    "html": (re.compile(_URL_ATTR + r"\{\{\s*" + _BARE + r"\s*\}\}"),
             re.compile(r"(?<![\w-])th:(?:href|src|action|formaction)\s*=\s*[\"']\s*\$\{\s*" + _BARE + r"\s*\}\s*[\"']")),
    "ejs": (re.compile(_URL_ATTR + r"<%[=-]\s*" + _BARE + r"\s*-?%>"),),
    "handlebars": (re.compile(_URL_ATTR + r"\{\{\s*" + _BARE + r"\s*\}\}"),),
    "pug": (re.compile(r"[(,\s](?:href|src|action|formaction)\s*=\s*" + _BARE + r"\s*[,)]"),),
}
_URL_VALUE["jinja"] = _URL_VALUE["html"]
_AUTOESCAPE_OFF = re.compile(r"\{%-?\s*autoescape\s+(?:false|off|False)\s*-?%\}")
_SAFE_EXPR = re.compile(r"^\s*(?:include\b|include\(|partial\b|>|yield\b|body\b|block\b|content\b|"
                        r"(['\"])[^'\"]*\1\s*$|\d+\s*$)")
# HAML/Slim (Rails helpers): what prints HTML Rails already built or escaped.
_RAILS_SAFE = re.compile(r"^\s*\(?\s*(?:render\b|yield\b|content_for\b|t\(|t\s+['\"]|I18n\.t\b|safe_join\b|"
                         r"javascript_include_tag\b|stylesheet_link_tag\b|csrf_meta_tags?\b|csp_meta_tag\b|"
                         r"javascript_pack_tag\b|stylesheet_pack_tag\b|(?:\w+_)?(?:path|url)\b)")
# Text the developer wrote, not users: form help texts and labels, CSRF tokens, media.
_DEVELOPER_TEXT = re.compile(r"\.(?:help_text|verbose_name|verbose_name_plural|label_tag|label_suffix|media)\s*$|"
                             r"^\s*csrf_token\s*$")
_SANITIZED = re.compile(r"(?i)sanitiz|purify|escape|JSON\.stringify|json_encode|tojson|to_json|json_script|markdown\(")
_REQUEST = re.compile(r"\b(?:params|query|body|req|request|cookies|headers|searchParams|input|comment|message|bio)\b")
_DYNAMIC = re.compile(r"[A-Za-z_$@]")
# Flask's flashed messages: `{% with messages = get_flashed_messages() %}`, `{% for m in messages %}`.
_FLASH_BOUND = re.compile(r"\{%-?\s*(?:with|set)\s+(\w+)\s*=\s*get_flashed_messages\(")
_FOR_LOOP = re.compile(r"\{%-?\s*for\s+(\w+)(?:\s*,\s*(\w+))?\s+in\s+([\w.]+(?:\([^)]*\))?)")


def flashed_names(text: str) -> set[str]:
    """Names a Jinja template binds to flashed messages: the app's own `flash()` text, usually."""
    names = {m.group(1) for m in _FLASH_BOUND.finditer(text)}
    for m in _FOR_LOOP.finditer(text):
        source = m.group(3)
        if source.startswith("get_flashed_messages") or source in names:
            names |= {n for n in (m.group(1), m.group(2)) if n}
    return names
# Pug/HAML/Slim lines that run code or control flow (their `!=` is a comparison).
_CODE_LINE = re.compile(r"\s*(?:-(?!#)|//|if\b|unless\b|else\b|each\b|for\b|while\b|when\b|case\b)")




class ServerTemplateRawOutputCheck(Check):
    languages = frozenset({"ejs", "pug", "handlebars", "html", "jinja", "haml", "slim"})
    detectors = ("tpl.raw-output", "tpl.autoescape-off", "tpl.url-attribute")

    def run(self, src: SourceFile) -> Iterable[Hit]:
        text = src.text
        lang = src.language or ""
        hits: list[Hit] = []
        # Rails views: a name the controller filled with request input is reported by the
        # view flow check (ruby/erb.py) with its trace; not twice.
        flowed = [i.name for i in view_inputs(src)] if lang in ("haml", "slim") else []
        flashed = flashed_names(text) if lang in ("html", "jinja") and "get_flashed_messages" in text else set()
        for pattern in _RAW.get(lang, ()):
            for m in pattern.finditer(text):
                expr = m.group(1).strip()
                if flowed and any(mentions(expr, name) for name in flowed):
                    continue
                line_start = text.rfind("\n", 0, m.start()) + 1
                if lang in ("pug", "haml", "slim") and _CODE_LINE.match(text, line_start):
                    continue  # a code or control line (`- if (a != b)`), not an output tag
                if (not expr or _SAFE_EXPR.match(expr) or _SANITIZED.search(expr) or _DEVELOPER_TEXT.search(expr)
                        or not _DYNAMIC.search(expr)) or lang in ("haml", "slim") and _RAILS_SAFE.match(expr):
                    continue
                sev = None if _REQUEST.search(expr) else Severity.MEDIUM
                line = text.count("\n", 0, m.start()) + 1
                head = re.match(r"\w+", expr)
                if head is not None and head.group(0) in flashed:
                    # the app's own flash() text, unless a flash() somewhere puts user input in it
                    hits.append(Hit("tpl.raw-output", line, 1, line,
                                    f"template prints the flashed message `{expr[:60]}` without escaping: safe only while "
                                    "every flash() is given fixed or escaped text", severity=Severity.LOW))
                    continue
                hits.append(Hit("tpl.raw-output", line, 1, line,
                                f"template prints `{expr[:60]}` without escaping: use the escaping tag, or sanitize first",
                                severity=sev, framework="spring-boot" if pattern in _THYMELEAF else None))
        if lang in ("haml", "slim"):
            hits += _marked_safe(text, flowed)
        for pattern in _URL_VALUE.get(lang, ()):
            for m in pattern.finditer(text):
                name = m.group(1)
                if name in ("true", "false", "null", "undefined", "None") or _SANITIZED.search(name):
                    continue
                line = text.count("\n", 0, m.start()) + 1
                hits.append(Hit("tpl.url-attribute", line, 1, line,
                                f"`{name[:60]}` is the whole URL of this attribute: escaping does not stop `javascript:` "
                                "URLs; allow only http(s) URLs or start the attribute with a fixed path",
                                severity=Severity.MEDIUM if _REQUEST.search(name) else Severity.LOW))
        if lang in ("html", "jinja") and "<script" in text:
            hits += _script_code_values(text)
        if lang in ("html", "jinja"):
            for m in _AUTOESCAPE_OFF.finditer(text):
                line = text.count("\n", 0, m.start()) + 1
                # an e-mail body is text, not a page (Django's password_reset_email.html)
                sev = Severity.LOW if "email" in src.path.rsplit("/", 1)[-1].lower() else Severity.MEDIUM
                hits.append(Hit("tpl.autoescape-off", line, 1, line,
                                "autoescaping switched off for this block: every value in it prints raw", severity=sev))
        return hits


_SCRIPT_BLOCK = re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>(.*?)</script>", re.S | re.I)
_ESCAPED_VALUE = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
# Values that are numbers, JSON or JS-escaped whatever they hold, or the app's own URLs.
_JS_SAFE_VALUE = re.compile(r"\|\s*(?:safe|tojson|escapejs|json|json_script|length|int|float|floatformat|add|yesno|"
                            r"filesizeformat|date|time|urlencode|count|abs|round)\b|"
                            r"(?:^|\.)(?:id|pk|count|total|length|size|page|year)\s*$|\b(?:url|static|csrf_token)\b|"
                            r"^\s*(?:true|false|\d+)\s*$")


def _script_code_values(text: str) -> list[Hit]:
    """`{{ value }}` printed in an inline <script> outside any JS string literal: the template
    escapes HTML (<, >, quotes), which does not stop JavaScript written with other characters
    (`[]()!+` spell any program). Inside a quoted string the escaped quotes keep it a string."""
    hits = []
    for block in _SCRIPT_BLOCK.finditer(text):
        for m in _ESCAPED_VALUE.finditer(block.group(1)):
            expr = m.group(1)
            if not _DYNAMIC.search(expr) or _JS_SAFE_VALUE.search(expr):
                continue
            start = block.start(1) + m.start()
            before = text[text.rfind("\n", 0, start) + 1:start]
            if any(before.count(q) % 2 for q in ("'", '"', "`")) or before.lstrip().startswith("//"):
                continue  # inside a string literal (or a comment)
            line = text.count("\n", 0, start) + 1
            hits.append(Hit("tpl.raw-output", line, 1, line,
                            f"`{expr[:60]}` is printed into JavaScript code: HTML escaping does not stop script here; "
                            "pass it as JSON (json_script, |tojson) and read it as data",
                            severity=Severity.MEDIUM if _REQUEST.search(expr) else Severity.LOW))
    return hits


def _marked_safe(text: str, flowed: list[str]) -> list[Hit]:
    """HAML/Slim escaped output (`= x`) of a value marked safe HTML in the line itself:
    `= raw @post.body`, `= @post.body.html_safe`. (Request input is the view flow check's.)"""
    hits = []
    for m in TEMPLATE_LINE.finditer(text):
        op, expr = m.group(1), m.group(2).strip()
        if op != "=" or _CODE_LINE.match(text, m.start()):
            continue
        if RAW_CALL.match(expr):
            inner = RAW_CALL.sub("", expr, count=1).strip().removesuffix(")").strip()
        elif HTML_SAFE.search(expr) and expr.endswith("html_safe"):
            inner = HTML_SAFE.sub("", expr).strip()
        else:
            continue
        if (not inner or _SAFE_EXPR.match(inner) or _RAILS_SAFE.match(inner) or _SANITIZED.search(inner)
                or ESCAPED_FIRST.search(inner) or _DEVELOPER_TEXT.search(inner) or not _DYNAMIC.search(inner)
                or REQUEST_READ.search(inner) or any(mentions(inner, name) for name in flowed)):
            continue
        line = text.count("\n", 0, m.start()) + 1
        hits.append(Hit("tpl.raw-output", line, 1, line,
                        f"template marks `{inner[:60]}` safe HTML and prints it unescaped: sanitize it first",
                        severity=Severity.MEDIUM))
    return hits


CHECKS = [ServerTemplateRawOutputCheck()]

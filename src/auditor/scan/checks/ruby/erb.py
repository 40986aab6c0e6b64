"""Rails view checks. Views have no grammar here, so these read the text:
output tags that skip escaping (`<%==`, `raw`, `.html_safe`) on a dynamic value, and
`link_to` whose href is a user-editable URL attribute (`javascript:` links).

With the project index, the controller actions that render a view tell which of its names
hold request input (`views.py`): printing one of those raw, or linking to it, is reported
with the steps from the params read to the view line, in ERB and in HAML/Slim views
(`!= @x`, `== @x`, `= raw @x`, `= link_to "..", @x`)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from auditor.findings import Severity
from auditor.scan.checks.ruby.views import ViewInput, view_inputs
from auditor.scan.interface import Check, Hit, SourceFile

OUTPUT_TAG = re.compile(r"<%(==?)(.*?)-?%>", re.S)
RAW_CALL = re.compile(r"^\s*raw[\s(]")
# `raw` anywhere in the expression (`content_tag(:p, raw(@x))`): a helper's argument marked safe.
RAW_INNER = re.compile(r"(?<![\w.:@])raw(?:\s*\(|\s+(?=[@\w\"']))")
# An `href:` attribute given to a tag helper (`content_tag :a, "go", href: @x`, `tag.a href: @x`).
HREF_ATTR = re.compile(r"(?:\bhref:|:href\s*=>)\s*(?P<value>[^,)\n%]+)")
HTML_SAFE = re.compile(r"\.html_safe\b")
# Expressions that are safe to emit unescaped: translations, helpers that escape, partials.
SAFE_EXPR = re.compile(
    r"^\s*(?:yield\b|render\b|content_for\b|t\(|I18n\.t\(|sanitize\b|json_escape\b|safe_join\b|"
    r"javascript_include_tag\b|stylesheet_link_tag\b|csrf_meta_tags\b|csp_meta_tag\b|"
    r"(['\"])[^'\"#]*\1\s*(?:\.html_safe)?\s*$)"
)
# Values escaped or JSON-encoded before they are marked raw (Rails' to_json escapes <, >
# and & by default): printing them raw prints the escaped text.
# URL-encoding (`u`, `url_encode`) leaves no <, > or quote either.
ESCAPED_FIRST = re.compile(r"^\s*\(?\s*(?:h|html_escape|ERB::Util\.(?:html_escape|h|url_encode|u)|json_escape|sanitize|strip_tags|"
                           r"u|url_encode|"
                           r"escape_javascript|j)[\s(]|\.to_json\b")
# Reads of the request itself in a view.
REQUEST_READ = re.compile(r"\b(?:params|cookies|request\.(?:params|parameters|query_parameters|referer|referrer|url|"
                          r"fullpath|original_url|query_string|user_agent|headers|env))\b")
# A dynamic value: an ivar, params, a method or index on a local, or a class method's result
# (`User.profile`, `Setting.banner`).
DYNAMIC = re.compile(r"@\w|params|\b[a-z_]\w*(?:\.\w+|\[)|"
                     r"\b(?!(?:Rails|I18n|Time|Date|DateTime)\b)[A-Z]\w*(?:::[A-Z]\w*)*\.[a-z_]\w*")
LINK_TO_URL = re.compile(
    r"\blink_to\b[^,%]*,\s*(?:@?\w+(?:\.\w+)*\.(?:website|url|homepage|home_page|link|href|site|web_url|external_url|"
    r"profile_url|blog_url)\b|params\[)"
)
# HAML/Slim output lines: an optional tag (`%p`, `.cls`, `#id`, `p`, with attributes), then
# `!=` (HAML, unescaped), `==` (Slim, unescaped) or `=` (escaped unless raw/html_safe).
TEMPLATE_LINE = re.compile(r"^[ \t]*(?:[%.#]?[\w.#-]*(?:\{[^}\n]*\}|\([^)\n]*\))?[ \t]*)?(!=|==|=)(?!=)[ \t]*(.+)$", re.M)
# content_tag escapes its content and attribute values (unless told `false`), never the tag
# name or the attribute names: `content_tag params[:t]`, `{ cookies[:k] => "x" }`.
CONTENT_TAG = re.compile(r"\bcontent_tag[\s(]+(?P<name>[^,\s)]+)(?P<rest>[^%]*)")
ATTR_KEY = re.compile(r"(?:\{|,)\s*(?P<key>[^\s:'\",{}=][^,{}=]*?)\s*=>")
ESCAPE_OFF = re.compile(r",\s*false\s*\)?\s*$")
ATTR_VALUE = re.compile(r"=>\s*(?P<value>[^,}]+)|\b\w+:\s+(?P<value2>[^,}]+)")
# `link_to NAME, TARGET` / `link_to TARGET` (block form): the expression the href comes from.
LINK_TO = re.compile(r"\blink_to[\s(]+(?P<args>[^%\n]*)")


# HAML `%a{href: x}` / `%a{:href => x}` and Slim `a href=x`: a URL attribute given a Ruby value.
HAML_URL_ATTR = re.compile(r"^[ \t]*%\w[^{\n]*\{[^}\n]*?(?:\b(?:href|src|action|formaction):|:(?:href|src|action)\s*=>)"
                           r"\s*(?P<value>[^,}\n]+)", re.M)
SLIM_URL_ATTR = re.compile(r"^[ \t]*[\w.#-]+[^\n=]*?\b(?:href|src|action|formaction)=(?P<value>(?!['\"])[^\s]+)", re.M)
# An output tag that is the whole start of a URL attribute's value (`href="<%= x %>`).
URL_ATTR_BEFORE = re.compile(r"""\b(?:href|src|action|formaction|xlink:href)\s*=\s*["']?$""", re.I)
INTERPOLATION = re.compile(r"#\{([^}]*)\}")


def _script_input(expr: str, inputs: list[ViewInput]) -> bool:
    """Does a `javascript_tag "..."` string interpolate request input without a JS escaper?"""
    for m in INTERPOLATION.finditer(expr):
        inner = m.group(1)
        if ESCAPED_FIRST.search(inner) or re.match(r"\s*(?:j|escape_javascript|json_escape)\b", inner):
            continue
        if REQUEST_READ.search(inner) or any(mentions(inner, i.name) for i in inputs):
            return True
    return False


def _balanced(expr: str, start: int) -> str:
    """The text from `start` (just after an opening parenthesis) to its closing one."""
    depth = 1
    for i in range(start, len(expr)):
        if expr[i] in "([{":
            depth += 1
        elif expr[i] in ")]}":
            depth -= 1
            if depth == 0:
                return expr[start:i]
    return expr[start:]


def raw_parts(expr: str) -> list[str]:
    """The sub-expressions of an output tag that `raw(...)` marks safe: the whole argument of a
    leading `raw`, and the argument of a `raw` nested in a helper call."""
    parts = []
    for m in RAW_INNER.finditer(expr):
        if m.start() == len(expr) - len(expr.lstrip()):
            continue  # a leading `raw` is the tag's own expression, handled by the caller
        parts.append(_balanced(expr, m.end()) if m.group(0).rstrip().endswith("(") else expr[m.end():])
    return parts


def href_target(expr: str) -> str:
    """The value of an `href:` attribute in a tag helper call ('' when none)."""
    if not re.search(r"\b(?:content_tag|tag\.a|tag\(|link_to|button_to)\b", expr):
        return ""
    m = HREF_ATTR.search(expr)
    return m.group("value").strip() if m else ""


def _line(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def mentions(expr: str, name: str) -> bool:
    """Does `expr` read the view name (an ivar, or a local not used as a method/key)?"""
    if name.startswith("@"):
        return re.search(rf"(?<![\w@]){re.escape(name)}\b", expr) is not None
    return re.search(rf"(?<![\w@.:]){re.escape(name)}\b(?!\s*:)", expr) is not None


def _link_target(expr: str) -> str:
    """The href argument of a `link_to` in `expr` ('' when none)."""
    m = LINK_TO.search(expr)
    if m is None:
        return ""
    args = [a.strip() for a in re.split(r",(?![^(\[{]*[)\]}])", m.group("args").strip().rstrip(")").strip())]
    positional = [a for a in args if a and not re.match(r"^:?\w+\s*(?::|=>)", a)]
    if "do" in expr.split() or len(positional) == 1:
        return re.sub(r"\s+do\b.*$", "", positional[0]) if positional else ""
    return positional[1] if len(positional) > 1 else ""


def _is_url_of(target: str, name: str) -> bool:
    """Is the link target the name itself (`@x`, `@x.strip`, `"#{@x}..."`)? A route helper
    given it (`post_path(@x)`) builds a URL on this app's host."""
    n = re.escape(name)
    return re.fullmatch(rf"\(?{n}(?:\.\w+)*\)?|[\"']#\{{{n}\b[^}}]*\}}.*", target.strip()) is not None


def _trace(found: ViewInput, path: str, line: int, what: str) -> tuple[tuple[str, int, str], ...]:
    return (*found.steps, (path, line, f"{found.name} {what} in the view"))


def _unescaped(expr: str) -> bool:
    return not ESCAPED_FIRST.search(expr) and not SAFE_EXPR.match(expr)


ESCAPER = re.compile(r"(?<![\w.])(?:h|html_escape|ERB::Util\.(?:html_escape|h|url_encode|u)|u|url_encode|sanitize|strip_tags|json_escape|"
                     r"escape_javascript|j)(?:\s*\(|\s+)")
SCALAR_USE = r"\.(?:size|length|count|to_i|to_f|id|empty\?|blank\?|present\?|any\?|nil\?)\b"
# A string literal with no interpolation (escaped quotes allowed): `raw("<a href=\"/x\">X</a>")`.
LITERAL = re.compile(r"""\s*\(?\s*(?:"(?:[^"\\#]|\\.|#(?!\{))*"|'(?:[^'\\]|\\.)*')\s*\)?\s*""")
# Values that print as numbers: counts, sizes, ids, arithmetic on a value (`#{@page - 1}`).
NUMERIC = re.compile(rf"[@\w]+(?:\.\w+)*?(?:{SCALAR_USE}|_(?:count|size|total|number|id)\b)|[@\w.]+\s*[-+*/%]\s*\d+\b")


def content_tag_flaw(expr: str) -> str | None:
    """What a content_tag call leaves unescaped: a dynamic tag name, a dynamic attribute
    name, or dynamic attribute values with escaping turned off (`..., false`)."""
    m = CONTENT_TAG.search(expr)
    if m is None:
        return None
    if not m.group("name").startswith((":", "'", '"')):
        return "tag name"
    rest = m.group("rest")
    if any(not ESCAPED_FIRST.match(k.group("key")) for k in ATTR_KEY.finditer(rest)):
        return "attribute name"
    if ESCAPE_OFF.search(rest):
        values = [v.group("value") or v.group("value2") or "" for v in ATTR_VALUE.finditer(rest)]
        if any(DYNAMIC.search(_numbers_out(strip_escaped(v))) and not LITERAL.fullmatch(v) for v in values):
            return "attribute value (escaping turned off)"
    return None


def _numbers_out(expr: str) -> str:
    return NUMERIC.sub("0", expr)


def _printed(expr: str, name: str) -> bool:
    """Does `expr` print `name`'s text, outside an escaping call and not as a number?"""
    rest = re.sub(rf"{re.escape(name)}(?:\.\w+)*?{SCALAR_USE}", "", strip_escaped(expr))
    return mentions(rest, name)


def strip_escaped(expr: str) -> str:
    """`expr` without the arguments of escaping calls (`"<b>#{h(x)}</b>"` -> `"<b>#{h}</b>"`)."""
    out, pos = [], 0
    for m in ESCAPER.finditer(expr):
        if m.start() < pos:
            continue
        out.append(expr[pos:m.start()])
        if m.group(0).rstrip().endswith("("):
            pos = m.end() + len(_balanced(expr, m.end())) + 1
        else:
            pos = len(expr)  # `h value`: the rest of the expression is its argument
    out.append(expr[pos:])
    return "".join(out)


def _flow_hits(src: SourceFile, outputs: list[tuple[int, str, bool]], inputs: list[ViewInput]) -> list[Hit]:
    """Hits for output expressions (line, expression, printed raw) reading a request-input name."""
    hits: list[Hit] = []
    for line, expr, raw in outputs:
        for found in inputs:
            if not mentions(expr, found.name):
                continue
            # A value the controller marked safe HTML prints as it is in any output tag.
            printed = [p for p in ([expr] if raw or found.marked else []) + raw_parts(expr)
                       if _unescaped(p) and _printed(p, found.name)]
            if printed:
                why = "marked html_safe/raw in the controller, so the view does not escape it" if found.marked and not raw \
                    else "without escaping"
                hits.append(Hit("rb.erb.raw-output", line, 1, 0,
                                f"View prints request input ({found.name}, set by {found.action}) {why}: "
                                "print it with the escaping tag, or `sanitize` it", trace=_trace(found, src.path, line, "printed unescaped")))
                break
            if ("link_to" in expr and _is_url_of(_link_target(expr), found.name)) or _is_url_of(href_target(expr), found.name):
                hits.append(Hit("rb.erb.link-to-url", line, 1, 0,
                                f"Link URL is request input ({found.name}, set by {found.action}): a "
                                "`javascript:` URL runs script; allow only http/https or link to a path helper",
                                trace=_trace(found, src.path, line, "used as a link URL")))
                break
    return hits


def no_autoescape(src: SourceFile) -> bool:
    """Rails before 3 printed `<%= %>` unescaped, unless the rails_xss plugin was added."""
    project = src.project
    if project is None:
        return False
    if any(d.name == "rails_xss" for d in project.dependencies) or "rails_xss" in project.ids():
        return False
    for c in project.components:
        if c.id == "rails" and c.version:
            m = re.match(r"\D*(\d+)", c.version)
            return m is not None and int(m.group(1)) < 3
    return False


class ErbCheck(Check):
    languages = frozenset({"erb", "haml", "slim"})
    detectors = ("rb.erb.raw-output", "rb.erb.link-to-url")

    def run(self, src: SourceFile) -> Iterable[Hit]:
        t = src.text
        if src.language != "erb":
            return self._template(src)
        if "<%" not in t or src.path.endswith((".text.erb", ".txt.erb")):
            return []  # plain-text templates (mail bodies): nothing is parsed as HTML
        inputs = view_inputs(src)
        legacy = no_autoescape(src)
        hits: list[Hit] = []
        for m in OUTPUT_TAG.finditer(t):
            raw_tag, expr = m.group(1) == "==", m.group(2)
            line = _line(t, m.start())
            raw = raw_tag or legacy or bool(RAW_CALL.match(expr)) or bool(HTML_SAFE.search(expr))
            inner = RAW_CALL.sub("", expr, count=1) if RAW_CALL.match(expr) and not raw_tag else expr
            flowed = _flow_hits(src, [(line, inner, raw)], inputs) if inputs else []
            if flowed:
                hits.extend(flowed)  # the flow's finding, with its trace, stands for the line
                continue
            dynamic = [inner] if raw else []
            dynamic += raw_parts(inner)
            if legacy and not raw_tag and not RAW_CALL.match(expr) and not HTML_SAFE.search(expr):
                # Rails 2 escapes nothing: only values read straight from the request are
                # reported (every model attribute would be too, but that is a design choice
                # of the app, not a flaw the scanner can tell from the text).
                dynamic = [d for d in dynamic if REQUEST_READ.search(d)]
            if any(_unescaped(d) and not LITERAL.fullmatch(d) and DYNAMIC.search(_numbers_out(strip_escaped(d)))
                   for d in dynamic):
                hits.append(Hit("rb.erb.raw-output", line, 1, 0,
                                "View prints a dynamic value without escaping: use `<%= %>` or `sanitize`"
                                if not legacy else
                                "Rails before 3 does not escape `<%= %>`: wrap request input in `h()`"))
            if "content_tag" in expr and (what := content_tag_flaw(expr)):
                hits.append(Hit("rb.erb.raw-output", line, 1, 0,
                                f"content_tag does not escape a dynamic {what}: use a fixed tag and attribute "
                                "names, keep escaping on"))
            if not raw and URL_ATTR_BEFORE.search(t, max(0, m.start() - 40), m.start()) and \
                    (REQUEST_READ.match(expr.strip()) or any(_is_url_of(expr, i.name) for i in inputs)):
                hits.append(Hit("rb.erb.link-to-url", line, 1, 0,
                                "URL attribute printed from request input: escaping keeps the quotes, not a "
                                "`javascript:` scheme; allow only http/https or a path"))
            if "javascript_tag" in expr and _script_input(expr, inputs):
                hits.append(Hit("rb.erb.raw-output", line, 1, 0,
                                "javascript_tag does not escape what its script interpolates: request input "
                                "in it is script; pass it through `j`/`to_json`"))
            if ("link_to" in expr and LINK_TO_URL.search(expr)) or REQUEST_READ.match(href_target(expr)):
                # A URL read from the request right here is the attacker's; a stored URL attribute
                # is someone's input, kept by the model (its validation may check the scheme).
                direct = REQUEST_READ.match(href_target(expr)) or REQUEST_READ.match(_link_target(expr))
                hits.append(Hit("rb.erb.link-to-url", line, 1, 0,
                                "Link with a user-supplied URL can carry `javascript:`: validate the scheme "
                                "(http/https) in the model", severity=None if direct else Severity.LOW))
        return hits

    @staticmethod
    def _template(src: SourceFile) -> list[Hit]:
        """HAML/Slim: names the controllers fill with request input, and request reads in the
        view itself (`%h1= raw params[:q]`), printed unescaped."""
        inputs = view_inputs(src)
        if not inputs and not REQUEST_READ.search(src.text):
            return []
        unescaped = "!=" if src.language == "haml" else "=="
        outputs = []
        for m in TEMPLATE_LINE.finditer(src.text):
            op, expr = m.group(1), m.group(2)
            raw = op == unescaped or bool(RAW_CALL.match(expr)) or bool(HTML_SAFE.search(expr))
            if op == "==" and src.language == "haml":
                raw = bool(RAW_CALL.match(expr)) or bool(HTML_SAFE.search(expr))  # HAML `==` interpolates, escaped
            inner = RAW_CALL.sub("", expr, count=1) if RAW_CALL.match(expr) else expr
            outputs.append((_line(src.text, m.start()), inner, raw))
        hits = _flow_hits(src, outputs, inputs) if inputs else []
        flagged = {h.line for h in hits}
        hits += [Hit("rb.erb.raw-output", line, 1, 0, "View prints request input without escaping: drop raw/!=, or `sanitize` it")
                 for line, expr, raw in outputs
                 if raw and line not in flagged and _unescaped(expr) and REQUEST_READ.search(strip_escaped(expr))]
        flagged = {h.line for h in hits}
        for line, expr, _ in outputs:
            target = _link_target(expr) if "link_to" in expr else ""
            if line not in flagged and target and REQUEST_READ.match(target):
                hits.append(Hit("rb.erb.link-to-url", line, 1, 0,
                                "Link URL read from the request can carry `javascript:`: allow only http/https or a path"))
                flagged.add(line)
        attr = HAML_URL_ATTR if src.language == "haml" else SLIM_URL_ATTR
        for m in attr.finditer(src.text):
            line, value = _line(src.text, m.start()), m.group("value").strip()
            if line in flagged:
                continue
            if REQUEST_READ.match(value) or any(_is_url_of(value, i.name) for i in inputs):
                hits.append(Hit("rb.erb.link-to-url", line, 1, 0,
                                "URL attribute set from request input: escaping keeps the quotes, not a `javascript:` "
                                "scheme; allow only http/https or a path"))
        return hits


CHECKS = [ErbCheck()]

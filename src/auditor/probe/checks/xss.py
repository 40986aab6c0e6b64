"""Reflected XSS: a tag with a unique name comes back unencoded in an HTML response, or an
input that starts a link's URL (`href="{{ x }}"`, escaped or not) takes a `javascript:` URL, or
an input the page puts into a script block as code (outside strings and comments) keeps a random
value of JSFuck's six characters there, which any filter of letters and digits lets through.

Stored XSS: at the end of the point checks, the pages the discovery read are read once more.
A point's token on one of them was stored; its tag there as raw HTML is stored XSS. Where only
the token shows (the polyglot's quotes broke the statement that would have stored it, a
string-built INSERT), one tag without quotes is sent and that page read again. A list that shows
the value escaped as a link's text leads to the object's own page, read too: it may print the
value raw (a task list linking each title to the task's page). A value kept once per user (a
profile's email), overwritten by every later payload, is stored once more as a plain tag at the
end, and the pages read after that."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from auditor.probe.checks.canary import pick, spellings, token
from auditor.probe.interface import Confirmation, Exchange, InjectionPoint, PointCheck, ProbeContext, Sender
from auditor.probe.profile import PointProfile
from auditor.probe.routes.common import login_fields, same_origin
from auditor.probe.sender import default_value
from auditor.probe.signup import signup_route

URL_ATTRIBUTE = r"""\b(?:href|src|action|formaction)\s*=\s*["']?\s*"""
# `javascript:` as a browser reads it in an attribute: the colon as itself or as a character
# reference (with or without its semicolon).
JAVASCRIPT_SCHEME = r"javascript(?::|&#0*58;?|&#x0*3a;?|&colon;)"
# Markdown libraries: a project that depends on one may render stored values as Markdown.
MARKDOWN_PACKAGES = frozenset({"marked", "markdown-it", "showdown", "remarkable", "snarkdown", "micromark",
                               "react-markdown", "markdown", "mistune", "markdown2", "commonmark", "misaka",
                               "python-markdown", "redcarpet", "kramdown", "commonmarker", "parsedown"})
# Where a link or form a victim follows can put a javascript: URL (a browser never sends one as
# a Referer or a header).
LINK_LOCATIONS = ("query", "form", "path")
SHAPES = ("<{t} x=1>", "\"><{t} x=1>", "'><{t} x=1>", "</textarea><{t} x=1>", "</script><{t} x=1>",
          "</title><{t} x=1>", "</style><{t} x=1>", "--><{t} x=1>")
# Elements whose text a browser never parses as tags (and comments): a tag inside proves nothing.
RAW_TEXT = re.compile(r"<(/?)(title|textarea|script|style|xmp|noscript|plaintext)\b[^>]*>", re.I)


class ReflectedXss(PointCheck):
    name = "xss"
    category = "xss"
    attacks_file_names = True
    attacks_names = True

    def worth(self, point: InjectionPoint, profile: PointProfile) -> bool:
        return True  # the point's canary is this check's first payload: nothing more is sent unless it is reflected

    MAX_PAGES = 20  # pages read again at the end, for stored values
    MAX_OBJECT_PAGES = 10  # and stored objects' own pages (`object_pages`)

    def __init__(self) -> None:
        self.profiled: list[tuple[str, InjectionPoint]] = []  # (token, point) of each profiled value point

    def run(self, sender: Sender, ctx: ProbeContext, point: InjectionPoint) -> Confirmation | None:
        profile = ctx.profile(point)
        found = self._tags(sender, point, profile)
        if found is None and not point.in_name and profile is not None and profile.first is not None and \
                script_code(profile.baseline.text) != script_code(profile.first.text):
            found = self._script_code(sender, point)
        return found

    def _tags(self, sender: Sender, point: InjectionPoint, profile: PointProfile | None) -> Confirmation | None:
        shapes = SHAPES[:1] if point.in_name else SHAPES
        if profile is not None and not point.in_name:
            self.profiled.append((profile.tag, point))
        if profile is not None and profile.first is not None:
            if (found := self._confirmed(profile.first, profile.tag, point)) is not None:
                return found  # the profile's polyglot held `<tag x=1>`
            if not profile.reflected or not (profile.special or point.param.location in LINK_LOCATIONS + ("cookie",)):
                # not echoed, or its quotes and brackets came back like text: no shape breaks out
                # (an echo in a link's URL still gets the first shape, for the javascript: test;
                # a cookie's polyglot holds no tag, spaces cut cookies short: it gets the shapes)
                return None
        queue = list(shapes)
        first = True
        while queue:
            shape = queue.pop(0)
            tag = token("audx")
            ex = sender.send(point, shape.format(t=tag))
            if (found := self._confirmed(ex, tag, point)) is not None:
                return found
            if first and point.param.location in LINK_LOCATIONS and starts_url(ex, shape.format(t=tag)):
                return self._script_url(sender, point)
            if tag not in ex.text or not ex.is_html:
                return None  # not reflected at all, or not as HTML: other shapes will not be either
            if first and f"<{tag}" in ex.text and f"<{tag} x=1>" not in ex.text and " " in shape:
                # The tag came back raw but cut at its space (a value split on spaces): a slash
                # separates the attribute as well, for a browser.
                queue.insert(0, shape.replace(" ", "/"))
            elif first and f"<{tag}" not in ex.text:
                # The tag came back with its `<` encoded: breaking out of a context cannot help,
                # only a filter that encodes the first `<` alone remains, which a shape with an
                # earlier `<` passes (one is enough: they all put theirs before the tag).
                queue = [s for s in queue if s.startswith("</")][:1]
                if (found := self._as_array(sender, point, shape)) is not None:
                    return found
            first = False
        return None

    def _as_array(self, sender: Sender, point: InjectionPoint, shape: str) -> Confirmation | None:
        """A JavaScript app's query or form value sent as an array (`device[]=<tag>`): an escaping
        helper for strings may pass an array through whole (Dust's, lodash's `escape` of a
        non-string), and a template prints it raw."""
        if point.route.language not in ("javascript", "typescript") or point.param.location not in ("query", "form") \
                or point.in_name:
            return None
        tag = token("audx")
        payload = shape.format(t=tag)
        return self._confirmed(sender.send(point, payload, raw_value=[payload]), tag, point)

    def settle(self, ctx: ProbeContext, sender: Sender | None = None) -> list[Confirmation]:
        if sender is None or not self.profiled or not (ctx.pages or ctx.templates or ctx.listings):
            return []
        found: list[Confirmation] = []
        waiting = dict(self.profiled)
        self.profiled = []
        own = [page for _, point in waiting.items() for page in object_pages(point, ctx.templates)]
        for page in self._pages(ctx, waiting.values(), own):
            if not waiting:
                break
            ex = sender.request("GET", page)
            if not ex.is_html:
                continue
            for tag, point in [(t, p) for t, p in waiting.items() if t in ex.text]:
                del waiting[tag]  # stored and shown here: judged on this page and the object's own
                hit = self._stored(ex, tag, point, page) or self._on_object_page(sender, ex, tag, point) or \
                    self._stored_plain(sender, point, page) or \
                    (self._stored_markdown(sender, point, page) if renders_markdown(ctx.project) else None)
                if hit is not None:
                    found.append(hit)
        return found + self._overwritten(sender, ctx, waiting)

    MAX_RESTORED = 10  # points whose stored value later payloads may have overwritten, stored again
    MAX_LISTINGS = 10  # GET pages at a storing route's own path (`GET /comments` beside `POST /comments`)

    def _pages(self, ctx: ProbeContext, points: Iterable[InjectionPoint], own: list[str]) -> list[str]:
        """Where stored values may show: the list at each storing route's own path (a page the
        code declares that no link may lead to), the pages the discovery read, and the stored
        objects' own pages."""
        # (not a login's or a sign-up's own form page, which shows no one's values)
        listings = list(dict.fromkeys(p.route.path for p in points if p.route.method != "GET" and
                                      p.route.path in ctx.listings and login_fields(p.route) is None and
                                      signup_route([p.route]) is None))
        return list(dict.fromkeys([*listings[:self.MAX_LISTINGS], *ctx.pages[:self.MAX_PAGES],
                                   *own[:self.MAX_OBJECT_PAGES]]))


    def _overwritten(self, sender: Sender, ctx: ProbeContext, waiting: dict[str, InjectionPoint]) -> list[Confirmation]:
        """A value kept once per user (a profile's email) shows only the last payload sent to it: the
        profile's token is long gone by the end of the run. Each such point (a form, query or JSON
        value) stores a plain tag once more, and the pages are read after all of them (the site's,
        and each object's own page, `/show?id=1` for a bio saved under id 1)."""
        kept = [p for p in waiting.values() if p.param.location in ("form", "query", "json") and not p.in_name]
        # values saved with a page of their own first (`/show?id=` beside a save's `id`), then those
        # that did not come back at once: a stored value shows on another page
        kept.sort(key=lambda p: (not object_pages(p, ctx.templates),
                                 bool((profile := ctx.profile(p)) is not None and profile.reflected)))
        again = {token("audx"): p for p in kept[:self.MAX_RESTORED]}
        for tag, point in again.items():
            sender.send(point, f"<{tag} x=1>")
        found: list[Confirmation] = []
        own = [page for point in again.values() for page in object_pages(point, ctx.templates)]
        for page in self._pages(ctx, again.values(), own) if again else []:
            ex = sender.request("GET", page)
            for tag, point in [(t, p) for t, p in again.items() if raw_tag(ex, t)]:
                del again[tag]
                found.append(self._stored(ex, tag, point, page))  # type: ignore[arg-type]
            if not again:
                break
        return found

    def _on_object_page(self, sender: Sender, listing: Exchange, tag: str, point: InjectionPoint) -> Confirmation | None:
        """A list shows the stored value escaped, as the text of a link to the object's own page
        (a task's title linking to /tasks/7), which may print it raw."""
        for href in _links_around(listing.text, tag)[:2]:
            parts = same_origin(href, listing.url)
            if parts is None:
                continue
            page = parts.path + (f"?{parts.query}" if parts.query else "")
            if hit := self._stored(sender.request("GET", page), tag, point, page):
                return hit
        return None

    def _stored_plain(self, sender: Sender, point: InjectionPoint, page: str) -> Confirmation | None:
        tag = token("audx")
        sender.send(point, f"<{tag} x=1>")
        return self._stored(sender.request("GET", page), tag, point, page)

    def _stored_markdown(self, sender: Sender, point: InjectionPoint, page: str) -> Confirmation | None:
        """A value rendered as Markdown (the project depends on a Markdown library) whose tags are
        escaped may still make a link: `[t](javascript:t)`, and its colon as an entity without a
        semicolon (`javascript&#58t;`), which an old sanitizer's check reads as no scheme and a
        browser decodes. The link's URL starting a javascript: URL on the page is the proof."""
        tok = token("audx")
        for payload in (f"[{tok}](javascript:{tok})", f"[{tok}](javascript&#58{tok};)"):
            sender.send(point, payload)
        ex = sender.request("GET", page)
        if ex.is_html and (m := re.search(URL_ATTRIBUTE + JAVASCRIPT_SCHEME + re.escape(tok), ex.text, re.I)):
            return Confirmation(self.category, self.name,
                                f"stored XSS: {point.label} is rendered as Markdown on GET {page}, and a link of it "
                                "keeps a javascript: URL", ex, m.group(0), point)
        return None

    def _stored(self, ex: Exchange, tag: str, point: InjectionPoint, page: str) -> Confirmation | None:
        if raw_tag(ex, tag):
            return Confirmation(self.category, self.name,
                                f"stored XSS: {point.label} is stored and shown as raw HTML on GET {page} "
                                f"(a new tag <{tag}>)", ex, f"<{tag} x=1>", point)
        return None

    def _confirmed(self, ex: Exchange, tag: str, point: InjectionPoint) -> Confirmation | None:
        at = raw_tag_at(ex, tag)
        if at is None:
            return None
        if 0 <= ex.followed_at <= at:  # on the page the POST redirected to, not in its own answer
            message = (f"XSS: {point.label} is shown as raw HTML on GET {ex.followed}, the page the request "
                       f"redirects to (a new tag <{tag}>)")
        else:
            message = f"reflected XSS: {point.label} comes back as raw HTML (a new tag <{tag}>)"
        return Confirmation(self.category, self.name, message, ex, ex.text[at:at + len(tag) + 6], point)

    def _script_code(self, sender: Sender, point: InjectionPoint) -> Confirmation | None:
        """The polyglot changed a page's script: a value of the six characters JSFuck writes any
        script with (`[]()!+`, which no HTML encoding touches and a filter of letters and digits
        leaves), random and so unique, must come back as code in a script block: not inside a
        string, a template or a comment."""
        canary = jsfuck_canary()
        ex = sender.send(point, canary)
        if ex.is_html and any(in_code(block, canary) for block in script_code(ex.text)):
            return Confirmation(self.category, self.name,
                                f"XSS: {point.label} is run as code inside a <script> block (a random value "
                                "of JSFuck's characters, []()!+, comes back there outside any string or comment)",
                                ex, canary, point)
        return None

    def _script_url(self, sender: Sender, point: InjectionPoint) -> Confirmation | None:
        tok = token()
        ex = sender.send(point, f"javascript:{tok}(1)")
        if ex.is_html and re.search(URL_ATTRIBUTE + "javascript:" + tok, ex.text, re.I):
            return Confirmation(self.category, self.name,
                                f"reflected XSS: {point.label} becomes a link's URL and a javascript: URL is kept",
                                ex, f"javascript:{tok}", point)
        return None


# JSFuck's atoms: any script can be written with `[]()!+` alone.
JSFUCK_ATOMS = ("[]", "![]", "!![]", "(+[])", "(+!![])", "(![]+[])", "(!![]+[])", "([][[]]+[])")
SCRIPT_BLOCK = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.I | re.S)


_ANCHOR = re.compile(r"""<a\b[^>]*?\bhref\s*=\s*["']([^"'#][^"']*)["'][^>]*>(.{0,400}?)</a\s*>""", re.I | re.S)


@lru_cache(maxsize=16)
def renders_markdown(project: Path | None) -> bool:
    """Whether the project's manifests name a Markdown library."""
    from auditor.stack.detect import detect_stack

    if project is None:
        return False
    try:
        deps = detect_stack(project).merged().dependencies
    except Exception:  # noqa: BLE001  (a manifest it cannot read: no Markdown known)
        return False
    return any(d.name.lower() in MARKDOWN_PACKAGES for d in deps)


def _links_around(page: str, tag: str) -> list[str]:
    """The links whose text holds `tag`."""
    return [m.group(1) for m in _ANCHOR.finditer(page) if tag in m.group(2)]


def object_pages(point: InjectionPoint, templates: list[str]) -> list[str]:
    """The pages of the object a point's request stored, where a template's placeholders are all
    inputs sent beside the point: `/posts/{username}` with the `username` the POST to /api/post
    carried (its usual value), where the post shows."""
    if point.route.method == "GET":
        return []
    sent = {p.name: default_value(p) for p in point.route.params
            if p != point.param and p.location in ("query", "form", "json") and p.group == point.param.group}
    pages = []
    for tpl in templates:
        names = re.findall(r"\{(\w+)\}", tpl)
        if names and all(n in sent for n in names):
            pages.append(re.sub(r"\{(\w+)\}", lambda m: quote(sent[m.group(1)], safe=""), tpl))
    return pages


def jsfuck_canary(atoms: int = 14) -> str:
    """A random JavaScript expression of JSFuck's characters only (8^14 spellings)."""
    return "+".join(pick(JSFUCK_ATOMS) for _ in range(atoms))


def script_code(text: str) -> list[str]:
    """The text of each inline script block a browser runs as JavaScript (no `src`, and no
    `type` or a JavaScript one)."""
    out = []
    for m in SCRIPT_BLOCK.finditer(text):
        attrs = m.group(1).lower()
        kind = re.search(r"""\btype\s*=\s*["']?([^"'\s>]+)""", attrs)
        if re.search(r"\bsrc\s*=", attrs) or (kind and not re.search(r"javascript|ecmascript|module", kind.group(1))):
            continue
        out.append(m.group(2))
    return out


def in_code(script: str, value: str) -> bool:
    """`value` stands in `script` as code: outside strings, template literals and comments, as
    read from the block's start. A `/` that starts no comment (a division or a regular
    expression: telling them apart needs a parser) ends the reading with no."""
    at = script.find(value)
    i = 0
    while at >= 0:
        while i < at:
            c, nxt = script[i], script[i + 1:i + 2]
            if c in "'\"`":
                end = i + 1
                while end < len(script) and script[end] != c and not (c != "`" and script[end] == "\n"):
                    end += 2 if script[end] == "\\" else 1
                i = end + 1
            elif c == "/" and nxt == "/":
                end = script.find("\n", i)
                i = len(script) if end < 0 else end + 1
            elif c == "/" and nxt == "*":
                end = script.find("*/", i + 2)
                i = len(script) if end < 0 else end + 2
            elif c == "/":
                return False
            else:
                i += 1
        if i == at:
            return True
        at = script.find(value, i)  # this one sat inside a string or comment: the next one
    return False


def raw_tag(ex: Exchange, tag: str) -> bool:
    """`<tag x=1>` is in an HTML answer where a browser parses it as a tag."""
    return raw_tag_at(ex, tag) is not None


def raw_tag_at(ex: Exchange, tag: str) -> int | None:
    """Where `<tag x=1>` (or `<tag/x=1>`, or the same element written out again by an HTML parser
    on the server, `<tag x="1">`, in any case) first stands in an HTML answer as a tag a browser
    parses, else None."""
    if not ex.is_html:
        return None
    # tag and attribute names are case-blind: an app that upper-cases the value prints a tag too
    return next((m.start() for m in re.finditer(re.escape(f"<{tag}") + r"""[ /]x=(?:1|"1"|'1')>""", ex.text, re.I)
                 if not inside_raw_text(ex.text, m.start())), None)


def starts_url(ex: Exchange, payload: str) -> bool:
    """The payload (in any spelling) begins the value of a URL attribute of an HTML page that a
    browser shows (not the body of a redirect, which it follows instead)."""
    return ex.is_html and not 300 <= ex.status < 400 and any(re.search(URL_ATTRIBUTE + re.escape(form), ex.text, re.I)
                              for form in spellings(payload) if form)


def inside_raw_text(text: str, at: int) -> bool:
    """Position `at` lies inside an HTML comment or an open <title>, <textarea>, <script>,
    <style>... element."""
    if text.rfind("<!--", 0, at) > text.rfind("-->", 0, at):
        return True
    open_name = None
    for m in RAW_TEXT.finditer(text, 0, at):
        closing, name = m.group(1), m.group(2).lower()
        if open_name is None and not closing:
            open_name = name
        elif open_name == name and closing:
            open_name = None
    return open_name is not None

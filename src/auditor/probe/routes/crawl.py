"""A bounded same-origin crawl: links and forms of HTML pages, the custom headers a page's
JavaScript sets (`headers: {'X-Api-Key': ...}`, `setRequestHeader('X-...')`) and the URLs with
a query input it requests (`fetch(`/api/help?vuln=${name}`)`). A logged-in crawl leaves
sign-out links and forms alone."""

from __future__ import annotations

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

from auditor.probe.checks.pipe import PIPE_NAME
from auditor.probe.interface import Param, Route
from auditor.probe.routes.common import add_param, signs_out
from auditor.probe.safety import SafeClient, destroys, origin_of, resets_state

_JS_HEADER = re.compile(r"""(?:setRequestHeader\(\s*|['"])(X-[\w-]+)['"]\s*[,:]""", re.I)
_SET_HEADER = re.compile(r"""setRequestHeader\(\s*['"](X-[\w-]+)['"]""", re.I)
# A library's script (popper's `{"x-placement": ...}` is a DOM attribute): only an explicit
# setRequestHeader there names a header the app reads.
_LIBRARY_SCRIPT = re.compile(r"\.min\.js$|/(?:vendor|vendors|libs?|node_modules|bower_components)/", re.I)


# A URL of the app's own that a script requests with a query input: `'/api/help?vuln=' + name`,
# `` `/api/help?vuln=${name}` `` (a path from the site's root, then `?name=`).
_SCRIPT_URL = re.compile(r"""['"`](/[\w/.-]*[\w-])\?([\w-]+)=""")


def script_urls(path: str, script: str) -> list[tuple[str, str]]:
    """(path, query input) of each URL an app's own script requests with a query input (no
    library's: their strings are examples and endpoints of their own)."""
    return [] if _LIBRARY_SCRIPT.search(path) else _SCRIPT_URL.findall(script)


# Headers a framework's own client code sends or reads for itself (Next.js's router, prefetch and
# cache headers, in the same bundles as the app's code): no input of the app's handlers.
_FRAMEWORK_HEADER = re.compile(r"^(?:x-nextjs-|x-next-|x-middleware-|x-prerender-|next-|x-invoke-|x-vercel-)|"
                               r"^(?:rsc|x-matched-path|x-deployment-id)$", re.I)


def script_headers(path: str, script: str) -> list[str]:
    """The custom request headers a script sets: `setRequestHeader('X-..')`, and in the app's own
    scripts (not a library's) `headers: {'X-Api-Key': ...}` objects too; not a framework's own."""
    found = (_SET_HEADER if _LIBRARY_SCRIPT.search(path) else _JS_HEADER).findall(script)
    return [h for h in found if not _FRAMEWORK_HEADER.search(h)]


# The value a form's file input is recorded with: it becomes a `file` input (sent multipart).
FILE_FIELD = "\0file"


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.forms: list[dict[str, object]] = []
        self.scripts: list[str] = []
        self._form: dict[str, object] | None = None
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "script":
            self._in_script = True
            if a.get("src"):
                self.links.append(a["src"])
        elif tag == "form":
            self._form = {"action": a.get("action", ""), "method": (a.get("method") or "get").upper(), "fields": []}
            self.forms.append(self._form)
        elif tag == "input" and self._form is not None and a.get("name") and a.get("type", "").lower() == "file":
            self._form["fields"].append((a["name"], FILE_FIELD))  # type: ignore[union-attr]
        elif tag in ("input", "textarea", "select") and self._form is not None and a.get("name"):
            self._form["fields"].append((a["name"], a.get("value", "")))  # type: ignore[union-attr]

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)


def links_of(html: str) -> list[str]:
    """The links (`<a href>`, `<script src>`) a page holds, as written."""
    page = _Page()
    page.feed(html)
    return page.links


def crawl(client: SafeClient, start: str = "/", max_pages: int = 50, seeds: list[str] | None = None,
          shown: list[dict[str, str]] | None = None) -> list[Route]:
    """Pages are fetched once per path and set of parameter names: `/?id=2` is fetched, a later
    `/?id=2%20AND...` on the same page is not (an app's own demo attack links stay unvisited,
    and the page budget goes to new inputs). When the links from `start` run out, the pages
    left of `seeds` (the code's GET routes) are read too, for their forms: a sign-up page that
    no page links for a signed-in user still shows its form. `shown` (where given) gets each
    form the pages showed, as its fields' values by name, forms that post by script included
    (`action="javascript:getToken()"`, whose hidden client id the token request needs)."""
    routes: dict[tuple[str, str], Route] = {}
    seen: set[tuple[str, frozenset[str]]] = set()
    queue: deque[str] = deque([client.url_for(start)])
    later = [client.url_for(s) for s in seeds or []]
    custom_headers: list[str] = []
    scripted: list[tuple[str, str]] = []  # (path, query input) the scripts request
    # With a session to keep, a sign-out link is neither fetched nor listed: one GET of it and
    # the rest of the run (crawl, checks) is anonymous.
    logged_in = bool(client.identities)
    while (queue or later) and len(seen) < max_pages:
        if not queue:
            queue.extend(later)
            later = []
        url = queue.popleft().split("#")[0]
        try:
            if origin_of(url) != client.origin:
                continue
        except Exception:  # noqa: BLE001  (a mailto: or javascript: link)
            continue
        parts = urlsplit(url)
        if (logged_in and signs_out(parts.path)) or resets_state(parts.path) or PIPE_NAME.search(parts.path) or \
                (destroys(url) and not client.limits.allow_destructive):
            continue
        shape = (parts.path or "/", frozenset(n for n, _ in parse_qsl(parts.query, keep_blank_values=True)))
        if shape in seen:
            continue
        seen.add(shape)
        route = routes.setdefault(("GET", parts.path or "/"), Route("GET", parts.path or "/", [], "crawl"))
        pairs = parse_qsl(parts.query, keep_blank_values=True)
        group = "link:" + "&".join(sorted({n for n, _ in pairs}))
        for name, value in pairs:
            if (name, "query") not in {(p.name, p.location) for p in route.params}:
                route.params.append(Param(name, "query", value, group))
        ex = client.send("GET", url)
        ctype = (ex.header("content-type") or "").lower()
        if "javascript" in ctype:
            custom_headers += script_headers(parts.path, ex.text)
            scripted += script_urls(parts.path, ex.text)
            continue
        if ex.status >= 300 and (loc := ex.header("location")):
            queue.append(urljoin(url, loc))
            continue
        if "html" not in ctype:
            continue
        page = _Page()
        page.feed(ex.text)
        for script in page.scripts:
            custom_headers += script_headers(parts.path, script)
            scripted += script_urls(parts.path, script)
        for link in page.links:
            queue.append(urljoin(url, link))
        for form in page.forms:
            if shown is not None:
                shown.append({n: v for n, v in form["fields"] if isinstance(v, str)})  # type: ignore[attr-defined]
            target = urljoin(url, str(form["action"]) or url)
            try:
                if origin_of(target) != client.origin:
                    continue
            except Exception:  # noqa: BLE001
                continue
            method = "POST" if form["method"] == "POST" else "GET"
            path = urlsplit(target).path or "/"
            if logged_in and signs_out(path) or destroys(path) and not client.limits.allow_destructive:
                continue
            r = routes.setdefault((method, path), Route(method, path, [], "crawl"))
            group = f"form:{method} {path}:" + "&".join(sorted(n for n, _ in form["fields"]))  # type: ignore[attr-defined]
            for name, value in form["fields"]:  # type: ignore[attr-defined]
                where = "file" if value is FILE_FIELD else "query" if method == "GET" else "form"
                if (name, where) not in {(p.name, p.location) for p in r.params}:
                    r.params.append(Param(name, where, "" if value is FILE_FIELD else value, group))
    for where, name in dict.fromkeys(scripted):
        if (logged_in and signs_out(where)) or resets_state(where) or destroys(where):
            continue
        route = routes.setdefault(("GET", where), Route("GET", where, [], "crawl"))
        add_param(route.params, name, "query")
    for route in routes.values():
        for h in dict.fromkeys(custom_headers):
            add_param(route.params, h, "header")
    return list(routes.values())

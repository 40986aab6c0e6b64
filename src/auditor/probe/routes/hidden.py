"""Inputs no page names: a handler that reads `?path=` which no link or form sends (DSVPWA's
`/jump` and `/home`). For a page only the crawl found (the code was not read for it: a framework
auditor has no reader for, or no project at all), the names the project's code reads from
requests anywhere, and a few usual ones, are sent together once, each with a token of its own. A
name whose token comes back in the answer (its body or a header) is an input of that page.

One request per page, at most MAX_PAGES pages. A page that echoes its whole query (a link to the
current URL, a not-found page naming it) echoes a control name too, and gains nothing: reflection
alone would not tell which names its handler reads."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from auditor.probe.checks.canary import token
from auditor.probe.interface import Param, Route
from auditor.probe.safety import SafeClient, destroys

# Names a request's query or form is read by, in the usual spellings of each language:
# `params.get('msg')`, `params['id']`, `'comment' in params`, `request.args.get("q")`,
# `self.get_argument("x")`, `req.query.name`, `$_GET['x']`, `getParameter("x")`, `params[:x]`.
_NAME = rb"([A-Za-z_][\w-]{0,30})"
READ_NAMES = re.compile(
    rb"\b(?:params|args|query|qs|form|GET|POST|REQUEST|values|query_params|searchParams|parameters|fields)"
    rb"\s*(?:\.get\w*\(\s*|\[\s*)(?::|['\"])" + _NAME + rb"|"
    rb"\b(?:get_argument|get_query_argument|get_body_argument|getParameter|getQueryParameter)\(\s*['\"]" + _NAME + rb"|"
    rb"\$_(?:GET|POST|REQUEST)\[\s*['\"]" + _NAME + rb"|"
    rb"\breq\.(?:query|body)\.([A-Za-z_]\w{0,30})|"
    rb"['\"]([A-Za-z_]\w{0,30})['\"]\s+(?:not\s+)?in\s+(?:[\w.]+\.)?(?:params|args|query|form|qs)\b")
# Names handlers read without saying so anywhere the crawl could see.
USUAL = ("q", "search", "query", "id", "page", "url", "next", "redirect", "return", "returnTo", "path", "file",
         "name", "lang", "callback", "msg", "message", "view", "template", "host", "domain", "email", "user")
MAX_NAMES = 100
MAX_PAGES = 60


def names_read(data: bytes) -> list[str]:
    """The input names a source file reads from requests, in order, once each."""
    found = (next(g for g in m.groups() if g).decode() for m in READ_NAMES.finditer(data))
    return list(dict.fromkeys(found))


def hidden_inputs(client: SafeClient, pages: list[Route], names: list[str]) -> None:
    """Add to each page the query inputs it reflects among `names` and USUAL (see the module's
    docstring)."""
    candidates = [n for n in dict.fromkeys([*names, *USUAL]) if not destroys(f"/?{n}=1")][:MAX_NAMES]
    for page in pages[:MAX_PAGES]:
        known = {p.name for p in page.params}
        asked = {n: token("audh") for n in candidates if n not in known}
        control = token("audc")
        if not asked:
            continue
        ex = client.send("GET", client.url_for(page.path) + "?" + urlencode({**asked, control: control}))
        answer = ex.text + "\n" + "\n".join(v for _, v in ex.headers)
        if ex.status <= 0 or control in answer:
            continue
        page.params += [Param(n, "query") for n, t in asked.items() if t in answer]

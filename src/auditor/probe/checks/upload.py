"""Stored XSS through an upload: a form's file input keeps a file under the name it was sent
with and serves it back from the app's origin as what its name says. An SVG holding a script
(a comment, nothing runs) is uploaded; the copy the app serves is found by its unique name, in
the upload's answer or on the pages the discovery read, and fetched. Confirmed when it comes
back as SVG or HTML with the script intact: opened from the app's origin, a script there runs
with the app's cookies."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from auditor.probe.checks.canary import token
from auditor.probe.interface import (
    Confirmation,
    Exchange,
    InjectionPoint,
    ProbeContext,
    Route,
    Sender,
    SiteCheck,
)
from auditor.probe.routes.common import same_origin
from auditor.probe.sender import default_value

ACTIVE_TYPES = ("image/svg+xml", "text/html", "application/xhtml+xml")
MAX_UPLOADS = 4


def svg_with_script(tok: str) -> bytes:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1">'
            f"<script>/*{tok}*/</script></svg>").encode()


def _served_at(text: str, name: str, base: str) -> list[str]:
    """Same-origin paths in `text` (links, image sources, JSON strings) that end with `name`."""
    found = (same_origin(ref, base) for ref in re.findall(r"""[\w./:%~-]*""" + re.escape(name), text))
    return list(dict.fromkeys(parts.path for parts in found if parts is not None))


class ActiveUpload(SiteCheck):
    name = "xss"

    def run(self, sender: Sender, ctx: ProbeContext, routes: list[Route]) -> list[Confirmation]:
        found: list[Confirmation] = []
        uploads = [r for r in routes if r.method == "POST" and "{" not in r.path and
                   any(p.location == "file" for p in r.params)][:MAX_UPLOADS]
        for route in uploads:
            tok = token()
            name = f"{tok}.svg"
            files = {p.name: (name, svg_with_script(tok), "image/svg+xml") for p in route.params if p.location == "file"}
            body = {p.name: default_value(p) for p in route.params if p.location == "form"}
            made = sender.request("POST", route.path, body=body, files=files)
            if made.status <= 0 or made.status >= 400:
                continue
            places = _served_at(made.text + " " + (made.header("location") or ""), name, made.url)
            # else the page the upload sends the browser to (`res.redirect('/profile')`), then
            # the pages the discovery read
            shown = [urlsplit(urljoin(made.url, made.header("location") or "")).path] \
                if 300 <= made.status < 400 and made.header("location") else []
            for page in [*shown, *ctx.pages[:10]] if not places else []:
                places += _served_at(sender.request("GET", page).text, name, ctx.origin)
                if places:
                    break
            for path in dict.fromkeys(places[:3]):
                copy = sender.request("GET", path)
                kind = (copy.header("content-type") or "").split(";")[0].strip().lower()
                if copy.status == 200 and kind in ACTIVE_TYPES and f"<script>/*{tok}*/</script>" in copy.text:
                    found.append(self._confirmed(route, copy, tok, path, kind))
                    break
        return found

    def _confirmed(self, route: Route, copy: Exchange, tok: str, path: str, kind: str) -> Confirmation:
        field = next(p for p in route.params if p.location == "file")
        return Confirmation("xss", self.name,
                            f"stored XSS through an upload: {route.path} keeps an SVG with a script and serves it "
                            f"at {path} as {kind} (a script there runs with the app's cookies)", copy, tok,
                            InjectionPoint(route, field), endpoint=route.path, method="POST")

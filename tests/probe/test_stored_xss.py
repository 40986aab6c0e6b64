"""Stored XSS seen on another page, and crawled routes in the server's language.

The guestbook stand-in takes a message by GET (`/?msg=...`, answered "thank you", never
echoed) and lists every message on /guestbook: as raw HTML when vulnerable, escaped when fixed.
Its store can be a string-built INSERT that a quote breaks (a database error, nothing stored):
then only the quote-free token of the polyglot's pair is stored, and the check must send a
tag without quotes itself.

The include stand-in is a framework-less Python server (no route the code readers know): it
fetches `?include=URL`, and when vulnerable runs the text with exec(). Its crawled route has
no language of its own; the project's stack says Python, so the remote-inclusion test serves
Python."""

from __future__ import annotations

import html
import threading
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from auditor.probe.engine import ProbeConfig, run_probe
from auditor.probe.interface import Route
from auditor.probe.routes import server_language, with_language
from auditor.probe.safety import Limits

from .standin import serve


def _guestbook(vulnerable: bool, quote_breaks_store: bool):
    messages: list[str] = []
    lock = threading.Lock()

    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], str]:
        parts = urlsplit(path)
        query = parse_qs(parts.query)
        if parts.path == "/guestbook":
            shown = "".join(f"<li>{m if vulnerable else html.escape(m)}</li>" for m in messages)
            return 200, {}, f"<html><body><ul>{shown}</ul></body></html>"
        if parts.path == "/" and "msg" in query:
            text = query["msg"][0]
            if quote_breaks_store and "'" in text:
                return 500, {"Content-Type": "text/plain"}, f"sqlite3.OperationalError: near \"{text[:12]}\": syntax error"
            with lock:
                messages.append(text)
            return 200, {}, "<html><body>Thank you for your message.</body></html>"
        if parts.path == "/":
            return 200, {}, '<html><body><a href="/?msg=hello">sign</a> <a href="/guestbook">read</a></body></html>'
        return 404, {}, "not found"

    return handle


def _xss_run(project: Path, handle):
    """The XSS check's whole run against a stand-in: (the run, its XSS findings, the stand-in's URL)."""
    with serve(handle) as url:
        cfg = ProbeConfig(base_url=url, project=project, limits=Limits(rps=1000, max_requests=400, timeout=5),
                          checks=["xss"])
        run = run_probe(cfg)
    return run, [c for c in run.confirmations if c.category == "xss"], url


@pytest.mark.parametrize("quote_breaks_store", [False, True])
@pytest.mark.parametrize("vulnerable", [True, False])
def test_value_stored_and_listed_on_another_page(tmp_path: Path, vulnerable: bool, quote_breaks_store: bool):
    run, stored, url = _xss_run(tmp_path, _guestbook(vulnerable, quote_breaks_store))
    assert bool(stored) is vulnerable
    if vulnerable:
        (found,) = stored
        assert found.point is not None and found.point.param.name == "msg"
        assert "stored XSS" in found.message and "/guestbook" in found.message
        assert found.canary in found.exchange.text
    assert all(r.url.startswith(url) for r in run.requests)


def _includer(vulnerable: bool):
    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], str]:
        parts = urlsplit(path)
        target = parse_qs(parts.query).get("include", [""])[0]
        if parts.path != "/":
            return 404, {}, "not found"
        if not target:
            return 200, {}, '<html><body><a href="/?include=">include</a></body></html>'
        if not target.startswith("http://127.0.0.1:"):  # the stand-in fetches loopback only
            return 400, {}, "no"
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        text = opener.open(target, timeout=3).read().decode()
        if not vulnerable:
            return 200, {}, f"<html><body>{len(text)} bytes</body></html>"
        scope: dict[str, object] = {}
        exec(f"result = {text}", scope)  # noqa: S102  (the flaw under test; only the probe's own served text runs)
        return 200, {}, f"<html><body>{html.escape(str(scope['result']))}</body></html>"

    return handle


@pytest.mark.parametrize("vulnerable", [True, False])
def test_crawled_route_takes_the_projects_language_for_remote_inclusion(tmp_path: Path, vulnerable: bool):
    (tmp_path / "server.py").write_text("import http.server\n")
    (tmp_path / "requirements.txt").write_text("lxml\n")
    with serve(_includer(vulnerable)) as url:
        cfg = ProbeConfig(base_url=url, project=tmp_path, limits=Limits(rps=1000, max_requests=400, timeout=5),
                          checks=["ssrf"])
        run = run_probe(cfg)
    assert [r.language for r in run.routes] == ["python"]
    categories = {c.category for c in run.confirmations}
    assert ("code-injection" in categories) is vulnerable
    assert "ssrf" in categories or vulnerable


def test_server_language_from_code_routes_or_the_stack(tmp_path: Path):
    assert server_language(tmp_path, [Route("GET", "/a", language="typescript"),
                                      Route("GET", "/b", language="javascript")]) == "javascript"
    assert server_language(tmp_path, [Route("GET", "/a", language="python"),
                                      Route("GET", "/b", language="java")]) == ""
    (tmp_path / "requirements.txt").write_text("flask\n")
    assert server_language(tmp_path, []) == "python"
    (tmp_path / "package.json").write_text('{"name": "front", "dependencies": {"react": "18.0.0"}}')
    assert server_language(tmp_path, []) == ""  # a Python back end beside a JavaScript front end
    routes = with_language([Route("GET", "/c"), Route("GET", "/d", language="ruby")], "python")
    assert [r.language for r in routes] == ["python", "ruby"]


def _task_board(vulnerable: bool):
    """django.nV's shape: a form adds a task (its id never answered); the board lists each title
    escaped, as the text of a link to the task's own page, which prints the title raw when
    vulnerable."""
    tasks: list[str] = []
    lock = threading.Lock()

    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], str]:
        parts = urlsplit(path)
        if parts.path == "/tasks/new" and method == "POST":
            with lock:
                tasks.append(parse_qs(body.decode()).get("title", [""])[0])
            return 302, {"Location": "/board"}, ""
        if parts.path == "/board":
            links = "".join(f'<li><a href="/tasks/{i}">{html.escape(t)}</a></li>' for i, t in enumerate(tasks))
            return 200, {}, f"<html><body><ul>{links}</ul></body></html>"
        if parts.path.startswith("/tasks/") and parts.path[7:].isdigit() and int(parts.path[7:]) < len(tasks):
            title = tasks[int(parts.path[7:])]
            return 200, {}, f"<html><body><h1>{title if vulnerable else html.escape(title)}</h1></body></html>"
        if parts.path == "/":
            return 200, {}, ('<html><body><a href="/board">board</a><form method="post" action="/tasks/new">'
                             '<input name="title"></form></body></html>')
        return 404, {}, "not found"

    return handle


@pytest.mark.parametrize("vulnerable", [True, False])
def test_value_shown_raw_on_the_object_page_a_list_links(tmp_path: Path, vulnerable: bool):
    _, stored, _ = _xss_run(tmp_path, _task_board(vulnerable))
    assert bool(stored) is vulnerable
    if vulnerable:
        assert "stored XSS" in stored[0].message and "/tasks/" in stored[0].message


def test_a_tag_an_html_parser_on_the_server_wrote_out_again_is_still_a_tag():
    """Vulnerable-Bottle-App runs the value through BeautifulSoup, which answers `<audx x=1>` as
    `<audx x="1"></audx>`: the element is in the page all the same. Escaped, it is not."""
    from auditor.probe.checks.xss import raw_tag
    from auditor.probe.interface import Exchange

    def page(body: str) -> Exchange:
        return Exchange("GET", "http://h/x", {}, "", 200, [("Content-Type", "text/html")], body, 0.0)

    assert raw_tag(page('<p><audxa1 x="1"></audxa1></p>'), "audxa1")
    assert raw_tag(page("<p><audxa1 x='1'></audxa1></p>"), "audxa1")
    assert not raw_tag(page('<p>&lt;audxa1 x="1"&gt;</p>'), "audxa1")
    assert not raw_tag(page('<textarea><audxa1 x="1"></textarea>'), "audxa1")


def _markdown_board(sanitizer_decodes_entities: bool):
    """A board that stores notes (`POST /create`) and lists them on / rendered from Markdown as
    nodejs-goof's marked 0.3.5 does with `sanitize: true`: tags escaped, a link `[t](u)` made an
    anchor unless its URL starts with `javascript:`. The old sanitizer reads `&#58t;` (an entity
    it cannot decode) as nothing, so `javascript&#58t;` passes; the fixed one decodes it first."""
    import re
    from urllib.parse import parse_qs as qs

    notes: list[str] = []

    def render(text: str) -> str:
        def link(m: re.Match[str]) -> str:
            url = m.group(2)
            seen = html.unescape(url) if sanitizer_decodes_entities else re.sub(r"&[#\w]+;", "", url)
            if re.sub(r"[^\w:]", "", seen).lower().startswith("javascript:"):
                return m.group(1)
            return f'<a href="{url}">{m.group(1)}</a>'

        # tags escaped; an `&` that starts a character reference kept, as marked's escape does
        return re.sub(r"\[([^\]]*)\]\(([^)\s]*)\)", link, text.replace("<", "&lt;").replace(">", "&gt;"))

    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], str]:
        if path == "/create" and method == "POST":
            notes.append(qs(body.decode()).get("content", [""])[0])
            return 302, {"Location": "/"}, ""
        if path == "/":
            items = "".join(f"<li>{render(n)}</li>" for n in notes)
            return 200, {}, (f'<html><body><form method="post" action="/create"><input name="content"></form>'
                             f"<ul>{items}</ul></body></html>")
        return 404, {}, "not found"

    return handle


@pytest.mark.parametrize("sanitizer_decodes_entities", [False, True])
def test_a_markdown_link_keeps_a_javascript_url(tmp_path: Path, sanitizer_decodes_entities: bool):
    (tmp_path / "package.json").write_text('{"name": "board", "dependencies": {"express": "4.12.4", "marked": "0.3.5"}}')
    run, stored, url = _xss_run(tmp_path, _markdown_board(sanitizer_decodes_entities))
    assert bool(stored) is not sanitizer_decodes_entities
    assert all("javascript&#58" in c.canary and "Markdown" in c.message for c in stored)

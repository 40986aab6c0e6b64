"""Inputs no page names (DSVPWA's `/jump?path=` and `/home?path=`): the names the project's code
reads anywhere are sent once to each page only the crawl found, each with its own token; a name
whose token comes back is an input of that page. A page that echoes its whole query gains none."""

from __future__ import annotations

import html
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from auditor.probe.engine import ProbeConfig, run_probe
from auditor.probe.interface import Route
from auditor.probe.routes.hidden import hidden_inputs, names_read
from auditor.probe.safety import Limits, SafeClient

from .standin import serve

HANDLERS = """
def jump(handler):
    params = handler.params
    path = params.get('path', '/')[0]
    return "<script>window.location.replace('{}')</script>".format(path)

def comment(handler):
    if 'comment' in handler.params:
        pass
"""


def test_names_the_code_reads():
    code = (b"id = params['id'][0]\nmsg = params.get('msg', '')\nif 'comment' in params: pass\n"
            b"request.args.get(\"q\")\nself.get_argument(\"lang\")\nreq.query.user\n$_GET['page']\n"
            b"params[:sort]\nrequest.getParameter(\"acct\")\nrows[0]\nparams[i]\n")
    assert names_read(code) == ["id", "msg", "comment", "q", "lang", "user", "page", "sort", "acct"]


def _app(escaped: bool):
    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], str]:
        parts = urlsplit(path)
        query = parse_qs(parts.query)
        if parts.path == "/":
            return 200, {}, '<a href="/hello">hello</a> <a href="/echo">echo</a>'
        if parts.path == "/hello":
            name = query.get("greet", ["you"])[0]
            return 200, {}, f"<p>Hello {html.escape(name) if escaped else name}</p>"
        if parts.path == "/echo":  # a link back to the page as asked: every name comes back
            return 200, {}, f'<a href="{html.escape(path)}">this page</a>'
        return 404, {}, "not found"

    return handle


def test_a_reflected_name_becomes_an_input_and_a_whole_query_echo_does_not(tmp_path: Path):
    with serve(_app(escaped=True)) as url:
        client = SafeClient(url, Limits(rps=1000))
        pages = [Route("GET", "/hello", [], "crawl"), Route("GET", "/echo", [], "crawl")]
        hidden_inputs(client, pages, ["greet", "delete"])
        sent = client.sent
    assert [p.name for p in pages[0].params] == ["greet"]
    assert pages[1].params == []
    assert sent == 2  # one request a page; the name `delete` is never sent (the safety layer's rule)


@pytest.mark.parametrize("escaped", [False, True])
def test_xss_on_an_input_only_the_code_names(tmp_path: Path, escaped: bool):
    (tmp_path / "handlers.py").write_text(HANDLERS.replace("'comment'", "'greet'"))
    with serve(_app(escaped)) as url:
        run = run_probe(ProbeConfig(base_url=url, project=tmp_path, checks=["xss"],
                                    limits=Limits(rps=1000, max_requests=300, timeout=5)))
    found = {(c.category, c.endpoint, c.point.param.name) for c in run.confirmations if c.point is not None}
    assert (("xss", "/hello", "greet") in found) is not escaped

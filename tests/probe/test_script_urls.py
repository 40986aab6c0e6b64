"""A URL only a page's script requests (Vulnerable-Bottle-App's basic.js: `fetch(`/api/help?vuln=${
name}`)`) is a route with its query input; its handler prints the value upper-cased into HTML
(`<AUDX.. X=1>` is a tag: names are case-blind). Escaped, nothing is confirmed. A library's
script's URLs are not the app's."""

from __future__ import annotations

import html
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from auditor.probe.engine import ProbeConfig, run_probe
from auditor.probe.routes.crawl import script_urls
from auditor.probe.safety import Limits

from .standin import serve

SCRIPT = "function help(name) { fetch(`/api/help?vuln=${name}`).then(r => r.text()).then(show); }"


@pytest.mark.parametrize("escaped", [False, True])
def test_a_url_a_script_requests_is_probed(tmp_path: Path, escaped: bool):
    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], str]:
        parts = urlsplit(path)
        if parts.path == "/":
            return 200, {}, '<html><script src="/static/js/basic.js"></script><p>help</p></html>'
        if parts.path == "/static/js/basic.js":
            return 200, {"Content-Type": "application/javascript"}, SCRIPT
        if parts.path == "/api/help":
            name = parse_qs(parts.query).get("vuln", [""])[0].upper()
            return 404, {"Content-Type": "text/html"}, f"No such file: ./help/{html.escape(name) if escaped else name}.md"
        return 404, {}, "not found"

    with serve(handle) as url:
        run = run_probe(ProbeConfig(base_url=url, project=tmp_path, checks=["xss"],
                                    limits=Limits(rps=1000, max_requests=200, timeout=5)))
    found = [(c.category, c.endpoint, c.point.param.name if c.point else None) for c in run.confirmations]
    assert (("xss", "/api/help", "vuln") in found) is not escaped


def test_a_librarys_urls_are_not_the_apps():
    assert script_urls("/static/js/app.js", "$.get('/api/items?page=' + n)") == [("/api/items", "page")]
    assert script_urls("/static/vendor/jquery.min.js", "$.get('/api/items?page=' + n)") == []

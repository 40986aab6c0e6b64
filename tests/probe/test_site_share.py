"""A run whose point checks would spend the whole request budget keeps its last share for the
site checks (django.nV at 5,000 requests lost its register form's mass assignment that way): an
app with many inputs and pages without any security header is still told about the headers, and
the report says the budget left inputs unprobed."""

from __future__ import annotations

import html
from pathlib import Path
from urllib.parse import unquote_plus

from auditor.probe.engine import ProbeConfig, run_probe, site_reserve
from auditor.probe.safety import Limits

from .standin import serve

FIELDS = [f"f{i}" for i in range(40)]


def test_the_site_checks_keep_their_share_of_the_budget(tmp_path: Path):
    def handle(method, path, headers, body):
        if path.startswith("/search"):  # each value shown back, escaped: every input is worth a few checks
            return 200, {"Content-Type": "text/html"}, f"<p>{html.escape(unquote_plus(path))}</p>"
        inputs = "".join(f'<input name="{f}">' for f in FIELDS)
        return 200, {"Content-Type": "text/html"}, f'<form action="/search">{inputs}</form>'

    with serve(handle) as url:
        run = run_probe(ProbeConfig(base_url=url, project=tmp_path / "none",
                                    limits=Limits(rps=1000, max_requests=400, timeout=5)))
    assert run.partial == "budget"
    assert any("kept for the site checks" in e for e in run.errors)
    assert len(run.requests) <= 400
    assert any(c.check == "headers" for c in run.confirmations)
    assert site_reserve(5000) == 500 and site_reserve(400) == 150 and site_reserve(100) == 50

"""A route that never answers is left after TIMEOUTS_TO_LEAVE timeouts, so the run's time goes to
the rest of the app (vuln-express-app's /v1/init answers nothing at all); the others are still
probed. Crashes are counted the same way against the route of the request before each restart."""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from auditor.probe.engine import TIMEOUTS_TO_LEAVE, ProbeConfig, run_probe
from auditor.probe.safety import Limits

from .standin import serve


def _run(tmp_path: Path) -> tuple[object, list[str]]:
    slow: list[str] = []

    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], str]:
        parts = urlsplit(path)
        if parts.path == "/slow":
            slow.append(path)
            time.sleep(0.6)  # past the probe's timeout, every time
            return 200, {}, "late"
        if parts.path == "/echo":
            return 200, {}, "<p>" + parse_qs(parts.query).get("q", [""])[0] + "</p>"
        return 200, {}, '<a href="/slow?q=1">slow</a> <a href="/echo?q=1">echo</a>'

    with serve(handle) as url:
        run = run_probe(ProbeConfig(base_url=url, project=tmp_path, limits=Limits(rps=0, timeout=0.3), openapi=False,
                                    checks=["xss", "sqli", "command", "code"]))
    return run, slow


def test_a_route_that_never_answers_is_left(tmp_path: Path, monkeypatch):
    run, slow = _run(tmp_path)
    assert any(c.category == "xss" and c.endpoint == "/echo" for c in run.confirmations)
    assert any(e.startswith("left GET /slow") for e in run.errors)
    # the crawl's and the sweep's fetches, then the point's until TIMEOUTS_TO_LEAVE (the check under
    # way finishes its requests)
    assert len(slow) <= TIMEOUTS_TO_LEAVE + 6
    monkeypatch.setattr("auditor.probe.engine.TIMEOUTS_TO_LEAVE", 1000)
    _, kept_at = _run(tmp_path)
    assert len(kept_at) > len(slow)


def test_one_input_that_crashes_the_app_is_left_alone_the_rest_of_its_route_stays():
    from auditor.probe.engine import point_worn_out, worn_out
    from auditor.probe.safety import SafeClient

    client = SafeClient("http://127.0.0.1:9")
    route, source, other = ("POST", "/transfer"), ("POST", "/transfer", "from", "json", False), \
        ("POST", "/transfer", "to", "json", False)
    client.crashed_by, client.crashed_at = [route, route], [source, source]
    assert point_worn_out(client, source) and not point_worn_out(client, other)
    assert not worn_out(client, route)  # `to` and `note` are still probed
    client.crashed_at[1] = ("POST", "/transfer", "from", "form", False)  # the same input sent as a form
    assert point_worn_out(client, source) and not worn_out(client, route)
    client.crashed_by.append(route)
    client.crashed_at.append(other)  # a second input crashes it too: the route is left
    assert worn_out(client, route)
    outside = SafeClient("http://127.0.0.1:9")  # crashes by requests of no input (a site check's)
    outside.crashed_by, outside.crashed_at = [route, route], [None, None]
    assert worn_out(outside, route) and not point_worn_out(outside, None)
    client.close()
    outside.close()

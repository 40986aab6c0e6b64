"""Command injection into a shell the handler starts without waiting for it (node's `exec` with a
callback, SKF Express CMD and CMD-Blind): the answer comes at once, so neither the command's
output nor its time shows. The stand-in runs a real `/bin/sh` in the background, in its own
temp dir, the way those handlers do; only the fetch of auditor's loopback callback server can
show it ran."""

from __future__ import annotations

import shlex
import shutil
import subprocess
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from auditor.probe.callback import CallbackServer
from auditor.probe.checks.command import FETCH, CommandInjection
from auditor.probe.interface import InjectionPoint, Param, ProbeContext, Route
from auditor.probe.profile import profile_point
from auditor.probe.safety import Limits, SafeClient, harmful_reason
from auditor.probe.sender import PointSender

from .standin import standin

HTML = {"Content-Type": "text/html; charset=utf-8"}
FETCHER = shutil.which("curl") or shutil.which("wget")


def _probe(tmp_path: Path, vulnerable: bool, origin_override: str | None = None):
    procs: list[subprocess.Popen[bytes]] = []

    def respond(method, path):
        value = parse_qs(urlsplit(path).query).get("text", [""])[0]
        arg = value if vulnerable else shlex.quote(value)
        # Started, not waited for: the answer leaves before the shell has done anything.
        procs.append(subprocess.Popen(["/bin/sh", "-c", f"echo {arg} >> welcome"], cwd=tmp_path,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        return 200, HTML, b"WELCOME!"

    try:
        with standin(respond) as app, CallbackServer() as callback:
            client = SafeClient(app.url, Limits(rps=1000))
            sender = PointSender(client)
            route = Route("GET", "/x", [Param("text", "query")])
            point = InjectionPoint(route, route.params[0])
            ctx = ProbeContext(origin_override or client.base_url, callback=callback, delay=0.4)
            ctx.profiles[("GET", "/x", "text", "query", False)] = profile_point(sender, point)
            check = CommandInjection()
            now = check.run(sender, ctx, point)
            late = check.settle(ctx)
            return now, late, callback.hits, [r.url for r in client.log]
    finally:
        for p in procs:
            p.wait(timeout=10)


@pytest.mark.skipif(FETCHER is None, reason="neither curl nor wget is installed")
@pytest.mark.parametrize("vulnerable", [True, False])
def test_shell_started_without_waiting_is_found_by_its_fetch(tmp_path, vulnerable):
    now, late, hits, _ = _probe(tmp_path, vulnerable)
    assert now is None  # neither output nor time shows
    assert bool(late) is vulnerable
    if vulnerable:
        assert "out of band" in late[0].message and late[0].canary.startswith("aud")
        assert any(late[0].canary in h for h in hits)
    else:
        assert hits == []  # the quoted value was only echoed into the file
    # The shell wrote only its own file, in its own dir.
    assert [p.name for p in tmp_path.iterdir()] == ["welcome"]


@pytest.mark.skipif(FETCHER is None, reason="neither curl nor wget is installed")
def test_no_fetch_toward_a_target_off_loopback(tmp_path):
    # 127.0.0.1 would be the remote target's own machine: the fetch is not sent at all.
    now, late, hits, urls = _probe(tmp_path, True, origin_override="http://192.0.2.7:8080")
    assert now is None and late == [] and hits == []
    assert not any("curl" in u for u in urls)


def test_safety_lets_through_only_the_loopback_fetch():
    url = "http://127.0.0.1:4555/aud0123abcdef$((123*456))"
    assert harmful_reason("1" + FETCH.format(url=url, d="1.5")) is None
    for bad in (FETCH.format(url="http://10.0.0.1:4555/aud01$((1*4))", d="1.5"),  # another host
                FETCH.format(url=url, d="1.5").replace("-s -m 3", "-s -m 3 -o /tmp/x"),  # writes a file
                FETCH.format(url=url, d="1.5").replace("-O-", "-O x"),
                FETCH.format(url=url, d="1.5").replace("--noproxy 127.0.0.1 ", ""),  # may go through a proxy
                FETCH.format(url=url, d="1.5") + ";curl http://example.com"):
        assert harmful_reason(bad) is not None, bad

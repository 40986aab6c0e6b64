"""Wall time the probe no longer spends, each beside the confirmation it must keep (measured on
the SKF Flask labs, where waits, not requests, were most of the run: docs/probe.md):
- a blind shell the handler waits for is proven by the callback fetch it made during the
  request (one slow request, not three);
- a blind shell's time proof counts the slow answer to the request that carried the callback
  fetch as its first slow one (two slow requests, not three);
- minified and copied library scripts are not parsed for server routes, nor is a script with no
  call a route could come from;
- the late callbacks' grace is spent on the site checks, not waited for before them;
- stopping the callback server does not wait out a long poll of its serving loop."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from auditor.probe import engine
from auditor.probe.callback import CallbackServer
from auditor.probe.checks.command import CommandInjection
from auditor.probe.interface import Confirmation, InjectionPoint, Param, ProbeContext, Route, SiteCheck
from auditor.probe.profile import profile_point
from auditor.probe.routes import code_routes, javascript
from auditor.probe.safety import BudgetExhausted, Limits, SafeClient
from auditor.probe.sender import PointSender

from .standin import fetch_later, standin

HTML = {"Content-Type": "text/html; charset=utf-8"}
SLEEP = re.compile(r"(?:\$\(|\|\|)sleep ([\d.]+)\)")  # `$(sleep n)`, or the fetch's `||sleep n)`


def _value(path: str) -> str:
    return parse_qs(urlsplit(path).query).get("text", [""])[0]


def _shell(respond) -> tuple[object, list[object], list[float], list[str], list[str]]:
    """The command check at /x?text with auditor's callback server, then its settle: (found now,
    found late, the sleeps sent in order, the paths the stand-in saw, the callback's hits)."""
    with standin(respond) as app, CallbackServer() as callback:
        client = SafeClient(app.url, Limits(rps=1000))
        sender = PointSender(client)
        route = Route("GET", "/x", [Param("text", "query")])
        point = InjectionPoint(route, route.params[0])
        ctx = ProbeContext(client.base_url, callback=callback, delay=0.4)
        ctx.profiles[("GET", "/x", "text", "query", False)] = profile_point(sender, point)
        check = CommandInjection()
        found = check.run(sender, ctx, point)
        late = check.settle(ctx)
        sleeps = [float(m.group(1)) for p in app.seen if (m := SLEEP.search(_value(p)))]
        return found, late, sleeps, list(app.seen), list(callback.hits)


@pytest.mark.parametrize("vulnerable", [True, False])
def test_blind_shell_time_proof_reuses_the_fetch_requests_slow_answer(vulnerable):
    def respond(method: str, path: str) -> tuple[int, dict[str, str], bytes]:
        # `os.system("echo " + text + " >> log")` where no curl or wget is installed: only the sleep shows
        m = SLEEP.search(_value(path))
        if vulnerable and m:
            time.sleep(float(m.group(1)))
        return 200, HTML, b"WELCOME!"

    found, _, sleeps, seen, _ = _shell(respond)
    if vulnerable:
        assert found is not None and "time-based" in found.message
        # slow (carrying the fetch), zero, slow: the old proof sent the slow one again first
        assert sleeps == [0.4, 0.0, 0.4]
        assert "curl" in _value(seen[-3]) and "curl" not in _value(seen[-1])
    else:
        assert found is None and sleeps == [0.4]  # a point that does not wait costs one request


@pytest.mark.skipif(not (shutil.which("curl") or shutil.which("wget")), reason="neither curl nor wget is installed")
@pytest.mark.parametrize("vulnerable", [True, False])
def test_a_waited_for_shell_is_proven_by_its_fetch_during_the_request(tmp_path: Path, vulnerable: bool):
    def respond(method: str, path: str) -> tuple[int, dict[str, str], bytes]:
        value = _value(path)  # `os.system("echo " + text + " >> welcome")`, in its own temp dir
        arg = value if vulnerable else shlex.quote(value)
        subprocess.run(["/bin/sh", "-c", f"echo {arg} >> welcome"], cwd=tmp_path, timeout=10,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        return 200, HTML, b"WELCOME!"

    found, late, sleeps, _, hits = _shell(respond)
    # one blind request (no zero-delay control, no second sleep), which sleeps only where it
    # could not fetch: the fetch itself proves the shell
    assert sleeps == [0.4]
    if vulnerable:
        assert found is not None and "during the request" in found.message
        assert found.exchange.elapsed < 0.4  # the fallback sleep did not run
        assert any(found.canary in h for h in hits)
        assert late == []  # not pending: nothing to wait for at the end
    else:
        assert found is None and late == [] and hits == []
    assert [p.name for p in tmp_path.iterdir()] == ["welcome"]  # the shell wrote only its own file


LIBRARY_ROUTES = "router.get('/from-library', function (req, res) { res.send(req.query.q); });\n"


def test_minified_and_copied_library_scripts_are_not_read_for_routes(tmp_path: Path):
    (tmp_path / "server.js").write_text("const express = require('express');\nconst app = express();\n"
                                        "app.get('/own', (req, res) => res.send(req.query.q));\n")
    static = tmp_path / "public" / "js"
    static.mkdir(parents=True)
    # a library copied in with its banner, a minified build, and one minified by its shape alone
    (static / "widgets.js").write_text("/*! Widgets v2.3.1 | (c) Someone | MIT License */\n" + LIBRARY_ROUTES)
    (static / "bundle.min.js").write_text(LIBRARY_ROUTES)
    (static / "app-bundle.js").write_text(LIBRARY_ROUTES.strip() + ";" + "var a=1;" * 2000)
    # the same code in a file of the project's own is a route
    (tmp_path / "routes.js").write_text(LIBRARY_ROUTES)
    assert sorted(r.path for r in code_routes(tmp_path)) == ["/from-library", "/own"]
    assert {r.file for r in code_routes(tmp_path) if r.path == "/from-library"} == {"routes.js"}


ROUTE_SHAPES = [
    "app.get('/a', (req, res) => res.send('a'))",
    "this.app.post('/a', (req, res) => res.send('a'))",
    "userRouter.get('/a', (req, res) => res.send('a'))",
    "router\n  .get('/a', (req, res) => res.send('a'))",
    "router\n  // the list\n  .get('/a', (req, res) => res.send('a'))",
    "app?.get('/a', (req, res) => res.send('a'))",
    "app.get(`/a`, (req, res) => res.send('a'))",
    "app.route('/a').get((req, res) => res.send('a'))",
    "fastify.route({ method: 'GET', url: '/a', handler: async () => 'a' })",
    "f.route({ method: 'GET', url: '/a', handler: async () => 'a' })",
]


@pytest.mark.parametrize("shape", ROUTE_SHAPES)
def test_every_route_shape_is_still_parsed(shape: str):
    method = "POST" if ".post(" in shape else "GET"
    assert [(r.method, r.path) for r in javascript.server_routes("r.js", shape + ";\n", "javascript")] == [(method, "/a")]


def test_a_script_with_no_route_call_is_not_parsed(monkeypatch: pytest.MonkeyPatch):
    parsed: list[str] = []
    real = javascript.parse
    monkeypatch.setattr(javascript, "parse", lambda lang, src: parsed.append(src) or real(lang, src))
    browser = ("fetch('/api/x').then(r => r.json());\nconst v = cache.get(key);\n"
               "el.addEventListener('click', () => { document.title = 'x'; });\n")
    assert javascript.server_routes("static/page.js", browser, "javascript") == []
    assert parsed == []  # no tree built for it
    assert javascript.server_routes("server.js", ROUTE_SHAPES[0] + ";\n", "javascript")
    assert len(parsed) == 1


def _hook_app(m: str, p: str) -> tuple[int, dict[str, str], bytes]:
    """A webhook that fetches the given URL after it has answered (a queued job)."""
    if urlsplit(p).path == "/":
        return 200, HTML, b'<a href="/hook?u=x">hook</a>'
    if urlsplit(p).path == "/hook":
        fetch_later(parse_qs(urlsplit(p).query).get("u", [""])[0])
        return 202, {"Content-Type": "text/plain"}, b"queued"
    return 404, HTML, b"no"


class _SlowSite(SiteCheck):
    """A site check that takes `seconds` (a login burst against a slow app) and notes when it began."""

    name = "slow-site"

    def __init__(self, seconds: float, fail: bool = False) -> None:
        self.seconds, self.fail = seconds, fail
        self.after_last_url = -1.0

    def run(self, sender, ctx, routes):
        assert isinstance(ctx.callback, CallbackServer)
        self.after_last_url = time.monotonic() - ctx.callback.grace_until(0.0)
        time.sleep(self.seconds)
        if self.fail:
            raise BudgetExhausted("spent")
        return [Confirmation("security-misconfiguration", self.name, "slow site finding", None, "", None,
                             endpoint="/", method="GET")]


@pytest.mark.parametrize("fail", [False, True])
def test_the_late_callbacks_grace_is_spent_on_the_site_checks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             fail: bool):
    site = _SlowSite(0.6, fail)
    monkeypatch.setattr(engine, "site_checks", lambda: [site])
    with standin(_hook_app) as app:
        cfg = engine.ProbeConfig(base_url=app.url, project=tmp_path, checks=["ssrf", "slow-site"],
                                 limits=Limits(rps=1000, max_requests=200))
        run = engine.run_probe(cfg)
    # the site check began at once, not after the 0.5 s grace of the URL handed out last
    assert 0 <= site.after_last_url < 0.4
    cats = [c.category for c in run.confirmations]
    assert "ssrf" in cats  # the fetch made 0.2 s after the answer is still heard
    if fail:  # a budget spent in the site checks still reports the callbacks already heard
        assert run.partial == "budget" and "security-misconfiguration" not in cats
    else:  # and the report keeps its order: the point checks' findings first
        assert cats == ["ssrf", "security-misconfiguration"]


def test_a_safe_hook_gets_no_late_ssrf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    def safe(m: str, p: str) -> tuple[int, dict[str, str], bytes]:
        if urlsplit(p).path == "/hook":
            return 202, {"Content-Type": "text/plain"}, b"queued"  # never fetches what it is given
        return _hook_app(m, p)

    monkeypatch.setattr(engine, "site_checks", lambda: [_SlowSite(0.6)])
    with standin(safe) as app:
        cfg = engine.ProbeConfig(base_url=app.url, project=tmp_path, checks=["ssrf", "slow-site"],
                                 limits=Limits(rps=1000, max_requests=200))
        run = engine.run_probe(cfg)
    assert [c.category for c in run.confirmations] == ["security-misconfiguration"]


def test_stopping_the_callback_server_does_not_wait_out_a_long_poll():
    waits = []
    for _ in range(3):
        with CallbackServer():
            time.sleep(0.03)  # the serving loop is inside its first poll
            stop = time.monotonic()
        waits.append(time.monotonic() - stop)
    assert min(waits) < 0.04  # a 0.1 s poll made each of these about 0.07 s

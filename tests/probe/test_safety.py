"""The safety layer refuses what the user did not allow, before anything is sent."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from auditor.probe.interface import Param, Route
from auditor.probe.safety import BudgetExhausted, Limits, SafeClient, ScopeError, harmful_reason, is_loopback

from .standin import standin


def _ok(method: str, path: str) -> tuple[int, dict[str, str], bytes]:
    headers = {"Set-Cookie": "sid=abc; Domain=localhost; Path=/"} if path == "/set" else {}
    return 200, headers, b"ok"


@pytest.fixture
def server():
    with standin(_ok) as app:
        yield int(app.url.rsplit(":", 1)[1]), app.seen


def test_remote_target_needs_allow_remote():
    with pytest.raises(ScopeError, match="--allow-remote"):
        SafeClient("http://192.0.2.10:8000")
    SafeClient("http://192.0.2.10:8000", Limits(allow_remote=True)).close()  # allowed, nothing sent
    assert is_loopback("localhost") and is_loopback("127.0.0.5") and is_loopback("::1")
    assert not is_loopback("example.com") and not is_loopback("10.0.0.1")


def test_other_origin_is_refused_and_nothing_is_sent(server):
    port, seen = server
    client = SafeClient(f"http://127.0.0.1:{port}")
    for url in (f"http://127.0.0.1:{port + 1}/", f"https://127.0.0.1:{port}/", "http://localhost:80/"):
        with pytest.raises(ScopeError, match="outside the target origin"):
            client.send("GET", url)
    assert seen == [] and client.sent == 0


def test_state_changing_methods_need_allow_destructive(server):
    port, seen = server
    client = SafeClient(f"http://127.0.0.1:{port}")
    for method in ("DELETE", "PUT", "PATCH"):
        with pytest.raises(ScopeError, match="--allow-destructive"):
            client.send(method, client.url_for("/x"))
    assert seen == []
    assert client.send("POST", client.url_for("/x")).status == 200


@pytest.mark.parametrize("path,refused", [
    ("/taskManager/9/task_delete/22", True), ("/users/3/remove", True), ("/deleteNote", True),
    ("/items?action=delete&id=2", True), ("/danger?delete=1", True), ("/orders/7/cancel", True), ("/api/deleted-items", False),
    ("/search?deleted_at=2024", False), ("/model/delivery", False), ("/posts/", False),
])
def test_paths_that_name_a_deletion_need_allow_destructive(server, path, refused):
    """django.nV links its deletes as GETs (`/1/task_delete/22`): a crawl that followed them
    emptied the app; DSVPWA's `/danger?delete=1` deleted the probe's own account. Such a path, or
    a link whose query names a deletion by a value or a key, is not requested."""
    port, seen = server
    client = SafeClient(f"http://127.0.0.1:{port}")
    if refused:
        for method in ("GET", "POST"):
            with pytest.raises(ScopeError, match="names a deletion"):
                client.send(method, client.url_for(path))
        assert seen == []
        allowed = SafeClient(f"http://127.0.0.1:{port}", Limits(allow_destructive=True))
        assert allowed.send("GET", allowed.url_for(path)).status == 200
    else:
        assert client.send("GET", client.url_for(path)).status == 200


def test_the_crawl_does_not_follow_delete_links():
    from auditor.probe.routes.crawl import crawl

    def page(method, path):
        links = '<a href="/tasks/1">task</a> <a href="/tasks/1/task_delete">delete</a> <a href="/x?do=remove">x</a>'
        return 200, {"Content-Type": "text/html"}, links.encode()

    with standin(page) as app:
        routes = crawl(SafeClient(app.url))
        assert not any("delete" in p or "remove" in p for p in app.seen)
    assert {r.path for r in routes} == {"/", "/tasks/1"}


@pytest.mark.parametrize("payload", ["1; DROP TABLE users", "x' ; DELETE FROM t --", "$(rm -rf /tmp/x)",
                                     "1|curl evil", "open('f','w')", "1; UPDATE users SET role='admin'"])
def test_harmful_payloads_are_refused(payload, server):
    port, seen = server
    assert harmful_reason(payload)
    client = SafeClient(f"http://127.0.0.1:{port}")
    with pytest.raises(ScopeError, match="refused payload"):
        client.send("GET", client.url_for("/?q=x"), payload=payload)
    assert seen == []


@pytest.mark.parametrize("payload", ["1' AND '123'='123", "1;echo aud1f$((12*34))", "{{123*456}}", "<audx1 x=1>"])
def test_probe_payload_shapes_pass(payload):
    assert harmful_reason(payload) is None


def test_budget_and_rate(server):
    port, seen = server
    client = SafeClient(f"http://127.0.0.1:{port}", Limits(rps=20, max_requests=5))
    start = time.monotonic()
    for _ in range(5):
        client.send("GET", client.url_for("/"))
    assert time.monotonic() - start >= 4 / 20 * 0.9  # 5 requests at 20 rps: at least 4 gaps
    with pytest.raises(BudgetExhausted):
        client.send("GET", client.url_for("/"))
    assert len(seen) == 5


def test_cookie_for_localhost_is_kept_for_127(server):
    port, _ = server
    client = SafeClient(f"http://127.0.0.1:{port}")
    client.send("GET", client.url_for("/set"))
    ex = client.send("GET", client.url_for("/"))
    assert "sid=abc" in ex.request_headers.get("cookie", "")


def test_redirects_are_not_followed():
    with standin(lambda m, p: (302, {"Location": "http://192.0.2.1/elsewhere"}, b"")) as app:
        client = SafeClient(app.url)
        ex = client.send("GET", client.url_for("/"))
        assert ex.status == 302 and client.sent == 1 and app.seen == ["/"]

def test_a_refused_payload_skips_that_check_only(server, monkeypatch):
    """A traversal target whose path holds a refused word (a folder named `rm`) must not end
    the run: the check is skipped and the others still run."""
    from auditor.probe.engine import ProbeConfig, run_probe

    port, seen = server
    cfg = ProbeConfig(base_url=f"http://127.0.0.1:{port}", project=Path("/nonexistent"), openapi=False,
                      traversal_targets=[("/srv/rm/auditor-canary.txt", "auditor-canary-x")],
                      limits=Limits(rps=1000))
    monkeypatch.setattr("auditor.probe.routes.crawl.crawl",
                        lambda client, **kw: [Route("GET", "/", [Param("q", "query")], "crawl")])
    run = run_probe(cfg)
    assert any(e.startswith("traversal: ScopeError") for e in run.errors)
    assert not run.partial
    # The run went on past it: the site checks ran (the debug check asks for a random path).
    assert any(path.startswith("/aud") for path in seen), seen



def test_the_clis_default_budget_is_the_probes():
    import inspect

    from auditor import cli
    from auditor.probe.safety import DEFAULT_MAX_REQUESTS, Limits

    assert Limits().max_requests == DEFAULT_MAX_REQUESTS
    assert f"typer.Option({DEFAULT_MAX_REQUESTS}, \"--max-requests\"" in inspect.getsource(cli)


def test_an_input_named_for_a_deletion_is_never_sent():
    """DSVPWA's `/danger` form sends `delete=1`: the page stays a route, the `delete` input is dropped
    (each request with it would only be refused by the safety layer)."""
    from auditor.probe.engine import ProbeConfig, run_probe

    def page(method, path):
        return 200, {"Content-Type": "text/html"}, b'<form action="/danger"><input name="delete" value="1"><input name="q"></form>'

    with standin(page) as app:
        run = run_probe(ProbeConfig(base_url=app.url, project=Path("/nonexistent"), checks=["xss"],
                                    limits=Limits(rps=1000, max_requests=100)))
        assert not any("delete" in p for p in app.seen)
    danger = next(r for r in run.routes if r.path == "/danger")
    assert all(p.name != "delete" for p in danger.params) and not run.errors

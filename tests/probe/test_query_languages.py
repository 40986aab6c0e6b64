"""XPath and LDAP injection, probed for real on the directory twin (lxml over an in-memory
document; ldap3's offline mock directory, a real filter parser): every vulnerable endpoint
confirmed with evidence, by the differential where the app hides its errors and by the
engine's own error where it shows them; nothing on the fixed twin; only 127.0.0.1 contacted."""

from __future__ import annotations

import importlib.util
import json
from urllib.parse import unquote_plus

import pytest

from auditor.probe.engine import ProbeConfig, run_probe
from auditor.probe.results import to_result
from auditor.probe.safety import Limits, harmful_reason
from auditor.probe.target import Target

from .twinrun import make_twin, snapshot

pytestmark = pytest.mark.skipif(
    any(importlib.util.find_spec(m) is None for m in ("flask", "lxml", "ldap3")), reason="flask, lxml or ldap3 missing")

EXPECTED = {
    ("ldap-injection", "/people", "uid (query)", "differential"),
    ("ldap-injection", "/team", "team (cookie)", "error"),
    ("xpath-injection", "/staff", "name (form)", "differential"),
    ("xpath-injection", "/badge", "X-Badge-Id (header)", "error"),
    ("xpath-injection", "/api/members", "dept (json)", "differential"),
}


def _probe(twin):
    with Target.launch(twin.command, twin.port, twin.project, startup_timeout=30) as target:
        cfg = ProbeConfig(base_url=target.base_url, project=twin.project, limits=Limits(rps=1000, timeout=5),
                          crawl=False, checks=["xpath-ldap", "sqli", "nosql"])
        return run_probe(cfg)


def test_vulnerable_directory_twin_confirmed_with_evidence(tmp_path):
    twin = make_twin(tmp_path, "directory_app", "vulnerable")
    before = snapshot(tmp_path)
    run = _probe(twin)
    assert not run.errors and not run.partial
    result = to_result(run)
    found = {(f.category, f.extra["endpoint"], f.extra["parameter"]) for f in result.findings}
    assert found == {e[:3] for e in EXPECTED}, sorted(found)
    by_endpoint = {c.endpoint: c for c in run.confirmations}
    for _cat, endpoint, _, how in EXPECTED:
        assert ("differently, twice" if how == "differential" else "error") in by_endpoint[endpoint].message
    for f in result.findings:
        assert f.rule_id in ("py.xpath.parameterize", "py.ldap.escape-filter")
        assert f.cwe == (["CWE-643"] if f.category == "xpath-injection" else ["CWE-90"])
        ev = f.extra["evidence"]
        assert f.extra["confirmed"] is True and ev["status"] and ev["canary"]
        sent = unquote_plus(ev["request"]) + ev["response_excerpt"]
        assert ev["canary"] in sent or json.dumps(ev["canary"])[1:-1] in sent
    assert run.requests and all(r.url.startswith(f"http://127.0.0.1:{twin.port}/") for r in run.requests)
    assert snapshot(tmp_path) == before


def test_fixed_directory_twin_gets_nothing(tmp_path):
    twin = make_twin(tmp_path, "directory_app", "fixed")
    run = _probe(twin)
    assert run.points >= 5 and not run.partial and not run.errors
    assert [(c.category, c.endpoint, c.message) for c in run.confirmations] == []
    assert all(r.url.startswith(f"http://127.0.0.1:{twin.port}/") for r in run.requests)


def test_payloads_only_read():
    """Every payload shape passes the safety layer's write/delete/drop guard."""
    from auditor.probe.checks import ldap, xpath
    from auditor.probe.checks.query_languages import BREAKER

    assert harmful_reason(BREAKER + "audtoken") is None
    shapes = [*ldap.SHAPES, *xpath.SHAPES]
    for shape in shapes:
        for build in (shape.true, shape.false):
            assert harmful_reason(build("1", "audtoken", 12345, 67890)) is None


def test_a_name_the_run_signed_up_is_no_path_expression():
    """MedSecure: the whole-expression pair `.//*[1]` and `*[1]` sent to POST /auth/register made
    two accounts of those names with the filler password; the login then answered both like any
    user's and a fresh name like a stranger's. A constant the run stored as an account proves
    nothing at a login (nor at any lookup of names) afterwards."""
    from urllib.parse import parse_qs

    from auditor.probe.checks.query_languages import whole_expression
    from auditor.probe.interface import InjectionPoint, Param, ProbeContext, Route
    from auditor.probe.profile import profile_point
    from auditor.probe.safety import SafeClient
    from auditor.probe.sender import PointSender

    from .standin import serve

    accounts: dict[str, str] = {}

    def handle(method, path, headers, body):
        form = {k: v[0] for k, v in parse_qs(body.decode(), keep_blank_values=True).items()}
        if path == "/auth/register":
            accounts.setdefault(form.get("username", ""), form.get("password", ""))
            return 201, {"Content-Type": "application/json"}, '{"ok": true}'
        if accounts.get(form.get("username", "")) == form.get("password") and form.get("password"):
            return 200, {"Content-Type": "application/json"}, '{"token": "t"}'
        return 401, {"Content-Type": "application/json"}, '{"error": "invalid credentials"}'

    fields = [Param("username", "form"), Param("password", "form")]
    register = Route("POST", "/auth/register", [*fields, Param("email", "form")])
    login = Route("POST", "/auth/login", list(fields))
    with serve(handle) as url:
        client = SafeClient(url, Limits(rps=1000))
        sender = PointSender(client)
        for value in (".//*[1]", "*[1]"):
            sender.send(InjectionPoint(register, register.params[0]), value)
        assert {".//*[1]", "*[1]"} <= set(accounts)
        point = InjectionPoint(login, login.params[0])
        ctx = ProbeContext(client.base_url)
        ctx.profiles[("POST", "/auth/login", "username", "form", False)] = profile_point(sender, point)
        assert whole_expression(sender, ctx, point) is None
        sender.account_values.clear()  # the same answers without knowing what the run stored: taken
        assert whole_expression(sender, ctx, point) is not None


def test_only_a_project_that_can_query_xml_or_a_directory_is_sent_the_query_language_shapes(tmp_path):
    """django.nV (Django's ORM, no XML or LDAP library anywhere) spent 896 of its 5,000 requests on
    XPath and LDAP shapes: a project whose code names no such library gets none."""
    from auditor.probe.checks.query_languages import QueryLanguageInjection
    from auditor.probe.interface import InjectionPoint, Param, ProbeContext, Route
    from auditor.probe.routes.signs import read_signs
    from auditor.probe.safety import SafeClient
    from auditor.probe.sender import PointSender

    (tmp_path / "views.py").write_text("def search(request):\n    return Task.objects.filter(title=request.GET['q'])\n")
    assert not read_signs(tmp_path).query_languages
    (tmp_path / "directory.py").write_text("import ldap3\n")
    assert read_signs(tmp_path).query_languages
    (tmp_path / "directory.py").write_text("from lxml import etree\n")
    assert read_signs(tmp_path).query_languages

    route = Route("GET", "/search", [Param("q", "query")])
    client = SafeClient("http://127.0.0.1:9", Limits(rps=1000))
    ctx = ProbeContext(client.base_url, query_languages=False)
    assert QueryLanguageInjection().run(PointSender(client), ctx, InjectionPoint(route, route.params[0])) is None
    assert not client.log  # nothing sent

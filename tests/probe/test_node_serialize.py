"""Code injection through node-serialize: a handler that unserializes a cookie runs a value marked
`_$$ND_FUNC$$_` and invoked at once, and sends the object back. A stand-in in that shape (the
marker's function is evaluated here by its one arithmetic form); its fixed twin parses JSON only."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote

import pytest

from auditor.probe.checks.code import CodeInjection
from auditor.probe.interface import InjectionPoint, Param, ProbeContext, Route
from auditor.probe.profile import profile_point
from auditor.probe.safety import Limits, SafeClient
from auditor.probe.sender import PointSender

from .standin import serve

HANDLER = """const save_preference_post = (req, res) => {
  const preference = serialize.unserialize(req.cookies.preference);
  res.send(preference);
};
"""
FIXED = HANDLER.replace("serialize.unserialize(", "JSON.parse(")
IIFE = re.compile(r"^_\$\$ND_FUNC\$\$_function\(\)\{return (\d+)\*(\d+)\}\(\)$")


def _app(runs_functions: bool):
    def handle(method, path, headers, body):
        raw = unquote(dict(c.strip().split("=", 1) for c in headers.get("Cookie", "").split(";") if "=" in c)
                      .get("preference", ""))
        try:
            value = json.loads(raw)
        except ValueError:
            return 500, {"Content-Type": "text/html"}, "<pre>SyntaxError: Unexpected token</pre>"
        if runs_functions and isinstance(value, dict):
            value = {k: (int(m[1]) * int(m[2]) if isinstance(v, str) and (m := IIFE.match(v)) else v)
                     for k, v in value.items()}
        return 200, {"Content-Type": "application/json"}, json.dumps(value)

    return handle


@pytest.mark.parametrize("vulnerable", [True, False])
def test_an_unserialized_cookie_runs_a_marked_function(tmp_path: Path, vulnerable: bool):
    (tmp_path / "controllers").mkdir()
    (tmp_path / "controllers" / "vuln.js").write_text(HANDLER if vulnerable else FIXED)
    with serve(_app(vulnerable)) as url:
        client = SafeClient(url, Limits(rps=1000))
        sender = PointSender(client)
        route = Route("POST", "/save-preference", [Param("preference", "cookie")], "code", "controllers/vuln.js", 1,
                      "express", "javascript")
        point = InjectionPoint(route, route.params[0])
        ctx = ProbeContext(client.base_url, project=tmp_path)
        ctx.profiles[("POST", "/save-preference", "preference", "cookie", False)] = profile_point(sender, point)
        found = CodeInjection().run(sender, ctx, point)
    assert (found is not None) is vulnerable
    if found:
        assert "node-serialize" in found.message and found.canary in found.exchange.text


UPLOAD_HANDLER = """module.exports.bulkProductsLegacy = function (req, res) {
  var products = serialize.unserialize(req.files.products.data.toString('utf8'))
  products.forEach(function (product) { save(product) })
  res.redirect('/app/products')
}
"""
FETCH = re.compile(r"_\$\$ND_FUNC\$\$_function\(\)\{require\('http'\)\.get\('([^']+)'\+\((\d+)\*(\d+)\)\)")


def _upload_app(runs_functions: bool, bodies: list[str]):
    """An import of an uploaded file's text through unserialize, whose result is never shown: the
    answer is a redirect whatever ran. A function the marker names runs (its one fetch form here)."""
    def handle(method, path, headers, body):
        text = body.decode("utf-8", "replace")
        bodies.append(text)
        if runs_functions and (m := FETCH.search(text)):
            import httpx

            httpx.get(m.group(1) + str(int(m.group(2)) * int(m.group(3))), timeout=2)
        return 302, {"Location": "/app/products", "Content-Type": "text/plain"}, "Found. Redirecting to /app/products"

    return handle


@pytest.mark.parametrize("vulnerable", [True, False])
def test_an_unserialized_upload_is_proven_by_a_fetch(tmp_path: Path, vulnerable: bool):
    """DVNA's legacy bulk import: `serialize.unserialize(req.files.products.data...)`, then a
    redirect. The file's content is the point (`req.files.products` read from the code); the marked
    function's fetch of the callback server, with a product the code computed, proves it ran."""
    from auditor.probe.callback import CallbackServer
    from auditor.probe.routes.inputs import body_inputs

    (tmp_path / "core").mkdir()
    (tmp_path / "core" / "appHandler.js").write_text(UPLOAD_HANDLER if vulnerable else UPLOAD_HANDLER.replace(
        "serialize.unserialize(", "JSON.parse("))
    assert [(p.name, p.location) for p in body_inputs(UPLOAD_HANDLER, "javascript")] == [("products", "file")]
    bodies: list[str] = []
    with serve(_upload_app(vulnerable, bodies)) as url, CallbackServer() as callback:
        client = SafeClient(url, Limits(rps=1000))
        sender = PointSender(client)
        route = Route("POST", "/app/bulkproductslegacy", [Param("products", "file")], "code", "core/appHandler.js", 1,
                      "express", "javascript")
        point = InjectionPoint(route, route.params[0])
        ctx = ProbeContext(client.base_url, project=tmp_path, callback=callback)
        found = CodeInjection().run(sender, ctx, point)
    assert (found is not None) is vulnerable
    # the payloads went in the file's content, a multipart part named for the input
    assert any('name="products"' in b and "_$$ND_FUNC$$_" in b for b in bodies) is vulnerable


def test_the_code_check_runs_where_the_handler_unserializes_whatever_the_canary_showed():
    """Every plain file fails node-serialize alike (a 500 for the text file and for the canary): the
    handler's own call to unserialize is reason enough to try (the check's `code_says`)."""
    route = Route("POST", "/import", [Param("products", "file")], "code", "a.js", 1, "express", "javascript")
    point = InjectionPoint(route, route.params[0])
    assert CodeInjection().code_says(point, UPLOAD_HANDLER)
    assert not CodeInjection().code_says(point, UPLOAD_HANDLER.replace("serialize.unserialize(", "JSON.parse("))
    python = Route("POST", "/import", [Param("products", "file")], "code", "a.py", 1, "flask", "python")
    assert not CodeInjection().code_says(InjectionPoint(python, python.params[0]), "unserialize(x)")

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

"""CORS set by each handler on its own (vuln-nodejs-app's shape): the site's pages answer without
CORS headers, two handlers reflect the Origin with credentials (a GET, and a POST with its
preflight), and one sets a fixed allowed origin. Each reflecting handler is its own finding."""

from __future__ import annotations

from pathlib import Path

from auditor.probe.checks.cors import CorsReflection
from auditor.probe.interface import ProbeContext, Route
from auditor.probe.safety import Limits, SafeClient
from auditor.probe.sender import PointSender

from .standin import serve

HANDLERS = """const token_get = (req, res) => {
  res.header('Access-Control-Allow-Origin', req.get('origin'));
  res.header('Access-Control-Allow-Credentials', 'true');
  res.render('token');
};
const edit_post = (req, res) => {
  res.header('Access-Control-Allow-Origin', req.get('origin'));
  res.header('Access-Control-Allow-Credentials', 'true');
  if (!req.is('application/json')) return res.status(400).send('Invalid content type');
};
const edit_options = (req, res) => {
  res.header('Access-Control-Allow-Origin', req.get('origin'));
  res.header('Access-Control-Allow-Credentials', 'true');
  res.send(200);
};
const fixed_get = (req, res) => {
  res.header('Access-Control-Allow-Origin', 'https://app.example');
  res.header('Access-Control-Allow-Credentials', 'true');
};
"""


def _app(method: str, path: str, headers: dict[str, str], body: bytes):
    origin = headers.get("Origin", "")
    reflect = {"Access-Control-Allow-Origin": origin, "Access-Control-Allow-Credentials": "true"}
    if path == "/token" and method == "GET":
        return 200, reflect, "<p>token</p>"
    if path == "/edit" and method in ("POST", "OPTIONS"):
        return (400 if method == "POST" else 200), reflect, "Invalid content type" if method == "POST" else "OK"
    if path == "/fixed":
        return 200, {"Access-Control-Allow-Origin": "https://app.example",
                     "Access-Control-Allow-Credentials": "true"}, "<p>fixed</p>"
    return 200, {}, "<p>home</p>"


def test_each_handler_that_reflects_the_origin_is_reported(tmp_path: Path):
    (tmp_path / "ctl.js").write_text(HANDLERS)
    routes = [Route("GET", "/home", [], "code", "ctl.js", 0, "express", "javascript"),
              Route("GET", "/token", [], "code", "ctl.js", 1, "express", "javascript"),
              Route("POST", "/edit", [], "code", "ctl.js", 6, "express", "javascript"),
              Route("OPTIONS", "/edit", [], "code", "ctl.js", 11, "express", "javascript"),
              Route("GET", "/fixed", [], "code", "ctl.js", 16, "express", "javascript")]
    with serve(_app) as url:
        client = SafeClient(url, Limits(rps=1000))
        found = CorsReflection().run(PointSender(client), ProbeContext(client.base_url, project=tmp_path), routes)
    assert sorted((c.method, c.endpoint) for c in found) == [("GET", "/token"), ("OPTIONS", "/edit"), ("POST", "/edit")]

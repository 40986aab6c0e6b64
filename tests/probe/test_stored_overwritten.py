"""A value kept once per user (DSVPWA's `/settings?email=`): every later payload overwrites it,
so the profile's token is gone when the pages are read at the end. The point stores a plain tag
once more and the pages are read again: shown raw, stored XSS; escaped, nothing."""

from __future__ import annotations

import html
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from auditor.probe.engine import ProbeConfig, run_probe
from auditor.probe.safety import Limits

from .standin import serve


def _app(escaped: bool):
    state = {"email": "me@example.com"}

    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], str]:
        parts = urlsplit(path)
        if parts.path == "/":
            shown = html.escape(state["email"]) if escaped else state["email"]
            return 200, {}, f'<a href="/settings">settings</a><p>Your email: <pre>{shown}</pre></p>'
        if parts.path == "/settings":
            if (email := parse_qs(parts.query).get("email")) is not None:
                state["email"] = email[0]
                return 200, {}, "<p>Your settings have been updated!</p>"
            return 200, {}, '<form method="GET" action="/settings"><input name="email"></form>'
        return 404, {}, "not found"

    return handle


@pytest.mark.parametrize("escaped", [False, True])
def test_a_value_every_payload_overwrites(tmp_path: Path, escaped: bool):
    with serve(_app(escaped)) as url:
        run = run_probe(ProbeConfig(base_url=url, project=tmp_path / "none", checks=["xss", "sqli", "command"],
                                    limits=Limits(rps=1000, max_requests=400, timeout=5)))
    found = {(c.category, c.endpoint, c.point.param.name) for c in run.confirmations if c.point is not None}
    assert (("xss", "/settings", "email") in found) is not escaped


APP = '''\
from flask import Flask, request, jsonify, Response

app = Flask(__name__)
_store = {}


@app.post("/save")
def save():
    _store[request.form.get("id", "")] = request.form.get("bio", "")
    return jsonify({"status": "saved"})


@app.get("/show")
def show():
    return Response("<div>" + _store.get(request.args.get("id", ""), "") + "</div>", mimetype="text/html")
'''


@pytest.mark.parametrize("escaped", [False, True])
def test_a_value_saved_under_a_key_is_read_back_by_that_key(tmp_path: Path, escaped: bool):
    """vuln-sast-python-web's /vuln04: a bio saved under the posted `id`, shown by
    `/show?id=`; later payloads overwrite it, and `/show` without the id shows nothing. The
    page that shows the object is read with the key the save sent beside the value."""
    import json

    (tmp_path / "app.py").write_text(APP)
    store: dict[str, str] = {}

    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], str]:
        parts = urlsplit(path)
        if parts.path == "/save" and method == "POST":
            form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
            store[form.get("id", "")] = form.get("bio", "")
            return 200, {"Content-Type": "application/json"}, json.dumps({"status": "saved"})
        if parts.path == "/show":
            bio = store.get(parse_qs(parts.query).get("id", [""])[0], "")
            return 200, {}, "<html><body><div>" + (html.escape(bio) if escaped else bio) + "</div></body></html>"
        return 404, {}, "not found"

    with serve(handle) as url:
        run = run_probe(ProbeConfig(base_url=url, project=tmp_path, checks=["xss", "sqli", "command"],
                                    limits=Limits(rps=1000, max_requests=600, timeout=5)))
    found = {(c.category, c.endpoint, c.point.param.name) for c in run.confirmations if c.point is not None}
    assert (("xss", "/save", "bio") in found) is not escaped

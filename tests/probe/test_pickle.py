"""A Python handler that unpickles its input (DSVPWA's `/extract?object=`,
`str(pickle.loads(base64.urlsafe_b64decode(object)))`): a pickle of a call to eval on arithmetic
comes back as the product. The fixed twin reads the same base64 as JSON and gets nothing; a
project that never unpickles is not sent pickles at all."""

from __future__ import annotations

import base64
import binascii
import json
import pickle
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from auditor.probe.engine import ProbeConfig, run_probe
from auditor.probe.safety import Limits

from .standin import serve


def _app(vulnerable: bool, seen: list[str]):
    sample = base64.urlsafe_b64encode(pickle.dumps({"one": 1}) if vulnerable else json.dumps({"one": 1}).encode()).decode()

    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], str]:
        parts = urlsplit(path)
        if parts.path == "/":
            return 200, {}, f'<a href="/extract?object={sample}">try this</a>'
        if parts.path != "/extract":
            return 404, {}, "not found"
        value = parse_qs(parts.query).get("object", [""])[0]
        seen.append(value)
        try:
            raw = base64.b64decode(value, altchars=b"-_", validate=True)
            # the stand-in's own pickle.loads runs only the probe's arithmetic (eval of `str(a*b)`)
            obj = pickle.loads(raw) if vulnerable else json.loads(raw)  # noqa: S301
        except (binascii.Error, ValueError, pickle.UnpicklingError, EOFError, KeyError, AttributeError,
                IndexError, TypeError, SyntaxError, NameError) as exc:
            return 500, {}, f"<pre>{type(exc).__name__}</pre>"
        return 200, {}, f"<p>{obj}</p>"

    return handle


@pytest.mark.parametrize("vulnerable,unpickles", [(True, True), (False, True), (True, False)])
def test_an_unpickled_input(tmp_path: Path, vulnerable: bool, unpickles: bool):
    code = "obj = pickle.loads(base64.urlsafe_b64decode(object))\n" if unpickles else "obj = json.loads(x)\n"
    (tmp_path / "attacks.py").write_text("import base64, pickle, json\n" + code)
    (tmp_path / "requirements.txt").write_text("")
    seen: list[str] = []
    with serve(_app(vulnerable, seen)) as url:
        run = run_probe(ProbeConfig(base_url=url, project=tmp_path, checks=["code"],
                                    limits=Limits(rps=1000, max_requests=300, timeout=5)))
    found = {(c.category, c.endpoint, c.point.param.name) for c in run.confirmations if c.point is not None}
    assert (("code-injection", "/extract", "object") in found) is (vulnerable and unpickles)
    sent_pickles = [v for v in seen if v.startswith("Y19fYnVpbHRpbl9f") or v.startswith("c__builtin__")]
    assert bool(sent_pickles) is unpickles


def test_a_bytes_literal_for_a_handler_that_reads_the_value_with_literal_eval(tmp_path: Path):
    """Vulnerable-Bottle-App: `pickle.loads(ast.literal_eval(value))` takes only a Python bytes
    literal; neither base64 nor the pickle's own text gets past literal_eval."""
    import ast

    (tmp_path / "deserialization.py").write_text("import ast, pickle\nobj = pickle.loads(ast.literal_eval(x))\n")
    (tmp_path / "requirements.txt").write_text("")

    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], str]:
        parts = urlsplit(path)
        if parts.path == "/":
            return 200, {}, '<a href="/load?input=b%27x%27">load</a>'
        value = parse_qs(parts.query).get("input", [""])[0]
        try:
            # the stand-in's own pickle.loads runs only the probe's arithmetic (eval of `str(a*b)`)
            obj = pickle.loads(ast.literal_eval(value))  # noqa: S301
        except Exception as exc:  # noqa: BLE001 - the app answers every failure alike
            return 200, {}, f"<p>Invalid input format: {type(exc).__name__}</p>"
        return 200, {}, f"<p>{obj}</p>"

    with serve(handle) as url:
        run = run_probe(ProbeConfig(base_url=url, project=tmp_path, checks=["code"],
                                    limits=Limits(rps=1000, max_requests=300, timeout=5)))
    assert ("code-injection", "/load", "input") in {(c.category, c.endpoint, c.point.param.name)
                                                   for c in run.confirmations if c.point is not None}


WEBGOAT_VIEW = '''import base64, pickle
from flask import Flask, request
app = Flask(__name__)

@app.route("/deserialized_descr", methods=["POST"])
def deserialized_descr():
    pickled = request.form.get("pickled")
    data = base64.urlsafe_b64decode(pickled)
    deserialized = {load}(data)
    return str(deserialized)
'''


@pytest.mark.parametrize("unpickled", [True, False])
def test_a_handler_that_unpickles_though_every_plain_value_fails_alike(tmp_path: Path, unpickled: bool):
    """flask-webgoat's POST /deserialized_descr answers the same 500 to every value that is no
    pickle, so the canary changed nothing; the code shows its `pickle.loads`."""
    (tmp_path / "app.py").write_text(WEBGOAT_VIEW.replace("{load}", "pickle.loads" if unpickled else "json.loads"))
    (tmp_path / "requirements.txt").write_text("flask\n")

    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], str]:
        value = parse_qs(body.decode()).get("pickled", [""])[0]
        try:
            raw = base64.urlsafe_b64decode(value)
            # the stand-in's own pickle.loads runs only the probe's arithmetic (eval of `str(a*b)`)
            obj = pickle.loads(raw) if unpickled else json.loads(raw)  # noqa: S301
        except Exception:  # noqa: BLE001  (every failure looks alike, as the app's 500 page does)
            return 500, {}, "<h1>Internal Server Error</h1>"
        return 200, {}, str(obj)

    with serve(handle) as url:
        run = run_probe(ProbeConfig(base_url=url, project=tmp_path, checks=["code"], crawl=False,
                                    limits=Limits(rps=1000, max_requests=300, timeout=5)))
    found = {(c.category, c.endpoint) for c in run.confirmations}
    assert (("code-injection", "/deserialized_descr") in found) is unpickled

"""A body the handler reads whole (`request.get_data()`): the payload is the body itself, sent
as text. vuln-sast-python-web's `/vuln08/deserialize` unpickles the base64 it is posted and
`/vuln42/yaml` loads it with PyYAML's unsafe Loader; each answers only a type name, so the proof
is blind (the callback server hears the product). The fixed twin parses JSON and loads YAML
safely: nothing is confirmed there. Python inputs read from the raw body are told apart from
JSON parsed out of it."""

from __future__ import annotations

import base64
import binascii
import json
import pickle
import textwrap
from pathlib import Path

import pytest
import yaml

from auditor.probe.engine import ProbeConfig, run_probe
from auditor.probe.routes.inputs import body_inputs
from auditor.probe.safety import Limits

from .standin import serve


def test_raw_body_reads_are_one_input_and_json_parsed_from_them_is_json():
    def shape(code: str) -> list[tuple[str, str, str]]:
        return [(p.name, p.location, p.decoded) for p in body_inputs(textwrap.dedent(code), "python")]

    assert shape("raw = base64.b64decode(request.get_data())\nobj = pickle.loads(raw)") == [("body", "body", "base64")]
    assert shape("body = request.get_data()\nobj = yaml.load(body, Loader=yaml.Loader)") == [("body", "body", "")]
    assert shape("body = await request.body()\nreturn pickle.loads(body)") == [("body", "body", "")]
    assert shape("data = json.loads(request.get_data())\nname = data['name']") == [("name", "json", "")]
    assert shape("d = json.loads(request.body)") == []
    # another input decoded beside a raw body read as it is: the body is not base64
    assert ("body", "body", "") in shape("key = base64.b64decode(request.headers['X-Key'])\n"
                                         "obj = yaml.load(request.get_data(), Loader=yaml.Loader)")
    assert shape("obj = pickle.loads(base64.decodestring(request.stream.read()))") == [("body", "body", "base64")]


APP = '''\
import base64, pickle, yaml
from flask import Flask, request

app = Flask(__name__)


@app.post("/deserialize")
def deserialize():
    raw = base64.b64decode(request.get_data())
    obj = {loads}(raw)
    return "deserialized: " + type(obj).__name__


@app.post("/yaml")
def load_yaml():
    body = request.get_data()
    obj = {yaml_load}
    return "loaded: " + type(obj).__name__
'''


def _app(vulnerable: bool, bodies: list[bytes]):
    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], str]:
        bodies.append(body)
        try:
            if path == "/deserialize":
                raw = base64.b64decode(body)
                # the stand-in's own pickle.loads runs only the probe's arithmetic and its fetch of
                # the loopback callback server
                obj = pickle.loads(raw) if vulnerable else json.loads(raw)  # noqa: S301
                return 200, {}, "deserialized: " + type(obj).__name__
            if path == "/yaml":
                obj = yaml.load(body, Loader=yaml.Loader) if vulnerable else yaml.safe_load(body)  # noqa: S506
                return 200, {}, "loaded: " + type(obj).__name__
        except (binascii.Error, ValueError, pickle.UnpicklingError, EOFError, KeyError, AttributeError, IndexError,
                TypeError, SyntaxError, NameError, yaml.YAMLError) as exc:
            return 500, {}, type(exc).__name__
        return 404, {}, "not found"

    return handle


@pytest.mark.parametrize("vulnerable", [True, False])
def test_a_raw_body_unpickled_and_loaded_as_yaml(tmp_path: Path, vulnerable: bool):
    (tmp_path / "app.py").write_text(APP.format(
        loads="pickle.loads" if vulnerable else "json.loads",
        yaml_load="yaml.load(body, Loader=yaml.Loader)" if vulnerable else "yaml.safe_load(body)"))
    (tmp_path / "requirements.txt").write_text("flask\npyyaml\n")
    bodies: list[bytes] = []
    with serve(_app(vulnerable, bodies), content_type="text/plain") as url:
        run = run_probe(ProbeConfig(base_url=url, project=tmp_path, checks=["code"],
                                    limits=Limits(rps=1000, max_requests=300, timeout=5)))
    found = {(c.endpoint, c.point.param.location) for c in run.confirmations if c.point is not None}
    assert found == ({("/deserialize", "body"), ("/yaml", "body")} if vulnerable else set())
    # the payload went as the body itself: base64 where the code decodes it, YAML as its text
    assert any(b.startswith(b"Y19fYnVpbHRpbl9f") for b in bodies) is vulnerable  # c__builtin__... (a fixed
    # twin whose code unpickles nothing is sent no pickle)
    assert any(b.startswith(b"!!python/object/apply:eval") for b in bodies) is vulnerable

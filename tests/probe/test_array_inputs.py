"""MedSecure's `POST /reports/compress`: `exec('tar -czf out.tgz ' + files.join(' '))`, the body's
`files` an array. A string there is a TypeError before the shell runs, so every payload sent as a
string proves nothing; sent as a one-item array, the command runs. Its fixed twin passes the array
to execFile."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from auditor.probe.engine import ProbeConfig, run_probe
from auditor.probe.routes.inputs import ARRAY_SHAPE, body_inputs
from auditor.probe.safety import Limits
from auditor.probe.sender import scalar_array

from .standin import serve

HANDLER = """const express = require('express');
const { exec } = require('child_process');
const app = express();
app.use(express.json());
app.post('/reports/compress', (req, res) => {
  const { files } = req.body;
  exec('tar -czf out.tgz ' + files.join(' '), (err, stdout, stderr) => res.send(stdout + stderr));
});
app.listen(3000);
"""
ECHO = re.compile(r"echo (aud[0-9a-f]+)\$\(\((\d+)\*(\d+)\)\)")


def _app(vulnerable: bool):
    def handle(method, path, headers, body):
        if path != "/reports/compress" or method != "POST":
            return 404, {"Content-Type": "text/plain"}, "Not Found"
        try:
            files = json.loads(body or b"{}").get("files")
        except ValueError:
            return 400, {"Content-Type": "text/plain"}, "bad json"
        if not isinstance(files, list):
            return 500, {"Content-Type": "text/html"}, "<pre>TypeError: files.join is not a function</pre>"
        line = " ".join(map(str, files))
        out = "".join(f"{m[1]}{int(m[2]) * int(m[3])}\n" for m in ECHO.finditer(line)) if vulnerable else ""
        # tar names each file it cannot find (the shell has cut the line at its `;` first)
        names = re.split(r"[;&|`$]", line)[0].split() if vulnerable else files
        return 200, {"Content-Type": "text/plain"}, out + "".join(f"tar: {n}: Cannot stat\n" for n in names)

    return handle


def test_an_input_the_code_joins_is_an_array():
    params = {(p.name, p.location): p for p in body_inputs(HANDLER, "javascript", ("json",))}
    assert params[("files", "json")].shape == ARRAY_SHAPE
    assert scalar_array(ARRAY_SHAPE) and scalar_array("[1, 2]")
    assert not scalar_array('[{"productId": 1}]') and not scalar_array("1") and not scalar_array("")
    # a string's own methods say nothing: `name.split(',')` is no array
    assert body_inputs(HANDLER.replace("files.join(' ')", "files.split(',')"), "javascript", ("json",))[0].shape == ""


@pytest.mark.parametrize("vulnerable", [True, False])
def test_a_command_built_from_a_joined_array(tmp_path: Path, vulnerable: bool):
    (tmp_path / "package.json").write_text(json.dumps({"dependencies": {"express": "4"}}))
    (tmp_path / "app.js").write_text(HANDLER)
    with serve(_app(vulnerable)) as url:
        run = run_probe(ProbeConfig(base_url=url, project=tmp_path, checks=["command"],
                                    limits=Limits(rps=1000, max_requests=300, timeout=5)))
    found = [c for c in run.confirmations if c.category == "command-injection"]
    assert bool(found) is vulnerable

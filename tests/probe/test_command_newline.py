"""A shell command built from an input whose filter strips `$`, `;`, `&`, `|` and backticks
(TelcoAdmin's print spooler: `lp -d "${printer}" "${document}"` after
`command.replace(/[;&|`$]/g, '')`): the new line still separates commands. A value that ends the
quoted word's line and sleeps on the next delays the answer; the fixed twin passes the value as
one argument (no shell) and is not delayed. A route whose file runs no commands is not sent the
new-line shape at all."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from auditor.probe.engine import ProbeConfig, run_probe
from auditor.probe.safety import Limits

from .standin import serve

APP = '''\
{imports}
from flask import Flask, request, jsonify

app = Flask(__name__)


@app.post("/print")
def print_document():
    printer = request.get_json()["printer"]
    return jsonify(spool(printer))
'''


def _app(vulnerable: bool, seen: list[str], tmp: Path):
    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], str]:
        if path != "/print":
            return 404, {}, "{}"
        printer = str(json.loads(body or b"{}").get("printer", ""))
        seen.append(printer)
        cleaned = re.sub(r"[;&|`$]", "", printer)
        if vulnerable:  # the twin's shell runs in its own temp dir; `lp` is absent, as on the bench
            run = subprocess.run(["sh", "-c", f'true lp -d "{cleaned}" "doc.txt"'], cwd=tmp, capture_output=True,
                                 timeout=20)
        else:
            run = subprocess.run(["true", "lp", "-d", cleaned, "doc.txt"], cwd=tmp, capture_output=True, timeout=20)
        return (200 if run.returncode == 0 else 500), {}, json.dumps({"error": "Print failed"})

    return handle


@pytest.mark.parametrize("vulnerable,runs_commands", [(True, True), (False, True), (True, False)])
def test_a_new_line_past_a_filter_of_dollars_and_separators(tmp_path: Path, vulnerable: bool, runs_commands: bool):
    project = tmp_path / "project"
    project.mkdir()
    imports = "import subprocess\nfrom spool import spool" if runs_commands else "from spool import spool"
    (project / "app.py").write_text(APP.format(imports=imports))
    (project / "requirements.txt").write_text("flask\n")
    seen: list[str] = []
    with serve(_app(vulnerable, seen, tmp_path), content_type="application/json") as url:
        run = run_probe(ProbeConfig(base_url=url, project=project, checks=["command"],
                                    limits=Limits(rps=1000, max_requests=200, timeout=10)))
    found = {(c.endpoint, c.point.param.name) for c in run.confirmations if c.point is not None}
    assert found == ({("/print", "printer")} if vulnerable and runs_commands else set())
    assert any("\nsleep " in v for v in seen) is runs_commands

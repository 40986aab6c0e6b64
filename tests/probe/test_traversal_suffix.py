"""A handler that adds its own extension to the name it is given (vulnerable_js_app reads
`join(dir, name + '.yaml')`) opens the canary's path with that suffix: the target makes copies of
the canary under the usual suffixes, so the same payload reads one, and removes them at stop."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from auditor.probe.engine import ProbeConfig, run_probe
from auditor.probe.safety import Limits
from auditor.probe.target import SUFFIXED_COPIES, Target

from .standin import serve


def _app(folder: Path, suffix: str, confined: bool):
    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], str]:
        parts = urlsplit(path)
        if parts.path == "/":
            return 200, {}, '<a href="/settings?name=default">settings</a>'
        if parts.path != "/settings":
            return 404, {}, "not found"
        name = parse_qs(parts.query).get("name", [""])[0]
        if confined:
            name = os.path.basename(name)
        full = os.path.normpath(os.path.join(str(folder), name + suffix))
        try:
            with open(full, encoding="utf-8") as f:  # read only
                return 200, {"Content-Type": "text/plain"}, f.read()
        except OSError:
            return 404, {}, "no such settings"

    return handle


@pytest.mark.parametrize("confined", [False, True])
def test_a_handler_that_adds_yaml_to_the_name(tmp_path: Path, confined: bool):
    project = tmp_path / "project"
    settings = tmp_path / "app" / "settings"
    settings.mkdir(parents=True)
    project.mkdir()
    (settings / "default.yaml").write_text("theme: dark\n")
    target = Target.launch("sleep 30", 9, project)
    target._make_canary()
    try:
        with serve(_app(settings, ".yaml", confined)) as url:
            run = run_probe(ProbeConfig(base_url=url, project=project, checks=["traversal"],
                                        traversal_targets=target.traversal_targets(),
                                        limits=Limits(rps=1000, max_requests=300, timeout=5)))
        found = [(c.category, c.point.param.name if c.point else "") for c in run.confirmations]
        assert (("path-traversal", "name") in found) is not confined
    finally:
        copies = list(target.canary_copies)
        target.stop()
    assert len(copies) == len(SUFFIXED_COPIES) and not any(p.exists() for p in copies)
    assert not list(project.iterdir())  # nothing of the probe's is left in the project

"""A manifest edit checks the dependencies it added, against a registry on 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from deps.fake_services import FakeServices

from auditor.agent.hook import run_hook


@pytest.fixture
def registry(tmp_path: Path, monkeypatch):
    fake = FakeServices()
    server = fake.start()
    for var, value in fake.environ(str(tmp_path / "cache")).items():
        monkeypatch.setenv(var, value)
    yield fake
    server.shutdown()
    server.server_close()


def test_an_invented_package_added_to_requirements_is_reported(project: Path, registry: FakeServices):
    registry.pypi("flask", {"3.0.0": "2023-09-30T18:00:00Z", "3.1.0": "2026-01-10T10:00:00Z"})
    req = project / "requirements.txt"
    req.write_text("flask==3.0.0\nflask-sqlalchemy-utils-pro==1.0\n")
    payload = {"session_id": "s", "cwd": str(project), "hook_event_name": "PostToolUse", "tool_name": "Edit",
               "tool_input": {"file_path": str(req), "old_string": "flask==3.0.0\n",
                              "new_string": "flask==3.0.0\nflask-sqlalchemy-utils-pro==1.0\n"}}
    answer = json.loads(run_hook("claude", json.dumps(payload)).stdout)
    assert "requirements.txt:2" in answer["reason"] and "flask-sqlalchemy-utils-pro" in answer["reason"]
    looked_up = {path for _, service, path in registry.requests if service == "pypi"}
    assert looked_up == {"/pypi/flask-sqlalchemy-utils-pro/json"}  # only the added dependency
    assert all(host == "pypi" or host == "osv" for _, host, _ in registry.requests)

from __future__ import annotations

import sys
from pathlib import Path

import pytest


def _import_mcp_with_the_stdlib_secrets() -> None:
    """tests/secrets is a package named `secrets`, and pytest puts tests/ on sys.path, so it
    shadows the standard library's `secrets` that the MCP SDK (through starlette) imports.
    Import the SDK once with tests/ off the path and the shadow out of the way."""
    tests_dir = Path(__file__).resolve().parents[1]
    shadow = sys.modules.pop("secrets", None)
    saved = list(sys.path)
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != tests_dir]
    try:
        import mcp.client.client  # noqa: F401
        import mcp.server.mcpserver  # noqa: F401
    finally:
        sys.path[:] = saved
        sys.modules.pop("secrets", None)
        if shadow is not None:
            sys.modules["secrets"] = shadow


_import_mcp_with_the_stdlib_secrets()

SAFE_QUERY = 'db.execute("SELECT * FROM users WHERE id = ?", (uid,))'
BAD_QUERY = 'db.execute("SELECT * FROM users WHERE id = " + uid)'

APP = f'''from flask import Flask, request
import sqlite3

app = Flask(__name__)


@app.route("/user")
def user():
    db = sqlite3.connect("x.db")
    uid = request.args.get("id")
    return str({SAFE_QUERY}.fetchall())
'''


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    """A small Flask project whose app.py is clean; the cache lives in the temp dir."""
    root = tmp_path / "proj"
    root.mkdir()
    (root / "requirements.txt").write_text("flask==3.0.0\n")
    (root / "app.py").write_text(APP)
    monkeypatch.setenv("AUDITOR_CACHE_DIR", str(tmp_path / "cache"))
    return root

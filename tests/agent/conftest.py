from __future__ import annotations

from pathlib import Path

import pytest

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

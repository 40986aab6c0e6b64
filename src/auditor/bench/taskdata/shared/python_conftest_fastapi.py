import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)


@pytest.fixture()
def client(tmp_path, monkeypatch):
    monkeypatch.chdir(HERE)
    monkeypatch.setenv("APP_DB", str(tmp_path / "test.db"))
    import db

    db.init_db()
    from fastapi.testclient import TestClient

    import main

    return TestClient(main.app)


@pytest.fixture()
def ada():
    return {"X-User-Id": "1"}

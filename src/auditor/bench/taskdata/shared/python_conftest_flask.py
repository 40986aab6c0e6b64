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
    import app as app_module

    app_module.app.config["TESTING"] = True
    return app_module.app.test_client()


@pytest.fixture()
def ada():
    return {"X-User-Id": "1"}

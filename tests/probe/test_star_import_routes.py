"""Routes of a Flask app whose module never names Flask (it comes in by a star import of the
project's own settings), and inputs named by a module-level constant."""

from __future__ import annotations

from pathlib import Path

from auditor.probe.routes import code_routes

SETTINGS = "from flask import Flask, request\n\napp = Flask(__name__)\n"
MAIN = """from settings import *

secret_param = 'usefilename'
OTHER = "x"


@app.route('/secret')
def secret():
    value = request.args.get(secret_param)
    return open(value).read()


@app.route('/template/<user>')
def template(user):
    return user
"""


def test_routes_of_a_star_imported_flask_and_a_constant_input(tmp_path: Path):
    (tmp_path / "settings.py").write_text(SETTINGS)
    (tmp_path / "main.py").write_text(MAIN)
    routes = {r.path: r for r in code_routes(tmp_path)}
    assert set(routes) >= {"/secret", "/template/{user}"}
    assert [(p.name, p.location) for p in routes["/secret"].params] == [("usefilename", "query")]
    assert routes["/secret"].line == 8  # the line numbers stay the file's


def test_a_module_without_routes_or_flask_gives_none(tmp_path: Path):
    (tmp_path / "tool.py").write_text("import os\nNAME = 'a'\nprint(os.environ.get(NAME))\n")
    assert code_routes(tmp_path) == []

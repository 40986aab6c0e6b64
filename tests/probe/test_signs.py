"""The project's signs, gathered in one walk: whether it may serve an OpenAPI document, the
documents its code declares, and its GraphQL endpoints."""

from __future__ import annotations

from pathlib import Path

from auditor.probe.routes.signs import read_signs


def test_openapi_named_by_a_dependency_or_a_file_name(tmp_path: Path):
    (tmp_path / "app.py").write_text("from flask import Flask\napp = Flask(__name__)\n")
    assert not read_signs(tmp_path).openapi
    (tmp_path / "requirements.txt").write_text("fastapi==0.110\n")
    assert read_signs(tmp_path).openapi
    (tmp_path / "requirements.txt").unlink()
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "swagger.bin").write_bytes(b"\x00")  # the name alone tells
    assert read_signs(tmp_path).openapi


def test_a_project_too_large_to_read_counts_as_naming_openapi(tmp_path: Path):
    for i in range(4):
        (tmp_path / f"m{i}.py").write_text("x = 1\n")
    assert not read_signs(tmp_path, max_files=4).openapi
    assert read_signs(tmp_path, max_files=3).openapi


def test_one_walk_gathers_documents_and_graphql_paths(tmp_path: Path):
    (tmp_path / "main.ts").write_text("SwaggerModule.setup('docs', app, document);\n"
                                      "app.use('/api/graphql', graphqlHTTP({ schema }));\n")
    (tmp_path / "node_modules").mkdir()
    (tmp_path / "node_modules" / "dep.js").write_text("app.use('/vendor/graphql', x)  // graphql\n")
    signs = read_signs(tmp_path)
    assert signs.documents == ["/docs-json"]
    assert signs.graphql == ["/api/graphql"]  # dependency folders are not the project's own
    assert read_signs(tmp_path / "missing").graphql == []


def test_the_language_of_a_project_with_no_manifest(tmp_path: Path):
    """DSVPWA: Python's http.server and nothing else, scripts only under static/: its handlers
    are Python (the code check then sends Python's payloads, pickles among them)."""
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "server.py").write_text("import http.server\n")
    (tmp_path / "static" / "js").mkdir(parents=True)
    (tmp_path / "static" / "js" / "site.js").write_text("var x = 1;\n")
    signs = read_signs(tmp_path)
    assert signs.languages == {"python": 1} and signs.sole_language() == "python"
    (tmp_path / "server.js").write_text("require('http').createServer()\n")
    assert read_signs(tmp_path).sole_language() == ""

"""Sensitive files served, known by their content: a git config, an environment file of
secrets, a SQLite database, an SQL dump, a private key. Not a page that only talks about them,
nor a settings page of plain values."""

from __future__ import annotations

import pytest

from auditor.probe.checks.exposed_files import ExposedFiles, served_file
from auditor.probe.interface import Exchange, ProbeContext, Route
from auditor.probe.safety import Limits, SafeClient
from auditor.probe.sender import PointSender

from .standin import serve

GIT = "[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n[remote \"origin\"]\n\turl = git@x:y.git\n"
ENV = "NODE_ENV=production\nDB_PASSWORD=hunter2-prod\nJWT_SECRET=abc123\n"


def _answer(text: str, status: int = 200) -> Exchange:
    return Exchange("GET", "http://127.0.0.1/x", {}, "", status, [], text, 0.01)


@pytest.mark.parametrize("text,kind", [
    (GIT, "git"), (ENV, "environment"), ("SQLite format 3\x00\x10\x00\x01\x01", "SQLite"),
    ("-- dump\nCREATE TABLE users (id int);\nINSERT INTO users VALUES (1);", "dump"),
    ("-----BEGIN RSA PRIVATE KEY-----\nMIIEow...", "private key"),
    ("<html><body><p>Never commit your .env: DB_PASSWORD=x\nJWT_SECRET=y</p></body></html>", None),
    ("PORT=3000\nHOST=0.0.0.0\n", None),
    ("Not found", None),
])
def test_a_served_file_by_its_content(text: str, kind: str | None):
    what = served_file(_answer(text))
    assert (what is None) if kind is None else (kind in (what or ""))
    assert served_file(_answer(text, 404)) is None


@pytest.mark.parametrize("exposed", [True, False])
def test_the_well_known_paths_asked_as_a_visitor(exposed: bool):
    def handle(method, path, headers, body):
        if exposed and path == "/.git/config":
            return 200, {"Content-Type": "text/plain"}, GIT
        if path == "/backup":
            return 200, {"Content-Type": "application/octet-stream"}, "SQLite format 3\x00..." if exposed else "no"
        return 404, {}, "<html><body>Not found</body></html>"

    with serve(handle) as url:
        client = SafeClient(url, Limits(rps=1000))
        sender = PointSender(client)
        sender.request("GET", "/backup")  # the sweep's read of a route the code declares
        found = ExposedFiles().run(sender, ProbeContext(client.base_url), [Route("GET", "/backup", [], "code")])
    assert sorted(c.endpoint for c in found) == (["/.git/config", "/backup"] if exposed else [])

"""Two traversals whose answer holds no file content (vulnerable_js_app's /test073 and /test060):
- a handler that lists the folder it is given (`fs.readdir(base + user)`): the canary's folder,
  climbed to, is listed with the canary's random name in it (only where the handler's code lists
  folders);
- a handler that writes the text it is given to `name + '.yaml'`: the canary's `.yaml` copy is
  written over (twice, put back after each).
The twins keep the name inside their folder (`basename`)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from auditor.probe.engine import ProbeConfig, run_probe
from auditor.probe.safety import Limits
from auditor.probe.target import Target

from .standin import serve

EXPRESS = """const express = require('express');
const fs = require('fs');
const app = express();
app.get('/files/:user', (req, res) => {
  fs.readdir('./user_files/' + req.params.user, (error, files) => res.json({ files }));
});
app.get('/save', (req, res) => {
  fs.writeFile(path.join('user_files/', req.query.name + '.yaml'), req.query.text, () => res.json({ ok: true }));
});
app.listen(3000);
"""


def _project(root: Path) -> Path:
    project = root / "project"
    (project / "user_files" / "ann").mkdir(parents=True)
    (project / "app.js").write_text(EXPRESS)
    return project


def _app(project: Path, confined: bool):
    files = project / "user_files"

    def inside(name: str) -> str:
        return os.path.basename(name) if confined else name

    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], str]:
        parts = urlsplit(path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if parts.path.startswith("/files/"):
            from urllib.parse import unquote

            where = os.path.normpath(str(files) + "/" + inside(unquote(parts.path[len("/files/"):])))
            try:
                return 200, {"Content-Type": "application/json"}, json.dumps({"files": sorted(os.listdir(where))})
            except OSError:
                return 404, {}, json.dumps({"error": "no such folder"})
        if parts.path == "/save":
            where = os.path.normpath(os.path.join(str(files), inside(query.get("name", "")) + ".yaml"))
            # the twin writes only inside the test's own temp dir: the payloads name the canary there
            if not where.startswith(str(project.parent)):
                return 400, {}, "refused"
            try:
                Path(where).write_text(query.get("text", ""))
            except OSError:
                return 500, {}, "{}"
            return 200, {"Content-Type": "application/json"}, '{"ok": true}'
        return 200, {}, '<a href="/files/ann">files</a> <a href="/save?name=notes&text=hi">save</a>'

    return handle


@pytest.mark.parametrize("confined", [False, True])
def test_a_folder_listing_and_a_suffixed_write(tmp_path: Path, confined: bool):
    project = _project(tmp_path)
    target = Target.launch("sleep 30", 9, project)
    target._make_canary()
    before = {p: p.read_text() for p in project.iterdir() if p.is_file()}
    try:
        with serve(_app(project, confined)) as url:
            run = run_probe(ProbeConfig(base_url=url, project=project, checks=["traversal"],
                                        traversal_targets=target.traversal_targets(),
                                        limits=Limits(rps=1000, max_requests=400, timeout=5)))
        found = {(c.endpoint, c.point.param.name if c.point else "") for c in run.confirmations
                 if c.category == "path-traversal"}
        assert (("/files/{user}", "user") in found) is not confined
        assert (("/save", "name") in found) is not confined
        # every canary file is as the probe made it, at the end of the run
        assert {p: p.read_text() for p in before} == before
    finally:
        target.stop()


@pytest.mark.parametrize("confined", [False, True])
def test_a_delete_of_the_name_with_a_suffix(tmp_path: Path, confined: bool):
    """vulnerable_js_app's DELETE /test029/:user/:fileName unlinks `join(dir, user, name + '.yaml')`
    (with --allow-destructive): the canary's `.yaml` copy is deleted, twice, and put back."""
    project = tmp_path / "project"
    (project / "user_files").mkdir(parents=True)
    (project / "app.js").write_text("app.delete('/notes/:name', (req, res) => {\n"
                                    "  fs.unlinkSync(path.join('user_files', req.params.name + '.yaml'));\n"
                                    "  res.json({ ok: true });\n});\n")
    target = Target.launch("sleep 30", 9, project)
    target._make_canary()

    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], str]:
        from urllib.parse import unquote

        if method != "DELETE" or not path.startswith("/notes/"):
            return 200, {}, "<p>notes</p>"
        name = unquote(path[len("/notes/"):])
        where = os.path.normpath(os.path.join(str(project / "user_files"),
                                              (os.path.basename(name) if confined else name) + ".yaml"))
        if not where.startswith(str(tmp_path)):  # the twin deletes only inside the test's temp dir
            return 400, {}, "refused"
        try:
            os.unlink(where)
        except OSError:
            return 200, {"Content-Type": "application/json"}, '{"ok": false}'
        return 200, {"Content-Type": "application/json"}, '{"ok": true}'

    try:
        copies = [p for p in project.iterdir() if ".txt." in p.name]
        with serve(handle) as url:
            run = run_probe(ProbeConfig(base_url=url, project=project, checks=["traversal"],
                                        traversal_targets=target.traversal_targets(),
                                        limits=Limits(rps=1000, max_requests=300, timeout=5, allow_destructive=True)))
        found = [c for c in run.confirmations if c.category == "path-traversal"]
        assert bool(found) is not confined
        assert all("deleted" in c.message for c in found)
        assert copies and all(p.exists() for p in copies)  # put back
    finally:
        target.stop()


@pytest.mark.parametrize("stores_names", [True, False])
def test_a_name_an_earlier_request_stored_is_no_file(tmp_path: Path, stores_names: bool):
    """dvws-node's sign-up (`POST /api/v2/users`) answers 409 "already exists" for a user name an
    earlier request of the probe stored, the canary's path among them, and 500 for the missing
    paths (no password beside them): the canary's path spelled with `/./` is another name, answered
    like a missing one, so no file was told apart. A handler that looks the path up on disk
    answers that spelling like the canary's."""
    from auditor.probe.checks.traversal import existence, payloads
    from auditor.probe.interface import InjectionPoint, Param, Route
    from auditor.probe.safety import SafeClient
    from auditor.probe.sender import PointSender

    canary = tmp_path / "app" / "auditor-canary-0123456789abcdef.txt"
    canary.parent.mkdir()
    canary.write_text("x\n")
    stored = {payloads(str(canary))[0]}

    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], str]:
        name = parse_qs(body.decode()).get("username", [""])[0]
        if stores_names:
            return (409, {}, "already exists") if name in stored else (500, {}, "password is required")
        where = os.path.normpath(os.path.join(str(tmp_path / "app" / "files"), name))
        return (200, {}, "found") if os.path.exists(where) else (404, {}, "no such file")

    route = Route("POST", "/users", [Param("username", "form")])
    point = InjectionPoint(route, route.params[0])
    with serve(handle) as url:
        sender = PointSender(SafeClient(url, Limits(rps=1000)))
        first = sender.send(point, payloads(str(canary))[0])
        assert (existence(sender, point, str(canary), first) is None) is stores_names

"""Path traversal in the URL path (DSVPWA serves every path with a suffix by `open('./' + path)`):
the folders of the static files the crawl found are asked for the canary by a climb out of them,
the `../` sent as written. A server that resolves the path inside its folder first hands out
nothing outside it; the climb itself reaches the server unnormalised."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from auditor.probe.engine import ProbeConfig, run_probe
from auditor.probe.safety import Limits

from .standin import serve

CONTENT = "the-canary-content-4af93be1"


def _app(site: Path, vulnerable: bool, seen: list[str]):
    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], str]:
        seen.append(path)
        wanted = unquote(urlsplit(path).path)
        if wanted == "/":
            return 200, {}, '<script src="/static/js/site.js"></script><a href="/about">about</a>'
        if wanted == "/about":
            return 200, {}, "<p>about us</p>"
        full = os.path.normpath(str(site) + wanted) if vulnerable else \
            os.path.normpath(os.path.join(str(site), os.path.normpath("/" + wanted).lstrip("/")))
        if not vulnerable and not full.startswith(str(site) + os.sep):
            return 404, {}, "not found"
        try:
            with open(full, encoding="utf-8") as f:  # read only: the stand-in never writes
                return 200, {"Content-Type": "text/plain"}, f.read()
        except OSError:
            return 404, {}, "not found"

    return handle


@pytest.mark.parametrize("vulnerable", [True, False])
def test_a_climb_out_of_the_static_folder(tmp_path: Path, vulnerable: bool):
    site = tmp_path / "site"
    (site / "static" / "js").mkdir(parents=True)
    (site / "static" / "js" / "site.js").write_text("var x = 1;\n")
    canary = tmp_path / "outside" / "auditor-canary-0123456789abcdef.txt"
    canary.parent.mkdir()
    canary.write_text(CONTENT + "\n")
    seen: list[str] = []
    with serve(_app(site, vulnerable, seen)) as url:
        run = run_probe(ProbeConfig(base_url=url, project=tmp_path / "no-project", checks=["traversal"],
                                    traversal_targets=[(str(canary), CONTENT)],
                                    limits=Limits(rps=1000, max_requests=200, timeout=5)))
    found = [(c.category, c.endpoint) for c in run.confirmations]
    assert (("path-traversal", "/static/{file}") in found) is vulnerable
    assert any("/static/../../" in p for p in seen)  # sent as written, not normalised
    assert canary.read_text() == CONTENT + "\n"


@pytest.mark.parametrize("vulnerable", [True, False])
def test_a_folder_the_code_mounts_a_static_middleware_at(tmp_path: Path, vulnerable: bool):
    """nodejs-goof serves ./public at /public with `st` 0.2, which follows `%2e%2e/`; no script or
    style of the crawl is under it (its one page there is HTML). The mount is read from the code."""
    project = tmp_path / "project"
    (project / "public").mkdir(parents=True)
    (project / "public" / "about.html").write_text("<p>about</p>")
    (project / "app.js").write_text("const st = require('st');\n"
                                    "app.use(st({ path: './public', url: '/public' }));\n")
    canary = tmp_path / "outside" / "auditor-canary-0123456789abcdef.txt"
    canary.parent.mkdir()
    canary.write_text(CONTENT + "\n")

    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], str]:
        wanted = unquote(urlsplit(path).path)
        if not wanted.startswith("/public/"):
            return 200, {}, "<p>home</p>" if wanted == "/" else "not found"
        inside = project / "public"
        full = os.path.normpath(str(inside) + "/" + wanted[len("/public/"):])
        if not vulnerable and not full.startswith(str(inside) + os.sep):
            return 403, {}, "forbidden"
        try:
            with open(full, encoding="utf-8") as f:  # read only
                return 200, {"Content-Type": "text/plain"}, f.read()
        except OSError:
            return 404, {}, "not found"

    with serve(handle) as url:
        run = run_probe(ProbeConfig(base_url=url, project=project, checks=["traversal"],
                                    traversal_targets=[(str(canary), CONTENT)],
                                    limits=Limits(rps=1000, max_requests=300, timeout=5)))
    found = [(c.category, c.endpoint) for c in run.confirmations]
    assert (("path-traversal", "/public/{file}") in found) is vulnerable


def test_static_mounts_read_from_javascript():
    from auditor.probe.routes.signs import STATIC_MOUNT

    code = (b"app.use('/assets', express.static(path.join(__dirname, 'a')));\n"
            b"app.use(st({ path: './public', url: '/public' }));\napp.use(express.static('www'));\n")
    assert [(a or b).decode() for a, b in STATIC_MOUNT.findall(code)] == ["/assets", "/public"]


@pytest.mark.parametrize("joined", [True, False])
def test_inputs_joined_into_one_path_hold_the_current_folder(tmp_path: Path, joined: bool):
    """vulnerable_js_app's `'target/user_files/' + user + '/' + fileName`: with `user` filled as `1`,
    a folder that does not exist, the OS never climbs the `..`; with `.` it does. A handler that
    takes the file name alone answers the same either way (and its flaw is found by the first try)."""
    from auditor.probe.checks.traversal import PathTraversal
    from auditor.probe.interface import InjectionPoint, Param, ProbeContext, Route
    from auditor.probe.safety import Limits, SafeClient
    from auditor.probe.sender import PointSender

    root = tmp_path / "app" / "target" / "user_files"
    root.mkdir(parents=True)
    canary = tmp_path / "outside" / "auditor-canary-0123456789abcdef.txt"
    canary.parent.mkdir()
    canary.write_text(CONTENT + "\n")

    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], str]:
        parts = urlsplit(path).path.split("/")  # /files/{user}/{name}
        user, name = unquote(parts[2]), unquote(parts[3])
        built = f"{root}/{user}/{name}" if joined else f"{root}/{name}"
        try:  # read only; the OS resolves each folder of the path in turn, as open() does
            with open(built, encoding="utf-8") as f:
                return 200, {"Content-Type": "text/plain"}, f.read()
        except OSError:
            return 404, {}, "not found"

    route = Route("GET", "/files/{user}/{name}", [Param("user", "path"), Param("name", "path")])
    with serve(handle) as url:
        client = SafeClient(url, Limits(rps=1000))
        found = PathTraversal().run(PointSender(client), ProbeContext(client.base_url,
                                                                      traversal_targets=[(str(canary), CONTENT)]),
                                    InjectionPoint(route, route.params[1]))
    assert found is not None
    assert ("`.`" in found.message) is joined

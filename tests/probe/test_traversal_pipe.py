"""Blind file reads confirmed by a named pipe (checks/pipe.py): a handler that opens the path it
is given and shows nothing of what it read (vulnpy's `open(path)`), or opens it for writing,
answers every path alike; the probe's pipe, opened while the request is in flight, is the proof.
The fixed twin keeps the name inside its own folder. Stand-ins touch only their temp dir."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from auditor.probe.checks.pipe import PIPE_NAME, is_pipe, watched
from auditor.probe.checks.traversal import PathTraversal
from auditor.probe.interface import InjectionPoint, Param, ProbeContext, Route
from auditor.probe.routes.crawl import crawl
from auditor.probe.safety import Limits, SafeClient
from auditor.probe.sender import PointSender
from auditor.probe.target import Target

from .standin import serve

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need a POSIX system")

CONTENT = "auditor-canary-0123456789abcdef01234567"


def _canaries(tmp_path: Path) -> list[tuple[str, str]]:
    app = tmp_path / "app"
    app.mkdir()
    canary = tmp_path / "auditor-canary-0123456789abcdef.txt"
    canary.write_text(CONTENT + "\n")
    pipe = tmp_path / "auditor-canary-fedcba9876543210.pipe"
    os.mkfifo(pipe)
    return [(str(canary), CONTENT), (str(pipe), CONTENT)]


def _handler(root: Path, mode: str):
    """`open` the joined path and throw the result away; `write`: open it for writing; `fixed`:
    the base name only, inside the app's own folder."""

    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], str]:
        name = parse_qs(urlsplit(path).query).get("name", [""])[0]
        target = root / (os.path.basename(name) if mode == "fixed" else name)
        try:
            if mode == "write":
                with open(target, "w") as f:
                    f.write("note\n")
            else:
                with open(target) as f:
                    f.read()
        except OSError:
            pass
        return 200, {}, "<p>done</p>"

    return handle


@pytest.mark.parametrize("mode", ["read", "write", "fixed"])
def test_blind_open_confirmed_by_the_pipe(tmp_path, mode):
    targets = _canaries(tmp_path)
    root = tmp_path / "app"
    (tmp_path / "bystander.txt").write_text("keep me\n")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file() and "canary" not in p.name}
    route = Route("GET", "/open", [Param("name", "query", "notes.txt")], source="code")
    point = InjectionPoint(route, route.params[0])
    with serve(_handler(root, mode)) as url:
        client = SafeClient(url, Limits(rps=1000, timeout=5.0))
        sender = PointSender(client)
        ctx = ProbeContext(client.base_url, traversal_targets=targets)
        check = PathTraversal()
        direct = check.run(sender, ctx, point)
        # the answers show nothing; a writer is seen in what it did to the canary file itself
        assert (direct is not None) is (mode == "write")
        found = [direct] if direct is not None else list(check.last(ctx, sender))
    assert bool(found) is (mode != "fixed")
    if mode == "write":
        assert "wrote over" in found[0].message and "twice" in found[0].message
        assert Path(targets[0][0]).read_text() == CONTENT + "\n"  # put back
    elif found:
        assert "blind" in found[0].message and PIPE_NAME.search(found[0].canary)
        assert found[0].exchange.status == 200  # a writer was let go: the request did not time out
    # only the canary file may be written (a writer opens it too); the rest is as it was
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file() and "canary" not in p.name} == before
    assert is_pipe(targets[1][0])  # the pipe is still a pipe: what a writer sent reached no file


def test_nothing_open_means_no_proof(tmp_path):
    pipe = tmp_path / "auditor-canary-00.pipe"
    os.mkfifo(pipe)
    result, opened = watched(str(pipe), CONTENT, lambda: "sent")
    assert result == "sent" and not opened


def test_a_pipe_replaced_by_a_file_is_no_proof(tmp_path):
    """django.nV's upload moves the uploaded file to the path it is given: the pipe's name then
    holds a regular file, which opens with no reader at all. That is never a reader."""
    pipe = tmp_path / "auditor-canary-02.pipe"
    os.mkfifo(pipe)

    def replace_then_answer() -> str:
        pipe.unlink()
        pipe.write_text("uploaded\n")
        return "sent"

    result, opened = watched(str(pipe), CONTENT, replace_then_answer)
    assert result == "sent" and not opened
    assert watched(str(pipe), CONTENT, lambda: "again") == ("again", False)  # no look at all now
    assert pipe.read_text() == "uploaded\n"  # nothing written into the file in the pipe's place


def test_a_reader_gets_the_line_and_end_of_file(tmp_path):
    pipe = tmp_path / "auditor-canary-01.pipe"
    os.mkfifo(pipe)
    got: list[str] = []
    reader = threading.Thread(target=lambda: got.append(pipe.read_text()))

    def send() -> str:
        reader.start()
        reader.join(5)
        return "sent"

    _, opened = watched(str(pipe), CONTENT, send)
    assert opened and got == [CONTENT + "\n"]


def test_target_makes_and_removes_the_pipe(tmp_path):
    target = Target.launch("sleep 30", 9, tmp_path)
    target._make_canary()
    try:
        names = [Path(a) for a, _ in target.traversal_targets()]
        assert len(names) == 2 and names[0].is_file() and is_pipe(str(names[1]))
        assert PIPE_NAME.fullmatch(names[1].name)
    finally:
        target.stop()
    assert not any(p.exists() for p in names)


def test_crawl_never_fetches_the_pipe(tmp_path):
    seen: list[str] = []

    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], str]:
        seen.append(path)
        return 200, {}, '<a href="/auditor-canary-fedcba9876543210.pipe">p</a> <a href="/notes.txt">n</a>'

    with serve(handle) as url:
        crawl(SafeClient(url, Limits(rps=1000)))
    assert "/notes.txt" in seen and not any(PIPE_NAME.search(p) for p in seen)


@pytest.mark.parametrize("confined", [False, True])
def test_a_handler_that_deletes_the_path_it_is_given(tmp_path, confined):
    """vulnerable_js_app's GET /test038 runs `unlinkSync(join('target/user_files', user, fileName))`:
    the canary disappears (twice: it is put back after each), and is there at the end."""
    targets = _canaries(tmp_path)
    root = tmp_path / "app"

    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], str]:
        name = parse_qs(urlsplit(path).query).get("name", [""])[0]
        target = root / (os.path.basename(name) if confined else name)
        if target.name.startswith("auditor-canary-") and target.suffix == ".txt":
            target.unlink(missing_ok=True)  # the stand-in deletes only a canary-named file
        return 200, {}, '{"ok": true}'

    route = Route("GET", "/test038", [Param("name", "query", "notes.txt")], source="code")
    with serve(handle) as url:
        client = SafeClient(url, Limits(rps=1000, timeout=5.0))
        found = PathTraversal().run(PointSender(client), ProbeContext(client.base_url, traversal_targets=targets),
                                    InjectionPoint(route, route.params[0]))
    assert (found is not None) is not confined
    if found is not None:
        assert "deleted" in found.message
    assert Path(targets[0][0]).read_text() == CONTENT + "\n"

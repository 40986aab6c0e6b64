"""Starting a twin app for a test: copied into the test's own temp dir, bound to 127.0.0.1 on
an ephemeral port, with its data folder beside it; probed in-process through the engine."""

from __future__ import annotations

import hashlib
import shutil
import socket
import sys
from dataclasses import dataclass
from pathlib import Path

from auditor.probe.engine import ProbeConfig, ProbeRun, run_probe
from auditor.probe.safety import Limits
from auditor.probe.target import Target

TWINS = Path(__file__).parent / "twins"
# Two users for the IDOR check (the Flask twin reads X-User; the others ignore it).
IDENTITIES = [("alice", {"X-User": "alice"}), ("bob", {"X-User": "bob"})]
ENTRY = {"flask_app": "app.py", "directory_app": "app.py", "accounts_app": "app.py", "fastapi_app": "main.py", "django_app": "manage.py", "node_app": "server.js"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Twin:
    root: Path  # the test's temp dir: app/ and data/ live here
    project: Path
    command: str
    port: int


def make_twin(tmp_path: Path, name: str, mode: str) -> Twin:
    project = tmp_path / "app"
    shutil.copytree(TWINS / name, project)
    if name != "node_app":
        shutil.copy(TWINS / "twin_support.py", project / "twin_support.py")
    data = tmp_path / "data"
    data.mkdir()
    port = free_port()
    runner = "node" if name == "node_app" else sys.executable
    command = (f"TWIN_MODE={mode} TWIN_DATA={data} PYTHONPATH={project} PYTHONDONTWRITEBYTECODE=1 "
               f"exec {runner} {ENTRY[name]} {port}")
    return Twin(tmp_path, project, command, port)


def probe_twin(twin: Twin, **limits: float) -> ProbeRun:
    lim = Limits(rps=limits.get("rps", 1000), max_requests=int(limits.get("max_requests", 4000)), timeout=5)
    with Target.launch(twin.command, twin.port, twin.project, startup_timeout=30) as target:
        cfg = ProbeConfig(base_url=target.base_url, project=twin.project, limits=lim,
                          traversal_targets=target.traversal_targets(), identities=IDENTITIES)
        return run_probe(cfg)


def snapshot(root: Path, skip: tuple[str, ...] = ("data",)) -> dict[str, str]:
    """Every file under `root` (except the twin's own data folder) with a hash of its content."""
    out = {}
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root).as_posix()
        if p.is_file() and rel.split("/")[0] not in skip and "__pycache__" not in rel:
            out[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out

"""auditor probe (and wapiti) on deliberately vulnerable apps nobody here wrote: vulpy
(github.com/fportantier/vulpy, MIT), whose `bad/` and `good/` folders are the same Flask app
written insecurely and securely, and DSVW (github.com/stamparm/DSVW, public domain), one file
of Python's own http.server with a vulnerability per query parameter. Nothing of it is committed here: the script exports it from
a local git mirror into a temp dir, binds it to 127.0.0.1 on a free port (the one line it
patches), and runs it as the unprivileged user `nobody` with its own venv, so a hostile
handler can only write where `nobody` may.

Ground truth (the exploitable endpoints of the categories the probe covers), written from
reading bad/ before the first run:
- SQL injection: POST /user/login (form username, password: string-built SELECT),
  POST /user/create (form username, password: string-built INSERT),
  POST /api/key (JSON username, password: the same login SELECT);
- debug page: the app runs with debug=True (Werkzeug debugger).
DSVW ground truth (its own list of cases, restricted to the categories the probe covers,
written before the first run; lxml is not installed, so its XML/XPath cases are off):
SQL injection /?id, /?comment (INSERT), /login?password; XSS /?v and /users.json?callback
(JSONP); command injection /?domain; path traversal and SSRF /?path; open redirect /?redir
(a meta refresh); code execution /?include (exec of a file it reads); tracebacks in error
pages; clickjacking (no X-Frame-Options).
Counted per (category, endpoint[, parameter]). Usage:
  python bench/probe_external.py --app vulpy|dsvw --mirror /path/to/git [--rps N] [--wapiti]
Needs bench/.work/vulpy-venv with flask click cryptography geoip2 jsonschema PyJWT pyotp qrcode requests."""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from auditor.commands.probe import LOOPBACK_RPS  # noqa: E402
from auditor.probe.engine import ProbeConfig, run_probe  # noqa: E402
from auditor.probe.results import to_result  # noqa: E402
from auditor.probe.safety import Limits  # noqa: E402
from auditor.probe.target import Target  # noqa: E402
from tests.probe.twinrun import free_port  # noqa: E402

VENV_PY = REPO / "bench" / ".work" / "vulpy-venv" / "bin" / "python"
WAPITI = REPO / "bench" / ".work" / "wapiti-venv" / "bin" / "wapiti"
TRUTH = {("sql-injection", "/user/login"), ("sql-injection", "/user/create"), ("sql-injection", "/api/key"),
         ("security-misconfiguration:debug", None)}
DSVW_TRUTH = {("sql-injection", "/", "id"), ("sql-injection", "/", "comment"), ("sql-injection", "/login", "password"),
              ("xss", "/", "v"), ("xss", "/users.json", "callback"), ("command-injection", "/", "domain"),
              ("path-traversal", "/", "path"), ("ssrf", "/", "path"), ("open-redirect", "/", "redir"),
              ("code-injection", "/", "include"), ("security-misconfiguration:debug", None, None),
              ("security-misconfiguration:headers", None, None)}


def export(mirror: Path, paths: list[str], dest: Path) -> None:
    data = subprocess.run(["git", "--git-dir", str(mirror), "archive", "HEAD", *paths], capture_output=True,
                          check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(dest, filter="data")
    os.chmod(dest, 0o777)  # the app runs as nobody: its folder and files must be its own to write
    for p in dest.rglob("*"):
        os.chmod(p, 0o777 if p.is_dir() else 0o666)


def _as_nobody(script: str) -> str:
    return f"exec setpriv --reuid=nobody --regid=nogroup --clear-groups {VENV_PY} {script}"


def prepare_vulpy(mirror: Path, folder: str, dest: Path, port: int) -> tuple[Path, str]:
    export(mirror, [folder], dest)
    app = dest / folder
    main = app / "vulpy.py"
    text = main.read_text()
    text = re.sub(r"app\.run\(([^)]*)\)", lambda m: re.sub(r"host='[^']*'", "host='127.0.0.1'",
                  re.sub(r"port=\d+", f"port={port}", m.group(1))).join(("app.run(", ")")), text)
    main.write_text(text)
    subprocess.run(["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", str(VENV_PY), "db_init.py"],
                   cwd=app, check=True, capture_output=True)
    return app, _as_nobody("vulpy.py")


def prepare_dsvw(mirror: Path, folder: str, dest: Path, port: int) -> tuple[Path, str]:
    export(mirror, ["dsvw.py"], dest)
    main = dest / "dsvw.py"
    main.write_text(re.sub(r"LISTEN_PORT = \"127\.0\.0\.1\", \d+", f'LISTEN_PORT = "127.0.0.1", {port}',
                           main.read_text()))
    return dest, _as_nobody("dsvw.py")


APPS = {"vulpy": (prepare_vulpy, {"bad": TRUTH, "good": set()}), "dsvw": (prepare_dsvw, {"": DSVW_TRUTH})}


def _matches(truth: tuple, found: tuple) -> bool:
    return found[0] == truth[0] and all(t is None or t == f for t, f in zip(truth[1:], found[1:], strict=False))


def score(found: set[tuple], truth: set[tuple]) -> dict[str, object]:
    hit = {t for t in truth if any(_matches(t, f) for f in found)}
    return {"expected": len(truth), "confirmed": len(hit), "missed": sorted(map(str, truth - hit)),
            "other": sorted(map(str, {f for f in found if not any(_matches(t, f) for t in truth)}))}


def _kind(message: str) -> str:
    return ":debug" if message.startswith("debug") else ":headers" if message.startswith("HTML page") else ""


def run_auditor(app_name: str, mirror: Path, folder: str, rps: float) -> dict[str, object]:
    prepare, truths = APPS[app_name]
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        app, command = prepare(mirror, folder, Path(tmp), port)
        with Target.launch(command, port, app, startup_timeout=30) as target:
            cfg = ProbeConfig(base_url=target.base_url, project=app, limits=Limits(rps=rps, max_requests=5000),
                              traversal_targets=target.traversal_targets())
            run = run_probe(cfg)
        result = to_result(run)
        found = set()
        for f in result.findings:
            param = (f.extra["parameter"] or "").split(" (")[0] or None
            cat = f.category + (_kind(f.message) if f.category == "security-misconfiguration" else "")
            found.add((cat, f.extra["endpoint"], param))
        out = score(found, truths[folder])
        out.update(requests=len(run.requests), seconds=round(run.seconds, 1), routes=len(run.routes),
                   findings=[f"{f.category} {f.extra['method']} {f.extra['endpoint']} {f.extra['parameter']}: "
                             f"{f.message}" for f in result.findings])
        return out


def run_wapiti(app_name: str, mirror: Path, folder: str) -> dict[str, object]:
    from bench.probe_eval import WAPITI_CATEGORIES, wapiti_report

    prepare, truths = APPS[app_name]
    with tempfile.TemporaryDirectory() as tmp:
        os.chmod(tmp, 0o755)  # nobody must reach the app folder inside it
        port = free_port()
        app, command = prepare(mirror, folder, Path(tmp) / "app", port)
        with Target.launch(command, port, app, startup_timeout=30) as target:
            data, seconds = wapiti_report(WAPITI, target.base_url, tmp, 900)
        found = set()
        for cat, items in (data.get("vulnerabilities") or {}).items():
            ours = WAPITI_CATEGORIES.get(cat, "unmapped:" + cat)
            if ours:
                found |= {(ours, v.get("path", "").split("?")[0], v.get("parameter") or None) for v in items}
        out = score(found, truths[folder])
        out.update(seconds=round(seconds, 1))
        return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--app", choices=sorted(APPS), default="vulpy")
    ap.add_argument("--mirror", type=Path, required=True)
    ap.add_argument("--rps", type=float, default=LOOPBACK_RPS,
                    help="requests per second; default: the probe's own on loopback (no cap; 0 = none)")
    ap.add_argument("--wapiti", action="store_true")
    args = ap.parse_args()
    for folder in APPS[args.app][1]:
        name = f"{args.app}/{folder}".rstrip("/")
        print(json.dumps({"app": name, "tool": "auditor", **run_auditor(args.app, args.mirror, folder, args.rps)},
                         indent=1), flush=True)
        if args.wapiti and WAPITI.exists():
            print(json.dumps({"app": name, "tool": "wapiti", **run_wapiti(args.app, args.mirror, folder)},
                             indent=1), flush=True)


if __name__ == "__main__":
    main()

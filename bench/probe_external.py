"""auditor probe (and wapiti) on a deliberately vulnerable app nobody here wrote: vulpy
(github.com/fportantier/vulpy, MIT), whose `bad/` and `good/` folders are the same Flask app
written insecurely and securely. Nothing of it is committed here: the script exports it from
a local git mirror into a temp dir, binds it to 127.0.0.1 on a free port (the one line it
patches), and runs it as the unprivileged user `nobody` with its own venv, so a hostile
handler can only write where `nobody` may.

Ground truth (the exploitable endpoints of the categories the probe covers), written from
reading bad/ before the first run:
- SQL injection: POST /user/login (form username, password: string-built SELECT),
  POST /user/create (form username, password: string-built INSERT),
  POST /api/key (JSON username, password: the same login SELECT);
- debug page: the app runs with debug=True (Werkzeug debugger).
Counted per endpoint. Usage:
  python bench/probe_external.py --mirror /path/to/vulpy/git [--rps N] [--wapiti]
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
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from auditor.probe.engine import ProbeConfig, run_probe  # noqa: E402
from auditor.probe.results import to_result  # noqa: E402
from auditor.probe.safety import Limits  # noqa: E402
from auditor.probe.target import Target  # noqa: E402
from tests.probe.twinrun import free_port  # noqa: E402

VENV_PY = REPO / "bench" / ".work" / "vulpy-venv" / "bin" / "python"
WAPITI = REPO / "bench" / ".work" / "wapiti-venv" / "bin" / "wapiti"
TRUTH = {("sql-injection", "/user/login"), ("sql-injection", "/user/create"), ("sql-injection", "/api/key"),
         ("security-misconfiguration:debug", None)}


def export(mirror: Path, folder: str, dest: Path) -> Path:
    data = subprocess.run(["git", "--git-dir", str(mirror), "archive", "HEAD", folder], capture_output=True,
                          check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(dest, filter="data")
    app = dest / folder
    os.chmod(dest, 0o777)  # the app runs as nobody: its folder and files must be its own to write
    for p in [app, *app.rglob("*")]:
        os.chmod(p, 0o777 if p.is_dir() else 0o666)
    return app


def prepare(app: Path, port: int) -> str:
    main = app / "vulpy.py"
    text = main.read_text()
    text = re.sub(r"app\.run\(([^)]*)\)", lambda m: re.sub(r"host='[^']*'", "host='127.0.0.1'",
                  re.sub(r"port=\d+", f"port={port}", m.group(1))).join(("app.run(", ")")), text)
    main.write_text(text)
    subprocess.run(["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", str(VENV_PY), "db_init.py"],
                   cwd=app, check=True, capture_output=True)
    return f"exec setpriv --reuid=nobody --regid=nogroup --clear-groups {VENV_PY} vulpy.py"


def score(found: set[tuple[str, str | None]], truth: set[tuple[str, str | None]]) -> dict[str, object]:
    hit = {t for t in truth if any(f[0] == t[0] and t[1] in (None, f[1]) for f in found)}
    return {"expected": len(truth), "confirmed": len(hit), "missed": sorted(map(str, truth - hit)),
            "other": sorted(map(str, {f for f in found if not any(f[0] == t[0] and t[1] in (None, f[1])
                                                                   for t in truth)}))}


def run_auditor(mirror: Path, folder: str, rps: float) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        app = export(mirror, folder, Path(tmp))
        port = free_port()
        command = prepare(app, port)
        with Target.launch(command, port, app, startup_timeout=30) as target:
            cfg = ProbeConfig(base_url=target.base_url, project=app, limits=Limits(rps=rps, max_requests=5000),
                              traversal_targets=target.traversal_targets())
            run = run_probe(cfg)
        result = to_result(run)
        found = {(f.category + (":debug" if f.message.startswith("debug") else ""), f.extra["endpoint"])
                 for f in result.findings}
        out = score(found, TRUTH if folder == "bad" else set())
        out.update(requests=len(run.requests), seconds=round(run.seconds, 1), routes=len(run.routes),
                   findings=[f"{f.category} {f.extra['method']} {f.extra['endpoint']} {f.extra['parameter']}: "
                             f"{f.message}" for f in result.findings])
        return out


def run_wapiti(mirror: Path, folder: str) -> dict[str, object]:
    from bench.probe_eval import WAPITI_CATEGORIES

    with tempfile.TemporaryDirectory() as tmp:
        app = export(mirror, folder, Path(tmp) / "x")
        port = free_port()
        command = prepare(app, port)
        report = Path(tmp) / "wapiti.json"
        with Target.launch(command, port, app, startup_timeout=30) as target:
            begin = time.monotonic()
            subprocess.run([str(WAPITI), "-u", target.base_url + "/", "--scope", "domain", "-m",
                            "sql,timesql,exec,xss,file,redirect,ldap", "-f", "json", "-o", str(report),
                            "--flush-session", "--max-scan-time", "900"],
                           capture_output=True, text=True, timeout=1000, cwd=tmp, env={"HOME": tmp, "PATH": "/usr/bin:/bin"})
            seconds = time.monotonic() - begin
        data = json.loads(report.read_text()) if report.exists() else {}
        found = set()
        for cat, items in (data.get("vulnerabilities") or {}).items():
            ours = WAPITI_CATEGORIES.get(cat, "unmapped:" + cat)
            if ours:
                found |= {(ours, v.get("path", "").split("?")[0]) for v in items}
        out = score(found, TRUTH if folder == "bad" else set())
        out.update(seconds=round(seconds, 1))
        return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mirror", type=Path, required=True)
    ap.add_argument("--rps", type=float, default=10.0)
    ap.add_argument("--wapiti", action="store_true")
    args = ap.parse_args()
    for folder in ("bad", "good"):
        print(json.dumps({"app": f"vulpy/{folder}", "tool": "auditor", **run_auditor(args.mirror, folder, args.rps)},
                         indent=1), flush=True)
        if args.wapiti and WAPITI.exists():
            print(json.dumps({"app": f"vulpy/{folder}", "tool": "wapiti", **run_wapiti(args.mirror, folder)},
                             indent=1), flush=True)


if __name__ == "__main__":
    main()

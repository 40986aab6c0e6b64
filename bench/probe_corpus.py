"""auditor probe (and wapiti) on a corpus of deliberately vulnerable apps nobody here wrote:
the OWASP SKF labs (github.com/blabla1337/skf-labs), small Flask and Express apps with one
documented flaw each. The manifest (bench/probe_corpus.json) names each lab, the commit, and
the ground truth taken from the lab's own write-up. No lab code is committed: each is exported
from a local git mirror into a temp dir at run time.

Safety (the labs really run commands and open files):
- the whole run happens in a fresh network namespace (`unshare -n`) whose only interface is
  loopback, so neither the probe nor a lab can reach anything but 127.0.0.1;
- each lab runs as the unprivileged user `nobody`, with its working directory in its own temp
  dir, bound to 127.0.0.1 on a free port by a launcher of ours (the lab's code is not edited),
  and is stopped by process group after the run.

Python labs use bench/.work/skf-venv or $SKF_PYTHON (Flask 2.2, Werkzeug 2.2, flask-cors,
requests, validators<0.21, fpdf, Flask-JWT 0.3.2, PyJWT 1.4.2, the last two with --no-deps);
labs marked "venv": "old" use bench/.work/skf-venv-old or $SKF_PYTHON_OLD (Flask 2.0.3,
Werkzeug 2.0.3, flask-cors, requests, Flask-JWT 0.3.2, PyJWT 1.7.1 --no-deps). Make both with
/usr/bin/python3 -m venv (the labs run as nobody). Node labs use the modules installed in
bench/.work/skf-node (NODE_PATH): npm install there of the union of the manifest's node labs'
package.json dependencies, in the labs' own ranges (a plain `npm install express` now brings
Express 5): `npm init -y && npm install express@^4.17.1 ejs@^3.1.6 express-session@^1.17.2
cookie-parser@^1.4.6 cookie-session@^2.0.0 cors@^2.8.5 request@^2.88.2 url@^0.11.0
jsonwebtoken@^8.5.1 sqlite3@^5.0.2 nodemon@^2.0.14`. Scoring is per (category, method, endpoint) of the ground
truth; a confirmation that matches no truth entry is listed under `other` for a person to judge.
A lab whose flaw needs a logged-in user has a `login` (a login recipe's keys: method, path,
form or json, scheme...) with the demo credentials from its write-up or code.
Usage: python bench/probe_corpus.py --mirror GITDIR [--set tuning|holdout|all] [--only TEXT]
       [--wapiti] [--json OUT]"""

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
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "src"))

from auditor.commands.probe import LOOPBACK_RPS  # noqa: E402
from auditor.probe.engine import ProbeConfig, run_probe  # noqa: E402
from auditor.probe.login import recipe_from  # noqa: E402
from auditor.probe.results import to_result  # noqa: E402
from auditor.probe.safety import Limits, by_phase  # noqa: E402
from auditor.probe.target import Target  # noqa: E402
from tests.probe.twinrun import free_port  # noqa: E402

MANIFEST = REPO / "bench" / "probe_corpus.json"
WORK = REPO / "bench" / ".work"
# SKF_PYTHON / SKF_PYTHON_OLD override them: the labs run as nobody, so the venv must be made
# from a Python nobody can run (one under /root is not), e.g. /usr/bin/python3 -m venv.
PYTHON = Path(os.environ.get("SKF_PYTHON", str(WORK / "skf-venv" / "bin" / "python"))).absolute()
# Labs marked "venv": "old" import what Werkzeug 2.1 removed (Flask-JWT needs safe_str_cmp):
# Flask 2.0.3, Werkzeug 2.0.3, flask-cors, requests, Flask-JWT 0.3.2, PyJWT 1.7.1 (installed with --no-deps).
PYTHON_OLD = Path(os.environ.get("SKF_PYTHON_OLD", str(WORK / "skf-venv-old" / "bin" / "python"))).absolute()
NODE_MODULES = WORK / "skf-node" / "node_modules"
WAPITI = Path(os.environ.get("WAPITI", str(WORK / "wapiti-venv" / "bin" / "wapiti")))
NETNS_FLAG = "AUDITOR_CORPUS_NETNS"

# Launchers of ours: they start the lab's own entry point bound to 127.0.0.1:PORT.
FLASK_LAUNCHER = """import os, runpy, sys, flask
_run = flask.Flask.run
def _bound(self, *a, **k):
    _run(self, host="127.0.0.1", port=int(os.environ["LAB_PORT"]), debug=k.get("debug"), use_reloader=False,
         threaded=True)
flask.Flask.run = _bound
sys.path.insert(0, os.getcwd())
runpy.run_path(sys.argv[1], run_name="__main__")
"""
NODE_LAUNCHER = """const net = require('net');
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  const cb = args.find((a) => typeof a === 'function');
  return listen.call(this, Number(process.env.LAB_PORT), '127.0.0.1', cb);
};
"""


def in_namespace() -> None:
    """Re-run this script inside a new network namespace with only loopback up."""
    if os.environ.get(NETNS_FLAG) == "1":
        return
    env = {**os.environ, NETNS_FLAG: "1"}
    os.execvpe("unshare", ["unshare", "-n", "--", "sh", "-c", 'ip link set lo up && exec "$0" "$@"',
                           sys.executable, *sys.argv], env)


def export(mirror: Path, commit: str, lab: str, dest: Path) -> None:
    data = subprocess.run(["git", "--git-dir", str(mirror), "archive", commit, lab], capture_output=True,
                          check=True).stdout
    depth = lab.count("/") + 1
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        members = []
        for m in tar.getmembers():
            parts = m.name.split("/")[depth:]
            if parts:
                m.name = "/".join(parts)
                members.append(m)
        tar.extractall(dest, members=members, filter="data")
    for p in [dest, *dest.rglob("*")]:  # the lab runs as nobody: its folder must be its own to write
        os.chmod(p, 0o777 if p.is_dir() else 0o666)


def prepare(mirror: Path, commit: str, app: dict[str, object], tmp: Path, port: int) -> tuple[Path, str]:
    lab = str(app["lab"])
    folder = tmp / "app"
    folder.mkdir()
    export(mirror, commit, lab, folder)
    os.chmod(tmp, 0o755)
    nobody = "setpriv --reuid=nobody --regid=nogroup --clear-groups"
    env = f"env -i PATH=/usr/bin:/bin HOME={folder} LAB_PORT={port}"
    if lab.startswith("python/"):
        (tmp / "launch.py").write_text(FLASK_LAUNCHER)
        python = PYTHON_OLD if app.get("venv") == "old" else PYTHON
        return folder, f"exec {nobody} {env} {python} {tmp / 'launch.py'} {app['main']}"
    (tmp / "launch.js").write_text(NODE_LAUNCHER)
    return folder, f"exec {nobody} {env} NODE_PATH={NODE_MODULES} node -r {tmp / 'launch.js'} {app['main']}"


def _template_rx(endpoint: str) -> re.Pattern[str]:
    """The paths a template stands for: `{name}` one segment, an Express `*` anything."""
    return re.compile(re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(endpoint)).replace(r"\*", ".*") + "/?")


def matches(truth: list[object], found: tuple[str, ...]) -> bool:
    """The finding's category and method are the truth's, and either endpoint is an instance of
    the other: a truth template (`/users/{id}`) of the path found, or a route template found
    (`/react*`, Express's wildcard) of the path the truth names."""
    cat, method, endpoint = truth[0], truth[1], truth[2]
    if found[0] != cat or (method and found[1] != method):
        return False
    return endpoint is None or found[2] == endpoint or bool(_template_rx(str(endpoint)).fullmatch(found[2])) \
        or "*" in found[2] and bool(_template_rx(found[2]).fullmatch(str(endpoint)))


def matches_parameter(truth: list[object], found: tuple[str, ...]) -> bool:
    """As `matches`, and the parameter too, where the truth names one: the finding's parameter is
    written `name (where)`; the name is compared case aside (a header's)."""
    return matches(truth, found) and (truth[3] is None or
                                      str(found[3]).split(" (")[0].lower() == str(truth[3]).lower())


def score(found: set[tuple[str, ...]], truth: list[list[object]],
          match: Callable[[list[object], tuple[str, ...]], bool] = matches) -> dict[str, object]:
    hit = [t for t in truth if any(match(t, f) for f in found)]
    other = sorted(" ".join(map(str, f)) for f in found if not any(match(t, f) for t in truth))
    return {"expected": len(truth), "confirmed": len(hit),
            "missed": [" ".join(str(x) for x in t[:4]) for t in truth if t not in hit], "other": other}


def run_auditor(mirror: Path, commit: str, app: dict[str, object], rps: float,
                evidence: bool = False, timeout: float = 10.0) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        folder, command = prepare(mirror, commit, app, Path(tmp), port)
        with Target.launch(command, port, folder, startup_timeout=30) as target:
            # A lab whose flaw sits behind a login gets its own demo user's login recipe.
            logins = [recipe_from("labuser", dict(app["login"]))] if app.get("login") else []  # type: ignore[call-overload]
            cfg = ProbeConfig(base_url=target.base_url, project=folder, limits=Limits(rps=rps, max_requests=3000, timeout=timeout),
                              traversal_targets=target.traversal_targets(), logins=logins, revive=target.revive)
            run = run_probe(cfg)
        result = to_result(run)
    found = {(f.category, f.extra["method"], f.extra["endpoint"], f.extra["parameter"], f.message[:90])
             for f in result.findings}
    out = score(found, list(app["truth"]))  # type: ignore[arg-type]
    out.update(requests=len(run.requests), seconds=round(run.seconds, 1), endpoints=len(run.routes),
               errors=run.errors[:5], by_phase=by_phase(run.requests))
    if evidence:  # what a person needs to judge the findings no truth entry matched
        out["evidence"] = [{"finding": f.message, "request": f.extra["evidence"]["request"][:300],
                            "response": f.extra["evidence"]["response_excerpt"][:400]}
                           for f in result.findings if f.category != "security-misconfiguration" and
                           not any(matches(t, (f.category, f.extra["method"], f.extra["endpoint"]))
                                   for t in app["truth"])]  # type: ignore[attr-defined]
    return out


def run_wapiti(mirror: Path, commit: str, app: dict[str, object], max_time: int) -> dict[str, object]:
    from bench.probe_eval import WAPITI_CATEGORIES, wapiti_report

    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        folder, command = prepare(mirror, commit, app, Path(tmp), port)
        with Target.launch(command, port, folder, startup_timeout=30) as target:
            data, seconds = wapiti_report(WAPITI, target.base_url, tmp, max_time)
    found = set()
    for cat, items in (data.get("vulnerabilities") or {}).items():
        ours = WAPITI_CATEGORIES.get(cat, "unmapped:" + cat)
        if ours:
            found |= {(ours, v.get("method", "GET"), v.get("path", "").split("?")[0] or "/", v.get("parameter") or None)
                      for v in items}
    out = score(found, list(app["truth"]))  # type: ignore[arg-type]
    out.update(seconds=round(seconds, 1))
    return out


def _available(app: dict[str, object]) -> bool:
    if str(app["lab"]).startswith("python/"):
        return (PYTHON_OLD if app.get("venv") == "old" else PYTHON).exists()
    if not NODE_MODULES.is_dir():
        return False
    return app.get("needs") is None or (NODE_MODULES / str(app["needs"])).is_dir() and \
        subprocess.run(["node", "-e", f"require('{app['needs']}')"], env={"NODE_PATH": str(NODE_MODULES),
                       "PATH": "/usr/bin:/bin"}, capture_output=True).returncode == 0


def totals(rows: list[dict[str, object]]) -> str:
    exp = sum(int(r["expected"]) for r in rows)  # type: ignore[call-overload]
    conf = sum(int(r["confirmed"]) for r in rows)  # type: ignore[call-overload]
    other = sum(len(r["other"]) for r in rows)  # type: ignore[arg-type]
    secs = sum(float(r["seconds"]) for r in rows)  # type: ignore[arg-type]
    false = sum(len(r.get("false", [])) for r in rows)  # type: ignore[arg-type]
    text = f"{len(rows)} apps: confirmed {conf}/{exp}; false {false}; other findings {other}; wall {secs:.0f} s"
    if rows and "requests" in rows[0]:
        eps = sum(int(r["endpoints"]) for r in rows)  # type: ignore[call-overload]
        reqs = sum(int(r["requests"]) for r in rows)  # type: ignore[call-overload]
        text += f" over {eps} endpoints ({secs / max(1, eps):.2f} s, {reqs / max(1, eps):.1f} requests per endpoint)"
    return text


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mirror", type=Path, required=True)
    ap.add_argument("--set", choices=("tuning", "holdout", "all"), default="all")
    ap.add_argument("--only", default="")
    ap.add_argument("--rps", type=float, default=LOOPBACK_RPS,
                    help="requests per second; default: the probe's own on loopback (no cap; 0 = none)")
    ap.add_argument("--timeout", type=float, default=10.0, help="per-request timeout (s)")
    ap.add_argument("--wapiti", action="store_true")
    ap.add_argument("--wapiti-only", action="store_true")
    ap.add_argument("--wapiti-time", type=int, default=120)
    ap.add_argument("--json", type=Path)
    ap.add_argument("--evidence", action="store_true", help="print the evidence of findings no truth entry matched")
    args = ap.parse_args()
    in_namespace()
    manifest = json.loads(MANIFEST.read_text())
    prefix = {"tuning": manifest["sets"]["tuning"] + "/", "holdout": manifest["sets"]["holdout"] + "/", "all": ""}
    rows: list[dict[str, object]] = []
    for app in manifest["apps"]:
        if not str(app["lab"]).startswith(prefix[args.set]) or args.only not in app["lab"]:
            continue
        if app.get("excluded"):
            print(json.dumps({"app": app["lab"], "excluded": app["excluded"]}), flush=True)
            continue
        if not _available(app):
            print(json.dumps({"app": app["lab"], "skipped": "dependencies not installed"}), flush=True)
            continue
        tools = (["auditor"] if not args.wapiti_only else []) + (["wapiti"] if args.wapiti or args.wapiti_only else [])
        for tool in tools:
            try:
                res = (run_auditor(args.mirror, manifest["commit"], app, args.rps, args.evidence, args.timeout) if tool == "auditor"
                       else run_wapiti(args.mirror, manifest["commit"], app, args.wapiti_time))
            except Exception as exc:  # noqa: BLE001  (one lab that will not start must not stop the corpus)
                print(json.dumps({"app": app["lab"], "tool": tool, "failed": f"{type(exc).__name__}: {exc}"}),
                      flush=True)
                continue
            rows.append({"app": app["lab"], "tool": tool, **res})
            print(json.dumps(rows[-1]), flush=True)
    for tool in ("auditor", "wapiti"):
        for group, label in ((manifest["sets"]["tuning"], "tuning"), (manifest["sets"]["holdout"], "holdout")):
            mine = [r for r in rows if r["tool"] == tool and str(r["app"]).startswith(group + "/")]
            if mine:
                print(f"{tool} {label} ({group}): {totals(mine)}")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()

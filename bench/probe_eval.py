"""Probe quality and cost on the twin apps (tests/probe/twins), beside wapiti3.

For each twin (Flask, FastAPI, Django, node) in its vulnerable and fixed form, started on
127.0.0.1 in a temp dir: auditor probe (at its own default on loopback, no rate cap, unless --rps) and, when a wapiti venv
exists (bench/.work/wapiti-venv, `python -m venv bench/.work/wapiti-venv &&
bench/.work/wapiti-venv/bin/pip install wapiti3==3.2.3`), wapiti on the same app. Figures: expected
cases confirmed (split by where the input enters), false confirmations (anything on a fixed
twin, or an unexpected finding on a vulnerable one), requests sent, wall time and time per
endpoint (both tools divided by the endpoints the twin's code declares). `--rps 10` gives the
old capped figures (wapiti has no rate limit by default). The twins were written by us for the tests: these are not figures on code nobody
here wrote. Usage: python bench/probe_eval.py [--rps N] [--no-wapiti] [--json OUT]"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from auditor.commands.probe import LOOPBACK_RPS  # noqa: E402
from auditor.probe.engine import ProbeConfig, run_probe  # noqa: E402
from auditor.probe.results import to_result  # noqa: E402
from auditor.probe.routes import code_routes  # noqa: E402
from auditor.probe.safety import Limits, by_phase  # noqa: E402
from auditor.probe.target import Target  # noqa: E402
from tests.probe.test_twins import EXPECTED  # noqa: E402
from tests.probe.twinrun import IDENTITIES, make_twin  # noqa: E402

WAPITI = REPO / "bench" / ".work" / "wapiti-venv" / "bin" / "wapiti"
# wapiti's category names -> ours (its SSRF module needs an internet endpoint: not run offline).
WAPITI_CATEGORIES = {
    "SQL Injection": "sql-injection", "Blind SQL Injection": "sql-injection",
    "Command execution": "command-injection", "Cross Site Scripting": "xss",
    "Reflected Cross Site Scripting": "xss", "Path Traversal": "path-traversal", "Open Redirect": "open-redirect",
    "Server Side Request Forgery": "ssrf", "Server Side Template Injection": "code-injection",
    "LDAP Injection": "ldap-injection", "Blind LDAP Injection": "ldap-injection",
    "Potentially dangerous file": None, "CRLF Injection": None, "Content Security Policy Configuration": None,
    "HTTP Secure Headers": None, "Secure Flag cookie": None, "HttpOnly Flag cookie": None,
}
WAPITI_MODULES = "sql,timesql,exec,xss,file,redirect,ldap"
INJECTION = {"sql-injection", "command-injection", "code-injection", "xss", "path-traversal", "open-redirect",
             "ssrf", "nosql-injection"}


def _kind(param: str | None) -> str:
    if param is None:
        return "site"
    loc = param.split("(")[-1].rstrip(")")
    return "query/form" if loc in ("query", "form", "path") else "header/cookie/json/name"


def _score(name: str, found: set[tuple[str, str | None, str | None]], mode: str) -> dict[str, object]:
    expected = EXPECTED[name] if mode == "vulnerable" else set()
    hit = {e for e in expected if any(f[0] == e[0] and e[1] in (None, f[1]) and e[2] in (None, f[2]) for f in found)}
    false = [f for f in found if not any(f[0] == e[0] and e[1] in (None, f[1]) and e[2] in (None, f[2])
                                         for e in expected)]
    by_kind: dict[str, list[int]] = {}
    for e in expected:
        if e[0] in INJECTION:
            k = _kind(e[2])
            by_kind.setdefault(k, [0, 0])
            by_kind[k][1] += 1
            by_kind[k][0] += e in hit
    return {"expected": len(expected), "confirmed": len(hit), "false": len(false),
            "false_examples": [list(map(str, f)) for f in false][:5], "by_input": by_kind}


def run_auditor(name: str, mode: str, rps: float) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        twin = make_twin(Path(tmp), name, mode)
        start = time.monotonic()
        with Target.launch(twin.command, twin.port, twin.project) as target:
            started = time.monotonic()
            cfg = ProbeConfig(base_url=target.base_url, project=twin.project, limits=Limits(rps=rps, max_requests=5000),
                              traversal_targets=target.traversal_targets(), identities=IDENTITIES)
            run = run_probe(cfg)
        result = to_result(run)
        found = {(f.category, f.extra["endpoint"], f.extra["parameter"]) for f in result.findings}
        out = _score(name, found, mode)
        endpoints = code_endpoints(twin.project)
        out.update(requests=len(run.requests), seconds=round(run.seconds, 1), startup=round(started - start, 1),
                   endpoints=endpoints, per_endpoint=round(run.seconds / endpoints, 2),
                   requests_per_endpoint=round(len(run.requests) / endpoints, 1), by_phase=by_phase(run.requests))
        return out


def code_endpoints(project: Path) -> int:
    """The twin's endpoints as its code declares them: the one denominator for both tools
    (auditor's own count would add what it crawled)."""
    return max(1, len({r.key for r in code_routes(project)}))


def _wapiti_found(report: dict[str, object]) -> set[tuple[str, str | None, str | None]]:
    found = set()
    for cat, items in (report.get("vulnerabilities") or {}).items():  # type: ignore[union-attr]
        ours = WAPITI_CATEGORIES.get(cat, "unmapped:" + cat)
        if ours is None:
            continue
        for v in items:
            path = v.get("path", "").split("?")[0]
            param = v.get("parameter") or ""
            loc = {"GET": "query", "POST": "form"}.get(v.get("method", ""), "query")
            found.add((ours, path, f"{param} ({loc})" if param else None))
    return found


def wapiti_report(wapiti: Path, base_url: str, tmp: str, max_time: int,
                  extra: list[str] | None = None) -> tuple[dict[str, object], float]:
    """Run wapiti on `base_url` (its JSON report in `tmp`): (report, seconds)."""
    report = Path(tmp) / "wapiti.json"
    begin = time.monotonic()
    subprocess.run([str(wapiti), "-u", base_url + "/", "--scope", "domain", "-m", WAPITI_MODULES, "-f", "json",
                    "-o", str(report), "--flush-session", "--max-scan-time", str(max_time), *(extra or [])],
                   capture_output=True, text=True, timeout=max_time + 120, cwd=tmp,
                   env={"HOME": tmp, "PATH": "/usr/bin:/bin"})
    seconds = time.monotonic() - begin
    return (json.loads(report.read_text()) if report.exists() else {}), seconds


def run_wapiti(name: str, mode: str, timeout: float = 900) -> dict[str, object] | None:
    if not WAPITI.exists():
        return None
    with tempfile.TemporaryDirectory() as tmp:
        twin = make_twin(Path(tmp), name, mode)
        report_path = Path(tmp) / "wapiti.json"
        with Target.launch(twin.command, twin.port, twin.project) as target:
            starts = []
            for r in code_routes(twin.project):  # give wapiti every GET route with its query inputs
                if r.method == "GET" and "{" not in r.path:
                    q = "&".join(f"{p.name}=1" for p in r.params if p.location == "query")
                    starts += ["-s", target.base_url + r.path + (f"?{q}" if q else "")]
            cmd = [str(WAPITI), "-u", target.base_url + "/", "--scope", "domain", "-m", WAPITI_MODULES,
                   "-f", "json", "-o", str(report_path), "--flush-session", "--max-scan-time", str(int(timeout)),
                   "--verify-ssl", "0", *starts]
            if name == "fastapi_app":
                cmd += ["--swagger", target.base_url + "/openapi.json"]
            begin = time.monotonic()
            subprocess.run(cmd, capture_output=True, text=True, timeout=timeout + 60, cwd=tmp,
                           env={"HOME": tmp, "PATH": "/usr/bin:/bin"})
            seconds = time.monotonic() - begin
        report = json.loads(report_path.read_text()) if report_path.exists() else {}
        found = _wapiti_found(report)
        endpoints = code_endpoints(twin.project)
        out = _score(name, found, mode)
        out.update(seconds=round(seconds, 1), endpoints=endpoints, per_endpoint=round(seconds / max(1, endpoints), 2),
                   requests=None)
        return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rps", type=float, default=LOOPBACK_RPS,
                    help="requests per second; default: the probe's own on loopback (no cap; 0 = none)")
    ap.add_argument("--no-wapiti", action="store_true")
    ap.add_argument("--only", default="")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    rows = []
    for name in sorted(EXPECTED):
        if args.only and args.only not in name:
            continue
        if name == "node_app" and shutil.which("node") is None:
            continue
        for mode in ("vulnerable", "fixed"):
            a = run_auditor(name, mode, args.rps)
            rows.append({"app": name, "mode": mode, "tool": "auditor", **a})
            print(json.dumps(rows[-1]), flush=True)
            if not args.no_wapiti:
                w = run_wapiti(name, mode)
                if w is not None:
                    rows.append({"app": name, "mode": mode, "tool": "wapiti", **w})
                    print(json.dumps(rows[-1]), flush=True)
    for tool in ("auditor", "wapiti"):
        mine = [r for r in rows if r["tool"] == tool]
        if not mine:
            continue
        exp = sum(r["expected"] for r in mine)
        conf = sum(r["confirmed"] for r in mine)
        false = sum(r["false"] for r in mine)
        kinds: dict[str, list[int]] = {}
        for r in mine:
            for k, (h, t) in r["by_input"].items():
                kinds.setdefault(k, [0, 0])
                kinds[k][0] += h
                kinds[k][1] += t
        secs = sum(r["seconds"] for r in mine)
        eps = sum(r["endpoints"] for r in mine)
        print(f"{tool}: confirmed {conf}/{exp}; false confirmations {false}; "
              + "; ".join(f"{k} {h}/{t}" for k, (h, t) in sorted(kinds.items()))
              + f"; wall {secs:.0f} s over {eps} endpoints ({secs / max(1, eps):.2f} s/endpoint)"
              + (f"; requests {sum(r['requests'] for r in mine)} ({sum(r['requests'] for r in mine) / max(1, eps):.1f}"
                 " per endpoint)" if tool == "auditor" else ""))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()

"""How each spelling of a cookie payload reaches an app through real cookie parsers.

The payloads are the ones `auditor probe` really sends to cookie inputs: the twins with cookie
inputs (tests/probe/twins: flask_app `theme`, directory_app `team`, vulnerable form) are probed
and every value handed to `cookie_value` is recorded. Each is then spelled four ways (raw as the
probe sent it before: `plain`; `quoted`; `percent`; and `chosen`, what the probe sends now for
the parser's language) and parsed by the parsers installed here:
  - Werkzeug (the one in this Python; WERKZEUG2_PYTHON names a Python with Werkzeug 2),
  - Django's parse_cookie, Starlette's cookie_parser, the standard library's SimpleCookie,
  - Express's `cookie` package (what cookie-parser calls), with node, from COOKIE_JS_ROOT
    (default bench/.work/node-twin/node_modules; skipped if absent).
Per parser and spelling: `as is` = the app reads exactly the payload; `decoded` = an app that
url-decodes what it reads (`unquote_plus`, as BenchmarkPython's cookie tests do) gets it.
Rack and Java servlet containers are not installed here (their rules, from their code and docs,
are in src/auditor/probe/cookies.py).

Usage: python bench/probe_cookies.py [--json OUT]"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from unittest import mock
from urllib.parse import unquote_plus

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "src"))

from auditor.probe import cookies, sender  # noqa: E402
from tests.probe.twinrun import make_twin, probe_twin  # noqa: E402

JS_ROOT = Path(os.environ.get("COOKIE_JS_ROOT", str(REPO / "bench" / ".work" / "node-twin" / "node_modules")))
LANGUAGE = {"werkzeug": "python", "werkzeug2": "python", "django": "python", "starlette": "python",
            "simplecookie": "python", "express-cookie": "javascript"}
PY_PARSE = """
import json, sys
kind = sys.argv[1]
headers = json.load(sys.stdin)
if kind in ("werkzeug", "werkzeug2"):
    from werkzeug.http import parse_cookie
    get = lambda h: parse_cookie(h).get("k")
elif kind == "django":
    from django.http.cookie import parse_cookie
    get = lambda h: parse_cookie(h).get("k")
elif kind == "starlette":
    from starlette.requests import cookie_parser
    get = lambda h: cookie_parser(h).get("k")
else:
    from http.cookies import SimpleCookie
    def get(h):
        c = SimpleCookie()
        c.load(h)
        return c["k"].value if "k" in c else None
print(json.dumps([get(h) for h in headers]))
"""
JS_PARSE = """
const cookie = require('cookie');
let raw = '';
process.stdin.on('data', (d) => { raw += d; });
process.stdin.on('end', () => {
  console.log(JSON.stringify(JSON.parse(raw).map((h) => { const v = cookie.parse(h).k; return v === undefined ? null : v; })));
});
"""


def recorded_payloads() -> list[str]:
    """Every cookie value the probe sends to the twins' cookie inputs, in order, deduplicated."""
    seen: list[str] = []
    real = sender.cookie_value

    def record(value: str, language: str) -> str:
        seen.append(value)
        return real(value, language)

    with mock.patch.object(sender, "cookie_value", record):
        for name in ("flask_app", "directory_app"):
            with tempfile.TemporaryDirectory() as tmp:
                probe_twin(make_twin(Path(tmp), name, "vulnerable"))
    return list(dict.fromkeys(seen))


def parse_all(kind: str, headers: list[str]) -> list[str | None] | None:
    if kind == "express-cookie":
        if shutil.which("node") is None or not (JS_ROOT / "cookie").is_dir():
            return None
        out = subprocess.run(["node", "-e", JS_PARSE], input=json.dumps(headers), capture_output=True, text=True,
                             env={**os.environ, "NODE_PATH": str(JS_ROOT)}, timeout=60)
    else:
        python = os.environ.get("WERKZEUG2_PYTHON", "") if kind == "werkzeug2" else sys.executable
        if not python:
            return None
        out = subprocess.run([python, "-c", PY_PARSE, kind], input=json.dumps(headers), capture_output=True,
                             text=True, timeout=60)
    return json.loads(out.stdout) if out.returncode == 0 else None


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    payloads = recorded_payloads()
    rows = []
    for kind, language in LANGUAGE.items():
        spell = {"plain": cookies.plain, "quoted": lambda v: cookies.quoted(cookies.plain(v)),
                 "percent": cookies.percent, "chosen": lambda v, lang=language: cookies.cookie_value(v, lang)}
        for label, fn in spell.items():
            got = parse_all(kind, [f"a=1; k={fn(p)}; z=2" for p in payloads])
            if got is None:
                print(json.dumps({"parser": kind, "spelling": label, "skipped": True}))
                break
            as_is = sum(g == p for g, p in zip(got, payloads, strict=True))
            decoded = sum(g is not None and unquote_plus(g) == p for g, p in zip(got, payloads, strict=True))
            lost = sum(g is None for g in got)
            rows.append({"parser": kind, "spelling": label, "payloads": len(payloads), "as_is": as_is,
                         "decoded": decoded, "cookie_lost": lost})
            print(json.dumps(rows[-1]), flush=True)
    if args.json:
        args.json.write_text(json.dumps({"payloads": payloads, "rows": rows}, indent=1))


if __name__ == "__main__":
    main()

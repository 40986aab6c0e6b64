"""Fault injection on the input side (issue 11): FIFOs, device symlinks, hostile registries,
malformed manifests, baselines and OSV records, symlinked rules files.

Every case is built in a temp dir and runs the real entry point in a child process with a
timeout, then checks what the README promises: no traceback, the documented exit code, a
bounded time, no secret in any output, no file written outside the project.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

SECRET = "sk_live_4eC39HqLyjWDarjtT1zdp7dc9Xq2"  # the shape of a Stripe live key; not a real one
SERVICE_VARS = (
    "AUDITOR_PYPI_URL", "AUDITOR_NPM_URL", "AUDITOR_NPM_DOWNLOADS_URL", "AUDITOR_RUBYGEMS_URL",
    "AUDITOR_MAVEN_URL", "AUDITOR_GOPROXY_URL", "AUDITOR_CRATES_URL", "AUDITOR_PACKAGIST_URL",
    "AUDITOR_NUGET_URL", "AUDITOR_OSV_URL",
)
# The child reports its own peak memory through this wrapper (ru_maxrss of its child, in KB).
MEASURE = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[2:]).returncode\n"
    "open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))\n"
    "sys.exit(code)\n"
)


@dataclass
class Run:
    code: int
    out: str
    err: str
    seconds: float
    peak_mb: float


@dataclass
class Sandbox:
    """A project dir beside a dir that stands for "the rest of the disk"."""

    base: Path

    @property
    def project(self) -> Path:
        return self.base / "project"

    @property
    def outside(self) -> Path:
        return self.base / "outside"

    def snapshot(self) -> dict[str, tuple[int, int]]:
        """Everything under base except the project and the cache: must not change."""
        seen = {}
        for path in sorted(self.base.rglob("*")):
            rel = path.relative_to(self.base)
            if rel.parts[0] in ("project", "cache") or path.is_symlink():
                continue
            st = path.lstat()
            seen[rel.as_posix()] = (st.st_size, st.st_mtime_ns)
        return seen

    def auditor(self, *args: str, env: dict[str, str] | None = None, timeout: float = 60) -> Run:
        before = self.snapshot()
        peak_file = self.base / "peak.txt"
        full_env = {**os.environ, "AUDITOR_CACHE_DIR": str(self.base / "cache"), "NO_COLOR": "1", **(env or {})}
        cmd = [sys.executable, "-c", MEASURE, str(peak_file), sys.executable, "-m", "auditor", *args]
        start = time.monotonic()
        proc = subprocess.run(cmd, cwd=self.project, capture_output=True, text=True, env=full_env,
                              timeout=timeout, errors="replace")
        seconds = time.monotonic() - start
        peak = int(peak_file.read_text()) / 1024
        peak_file.unlink()
        run = Run(proc.returncode, proc.stdout, proc.stderr, seconds, peak)
        for stream in (run.out, run.err):
            assert "Traceback" not in stream, stream
            assert SECRET not in stream, "a secret in clear in the output"
        assert self.snapshot() == before, "a file outside the project was written"
        return run


@pytest.fixture
def box(tmp_path: Path) -> Sandbox:
    sandbox = Sandbox(tmp_path)
    sandbox.project.mkdir()
    sandbox.outside.mkdir()
    (sandbox.outside / "keep.md").write_text("# someone else's file\n")
    return sandbox


def write(root: Path, rel: str, text: str | bytes) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)
    return path


# -- 3. FIFOs anywhere: never read, never blocking, and said so -------------------------------------
FIFO_CASES = [
    # (FIFO name, command, expected exit code, text the output must hold)
    ("requirements.txt", ["detect", "."], 0, "requirements.txt: a FIFO"),
    ("requirements.txt", ["deps", "--offline", "."], 2, "requirements.txt: a FIFO"),
    ("requirements.txt", ["init", "--dry-run", "."], 0, "requirements.txt: a FIFO"),
    ("AGENTS.md", ["init", "."], 2, "AGENTS.md: a FIFO"),
    (".auditor-baseline.json", ["scan", "."], 2, ".auditor-baseline.json: cannot read baseline: a FIFO"),
    (".env", ["scan", "."], 1, "skipped .env: a FIFO"),
    ("src/app.py", ["scan", "."], 1, "skipped src/app.py: a FIFO"),
    ("src/app.py", ["secrets", "."], 1, "skipped src/app.py: a FIFO"),
]


@pytest.mark.parametrize(("name", "args", "code", "said"), FIFO_CASES)
def test_a_fifo_never_blocks_and_is_named(box: Sandbox, name: str, args: list[str], code: int, said: str):
    write(box.project, "requirements.txt", "flask==3.0.0\n") if name != "requirements.txt" else None
    write(box.project, "config.py", f'STRIPE_KEY = "{SECRET}"\n')  # a finding, so scans exit 1
    fifo = box.project / name
    fifo.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(fifo)
    run = box.auditor(*args, timeout=60)
    assert run.seconds < 30
    assert run.code == code, run.err
    assert said in run.out + run.err


def test_a_requirements_include_that_is_a_fifo(box: Sandbox):
    write(box.project, "requirements.txt", "-r inc.txt\nflask==3.0.0\n")
    os.mkfifo(box.project / "inc.txt")
    run = box.auditor("detect", ".")
    assert run.code == 0 and run.seconds < 30
    assert "requirements.txt: line 1: include inc.txt: a FIFO (named pipe)" in run.err


@pytest.mark.parametrize("link", ["loop.txt", "../outside/keep.md"])
def test_a_requirements_include_through_a_bad_symlink(box: Sandbox, link: str):
    write(box.project, "requirements.txt", "-r inc.txt\nflask==3.0.0\n")
    (box.project / "inc.txt").symlink_to(link if link != "loop.txt" else box.project / "loop.txt")
    if link == "loop.txt":
        (box.project / "loop.txt").symlink_to(box.project / "inc.txt")
    run = box.auditor("detect", ".")
    assert run.code == 0 and "requirements.txt: line 1: include inc.txt:" in run.err


# -- 4. symlinks to endless devices: regular files only, always capped ------------------------------
@pytest.mark.parametrize(("name", "device", "args"), [
    (".auditor-baseline.json", "/dev/zero", ["scan", "."]),
    ("CLAUDE.md", "/dev/zero", ["init", "--tools", "claude", "."]),
    ("AGENTS.md", "/dev/urandom", ["init", "."]),
])
def test_a_symlink_to_a_device_is_refused_not_read(box: Sandbox, name: str, device: str, args: list[str]):
    write(box.project, "app.py", "print('hi')\n")
    (box.project / name).symlink_to(device)
    run = box.auditor(*args)
    assert run.code == 2 and run.seconds < 30
    assert "a character device, not a regular file" in run.err
    assert run.peak_mb < 400
    assert (box.project / name).is_symlink()


# -- 5 and 10. registries that never answer, trickle, stream without end, or nest without end --------
class _Server:
    """A server on 127.0.0.1 that misbehaves in one way; stopped by the test."""

    def __init__(self, behaviour: str) -> None:
        self.behaviour = behaviour
        self.stopping = threading.Event()
        self.held: list[socket.socket] = []
        self.requests = 0
        self.queried: list[str] = []  # versions asked of OSV
        if behaviour == "silent":
            self.sock = socket.create_server(("127.0.0.1", 0))
            self.port = self.sock.getsockname()[1]
            threading.Thread(target=self._hold, daemon=True).start()
        else:
            self.http = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
            self.http.daemon_threads = True
            self.port = self.http.server_address[1]
            threading.Thread(target=self.http.serve_forever, daemon=True).start()

    def _hold(self) -> None:
        """Accept every connection and never answer."""
        self.sock.settimeout(0.2)
        while not self.stopping.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.requests += 1
            self.held.append(conn)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))) or b"{}")
                if server.behaviour == "registry":
                    server.queried += [q.get("version") for q in body.get("queries", [])]
                    return self._json({"results": [
                        {"vulns": [{"id": LODASH_ADVISORY["id"], "modified": LODASH_ADVISORY["modified"]}]}
                        if q.get("version") == "4.17.20" else {} for q in body.get("queries", [])]})
                self.do_GET()

            def _json(self, body: object) -> None:
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                server.requests += 1
                if server.behaviour == "registry":  # npm and OSV, answering properly
                    if self.path.startswith("/v1/vulns/"):
                        return self._json(LODASH_ADVISORY)
                    versions = {"4.17.4": "2017-01-01T00:00:00Z", "4.17.20": "2020-08-13T00:00:00Z"}
                    return self._json({"name": "lodash", "dist-tags": {"latest": "4.17.20"},
                                       "versions": {v: {"version": v} for v in versions},
                                       "time": {"created": "2012-04-23T00:00:00Z", **versions}})
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                if server.behaviour == "nested":
                    body = b"[" * 200_000
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
                self.end_headers()  # no length: the body ends when the server closes
                chunk = b"[" * 65536 if server.behaviour == "endless" else b" "
                sent = 0
                try:  # bounded even if the client never hangs up: 3 GB or the test's end
                    while not server.stopping.is_set() and sent < 3_000_000_000:
                        self.wfile.write(chunk)
                        sent += len(chunk)
                        if server.behaviour == "trickle":
                            time.sleep(0.3)
                except OSError:
                    pass

        return Handler

    def env(self) -> dict[str, str]:
        return {var: f"http://127.0.0.1:{self.port}" for var in SERVICE_VARS}

    def stop(self) -> None:
        self.stopping.set()
        if self.behaviour == "silent":
            for conn in self.held:
                conn.close()
            self.sock.close()
        else:
            self.http.shutdown()
            self.http.server_close()


@pytest.fixture
def misbehaving() -> Iterator[callable]:
    started: list[_Server] = []

    def start(behaviour: str) -> _Server:
        server = _Server(behaviour)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def _two_dozen_deps(root: Path) -> None:
    deps = {f"left-pad-{i}": f"1.{i}.0" for i in range(24)}
    write(root, "package.json", json.dumps({"name": "x", "dependencies": deps}))


@pytest.mark.parametrize(("behaviour", "limits", "bound"), [
    ("silent", {"AUDITOR_DEPS_TIMEOUT": "1"}, 20),  # each lookup times out: the breaker ends it
    ("trickle", {"AUDITOR_DEPS_TIMEOUT": "10", "AUDITOR_DEPS_DEADLINE": "3"}, 20),  # only the deadline can
])
def test_a_registry_that_never_answers_ends_within_the_deadline(box: Sandbox, misbehaving, behaviour: str,
                                                                 limits: dict[str, str], bound: float):
    _two_dozen_deps(box.project)
    server = misbehaving(behaviour)
    run = box.auditor("deps", "--format", "json", ".", env={**server.env(), **limits})
    assert run.seconds < bound
    assert run.code == 0, run.err  # an outage is not a finding...
    report = json.loads(run.out)
    unchecked = report["stats"]["unchecked"]
    assert len(unchecked) >= 24  # ...and not "clean" either: every lookup is listed as unchecked
    assert "could not be answered" in run.err
    if behaviour == "silent":
        assert server.requests < 24  # the breaker stopped asking a host that does not answer


def test_an_endless_registry_body_is_capped(box: Sandbox, misbehaving):
    _two_dozen_deps(box.project)
    server = misbehaving("endless")
    run = box.auditor("deps", "--format", "json", ".", env={**server.env(), "AUDITOR_DEPS_DEADLINE": "60"})
    assert run.code == 0 and run.seconds < 60
    assert run.peak_mb < 700  # a few capped bodies in flight, never the stream
    reasons = {u["reason"] for u in json.loads(run.out)["stats"]["unchecked"]}
    assert any("larger than 32 MB" in r for r in reasons), reasons


def test_a_registry_answering_200k_nested_brackets(box: Sandbox, misbehaving):
    write(box.project, "package.json", json.dumps({"dependencies": {"lodash": "4.17.4"}}))
    server = misbehaving("nested")
    run = box.auditor("deps", "--format", "json", ".", env=server.env())
    assert run.code == 0 and run.seconds < 30
    reasons = " ".join(u["reason"] for u in json.loads(run.out)["stats"]["unchecked"])
    assert "nested too deeply" in reasons


# -- 19. a range no lockfile pins is resolved on the registry, and the report says so ---------------------
LODASH_ADVISORY = {
    "id": "GHSA-35jh-r3h4-6jhm", "modified": "2024-01-01T00:00:00Z", "aliases": ["CVE-2021-23337"],
    "summary": "Command Injection in lodash", "database_specific": {"severity": "HIGH"},
    "affected": [{"package": {"ecosystem": "npm", "name": "lodash"},
                  "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "4.17.21"}]}]}],
}


def test_a_range_without_a_lockfile_is_checked_at_its_newest_version(box: Sandbox, misbehaving):
    write(box.project, "package.json", json.dumps({"dependencies": {"lodash": "^4.17.4"}}))
    server = misbehaving("registry")
    run = box.auditor("deps", "--format", "json", ".", env=server.env())
    assert run.code == 1, run.err
    (finding,) = [f for f in json.loads(run.out)["findings"] if f["rule_id"] == "deps.package.vulnerable"]
    assert finding["version"] == "4.17.20" and finding["resolved_from"] == "^4.17.4"
    assert "no lockfile pins it" in finding["message"] and server.queried == ["4.17.20"]
    assert "checked for advisories at the newest version the range allows" in run.err


# -- 6 and 7. symlinked rules files and folders ---------------------------------------------------------
def test_claude_md_linked_to_agents_md_updates_agents_md_once(box: Sandbox):
    write(box.project, "package.json", json.dumps({"dependencies": {"express": "4.18.2"}}))
    write(box.project, "AGENTS.md", "# House rules\n\nUse tabs.\n")
    (box.project / "CLAUDE.md").symlink_to("AGENTS.md")
    run = box.auditor("init", "--tools", "agents,claude", ".")
    assert run.code == 0, run.err
    assert (box.project / "CLAUDE.md").is_symlink()
    text = (box.project / "AGENTS.md").read_text()
    assert text.startswith("# House rules\n\nUse tabs.\n") and text.count("<!-- auditor:begin -->") == 1
    assert box.auditor("init", "--check", "--tools", "agents,claude", ".").code == 0  # idempotent


@pytest.mark.parametrize(("link", "target_is_dir", "tools"), [
    ("CLAUDE.md", False, "claude"),
    (".cursor/rules", True, "cursor"),
    (".kiro", True, "kiro"),
])
def test_a_rules_target_leading_outside_is_refused(box: Sandbox, link: str, target_is_dir: bool, tools: str):
    write(box.project, "package.json", json.dumps({"dependencies": {"express": "4.18.2"}}))
    target = box.outside / ("dir" if target_is_dir else "keep.md")
    target.mkdir(exist_ok=True) if target_is_dir else None
    (box.project / link).parent.mkdir(parents=True, exist_ok=True)
    (box.project / link).symlink_to(target)
    run = box.auditor("init", "--tools", tools, ".")  # the sandbox asserts nothing outside changed
    assert run.code == 2
    assert "outside the project" in run.err and len(run.err.strip().splitlines()) == 1
    assert (box.project / link).is_symlink()
    assert not target_is_dir or not any(target.iterdir())


# -- 8 and 14. manifests that used to crash; deps on an invalid manifest ----------------------------------
BROKEN_MANIFESTS = [
    ("composer.lock", '{"packages": 5}', "packages is not a list"),
    ("Pipfile.lock", '{"_meta": {}, "default": {}, "develop": [null]}', "develop is not an object"),
    ("pyproject.toml", '[tool.poetry]\nname = "x"\ngroup = 5\n', "tool.poetry.group is not a table"),
    ("requirements.txt", "-r base\x00.txt\n", "the file name holds a NUL byte"),
    ("package.json", '{"dependencies": ', "invalid JSON"),
    ("pyproject.toml", "[project\n", "invalid TOML"),
    ("pom.xml", "<project><dependencies>", "invalid XML"),
]


@pytest.mark.parametrize(("name", "text", "problem"), BROKEN_MANIFESTS)
def test_a_broken_manifest_is_one_line_and_exit_2_for_deps(box: Sandbox, name: str, text: str, problem: str):
    write(box.project, name, text)
    detect = box.auditor("detect", ".")
    assert detect.code == 0 and f"{name}:" in detect.err and problem in detect.err
    deps = box.auditor("deps", "--offline", ".")
    assert deps.code == 2
    assert f"auditor: {name}:" in deps.err and problem in deps.err


# -- 10. baselines and OSV databases that are not what they claim ---------------------------------------
@pytest.mark.parametrize(("content", "problem"), [
    (b'{"findings": [\xff\xfe]}', "not UTF-8 text"),
    (b"[" * 10_000_000, "nested too deeply"),
])
def test_a_corrupt_baseline_is_exit_2(box: Sandbox, content: bytes, problem: str):
    write(box.project, "app.py", "print('hi')\n")
    write(box.project, ".auditor-baseline.json", content)
    run = box.auditor("scan", ".")
    assert run.code == 2 and problem in run.err and len(run.err.strip().splitlines()) == 1


def _osv_record(vid: str, ecosystem: str, name: str, **affected: object) -> dict:
    entry = {"package": {"ecosystem": ecosystem, "name": name},
             "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.0.0"}]}]}
    entry.update(affected)
    return {"id": vid, "modified": "2026-01-01T00:00:00Z", "summary": "bad", "affected": [entry]}


@pytest.mark.parametrize("broken", [{"ranges": "bad"}, {"versions": 7}, {"ranges": [{"events": [{"fixed": 3}]}]}])
def test_an_osv_record_of_the_wrong_shape_is_exit_2(box: Sandbox, broken: dict):
    write(box.project, "requirements.txt", "flask==1.0.0\n")
    write(box.outside, "osv/PYSEC-1.json", json.dumps(_osv_record("PYSEC-1", "PyPI", "flask", **broken)))
    run = box.auditor("deps", "--offline", "--osv-db", str(box.outside / "osv"), ".")
    assert run.code == 2 and "PYSEC-1.json: not a valid OSV record" in run.err


def test_an_ecosystem_missing_from_the_osv_db_is_unchecked_not_clean(box: Sandbox):
    write(box.project, "requirements.txt", "flask==1.0.0\n")
    write(box.project, "web/package.json", json.dumps({"dependencies": {"lodash": "4.17.4"}}))
    write(box.outside, "osv/PYSEC-1.json", json.dumps(_osv_record("PYSEC-1", "PyPI", "flask")))
    run = box.auditor("deps", "--offline", "--osv-db", str(box.outside / "osv"), "--format", "json",
                      "--fail-on", "medium", ".")
    assert run.code == 1, run.err  # flask 1.0.0 is affected (fixed in 2.0.0), rated medium by default
    report = json.loads(run.out)
    assert any(f["package"] == "flask" and f["rule_id"] == "deps.package.vulnerable" for f in report["findings"])
    vuln_unchecked = [u for u in report["stats"]["unchecked"] if u["check"] == "vulnerabilities"]
    assert [u["subject"] for u in vuln_unchecked] == ["lodash@4.17.4 (npm)"]
    assert "holds no npm advisories" in vuln_unchecked[0]["reason"]


# -- 12. odd encodings: read and checked, or said to be skipped ----------------------------------------
def test_a_nul_byte_in_dotenv_does_not_hide_its_secret(box: Sandbox):
    write(box.project, ".env", f"DEBUG=1\x00\nSTRIPE_KEY={SECRET}\n".encode())
    run = box.auditor("secrets", ".")
    assert run.code == 1 and "secrets.payments.stripe" in run.out


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be"])
def test_utf16_files_with_a_bom_are_decoded(box: Sandbox, codec: str):
    text = f'{{"Stripe": {{"Key": "{SECRET}"}}}}\n'
    data = text.encode(codec) if codec == "utf-16" else b"\xfe\xff" + text.encode(codec)
    write(box.project, "appsettings.json", data)
    for command in ("secrets", "scan"):
        run = box.auditor(command, ".")
        assert run.code == 1 and "appsettings.json" in run.out and "secrets.payments.stripe" in run.out


def test_a_binary_looking_source_file_is_listed_as_skipped(box: Sandbox):
    write(box.project, "app.js", b"\x00\x01\x02\x03" * 100)
    write(box.project, "logo.png", b"\x89PNG\r\n\x1a\n" + b"\x00\x01" * 100)
    run = box.auditor("scan", "--format", "json", ".")
    assert run.code == 0
    skipped = {s["path"]: s["reason"] for s in json.loads(run.out)["stats"]["skipped"]}
    assert skipped == {"app.js": "binary content (NUL and control bytes); not scanned"}


# -- 15 and 17. init --check --dry-run; markers quoted in a fenced block ---------------------------------
def test_init_check_with_dry_run_fails_on_a_missing_file(box: Sandbox):
    write(box.project, "package.json", json.dumps({"dependencies": {"express": "4.18.2"}}))
    run = box.auditor("init", "--check", "--dry-run", ".")
    assert run.code == 1 and "+++ b/AGENTS.md" in run.out and "AGENTS.md: missing" in run.err
    assert not (box.project / "AGENTS.md").exists()


def test_markers_quoted_in_a_fence_are_not_the_block(box: Sandbox):
    write(box.project, "package.json", json.dumps({"dependencies": {"express": "4.18.2"}}))
    quoted = "# Notes\n\nauditor writes this:\n\n```markdown\n<!-- auditor:begin -->\n...\n<!-- auditor:end -->\n```\n"
    write(box.project, "AGENTS.md", quoted)
    assert box.auditor("init", ".").code == 0
    text = (box.project / "AGENTS.md").read_text()
    assert text.startswith(quoted) and text.count("<!-- auditor:begin -->") == 2
    assert box.auditor("init", "--check", ".").code == 0


# -- follow-up: `secrets` lists the files it did not read, with the reason, like `scan` -----------
def test_secrets_lists_skipped_files_in_every_format(box: Sandbox):
    write(box.project, "config.py", f'STRIPE_KEY = "{SECRET}"\n')
    write(box.project, "big.env", "A=1\n" * 600_000)  # over the 2 MB limit
    os.mkfifo(box.project / "pipe.env")
    run = box.auditor("secrets", ".")
    assert run.code == 1 and run.seconds < 30
    assert "skipped big.env: larger than 2 MB" in run.out
    assert "skipped pipe.env: a FIFO" in run.out
    report = json.loads(box.auditor("secrets", "--format", "json", ".").out)
    assert {s["path"] for s in report["stats"]["skipped"]} == {"big.env", "pipe.env"}
    assert len(report["findings"]) == 1


# -- follow-up: `deps -o FILE` refuses a user's file before it asks any registry ---------------------
def test_deps_refuses_an_output_over_a_user_file_before_any_lookup(box: Sandbox, misbehaving):
    server = misbehaving("registry")
    write(box.project, "package.json", json.dumps({"dependencies": {"lodash": "4.17.20"}}))
    write(box.project, "app.js", "const _ = require('lodash');\n")
    run = box.auditor("deps", "-o", "app.js", ".", env=server.env())
    assert run.code == 2 and run.err.startswith("auditor: ") and run.err.count("\n") == 1
    assert "app.js: exists and is not an auditor report" in run.err
    assert server.requests == 0, "a registry was asked before the --output check"
    assert (box.project / "app.js").read_text() == "const _ = require('lodash');\n"

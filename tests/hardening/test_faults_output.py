"""Fault injection, output side (issue 11): every case is built in a temp dir and run through
the real entry point in a child process (or `main()` in-process where a fault has to be
planted). Each asserts: no traceback, the documented exit code, no secret in any output
format, nothing written outside the project."""

from __future__ import annotations

import json
import os
import random
import re
import stat
import string
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from auditor.findings import Finding, Severity, Unchecked, make_fingerprint

FORMATS = ("text", "json", "sarif")
RNG = random.Random(11)


def token(n: int = 32, alphabet: str = string.ascii_letters + string.digits) -> str:
    """A random, secret-looking value (never a real credential)."""
    return "".join(RNG.choice(alphabet) for _ in range(n))


def same_ends(secret: str) -> str:
    """Another value with the same first and last characters: the same redacted form."""
    return secret[0] + token(len(secret) - 2) + secret[-1]


@pytest.fixture
def sandbox(tmp_path: Path) -> Path:
    """tmp_path/project is the project; anything else appearing in tmp_path is a write
    outside it (the cache dir excepted)."""
    (tmp_path / "project").mkdir()
    return tmp_path / "project"


def run(project: Path, *args: str, expect: int | None, umask: int = -1,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`auditor ARGS` in `project`; checks exit code, no traceback, no write outside."""
    outside = project.parent
    before = {p.name for p in outside.iterdir()}
    proc = subprocess.run(
        [sys.executable, "-m", "auditor", *args], cwd=project, capture_output=True, text=True,
        env={**os.environ, "AUDITOR_CACHE_DIR": str(outside / "cache"), **(env or {})},
        timeout=120, umask=umask, errors="backslashreplace",
    )
    assert "Traceback" not in proc.stderr + proc.stdout, proc.stderr
    if expect is not None:
        assert proc.returncode == expect, (proc.returncode, proc.stderr)
    if proc.returncode == 2:
        assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("auditor: "), proc.stderr
    after = {p.name for p in outside.iterdir()}
    assert after - before <= {"cache"}, after - before
    return proc


def all_outputs(project: Path, command: str, expect: int | None, *extra: str) -> dict[str, str]:
    """stdout + stderr of `command` in every format."""
    outputs = {}
    for fmt in FORMATS:
        proc = run(project, command, *extra, "-f", fmt, ".", expect=expect)
        outputs[fmt] = proc.stdout + proc.stderr
    return outputs


def assert_hidden(outputs: dict[str, str], *secrets: str) -> None:
    for fmt, text in outputs.items():
        for secret in secrets:
            assert secret not in text, f"{fmt} output shows a secret"


# -- 1: every snippet, message and extra field is redacted --------------------------------

def test_code_finding_snippets_never_show_the_secret(sandbox: Path) -> None:
    flask_key, jwt_key, bearer = token(), token(), token(40)
    (sandbox / "app.py").write_text(
        "import os\nfrom flask import Flask, request\napp = Flask(__name__)\n"
        f"app.secret_key = '{flask_key}'\n\n"
        "@app.route('/x')\ndef x():\n"
        f"    os.system(\"curl -H 'Authorization: Bearer {bearer}' \" + request.args['u'])\n")
    (sandbox / "sign.js").write_text(
        "const jwt = require('jsonwebtoken');\n"
        f"module.exports = (req, res) => res.send(jwt.sign({{}}, '{jwt_key}'));\n")
    outputs = all_outputs(sandbox, "scan", 1)
    assert_hidden(outputs, flask_key, jwt_key, bearer)
    report = json.loads(run(sandbox, "scan", "-f", "json", ".", expect=1).stdout)
    rules = {f["rule_id"] for f in report["findings"]}
    # the code findings on those lines are still reported, with redacted snippets
    assert {"flask.config.secret-key", "py.command.no-shell", "js.secrets.no-hardcoded-keys"} <= rules
    assert any("Bearer " in f["snippet"] and "****" in f["snippet"] for f in report["findings"]
               if f["rule_id"] == "py.command.no-shell")


def test_credential_url_in_requirements_is_hidden_everywhere(sandbox: Path) -> None:
    password = token(24)
    (sandbox / "requirements.txt").write_text(
        f"flask==3.0.0\nmypkg @ git+https://deploy:{password}@github.com/acme/mypkg.git\n")
    assert_hidden(all_outputs(sandbox, "deps", None, "--offline"), password)
    outputs = all_outputs(sandbox, "secrets", 0)  # a medium finding: below --fail-on high
    assert_hidden(outputs, password)
    assert "secrets.connection-string" in outputs["text"]


def test_any_checker_gets_redaction_for_free() -> None:
    """A Finding built by a checker that knows nothing of secrets (a new one, a probe)."""
    key = token()
    f = Finding(rule_id="x.y", category="code-injection", severity=Severity.HIGH, cwe=[], path="a.py",
                line=1, column=1, end_line=1, message=f"eval of api_key = '{key}'",
                snippet=f"eval(x); api_key = '{key}'",
                extra={"trace": [{"path": "a.py", "line": 1, "note": f"token = '{key}'"}], "n": 3})
    assert key not in json.dumps(f.to_dict()) and key not in f.fingerprint_basis
    assert f"{key[0]}****{key[-1]}" in f.snippet and f.extra["n"] == 3
    u = Unchecked(path="requirements.txt", subject=f"pkg @ https://u:{key}@example.com/p.git", check="exists",
                  reason="offline")
    assert key not in json.dumps(u.to_dict())


def test_a_line_without_secrets_keeps_its_fingerprint() -> None:
    snippet = "db.execute('SELECT * FROM t WHERE id=' + request.args['id'])"
    f = Finding(rule_id="r", category="sql-injection", severity=Severity.HIGH, cwe=[], path="a.py", line=1,
                column=1, end_line=1, message="m", snippet=snippet)
    assert f.snippet == snippet and f.fingerprint == make_fingerprint("r", "a.py", snippet)


# -- 2: a secret's fingerprint is a keyed hash of its value ------------------------------

def test_another_key_with_the_same_ends_is_not_in_the_baseline(sandbox: Path) -> None:
    key = "sk_live_" + token(24)
    other = key[:8] + same_ends(key[8:])
    app = sandbox / "pay.py"
    app.write_text(f"import stripe\n\nstripe.api_key = '{key}'\n")
    run(sandbox, "scan", "--write-baseline", ".", expect=0)
    baseline = (sandbox / ".auditor-baseline.json").read_text()
    assert key not in baseline and key[8:] not in baseline
    run(sandbox, "scan", ".", expect=0)  # known: in the baseline
    app.write_text(f"# moved down by an unrelated line\nimport stripe\n\nstripe.api_key = '{key}'\n")
    run(sandbox, "scan", ".", expect=0)  # still known: the fingerprint ignores line numbers
    app.write_text(f"import stripe\n\nstripe.api_key = '{other}'\n")
    out = run(sandbox, "scan", ".", expect=1).stdout  # a new key is a new finding
    assert other not in out and "secrets.payments.stripe" in out


def test_private_key_fingerprint_depends_on_the_key_body(sandbox: Path) -> None:
    def pem(body: str) -> str:
        lines = [body[i:i + 64] for i in range(0, len(body), 64)]
        return "-----BEGIN RSA PRIVATE KEY-----\n" + "\n".join(lines) + "\n-----END RSA PRIVATE KEY-----\n"

    alphabet = string.ascii_letters + string.digits + "+/"
    prints = []
    for body in (token(800, alphabet), token(800, alphabet)):
        (sandbox / "id_rsa").write_text(pem(body))
        report = json.loads(run(sandbox, "secrets", "-f", "json", ".", expect=1).stdout)
        prints.append(report["findings"][0]["fingerprint"])
        message = report["findings"][0]["message"]
        assert "\n" not in message and body[:20] not in message  # 19: the message is one line
    assert prints[0] != prints[1]


# -- 8: a crash is one line and exit 2 ---------------------------------------------------

def test_unexpected_exception_is_one_line_and_exit_2(monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from auditor import cli
    from auditor.commands import scan as scan_command

    key = "ghp_" + token(36)

    def broken(*args: object, **kwargs: object) -> int:
        raise ValueError(f"cannot handle token = '{key}'\nsecond line")

    monkeypatch.setattr(scan_command, "run_scan", broken)
    monkeypatch.setattr(sys, "argv", ["auditor", "scan", str(tmp_path)])
    monkeypatch.delenv("AUDITOR_DEBUG", raising=False)
    with pytest.raises(SystemExit) as exit_info:
        cli.main()
    err = capsys.readouterr().err
    assert exit_info.value.code == 2
    assert err.count("\n") == 1 and "internal error" in err and "ValueError" in err
    assert key not in err and "Traceback" not in err and "AUDITOR_DEBUG=1" in err

    monkeypatch.setenv("AUDITOR_DEBUG", "1")
    with pytest.raises(SystemExit):
        cli.main()
    assert "Traceback" in capsys.readouterr().err


def test_parser_crash_in_a_real_command_exits_2(sandbox: Path) -> None:
    """Whichever layer catches it (the parser or the last-resort handler), never exit 1."""
    (sandbox / "composer.json").write_text('{"require": {"monolog/monolog": "^3.0"}}')
    (sandbox / "composer.lock").write_text('{"packages": 5}')
    for command in (["detect", "."], ["deps", "--offline", "."], ["scan", "."]):
        proc = run(sandbox, *command, expect=None)
        assert proc.returncode in (0, 2), (command, proc.returncode, proc.stderr)


def test_unwritable_output_is_one_line_exit_2(sandbox: Path) -> None:
    (sandbox / "a.py").write_text("x = 1\n")
    proc = run(sandbox, "scan", "-o", "a.py/r.json", "-f", "json", ".", expect=2)  # a.py is a file
    assert "a.py/r.json" in proc.stderr


# -- 9: file names that are not UTF-8 ----------------------------------------------------

VULNERABLE_JS = b"const cp = require('child_process');\nfunction h(req, res) { cp.exec('ls ' + req.query.x); }\n"


@pytest.mark.parametrize("git", [False, True])
def test_non_utf8_file_name(sandbox: Path, git: bool) -> None:
    key = "sk_live_" + token(24)
    name = os.fsencode(str(sandbox)) + b"/bad\xff\xfe.js"
    with open(name, "wb") as fh:
        fh.write(VULNERABLE_JS + f"const stripe = '{key}';\n".encode())
    if git:
        subprocess.run(["git", "init", "-q"], cwd=sandbox, check=True)
        subprocess.run(["git", "add", "-A"], cwd=sandbox, check=True)
        subprocess.run(["git", "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "i"], cwd=sandbox,
                       check=True)
    outputs = all_outputs(sandbox, "scan", 1)
    assert_hidden(outputs, key)
    assert "bad\\xff\\xfe.js" in outputs["text"]
    paths = {f["path"] for f in json.loads(run(sandbox, "scan", "-f", "json", ".", expect=1).stdout)["findings"]}
    assert paths == {"bad\\xff\\xfe.js"}
    sarif = json.loads(run(sandbox, "scan", "-f", "sarif", ".", expect=1).stdout)
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in sarif["runs"][0]["results"]} == {"bad%FF%FE.js"}
    run(sandbox, "scan", "-o", "report.txt", ".", expect=1)
    run(sandbox, "scan", "--write-baseline", ".", expect=0)
    run(sandbox, "scan", ".", expect=0)
    if git:
        history = run(sandbox, "secrets", "--history", ".", expect=1).stdout
        assert key not in history and "bad\\xff\\xfe.js" in history


# -- 16: control characters from scanned files are escaped -------------------------------

def test_control_characters_are_escaped_in_text_output(sandbox: Path) -> None:
    hostile = "\u202e\x07\x1b[2K\x1b[1A\x1b[2K\r0 findings in 0 files"
    (sandbox / "h.js").write_text(
        f"function h(req, res) {{ eval(req.query.code + `{hostile}`); }} /* auditor: ignore {hostile} */\n"
        f"function g(req, res) {{ eval(req.query.code + `{hostile}`); }}\n")
    for args in (["scan", "."], ["scan", "--show-suppressed", "."]):
        out = run(sandbox, *args, expect=1).stdout
        assert not any(c in out for c in "\x1b\r\x07\u202e"), repr(out)
        assert "\\x1b[2K" in out and "\\u202e" in out and "js.code.no-eval" in out
    for fmt in ("json", "sarif"):  # JSON escapes them itself and stays parseable
        json.loads(run(sandbox, "scan", "-f", fmt, ".", expect=1).stdout)


# -- 18: --output never replaces a scanned file; new reports follow the umask ------------

def test_output_refuses_to_overwrite_a_scanned_file(sandbox: Path) -> None:
    source = b"function h(req, res) { eval(req.query.code); }\n"
    (sandbox / "a.js").write_bytes(source)
    for args in (["scan", "-o", "a.js", "a.js"], ["scan", "-o", "a.js", "."], ["secrets", "-o", "a.js", "."]):
        proc = run(sandbox, *args, expect=2)
        assert "a.js" in proc.stderr and "refusing" in proc.stderr
    assert (sandbox / "a.js").read_bytes() == source


@pytest.mark.parametrize("fmt", FORMATS)
def test_output_replaces_its_own_earlier_report(sandbox: Path, fmt: str) -> None:
    (sandbox / "a.js").write_text("function h(req, res) { eval(req.query.code); }\n")
    for _ in range(2):
        run(sandbox, "scan", "-f", fmt, "-o", f"report.{fmt}", ".", expect=1)
    assert "js.code.no-eval" in (sandbox / f"report.{fmt}").read_text()


def test_output_to_a_fifo_writes_through_and_keeps_the_fifo(sandbox: Path) -> None:
    """`-o /dev/null` or a pipe: renaming a temp file over it would swap the device node for a
    plain file (as root, /dev/null itself). A FIFO stands in for the device here."""
    (sandbox / "a.js").write_text("function h(req, res) { eval(req.query.code); }\n")
    fifo = sandbox / "report.pipe"
    os.mkfifo(fifo)
    read: list[str] = []
    reader = threading.Thread(target=lambda: read.append(fifo.read_text()), daemon=True)
    reader.start()
    run(sandbox, "scan", "-f", "json", "-o", str(fifo), "a.js", expect=1)
    reader.join(timeout=30)
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert read and "js.code.no-eval" in read[0]
    assert sorted(p.name for p in sandbox.iterdir()) == ["a.js", "report.pipe"]  # no temp file left


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_new_report_follows_the_umask(sandbox: Path, umask: int, mode: int) -> None:
    (sandbox / "a.js").write_text("let x = 1;\n")
    run(sandbox, "scan", "-f", "json", "-o", "report.json", ".", expect=0, umask=umask)
    assert (sandbox / "report.json").stat().st_mode & 0o777 == mode


# -- 19: small ones -----------------------------------------------------------------------

def _git_repo(project: Path) -> None:
    (project / "a.py").write_text("x = 1\n")
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    subprocess.run(["git", "add", "-A"], cwd=project, check=True)
    subprocess.run(["git", "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "i"], cwd=project,
                   check=True)


def test_diff_names_the_missing_ref(sandbox: Path) -> None:
    _git_repo(sandbox)
    proc = run(sandbox, "scan", "--diff", "nonexistent", ".", expect=2)
    assert "'nonexistent'" in proc.stderr and "unknown error" not in proc.stderr


def test_diff_ref_cannot_be_a_git_option(sandbox: Path) -> None:
    _git_repo(sandbox)
    proc = run(sandbox, "scan", "--diff=--output=../escaped.txt", ".", expect=2)
    assert "cannot start with '-'" in proc.stderr
    assert not (sandbox.parent / "escaped.txt").exists()


def test_history_text_shows_the_commit(sandbox: Path) -> None:
    key = "sk_live_" + token(24)
    (sandbox / "pay.py").write_text(f"import stripe\nstripe.api_key = '{key}'\n")
    _git_repo(sandbox)
    (sandbox / "pay.py").write_text("import os, stripe\nstripe.api_key = os.environ['STRIPE']\n")
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=sandbox, capture_output=True, text=True).stdout.strip()
    out = run(sandbox, "secrets", "--history", ".", expect=1).stdout
    assert f"commit: {commit}" in out and key not in out


def test_rules_max_chars_says_why_no_rule_fits(sandbox: Path) -> None:
    (sandbox / "requirements.txt").write_text("flask==3.0.0\n")
    proc = run(sandbox, "rules", "--max-chars", "200", ".", expect=0)
    assert "--max-chars 200 fits no rule" in proc.stderr
    need = int(proc.stderr.split("need ")[1].split()[0])
    enough = run(sandbox, "rules", "--max-chars", str(need), ".", expect=0)
    assert "\n### " in enough.stdout and "fits no rule" not in enough.stderr


def test_sarif_uri_is_percent_encoded(sandbox: Path) -> None:
    (sandbox / "with space#1.js").write_text("function h(req, res) { eval(req.query.code); }\n")
    sarif = json.loads(run(sandbox, "scan", "-f", "sarif", ".", expect=1).stdout)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]}
    assert uris == {"with%20space%231.js"}


def test_error_lines_are_escaped_and_redacted(sandbox: Path) -> None:
    proc = run(sandbox, "scan", "missing\x1b[31m.js", expect=2)
    assert "\x1b" not in proc.stderr and "missing\\x1b[31m.js" in proc.stderr
    _git_repo(sandbox)
    key = "ghp_" + token(36)
    proc = run(sandbox, "scan", "--diff", key, ".", expect=2)  # a token pasted by mistake
    assert key not in proc.stderr and "****" in proc.stderr


def test_skipped_files_are_listed_in_every_format(sandbox: Path) -> None:
    (sandbox / "big.js").write_text("let x = 1;\n" * 300_000)  # over the 2 MB limit
    (sandbox / "a.js").write_text("function h(req, res) { eval(req.query.code); }\n")
    text = run(sandbox, "scan", ".", expect=1).stdout
    assert "skipped big.js" in text
    report = json.loads(run(sandbox, "scan", "-f", "json", ".", expect=1).stdout)
    assert [s["path"] for s in report["stats"]["skipped"]] == ["big.js"]
    sarif = json.loads(run(sandbox, "scan", "-f", "sarif", ".", expect=1).stdout)
    notes = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert any(n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "big.js" for n in notes)


def test_a_terminal_that_cannot_show_a_character_gets_an_escape(sandbox: Path) -> None:
    (sandbox / "u.js").write_text("function h(req, res) { eval(req.query.code); } // h\u00e9llo \u2713\n")
    out = run(sandbox, "scan", ".", expect=1, env={"PYTHONIOENCODING": "ascii"}).stdout
    assert "h\\xe9llo \\u2713" in out


def test_a_closed_stdout_is_exit_2_not_findings(sandbox: Path) -> None:
    (sandbox / "a.js").write_text("function h(req, res) { eval(req.query.code); }\n")
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the report is written (`| head` that quit)
    try:
        proc = subprocess.run([sys.executable, "-m", "auditor", "scan", "-f", "json", "."], cwd=sandbox,
                              stdout=write_end, stderr=subprocess.PIPE, text=True, timeout=120,
                              env={**os.environ, "AUDITOR_CACHE_DIR": str(sandbox.parent / "cache")})
    finally:
        os.close(write_end)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "broken pipe" in proc.stderr, proc.stderr


def test_write_baseline_refuses_to_replace_a_source_file(sandbox: Path) -> None:
    source = "function h(req, res) { eval(req.query.code); }\n"
    (sandbox / "a.js").write_text(source)
    proc = run(sandbox, "scan", "--write-baseline", "--baseline", "a.js", ".", expect=2)
    assert "not an auditor baseline" in proc.stderr and (sandbox / "a.js").read_text() == source
    run(sandbox, "scan", "--write-baseline", "--baseline", "b.json", ".", expect=0)
    run(sandbox, "scan", "--write-baseline", "--baseline", "b.json", ".", expect=0)  # its own: fine
    run(sandbox, "scan", "--baseline", "b.json", ".", expect=0)


def test_any_command_escapes_what_the_terminal_cannot_encode(sandbox: Path) -> None:
    (sandbox / "caf\u00e9").mkdir()
    (sandbox / "caf\u00e9" / "package.json").write_text('{"dependencies": {"express": "4.21.2"}}')
    out = run(sandbox, "detect", ".", expect=0, env={"PYTHONIOENCODING": "ascii"}).stdout
    assert "caf\\xe9/package.json" in out


# -- follow-ups: fsutil is the one reader; modes of new files; deps checks --output first;
#    a sub-project whose directory name is not UTF-8 --------------------------------------

@pytest.mark.parametrize(("content", "problem"), [
    (None, r"pipe\.yaml: a FIFO \(named pipe\), not a regular file"),
    (b"id: x\ntitle: \xff\xfe\n", r"bad\.yaml: not UTF-8 text"),
])
def test_a_rule_file_is_read_through_fsutil(tmp_path: Path, content: bytes | None, problem: str) -> None:
    if content is None:
        os.mkfifo(tmp_path / "pipe.yaml")  # would block a plain read_text forever
    else:
        (tmp_path / "bad.yaml").write_bytes(content)
    load = ("import sys\nfrom pathlib import Path\nfrom auditor.kb.load import RuleError, load_rules_from\n"
            "try:\n    load_rules_from(Path(sys.argv[1]))\nexcept RuleError as exc:\n    print(exc)\n")
    proc = subprocess.run([sys.executable, "-c", load, str(tmp_path)], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    assert re.fullmatch(problem + ".*\n", proc.stdout), proc.stdout


def test_output_check_reads_through_fsutil(sandbox: Path) -> None:
    """A huge earlier report is peeked at (4 MB), never read whole, and still refused."""
    (sandbox / "a.js").write_text("let x = 1;\n")
    (sandbox / "big.txt").write_text("x" * 5_000_000)
    proc = run(sandbox, "scan", "-o", "big.txt", ".", expect=2)
    assert "big.txt: exists and is not an auditor report" in proc.stderr


UMASKS = [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)]


@pytest.mark.parametrize(("umask", "mode"), UMASKS)
def test_init_creates_rules_files_that_follow_the_umask(sandbox: Path, umask: int, mode: int) -> None:
    (sandbox / "requirements.txt").write_text("flask==3.0.0\n")
    run(sandbox, "init", "--tools", "agents,cursor", ".", expect=0, umask=umask)
    assert (sandbox / "AGENTS.md").stat().st_mode & 0o777 == mode
    for made in (sandbox / ".cursor" / "rules").iterdir():
        assert made.stat().st_mode & 0o777 == mode, made


@pytest.mark.parametrize(("umask", "mode"), UMASKS)
def test_write_baseline_follows_the_umask(sandbox: Path, umask: int, mode: int) -> None:
    (sandbox / "a.js").write_text("function h(req, res) { eval(req.query.code); }\n")
    run(sandbox, "scan", "--write-baseline", ".", expect=0, umask=umask)
    assert (sandbox / ".auditor-baseline.json").stat().st_mode & 0o777 == mode


def test_an_existing_file_keeps_its_mode(sandbox: Path) -> None:
    (sandbox / "requirements.txt").write_text("flask==3.0.0\n")
    (sandbox / "AGENTS.md").write_text("# Our notes\n")
    (sandbox / "AGENTS.md").chmod(0o640)
    run(sandbox, "init", "--tools", "agents", ".", expect=0, umask=0o002)
    assert (sandbox / "AGENTS.md").stat().st_mode & 0o777 == 0o640
    assert (sandbox / "AGENTS.md").read_text().startswith("# Our notes\n")


def _non_utf8_subproject(project: Path) -> None:
    sub = project / os.fsdecode(b"bad\xff")
    sub.mkdir()
    (sub / "package.json").write_text('{"dependencies": {"express": "4.18.2"}}\n')
    (project / "requirements.txt").write_text("flask==3.0.0\n")


def test_init_with_a_non_utf8_subproject_name(sandbox: Path) -> None:
    _non_utf8_subproject(sandbox)
    run(sandbox, "init", "--tools", "agents,cursor,copilot", ".", expect=0)
    agents = (sandbox / "AGENTS.md").read_text(encoding="utf-8")
    assert "bad\\xff/: javascript, express 4.18.2" in agents
    assert "Applies in: bad\\xff/" in agents
    run(sandbox, "init", "--check", "--tools", "agents,cursor,copilot", ".", expect=0)


@pytest.mark.parametrize("args", [("detect", "."), ("rules", ".")])
def test_detect_and_rules_with_a_non_utf8_subproject_name(sandbox: Path, args: tuple[str, ...]) -> None:
    _non_utf8_subproject(sandbox)
    text = run(sandbox, *args, expect=0).stdout
    assert "bad\\xff" in text and "\\udcff" not in text
    report = json.loads(run(sandbox, *args, "--format", "json", expect=0).stdout)
    paths = [p["path"] for p in report["projects"]]
    assert "bad\\xff" in paths

"""Login recipes: parsing, identities from real logins on the accounts twin (a form login
with a session cookie, a JSON login with a bearer token), the IDOR found with them, nothing on
the fixed twin, a re-login when a session expires, and no password in any output."""

from __future__ import annotations

import importlib.util
import json

import pytest

from auditor.commands.probe import run_probe_command
from auditor.errors import AuditorError
from auditor.findings import Severity
from auditor.probe.engine import ProbeConfig, run_probe
from auditor.probe.login import Session, SessionKeeper, parse_login
from auditor.probe.safety import Limits, SafeClient
from auditor.probe.target import Target

from .twinrun import make_twin

ALICE = "alice=POST:/login:username=alice&password=alice-pw-Kx81"
BOB = 'bob=POST:/api/token:{"user": "bob", "password": "bob-pw-Qz27"}'
PASSWORDS = ("alice-pw-Kx81", "bob-pw-Qz27")
needs_flask = pytest.mark.skipif(importlib.util.find_spec("flask") is None, reason="flask is not installed")


def test_inline_recipes():
    form = parse_login(ALICE)
    assert (form.name, form.method, form.path, form.form) == (
        "alice", "POST", "/login", {"username": "alice", "password": "alice-pw-Kx81"})
    assert form.secrets == ["alice-pw-Kx81"]
    body = parse_login(BOB)
    assert body.json_body == {"user": "bob", "password": "bob-pw-Qz27"} and body.form is None


def test_recipe_file(tmp_path):
    (tmp_path / "carol.yaml").write_text("method: post\npath: /api/session\njson: {login: carol, pin: '1234'}\n"
                                         "token: data_key\nheader: X-Session\nscheme: ''\n")
    r = parse_login(f"carol=@{tmp_path / 'carol.yaml'}")
    assert (r.method, r.path, r.json_body, r.token_field, r.header, r.scheme) == (
        "POST", "/api/session", {"login": "carol", "pin": "1234"}, "data_key", "X-Session", "")
    assert r.secrets == ["1234"]


@pytest.mark.parametrize("spec", ["alice", "alice=login", "alice=POST:login:a=1", "alice=POST:/l:{bad json password=x",
                                  "alice=@/nonexistent/recipe.yaml"])
def test_bad_recipes_are_one_line_errors_without_the_password(spec):
    with pytest.raises(AuditorError) as err:
        parse_login(spec)
    assert "\n" not in str(err.value) and "password=x" not in str(err.value)


def _launch(tmp_path, mode: str, uses: int = 1000):
    twin = make_twin(tmp_path, "accounts_app", mode)
    twin.command = f"TWIN_SESSION_USES={uses} " + twin.command
    return twin, Target.launch(twin.command, twin.port, twin.project, startup_timeout=30)


@needs_flask
def test_idor_found_with_two_login_identities_and_no_password_shown(tmp_path, capsys):
    twin, _ = _launch(tmp_path, "vulnerable")
    report, html = tmp_path / "report.json", tmp_path / "report.html"
    code = run_probe_command(twin.project, None, twin.command, twin.port, [], [], None, max_requests=800, rps=1000,
                             timeout=5, allow_remote=False, allow_destructive=False, identities=[], format="json",
                             output=report, fail_on=Severity.parse("high"), html=html, logins=[ALICE, BOB])
    assert code == 1
    findings = json.loads(report.read_text())["findings"]
    idor = [f for f in findings if f["category"] == "broken-access-control"]
    assert idor and idor[0]["endpoint"] == "/api/notes/{note_id}" and idor[0]["confirmed"] is True
    request = idor[0]["evidence"]["request"].lower()
    assert "cookie: sid=" in request and "authorization" not in request  # alice's session only, redacted
    shown = report.read_text() + html.read_text() + "".join(capsys.readouterr())
    assert not any(p in shown for p in PASSWORDS)


@needs_flask
def test_fixed_twin_no_idor_with_login_identities(tmp_path):
    twin, target = _launch(tmp_path, "fixed")
    with target:
        cfg = ProbeConfig(base_url=target.base_url, project=twin.project, limits=Limits(rps=1000, timeout=5),
                          logins=[parse_login(ALICE), parse_login(BOB)], checks=["idor"])
        run = run_probe(cfg)
    assert not run.errors and run.confirmations == []
    reads = [r.status for r in run.requests if "/api/notes/" in r.url]
    assert reads[-2:] == [200, 404]  # bob reads his note; alice (logged in too) may not
    assert all(r.url.startswith(f"http://127.0.0.1:{twin.port}/") for r in run.requests)


@needs_flask
def test_expired_session_logs_in_again_once(tmp_path):
    twin, target = _launch(tmp_path, "vulnerable", uses=2)
    with target:
        client = SafeClient(target.base_url, Limits(rps=1000, timeout=5))
        client.sessions = keeper = SessionKeeper()
        alice = keeper.log_in(client, parse_login(ALICE))
        old = dict(alice.headers)
        statuses = [client.send("GET", client.url_for("/api/notes/1"), headers=old).status for _ in range(3)]
        assert statuses == [404, 404, 404]  # the third expired (401), alice logged in again, resent
        assert alice.headers != old and alice.relogins == 1
        logins = [r for r in client.log if r.url.endswith("/login") and r.method == "POST"]  # each after a GET of its page
        assert len(logins) == 2 and [r.status for r in client.log].count(401) == 1
        # A session that has not worked since its login (revoked, or dead at once) is not chased.
        keeper.sessions.append(Session(parse_login(ALICE), {"Cookie": "sid=revoked"}))
        assert client.send("GET", client.url_for("/api/notes/1"), headers={"Cookie": "sid=revoked"}).status == 401
        assert len([r for r in client.log if r.url.endswith("/login") and r.method == "POST"]) == 2
        client.close()


@needs_flask
def test_wrong_password_is_a_clear_error(tmp_path):
    twin, target = _launch(tmp_path, "vulnerable")
    with target:
        client = SafeClient(target.base_url, Limits(rps=1000, timeout=5))
        with pytest.raises(AuditorError, match="alice: POST /login answered 401") as err:
            SessionKeeper().log_in(client, parse_login("alice=POST:/login:username=alice&password=nope-Zq"))
        assert "nope-Zq" not in str(err.value)
        client.close()


def test_cli_bad_login_recipe_exits_2_in_one_line():
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-c", "from auditor.cli import main; main()", "probe", "--url",
                           "http://127.0.0.1:9", "--login", "alice=POST:login:user=a&password=hunter2-x"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "--login alice" in proc.stderr
    assert "Traceback" not in proc.stderr and "hunter2-x" not in proc.stderr + proc.stdout

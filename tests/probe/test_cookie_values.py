"""Cookie payloads spelled for the server's own cookie parser (probe/cookies.py): Werkzeug 3
skips a bare cookie value holding a space or a `"`, so a payload with one never reached a Flask
handler; Python servers get the quoted form their parsers unquote, JavaScript servers the value
as before (Express's cookie package keeps spaces and quotes), any other server percent-encoding.
Tested with the real parsers and both ways on apps: a Flask handler that url-decodes an XPath
from a cookie (as OWASP BenchmarkPython's cookie tests do) is confirmed, its fixed form is not;
an Express app with cookie-parser likewise (skipped without node, express and cookie-parser)."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from auditor.probe.cookies import COOKIE_OCTETS, cookie_spellings, cookie_value
from auditor.probe.engine import ProbeConfig, run_probe
from auditor.probe.safety import Limits
from auditor.probe.target import Target
from tests.probe.test_app_mechanisms import needs_flask
from tests.probe.test_benchmark_mechanisms import _probed
from tests.probe.twinrun import free_port

PAYLOADS = ["1' or '1'='1", '1" or "1"="1', "x')(audx1)", 'a b"c\\d,e', "50%;\r\nx", "caf\u00e9 <b>", '"lead', "plain"]


def _header(value: str) -> str:
    return f"a=1; k={value}; z=2"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_python_parsers_read_the_payload_back(payload: str):
    from http.cookies import SimpleCookie

    from werkzeug.http import parse_cookie

    sent = cookie_value(payload, "python")
    want = payload.replace("%", "%25").replace(";", "%3B").replace("\r", "%0D").replace("\n", "%0A")
    assert parse_cookie(_header(sent))["k"] == want
    assert parse_cookie(_header(sent))["z"] == "2"  # nothing after it is lost either
    jar = SimpleCookie()
    jar.load(_header(sent))
    if payload.isascii():  # the standard library unquotes octal escapes byte by byte
        assert jar["k"].value == want
    if importlib.util.find_spec("django") is not None:
        from django.http.cookie import parse_cookie as django_parse

        assert django_parse(_header(sent))["k"] == (want if payload.isascii() else django_parse(_header(sent))["k"])


def test_the_old_raw_spelling_is_what_werkzeug_dropped():
    from werkzeug.http import parse_cookie

    assert "k" not in parse_cookie(_header("1' or '1'='1"))  # why this exists
    assert parse_cookie(_header(cookie_value("1' or '1'='1", "python")))["k"] == "1' or '1'='1"


def test_an_unknown_server_gets_the_value_as_before():
    assert cookie_value("1' or '1'='1", "") == "1' or '1'='1"
    assert cookie_value("50%;x", "") == "50%25%3Bx"


def test_a_value_of_cookie_octets_goes_bare_everywhere():
    for language in ("python", "javascript", "ruby", "java", ""):
        assert cookie_value("x')(audx1)", language) == "x')(audx1)"


def test_other_servers_get_only_cookie_octets_that_a_decoder_reads_back():
    from urllib.parse import unquote_plus

    for payload in PAYLOADS:
        for language in ("ruby", "java", "php"):
            sent = cookie_value(payload, language)
            assert all(c in COOKIE_OCTETS for c in sent)
            assert unquote_plus(sent) == payload


def test_javascript_keeps_the_old_spelling_but_a_leading_quote():
    assert cookie_value("1' or '1'='1", "javascript") == "1' or '1'='1"
    assert cookie_value('"lead', "typescript") == "%22lead"  # the cookie package would strip it


def test_every_spelling_sent_counts_as_an_echo():
    for payload in PAYLOADS:
        for language in ("python", "javascript", "ruby"):
            sent = cookie_value(payload, language)
            assert (sent[1:-1] if sent.startswith('"') else sent) in cookie_spellings(payload) | {"%22" + payload[1:]}


XPATH_COOKIE_APP = """
from urllib.parse import unquote_plus
from flask import Flask, request
from lxml import etree

app = Flask(__name__)
DOC = etree.fromstring(b"<users><user><name>alice</name><role>admin</role></user>"
                       b"<user><name>bob</name><role>staff</role></user></users>")


@app.route("/role")
def role():
    name = unquote_plus(request.cookies.get("who", "alice"))
    try:
        if VULNERABLE:
            found = DOC.xpath("//user[name='" + name + "']/role/text()")
        else:
            found = DOC.xpath("//user[name=$n]/role/text()", n=name)
    except Exception:
        return "<p>lookup failed</p>"
    return "<p>" + ", ".join(found) + "</p>" if found else "<p>no such user</p>"
"""


@needs_flask
@pytest.mark.skipif(importlib.util.find_spec("lxml") is None, reason="lxml is not installed")
@pytest.mark.parametrize("vulnerable", [True, False])
def test_flask_xpath_in_a_url_decoded_cookie(tmp_path: Path, vulnerable: bool):
    source = XPATH_COOKIE_APP.replace("VULNERABLE", str(vulnerable))
    run = _probed(tmp_path, source, f"xpath_cookie_{vulnerable}", "xpath-ldap", 300)
    found = [(c.category, c.point.param.name if c.point else "") for c in run.confirmations]
    assert (("xpath-injection", "who") in found) is vulnerable, found
    assert all(r.url.startswith(run.base_url) for r in run.requests)


NODE_PATH = Path(os.environ.get("AUDITOR_TEST_NODE_PATH",
                                str(Path(__file__).resolve().parents[2] / "bench" / ".work" / "node-twin" / "node_modules")))


def _express_ready() -> bool:
    if shutil.which("node") is None:
        return False
    out = subprocess.run(["node", "-e", "require.resolve('express'); require.resolve('cookie-parser')"],
                         env={**os.environ, "NODE_PATH": str(NODE_PATH)}, capture_output=True, timeout=30)
    return out.returncode == 0


EXPRESS_COOKIE_APP = """
const express = require('express');
const cookieParser = require('cookie-parser');
const VULNERABLE = process.env.TWIN_MODE === 'vulnerable';
const app = express();
app.use(cookieParser());
const escape = (s) => String(s).replace(/[&<>"']/g, (c) => '&#' + c.charCodeAt(0) + ';');
// Express: routes read from the code
app.get('/greet', (req, res) => {
  const name = req.cookies.visitor || 'guest';
  res.type('html').send('<p>Hello ' + (VULNERABLE ? name : escape(name)) + '</p>');
});
app.get('/total', (req, res) => {
  const sum = req.cookies.sum || '1+1';
  let out;
  try { out = VULNERABLE ? String(eval(sum)) : String(Number(sum)); } catch (e) { out = 'bad sum'; }
  res.type('text').send('total: ' + out);
});
app.listen(Number(process.argv[2]), '127.0.0.1');
"""


@pytest.mark.skipif(not _express_ready(), reason="node with express and cookie-parser is not available")
@pytest.mark.parametrize("mode", ["vulnerable", "fixed"])
def test_express_cookie_parser_both_ways(tmp_path: Path, mode: str):
    project = tmp_path / "app"
    project.mkdir()
    (project / "server.js").write_text(EXPRESS_COOKIE_APP)
    port = free_port()
    command = f"TWIN_MODE={mode} NODE_PATH={NODE_PATH} exec node server.js {port}"
    with Target.launch(command, port, project, startup_timeout=30) as target:
        cfg = ProbeConfig(base_url=target.base_url, project=project,
                          limits=Limits(rps=500, max_requests=600, timeout=5), crawl=False, openapi=False,
                          checks=["xss", "code"])
        run = run_probe(cfg)
    found = {(c.category, c.point.param.name if c.point else "") for c in run.confirmations}
    if mode == "vulnerable":
        assert {("xss", "visitor"), ("code-injection", "sum")} <= found, found
    else:
        assert not found, found
    assert all(r.url.startswith(target.base_url) for r in run.requests)

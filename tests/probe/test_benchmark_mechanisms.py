"""Mechanisms found missing on OWASP BenchmarkPython's tuning half (bench/probe_benchmark.py):
inputs read through a request wrapper or from the raw query string, a form field picked by its
value whose name is the input, and path traversal shown only by whether the path exists (or
opens). Each is tested both ways: the vulnerable app confirmed, the safe one not."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from auditor.probe.engine import ProbeConfig, ProbeRun, run_probe
from auditor.probe.routes.inputs import body_inputs
from auditor.probe.safety import Limits
from tests.probe.test_app_mechanisms import _serve, needs_flask


def _probed(tmp_path: Path, source: str, name: str, check: str, max_requests: int,
            canary: Path | None = None) -> ProbeRun:
    """The Flask app in `source` served in-process and probed by one check, from its code only
    (no crawl, no OpenAPI); `canary`: the traversal target, with its known content."""
    targets = [(str(canary), canary.read_text().strip())] if canary is not None else []
    with _serve(tmp_path, source, name) as url:
        cfg = ProbeConfig(base_url=url, project=tmp_path, limits=Limits(rps=500, max_requests=max_requests, timeout=5),
                          crawl=False, openapi=False, checks=[check], traversal_targets=targets)
        return run_probe(cfg)


def _inputs(body: str) -> set[tuple[str, str, str]]:
    return {(p.name, p.location, p.example) for p in body_inputs(body, "python")}


# -- where the inputs enter ---------------------------------------------------------------

def test_request_wrapper_accessors_name_their_inputs():
    body = """
    wrapped = helpers.RequestWrapper(request)
    a = wrapped.get_form_parameter("a")
    b = wrapped.get_query_parameter('b')
    c = wrapped.cookie_value("c")
    d = wrapped.fetch("d")
    """
    assert _inputs(body) == {("a", "form", ""), ("b", "query", ""), ("c", "cookie", ""), ("d", "query", "")}


def test_an_object_not_made_from_the_request_names_no_inputs():
    body = """
    conf = Settings(defaults)
    a = conf.get_form_parameter("a")
    wrapped = Wrapper(request_log)
    b = wrapped.get_query_parameter("b")
    """
    assert _inputs(body) == set()


def test_raw_query_string_searched_for_a_name():
    body = """
    qs = request.query_string.decode('utf-8')
    at = qs.find("item" + '=')
    other = qs.find('page=')
    """
    assert _inputs(body) == {("item", "query", ""), ("page", "query", "")}


def test_name_equals_literal_without_the_raw_query_string_is_no_input():
    body = """
    label = "item" + '='
    x = request.args.get("q")
    """
    assert _inputs(body) == {("q", "query", "")}


def test_field_picked_by_its_value_is_sent_with_that_value():
    picked = """
    for name in request.form.keys():
        if "marker" in request.form.getlist(name):
            param = name
    """
    assert _inputs(picked) == {("q", "form", "marker")}
    every = """
    for name in request.form.keys():
        param = name
    """
    assert _inputs(every) == {("q", "form", "")}


# -- the inputs probed end to end ----------------------------------------------------------

WRAPPED_APP = '''
import html
from flask import Flask, request
app = Flask(__name__)

class Wrapper:
    def __init__(self, req):
        self.req = req
    def get_form_parameter(self, name):
        return self.req.form.get(name)

@app.route("/wrapped", methods=["POST"])
def wrapped():
    w = Wrapper(request)
    return "<p>" + ({escape}(w.get_form_parameter("note") or "")) + "</p>"

@app.route("/raw", methods=["GET"])
def raw():
    qs = request.query_string.decode("utf-8")
    at = qs.find("term" + "=")
    if at == -1:
        return "no term"
    from urllib.parse import unquote_plus
    value = unquote_plus(qs[at + 5:].split("&")[0])
    return "<p>" + {escape}(value) + "</p>"

@app.route("/picked", methods=["POST"])
def picked():
    param = ""
    for name in request.form.keys():
        if "pick-me" in request.form.getlist(name):
            param = name
    return "<p>" + {escape}(param) + "</p>"
'''


@needs_flask
@pytest.mark.parametrize("vulnerable", [True, False])
def test_wrapper_raw_query_and_picked_field_are_probed(tmp_path: Path, vulnerable: bool):
    escape = "str" if vulnerable else "html.escape"
    run = _probed(tmp_path, WRAPPED_APP.replace("{escape}", escape), f"wrapped_app_{vulnerable}", "xss", 600)
    found = {(c.category, c.endpoint) for c in run.confirmations}
    expected = {("xss", "/wrapped"), ("xss", "/raw"), ("xss", "/picked")}
    assert found == (expected if vulnerable else set())


# -- path traversal told by existence ------------------------------------------------------

EXISTS_APP = '''
import os
from flask import Flask, request
app = Flask(__name__)
BASE = {base!r}

def escaped(s):
    return "".join(c if c.isalnum() or c in ",.-_ " else "&#x%x;" % ord(c) for c in s)

@app.route("/exists", methods=["POST"])
def exists():
    name = request.form.get("name", "")
    {guard}
    path = os.path.join(BASE, name)
    return f"File '{{escaped(path)}}' " + ("exists." if os.path.exists(path) else "does not exist.")

@app.route("/named", methods=["POST"])
def named():
    name = ""
    for key in request.form.keys():
        if "pick-me" in request.form.getlist(key):
            name = key
    {guard}
    path = os.path.join(BASE, name)
    return "yes" if os.path.exists(path) else "no"

@app.route("/write", methods=["POST"])
def write():
    name = request.cookies.get("target", "")
    {guard}
    path = os.path.join(BASE, name)
    try:
        fd = open(path, "ab")
        fd.close()
        return "Now ready to write to file: " + escaped(path)
    except OSError as e:
        return "Problem with file " + escaped(path) + ": " + escaped(e.strerror or "")
'''


@needs_flask
@pytest.mark.parametrize("vulnerable", [True, False])
def test_traversal_told_by_whether_the_path_exists(tmp_path: Path, vulnerable: bool):
    """The handlers only say whether the path exists (or opened for writing): the canary's path
    is told from two missing ones beside it. The fixed app takes the last path part only. The
    writing handler creates no file outside its folder: every path it is sent is the canary or
    cannot be made. /named takes the name of the field whose value is "pick-me": that name is
    attacked like a value."""
    base = tmp_path / "files"
    base.mkdir()
    canary = tmp_path / f"auditor-canary-{os.urandom(8).hex()}.txt"
    canary.write_text("auditor-canary-content\n")
    guard = "" if vulnerable else "name = os.path.basename(name)"
    source = EXISTS_APP.replace("{base!r}", repr(str(base))).replace("{guard}", guard)
    (tmp_path / "app.py").write_text(source)

    def outside_base() -> set[Path]:
        return {p for p in tmp_path.rglob("*") if base not in p.parents and "__pycache__" not in p.parts}

    before = outside_base()
    run = _probed(tmp_path, source, f"exists_app_{vulnerable}", "traversal", 600, canary=canary)
    found = {(c.category, c.endpoint) for c in run.confirmations}
    expected = {("path-traversal", "/exists"), ("path-traversal", "/write"), ("path-traversal", "/named")}
    assert found == (expected if vulnerable else set())
    assert outside_base() == before  # the writing handler made no file outside its own folder


# -- SQL: a lookup by a value that matches no row, widened by an OR -------------------------

LOOKUP_APP = '''
import sqlite3
from flask import Flask, request
app = Flask(__name__)
DB = {db!r}

@app.route("/owner", methods=["POST"])
def owner():
    secret = request.form.get("secret", "")
    con = sqlite3.connect(DB)
    cur = con.cursor()
    {query}
    rows = [r[0] for r in cur.fetchall()]
    con.close()
    return "<p>Owners: " + ", ".join(rows) + "</p>"
'''
UNSAFE_LOOKUP = "cur.execute(f\"SELECT name FROM users WHERE secret = '{secret}'\")"
SAFE_LOOKUP = 'cur.execute("SELECT name FROM users WHERE secret = ?", (secret,))'


@needs_flask
@pytest.mark.parametrize("vulnerable", [True, False])
def test_select_only_lookup_confirmed_by_an_or_pair(tmp_path: Path, vulnerable: bool):
    """Every AND pair answers "no owner" (the value matches no row) and the database's errors
    are hidden (a 500): the scanner says the input reaches a SELECT built from strings, so an
    always-true OR (every row) and an always-false one (none, like the value) are compared."""
    import sqlite3

    db = tmp_path / "data.db"
    con = sqlite3.connect(db)
    con.executescript("CREATE TABLE users (name TEXT, secret TEXT); INSERT INTO users VALUES ('ann', 's3cret');")
    con.commit()
    con.close()
    source = LOOKUP_APP.replace("{db!r}", repr(str(db))).replace("{query}", UNSAFE_LOOKUP if vulnerable else SAFE_LOOKUP)
    run = _probed(tmp_path, source, f"lookup_app_{vulnerable}", "sqli", 400)
    found = {(c.category, c.endpoint) for c in run.confirmations}
    assert found == ({("sql-injection", "/owner")} if vulnerable else set())
    assert not vulnerable or " OR " in run.confirmations[0].canary  # the widening pair proved it


# -- code run without its result shown, or added to text -----------------------------------

CODE_APP = '''
import ast
import html
from flask import Flask, request
app = Flask(__name__)

@app.route("/run", methods=["POST"])
def run():
    code = request.form.get("code", "")
    try:
        {run}
    except Exception:
        return "Error running statement"
    return "done"

@app.route("/calc", methods=["POST"])
def calc():
    out = "Result: "
    expr = request.form.get("expr", "")
    try:
        out += {calc}
    except Exception:
        out += "cannot evaluate " + html.escape(expr)
    return out
'''


@needs_flask
@pytest.mark.parametrize("vulnerable", [True, False])
def test_blind_exec_and_eval_added_to_text(tmp_path: Path, vulnerable: bool):
    """`exec(code)` shows nothing: the code fetches auditor's callback server with a token and a
    product it computed. `out += eval(expr)` fails on a number: `str(a*b)` is sent. The fixed
    app parses literals only (ast.literal_eval), which neither fetches nor multiplies."""
    run_line = "exec(code)" if vulnerable else "ast.literal_eval(code)"
    calc_line = "eval(expr)" if vulnerable else "str(ast.literal_eval(expr))"
    source = CODE_APP.replace("{run}", run_line).replace("{calc}", calc_line)
    run = _probed(tmp_path, source, f"code_app_{vulnerable}", "code", 400)
    found = {(c.category, c.endpoint, "callback" in c.message) for c in run.confirmations}
    expected = {("code-injection", "/run", True), ("code-injection", "/calc", False)}
    assert found == (expected if vulnerable else set())
    assert all(r.url.startswith(run.base_url) for r in run.requests)


# -- LDAP: a schema that refuses a random class, an OR filter, an ESAPI-escaped echo -------

DIRECTORY_APP = '''
import ldap3
from flask import Flask, request
app = Flask(__name__)
server = ldap3.Server("dir", get_info=ldap3.OFFLINE_SLAPD_2_4)
conn = ldap3.Connection(server, user="cn=admin,o=test", password="x", client_strategy=ldap3.MOCK_SYNC)
conn.strategy.add_entry("cn=admin,o=test", {"userPassword": "x", "sn": "admin"})
for name, street in (("alice", "Main St"), ("bob", "Side St")):
    conn.strategy.add_entry(f"uid={name},ou=people,o=test", {"uid": name, "cn": name, "sn": name, "street": street,
        "objectClass": ["top", "person", "organizationalPerson", "inetOrgPerson"]})
conn.bind()

def esapi(s):
    named = {'"': "&quot;", "&": "&amp;", "<": "&lt;", ">": "&gt;"}
    return "".join(c if c.isalnum() or c in ",.-_ " else named.get(c) or "&#x%x;" % ord(c) for c in s)

@app.route("/people", methods=["POST"])
def people():
    uid = request.form.get("uid", "")
    {clean}
    flt = f"(&(objectClass=person)(|(uid={uid})(street=Main St)))"
    try:
        conn.search("ou=people,o=test", flt, attributes=["uid"])
    except Exception:
        return "Error processing LDAP query.", 500
    names = [str(e.uid) for e in conn.entries]
    return "Found: " + ", ".join(names) if names else "nothing found for query: " + esapi(flt)
'''


@needs_flask
@pytest.mark.skipif(__import__("importlib").util.find_spec("ldap3") is None, reason="ldap3 missing")
@pytest.mark.parametrize("vulnerable", [True, False])
def test_ldap_or_filter_under_a_schema(tmp_path: Path, vulnerable: bool):
    """The directory's schema refuses a random objectClass (both payloads fail alike), the value
    sits in an OR where `*` matches every entry both ways, and "nothing found" echoes the filter
    ESAPI-escaped: the `cn` pair after the value tells them apart. The fixed app escapes the value
    (ldap3's escape_filter_chars)."""
    clean = "" if vulnerable else "from ldap3.utils.conv import escape_filter_chars; uid = escape_filter_chars(uid)"
    run = _probed(tmp_path, DIRECTORY_APP.replace("{clean}", clean), f"directory_schema_{vulnerable}", "xpath-ldap", 400)
    found = {(c.category, c.endpoint) for c in run.confirmations}
    assert found == ({("ldap-injection", "/people")} if vulnerable else set())


def test_esapi_spelling_of_an_echoed_payload():
    from auditor.probe.checks.canary import esapi, spellings

    assert esapi("a)(cn=b<\"x") == "a&#x29;&#x28;cn&#x3d;b&lt;&quot;x"
    assert esapi("a)(b") in spellings("a)(b")


TRUNCATE_APP = '''
import os
from flask import Flask, request
app = Flask(__name__)
BASE = {base!r}

@app.route("/save", methods=["POST"])
def save():
    name = request.args.get("to", "")
    {guard}
    try:
        fd = open(os.path.join(BASE, name), "wb")
        return "ready to write"
    finally:
        fd.close()  # unbound after a failed open: the error page
'''


@needs_flask
@pytest.mark.parametrize("vulnerable", [True, False])
def test_traversal_by_a_handler_that_empties_the_file_it_opens(tmp_path: Path, vulnerable: bool):
    """Open for writing ("wb" empties the file), and every failure is the same error page: only
    the canary's path opens. The fixed app takes the last path part only."""
    base = tmp_path / "files"
    base.mkdir()
    canary = tmp_path / f"auditor-canary-{os.urandom(8).hex()}.txt"
    canary.write_text("auditor-canary-content\n")
    guard = "" if vulnerable else "name = os.path.basename(name)"
    source = TRUNCATE_APP.replace("{base!r}", repr(str(base))).replace("{guard}", guard)
    run = _probed(tmp_path, source, f"truncate_app_{vulnerable}", "traversal", 300, canary=canary)
    assert {(c.category, c.endpoint) for c in run.confirmations} == \
        ({("path-traversal", "/save")} if vulnerable else set())


def test_an_emptied_canary_gets_its_content_back_and_nothing_else_is_written(tmp_path: Path):
    from auditor.probe.checks.traversal import restore

    canary = tmp_path / "auditor-canary-0123456789abcdef.txt"
    canary.write_text("")
    restore(str(canary), "auditor-canary-xyz")
    assert canary.read_text() == "auditor-canary-xyz\n"
    static = tmp_path / "style.css"
    static.write_text("")
    restore(str(static), "body {}")
    assert static.read_text() == ""


# -- XSS: a value cut at its first space ---------------------------------------------------

SPLIT_APP = '''
import html
from flask import Flask, request
app = Flask(__name__)

@app.route("/from", methods=["GET"])
def came_from():
    first = request.headers.get("Referer", "").split(" ")[0]
    return "<p>You came from " + {escape}(first) + "</p>"
'''


@needs_flask
@pytest.mark.parametrize("vulnerable", [True, False])
def test_xss_in_a_value_cut_at_its_first_space(tmp_path: Path, vulnerable: bool):
    """`<tag x=1>` comes back as `<tag`: a slash separates the attribute without a space."""
    escape = "str" if vulnerable else "html.escape"
    run = _probed(tmp_path, SPLIT_APP.replace("{escape}", escape), f"split_app_{vulnerable}", "xss", 200)
    found = [c for c in run.confirmations if c.category == "xss"]
    assert [(c.endpoint, c.canary.endswith("/x=1>")) for c in found] == ([("/from", True)] if vulnerable else [])


EVAL_ERROR_APP = '''
from flask import Flask, request
app = Flask(__name__)

@app.route("/calc")
def calc():
    expr = request.args.get("expr", "1+1")
    try:
        return str(eval(compile(expr, "<expr>", "eval")))
    except SyntaxError as e:
        return f"syntax error at column {e.offset}: {e.msg}"
'''


@needs_flask
def test_an_error_that_names_a_position_is_no_traversal(tmp_path: Path):
    """An eval's SyntaxError names the column of the first bad token: the missing paths are as
    long as the canary's, with its token at the same place, so all three fail at one column."""
    canary = tmp_path / f"auditor-canary-{os.urandom(8).hex()}.txt"
    canary.write_text("auditor-canary-content\n")
    run = _probed(tmp_path, EVAL_ERROR_APP, "eval_error_app", "traversal", 200, canary=canary)
    assert run.confirmations == []
    assert any("traversal" == r.phase for r in run.requests)


def test_missing_paths_keep_the_canary_length_and_need_a_folder():
    from auditor.probe.checks.traversal import missing_beside

    canary = "/srv/app/auditor-canary-0123456789ab.txt"
    gone = missing_beside(canary)
    assert len(gone) == 2 and all(len(p) == len(canary) and p != canary for p in gone)
    assert all(p.endswith("/auditor-canary-0123456789ab.txt") for p in gone)
    assert missing_beside("/auditor-canary-0123456789ab.txt") == []  # no folder letter to change: no pair

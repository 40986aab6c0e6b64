"""The order of point checks: SQL injection goes first where the polyglot's answer shows a
database error the baseline did not."""

from __future__ import annotations

from auditor.probe.engine import _ordered, point_checks
from auditor.probe.interface import Exchange
from auditor.probe.profile import PointProfile


def _ex(text: str) -> Exchange:
    return Exchange("GET", "http://127.0.0.1/x", {}, "", 200, [], text, 0.0)


def _profile(first: str, base: str) -> PointProfile:
    return PointProfile("audx1", "audx1", _ex("x"), _ex(base), False, False, True, first=_ex(first))


def test_sql_first_on_a_database_error_and_the_usual_order_otherwise():
    checks = point_checks()
    usual = [c.name for c in checks]
    error = _profile('sqlite3.OperationalError: unrecognized token: "\'"', "[]")
    assert [c.name for c in _ordered(checks, error)][0] == "sqli"
    assert [c.name for c in _ordered(checks, _profile("[]", "[]"))] == usual
    already = _profile("OperationalError", "OperationalError")  # the baseline shows it too: no signal
    assert [c.name for c in _ordered(checks, already)] == usual
    assert [c.name for c in _ordered(checks, None)] == usual


def test_the_check_of_the_sink_the_handler_runs_goes_first():
    """A handler that runs a shell or an XPath query: its check goes first (vuln-express-app's
    `execSync('curl ...' + brand)` answers only when the command succeeds: every other value timed
    out, and the route was left before the command check's turn)."""
    checks = point_checks()
    usual = [c.name for c in checks]
    shell = "app.get('/status/:b', (req, res) => { res.send(execSync('curl https://x/?q=' + req.params.b)) })"
    assert [c.name for c in _ordered(checks, None, shell)][0] == "command"
    xpath = "const r = xpath.select(`//user[name='${req.body.name}']`, doc)"
    assert [c.name for c in _ordered(checks, None, xpath)][0] == "xpath-ldap"
    assert [c.name for c in _ordered(checks, None, "res.json(db.find(req.query.q))")] == usual

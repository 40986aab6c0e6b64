"""Views registered under computed rules (`bp.add_url_rule(view_name, view_name, _view,
methods=[...])` in a loop, as Contrast's vulnpy does): the code gives no path, the crawl finds
the paths under the blueprint's prefix, and each found path takes the view's inputs (also those
read in a same-file helper) and methods. Tested both ways on a real Flask app: the header and
the POST form of a crawled page are attacked and confirmed; the escaping form of the same app
gets nothing; a literal add_url_rule is an ordinary route."""

from __future__ import annotations

from pathlib import Path

from auditor.probe.engine import ProbeConfig, run_probe
from auditor.probe.interface import Param, Route
from auditor.probe.routes import spread_views
from auditor.probe.routes.python import flask_fastapi_routes
from auditor.probe.safety import Limits
from tests.probe.test_app_mechanisms import _serve, needs_flask

COMPUTED_APP = """
import html
from flask import Blueprint, Flask, request

bp = Blueprint("demo", __name__, url_prefix="/demo")
NAMES = ["alpha", "beta"]


def _note():
    if request.headers.get("X-Note") is not None:
        return request.headers.get("X-Note")
    if request.method == "GET":
        return request.args.get("note", "")
    return request.form.get("note", "")


def make_view(name):
    def _view():
        note = _note()
        return "<p>" + name + ": " + (note if VULNERABLE else html.escape(note)) + "</p>"

    rule = "/{}/".format(name)
    bp.add_url_rule(rule, rule, _view, methods=["GET", "POST"])


for name in NAMES:
    make_view(name)

app = Flask(__name__)
app.register_blueprint(bp)


@app.route("/")
def index():
    links = "".join('<form action="/demo/{0}/" method="get"><input name="note"></form>'.format(n) for n in NAMES)
    return "<html><body>" + links + "</body></html>"
"""


def test_a_computed_rule_is_a_view_under_its_prefix_with_its_helpers_inputs():
    routes = flask_fastapi_routes("app.py", COMPUTED_APP)
    views = [r for r in routes if r.path == "/demo/{*}"]
    assert {r.method for r in views} == {"GET", "POST"}
    assert {(p.name, p.location) for p in views[0].params} == {("X-Note", "header"), ("note", "query"),
                                                               ("note", "form")}


def test_a_literal_rule_is_an_ordinary_route():
    source = ("from flask import Flask, request\napp = Flask(__name__)\n"
              "def show():\n    return request.args.get('q', '')\n"
              "app.add_url_rule('/show/<int:n>', 'show', show)\n")
    (route,) = flask_fastapi_routes("app.py", source)
    assert (route.method, route.path) == ("GET", "/show/{n}")
    assert {(p.name, p.location) for p in route.params} == {("n", "path"), ("q", "query")}


def test_found_paths_take_the_view_and_its_methods_code_routes_keep_theirs():
    view = Route("POST", "/demo/{*}", [Param("note", "form")], "code", "app.py", 3, "flask", "python")
    crawled = Route("GET", "/demo/alpha/", [Param("note", "query", group="f1")], "crawl")
    elsewhere = Route("GET", "/other/", [], "crawl")
    coded = Route("GET", "/demo/coded", [Param("x", "query")], "code")
    asset = Route("GET", "/demo/app.js", [], "crawl")
    out = {r.key: r for r in spread_views([view, crawled, elsewhere, coded, asset])}
    assert ("POST", "/demo/{*}") not in out
    assert {(p.name, p.location) for p in out[("POST", "/demo/alpha/")].params} == {("note", "form")}
    assert ("POST", "/other/") not in out and ("POST", "/demo/coded") not in out
    assert ("POST", "/demo/app.js") not in out


@needs_flask
def test_computed_rule_views_attacked_through_header_and_form(tmp_path: Path):
    for vulnerable in (True, False):
        folder = tmp_path / str(vulnerable)
        folder.mkdir()
        with _serve(folder, COMPUTED_APP.replace("VULNERABLE", str(vulnerable)), f"computed_{vulnerable}") as url:
            cfg = ProbeConfig(base_url=url, project=folder, limits=Limits(rps=500, max_requests=400, timeout=5),
                              openapi=False, checks=["xss"])
            run = run_probe(cfg)
        found = {(c.method, c.endpoint, c.point.param.name, c.point.param.location)
                 for c in run.confirmations if c.category == "xss" and c.point is not None}
        if vulnerable:
            assert {("GET", "/demo/alpha/", "X-Note", "header"), ("POST", "/demo/alpha/", "note", "form"),
                    ("GET", "/demo/beta/", "note", "query")} <= found, found
        else:
            assert not found, found
        assert all(r.url.startswith(url) for r in run.requests)

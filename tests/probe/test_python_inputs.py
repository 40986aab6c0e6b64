"""The inputs a Python handler reads, from its body (routes/inputs.py): a local bound to the
request's JSON, form or query and then subscripted is that location's input."""

from __future__ import annotations

import pytest

from auditor.probe.routes.inputs import body_inputs


@pytest.mark.parametrize("opener", ["try:", "else:", "if request.method == 'POST':", "with lock:"])
def test_an_alias_under_a_block_opener(opener):
    """we45's Vulnerable-Flask-App: `try:` then `content = request.json` on the next line.
    The line ending in a colon is not a type annotation of a name called `try`."""
    body = f"""    {opener}
        content = request.json
        print(content)
        username = content['username']
        password = content.get('password')
"""
    assert [(p.name, p.location) for p in body_inputs(body, "python")] == [("username", "json"), ("password", "json")]


def test_annotated_alias_still_read():
    body = "    data: dict[str, str] = request.get_json()\n    q = data['q']\n"
    assert [(p.name, p.location) for p in body_inputs(body, "python")] == [("q", "json")]


def test_an_unrelated_local_is_no_input():
    body = "    try:\n        content = load_defaults()\n        x = content['username']\n    except KeyError:\n        pass\n"
    assert body_inputs(body, "python") == []


NOT_FOUND_APP = """from flask import Flask, request, render_template_string

app = Flask(__name__)

@app.route("/")
def home():
    return "home"

@app.errorhandler(404)
def not_found(e):
    return render_template_string("<h3>%s</h3>" % request.url), 404
"""

QUIET_NOT_FOUND_APP = NOT_FOUND_APP.replace('render_template_string("<h3>%s</h3>" % request.url)', '"nothing here"')


@pytest.mark.parametrize("source,listed", [(NOT_FOUND_APP, True), (QUIET_NOT_FOUND_APP, False)])
def test_a_not_found_handler_that_reads_the_request_is_a_route(tmp_path, source, listed):
    """we45's Vulnerable-Flask-App puts `request.url` in its 404 page's template: the page for a
    path nothing matches is probed, its path segment an input. A handler that reads nothing of
    the request is not (nothing of the request can reach its page)."""
    from auditor.probe.routes import code_routes
    from auditor.probe.routes.common import NOT_FOUND_PATH

    (tmp_path / "app.py").write_text(source)
    routes = {r.path: r for r in code_routes(tmp_path)}
    assert (NOT_FOUND_PATH in routes) is listed
    if listed:
        route = routes[NOT_FOUND_PATH]
        assert route.method == "GET" and [(p.name, p.location) for p in route.params] == [("page", "path")]


def test_an_input_takes_the_value_its_handler_compares_it_with():
    """damn-vulnerable-nestjs's `/webhook/test` answers 'Unknown test action: 1' to the filler:
    the branch under test runs only for a value the handler names. A value that names a deletion
    or a change is never taken."""
    from auditor.probe.routes.inputs import body_inputs

    js = ("const { action, mode, op } = req.body;\n"
          "switch (action) { case 'sql': run(); break; case 'delete': drop(); }\n"
          "if (mode === 'fast') {}\nif ('delete' === op) {}\n")
    found = {p.name: p.example for p in body_inputs(js, "javascript")}
    assert found == {"action": "sql", "mode": "fast", "op": ""}
    nested = "const data = req.body;\nswitch (req.body.kind) { case 'sql_injection': break; }\n"
    assert {p.name: p.example for p in body_inputs(nested, "javascript")} == {"kind": "sql_injection"}
    py = ('action = request.args.get("action")\nif action == "ping":\n    pass\n'
          'kind = request.form.get("kind")\nif kind in ("a", "b"):\n    pass\n')
    assert {p.name: p.example for p in body_inputs(py, "python")} == {"action": "ping", "kind": "a"}

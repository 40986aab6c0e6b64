"""XPath injection where the input is the whole path expression (`root.findall(value)[0]`, as
Contrast's vulnpy has): every answer but a matching path is the same error, so neither the
profile nor the quote-breaking shapes show anything. `.//*[1]` and `*[1]` answer alike
and unlike `.//TOKEN[1]`. Both ways: the ElementPath lookup is confirmed; a glob over files and
a regular-expression search over text, which also treat `*` and `[...]` specially, are not; a
fixed lookup by name is not. `findtext(value)` (vulnpy's too) shows the first match's text: the
first pair matches a container whose text is white space, a second pair names a leaf. Where the
result is never shown, only the parse errors: paths only XPath and ElementPath take are answered,
their broken twins fail; a regular expression or Python's parser, shown only by errors too, fail
on the first already."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from tests.probe.test_app_mechanisms import needs_flask
from tests.probe.test_benchmark_mechanisms import _probed

APP = """
import glob, re
from flask import Flask, request
from lxml import etree

app = Flask(__name__)
DOC = etree.fromstring(b"<planets><planet><name>Kepler</name></planet><planet><name>Mars</name></planet></planets>")
TEXT = "logged 12/1/2024 by x/1 and a/b"


@app.route("/find")
def find():
    path = request.args.get("path", "planet")
    if MODE == "elementpath":
        return "<p>" + DOC.findall(path)[0][0].text + "</p>"   # no match: IndexError, a 500
    if MODE == "findtext":  # vulnpy's: the first match's text (a container's is white space), None
        return "<p>%s</p>" % DOC.findtext(path)
    if MODE == "findtext_blind":  # the result computed and dropped: only a parse error shows (a 500)
        DOC.findtext(path)
        return "<p>done</p>"
    if MODE == "regex_blind":
        re.search(path, TEXT)
        return "<p>done</p>"
    if MODE == "eval_blind":
        eval(compile(path, "<q>", "eval"), {"__builtins__": {}}, {}) if path.isidentifier() else compile(path, "<q>", "eval")
        return "<p>done</p>"
    if MODE == "glob":
        return "<p>%d files</p>" % len(glob.glob(path))
    if MODE == "regex":
        return "<p>found</p>" if re.search(path, TEXT) else ("<p>none</p>", 404)
    found = DOC.xpath("//planet[name=$n]/name/text()", n=path)
    return "<p>" + ", ".join(found) + "</p>"
"""


@needs_flask
@pytest.mark.skipif(importlib.util.find_spec("lxml") is None, reason="lxml is not installed")
@pytest.mark.parametrize("mode", ["elementpath", "findtext", "findtext_blind", "glob", "regex", "regex_blind",
                                  "eval_blind", "fixed"])
def test_whole_expression_xpath(tmp_path: Path, mode: str):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "page.html").write_text("x")
    run = _probed(tmp_path, APP.replace("MODE", repr(mode)), f"whole_{mode}", "xpath-ldap", 200)
    found = [c.message for c in run.confirmations if c.category == "xpath-injection"]
    assert bool(found) is (mode in ("elementpath", "findtext", "findtext_blind")), found


def test_a_form_that_refuses_its_token_now_and_then_proves_no_xpath():
    """microblog's profile form (Flask-WTF): some answers are the form shown again with "The CSRF
    token is invalid." (a 200). Here the refusals fall on the path-like values only, which the
    differential would read as an expression evaluated; a refused answer proves nothing."""
    from urllib.parse import parse_qs

    from auditor.probe.checks.query_languages import whole_expression
    from auditor.probe.interface import InjectionPoint, Param, ProbeContext, Route
    from auditor.probe.safety import Limits, SafeClient
    from auditor.probe.sender import PointSender

    from .standin import serve

    def handle(method, path, headers, body):
        submit = parse_qs(body.decode()).get("submit", [""])[0]
        if "*" in submit:
            return 200, {}, '<form><input name="csrf_token" value="t"><span>The CSRF token is invalid.</span></form>'
        return 302, {"Location": "/edit_profile"}, "Redirecting..."

    with serve(handle) as url:
        client = SafeClient(url, Limits(rps=1000))
        route = Route("POST", "/edit_profile", [Param("about_me", "form"), Param("submit", "form", "Submit")])
        point = InjectionPoint(route, route.params[1])
        assert whole_expression(PointSender(client), ProbeContext(client.base_url), point) is None

"""XPath injection where the input is the whole path expression (`root.findall(value)[0]`, as
Contrast's vulnpy has): every answer but a matching path is the same error, so neither the
profile nor the quote-breaking shapes show anything. `.//*[1]` and `*[1]` answer alike
and unlike `.//TOKEN[1]`. Both ways: the ElementPath lookup is confirmed; a glob over files and
a regular-expression search over text, which also treat `*` and `[...]` specially, are not; a
fixed lookup by name is not."""

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
    if MODE == "glob":
        return "<p>%d files</p>" % len(glob.glob(path))
    if MODE == "regex":
        return "<p>found</p>" if re.search(path, TEXT) else ("<p>none</p>", 404)
    found = DOC.xpath("//planet[name=$n]/name/text()", n=path)
    return "<p>" + ", ".join(found) + "</p>"
"""


@needs_flask
@pytest.mark.skipif(importlib.util.find_spec("lxml") is None, reason="lxml is not installed")
@pytest.mark.parametrize("mode", ["elementpath", "glob", "regex", "fixed"])
def test_whole_expression_xpath(tmp_path: Path, mode: str):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "page.html").write_text("x")
    run = _probed(tmp_path, APP.replace("MODE", repr(mode)), f"whole_{mode}", "xpath-ldap", 200)
    found = [c.message for c in run.confirmations if c.category == "xpath-injection"]
    assert bool(found) is (mode == "elementpath"), found

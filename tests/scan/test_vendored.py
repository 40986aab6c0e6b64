"""Copied third-party library files are skipped by the code checks, with the reason."""

from __future__ import annotations

from pathlib import Path

from auditor.scan.engine import Scanner, skip_reason
from auditor.scan.vendored import vendored_reason

SHIM = '/**\n* @preserve HTML5 Shiv 3.7.2 | MIT/GPL2 Licensed\n*/\n!function(a){a.innerHTML="x"+b;eval(c)}(this);\n'
BOOTSTRAP = ("/*!\n * Bootstrap v3.3.7 (http://getbootstrap.com)\n * Copyright 2011-2016 Twitter, Inc.\n"
             " * Licensed under the MIT license\n */\nvar id = Math.random();\n")
OWN = "// our widget v1.2 for the admin page\nel.innerHTML = location.hash;\n"


def test_minified_names_and_library_banners_in_asset_folders():
    assert vendored_reason("static/js/respond.min.js", "!function(a){}") is not None
    assert vendored_reason("app/jquery-min.js", "x") is not None
    assert vendored_reason("static/js/html5shiv.js", SHIM) is not None
    assert vendored_reason("public/vendor/bootstrap.js", BOOTSTRAP) is not None


def test_the_projects_own_code_is_not_vendored():
    assert vendored_reason("static/js/app.js", OWN) is None
    assert vendored_reason("src/bootstrap.js", BOOTSTRAP) is None  # a banner outside an assets folder
    assert vendored_reason("static/js/minify.js", "x") is None
    assert vendored_reason("app/views.py", SHIM) is None  # only JS
    assert skip_reason(OWN, "static/js/app.js") is None


def test_tree_scan_lists_vendored_files_as_skipped(tmp_path: Path):
    js = tmp_path / "static" / "js"
    js.mkdir(parents=True)
    (js / "html5shiv.min.js").write_text(SHIM)
    (js / "bootstrap.js").write_text(BOOTSTRAP)
    (js / "app.js").write_text(OWN)
    result = Scanner().scan_tree(tmp_path)
    skipped = dict(result.skipped)
    assert skipped["static/js/html5shiv.min.js"].startswith("vendored library")
    assert skipped["static/js/bootstrap.js"].startswith("vendored library (banner: /*!")
    assert {f.path for f in result.findings} == {"static/js/app.js"}

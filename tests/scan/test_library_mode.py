"""Library mode (`auditor scan --library`): the parameters of a package's public API are input.

The fixtures under tests/fixtures/library/ are annotated like the scan fixtures: `ruleid:` lines
must be flagged in library mode, told as input from the library's caller; `ok:` lines (a
sanitizer, a parametrised query, a private or unexported function, a parameter that is not
data) stay clean in both modes. Without the flag the same files give what an ordinary scan
gives: no caller flow, nothing above medium on any annotated line (Python's plain-parameter
heuristic reports a string built into SQL or eval at medium, as it always has), and nothing at
all in the JS/TS files."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.findings import Severity
from auditor.kb.load import rules_by_id
from auditor.scan.checks.javascript.library import data_parameters as js_data_parameters
from auditor.scan.checks.javascript.library import public_functions as js_public_functions
from auditor.scan.checks.javascript.syntax import index
from auditor.scan.checks.javascript.taint import Flow
from auditor.scan.checks.python.facts import collect
from auditor.scan.checks.python.library import data_parameters, declared_all, public_functions
from auditor.scan.engine import Scanner
from auditor.scan.interface import SourceFile
from auditor.scan.library import CALLER_NOTE, api_file
from tests.scan.test_annotated_fixtures import annotations

ROOT = Path(__file__).parent.parent / "fixtures" / "library"
FILES = sorted(p for p in ROOT.iterdir() if p.is_file())
RULES = rules_by_id()
LIBRARY = Scanner(secrets=False, library=True)
ORDINARY = Scanner(secrets=False)


def _scan(scanner: Scanner, path: Path):
    # The path relative to the fixtures folder: a file under tests/ is never library API.
    return scanner.scan_source(path.name, path.read_text(encoding="utf-8"))


def _caller_flow(f) -> bool:
    return "library's caller" in f.message and any(CALLER_NOTE in note for _, _, note in f.trace)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_library_mode_flags_public_parameters(path: Path):
    findings = _scan(LIBRARY, path)
    problems = []
    notes = annotations(path.read_text(encoding="utf-8"))
    assert any(kind == "ruleid" for kind, _, _ in notes) and any(kind == "ok" for kind, _, _ in notes)
    for kind, rule_id, line in notes:
        category = RULES[rule_id].category
        here = [f for f in findings if f.line <= line <= f.end_line and f.category == category]
        if kind == "ruleid" and not any(_caller_flow(f) for f in here):
            problems.append(f"line {line}: expected a caller flow of {category}, got {[f.message for f in here]}")
        if kind == "ok" and here:
            problems.append(f"line {line}: expected clean, got {[f.rule_id for f in here]}")
    assert not problems, f"{path.name}:\n" + "\n".join(problems)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_without_the_flag_nothing_is_told_as_a_library_flow(path: Path):
    findings = _scan(ORDINARY, path)
    lines = {line for _, _, line in annotations(path.read_text(encoding="utf-8"))}
    on_lines = [f for f in findings if any(f.line <= n <= f.end_line for n in lines)]
    assert not any(_caller_flow(f) for f in findings)
    assert not [f for f in on_lines if f.severity > Severity.MEDIUM]
    if path.suffix != ".py":
        assert not on_lines


def test_the_library_pass_adds_findings_only_in_library_mode():
    path = ROOT / "lib_api.py"
    ordinary = {(f.rule_id, f.line) for f in _scan(ORDINARY, path)}
    library = {(f.rule_id, f.line) for f in _scan(LIBRARY, path)}
    assert ordinary and ordinary < library  # the ordinary findings stay, told as the library flow


def test_the_severity_is_the_rules_and_the_trace_starts_at_the_public_function():
    finding = next(f for f in _scan(LIBRARY, ROOT / "lib_api.py") if f.rule_id == "py.ssrf.user-urls")
    assert finding.severity == RULES["py.ssrf.user-urls"].severity
    path, line, note = finding.trace[0]
    assert (path, note) == ("lib_api.py", "parameter of public `fetch_cover`: input from the library's caller")
    assert (ROOT / "lib_api.py").read_text(encoding="utf-8").splitlines()[line - 1].startswith("def fetch_cover(")


def _py(code: str) -> tuple[SourceFile, object]:
    src = SourceFile("pkg/mod.py", code, "python")
    return src, collect(src)


def test_python_public_api_respects_all_classes_and_nesting():
    src, facts = _py(
        "__all__ = ['a', 'K']\n"
        "def a(x):\n    def inner(y): pass\n"
        "def b(x): pass\n"
        "class K:\n    def __init__(self, v): pass\n    def m(self, v): pass\n    def _p(self, v): pass\n"
        "class L:\n    def m(self, v): pass\n")
    assert sorted(public_functions(src.tree.root_node, facts).values()) == ["K.__init__", "K.m", "a"]
    src, facts = _py("def a(x): pass\nclass _K:\n    def m(self, v): pass\nclass K:\n    def m(self, v): pass\n")
    assert declared_all(src.tree.root_node) is None
    assert sorted(public_functions(src.tree.root_node, facts).values()) == ["K.m", "a"]


def test_python_parameters_that_are_not_data_are_left_out():
    src, facts = _py("def f(self, url, *paths, n: int, flag=False, retries=3, callback=None, name: str = '',\n"
                     "      hook: 'Callable[[str], None]' = None, opts: Options = None, data: 'dict[str, Any]' = None,\n"
                     "      **kwargs): pass\n")
    assert data_parameters(facts.functions[0]) == ["url", "paths", "name", "data"]


def _js(code: str, path: str = "lib/index.js") -> Flow:
    src = SourceFile(path, code, "typescript" if path.endswith(".ts") else "javascript")
    return Flow(src, index(src))


def test_js_exports_in_each_module_form():
    flow = _js("function a(x) {}\nfunction b(x) {}\nfunction C(d) {}\nC.prototype.get = function (k) {};\n"
               "C.prototype._set = function (k) {};\nclass D { run(c) {} _x(c) {} }\n"
               "module.exports = { a, C, D };\nexports.e = function (y) {};\n")
    assert sorted(js_public_functions(flow).values()) == ["C", "C.get", "D.run", "a", "e"]
    flow = _js("export function f(a: string) {}\nfunction g(a) {}\nconst h = (a) => a;\n"
               "export class K { open(f: string) {} private hide(f: string) {} }\nexport { h as hh };\n",
               "src/index.ts")
    assert sorted(js_public_functions(flow).values()) == ["K.open", "f", "hh"]


def test_js_parameters_that_are_not_data_are_left_out():
    flow = _js("export function f(url: string, n: number, cb: (e: Error) => void, verbose = false,\n"
               "  { path, onDone }, req, res, next, opts) {}\n", "src/index.ts")
    fn = next(iter(flow.idx.get("func")))
    assert sorted(js_data_parameters(flow, fn)) == ["opts", "path", "url"]


@pytest.mark.parametrize("path, api", [
    ("src/pkg/core.py", True), ("lib/index.js", True), ("tests/test_core.py", False),
    ("pkg/tests/helpers.py", False), ("setup.py", False), ("lib/index.spec.ts", False),
    ("examples/demo.js", False), ("conftest.py", False),
])
def test_test_and_example_files_are_not_library_api(path: str, api: bool):
    assert api_file(path) is api


def test_a_fallback_import_does_not_replace_what_the_try_imported():
    src, facts = _py("try:\n    from xml.etree import cElementTree as ET\n    if old:\n        from xml.etree import ElementTree as ET\n"
                     "except ImportError:\n    try:\n        import cElementTree as ET\n    except ImportError:\n"
                     "        from elementtree import ElementTree as ET\n")
    assert facts.imports["ET"] == "xml.etree.ElementTree"


def test_a_commonpath_comparison_guards_a_request_path_in_an_ordinary_scan():
    code = ("import os\nfrom flask import request\nBASE = '/srv'\n\n@app.get('/f')\ndef f():\n"
            "    full = os.path.realpath(os.path.join(BASE, request.args['name']))\n{guard}"
            "    return open(full).read()\n")
    guard = "    if os.path.commonpath([BASE, full]) != BASE:\n        return 'no'\n"
    flagged = [f for f in ORDINARY.scan_source("app.py", code.format(guard="")) if f.category == "path-traversal"]
    clean = [f for f in ORDINARY.scan_source("app.py", code.format(guard=guard)) if f.category == "path-traversal"]
    assert flagged and not clean

"""The shared dataflow core: the solver on hand-built IR (summaries, recursion, object
fields), the module resolution it uses for Go and Ruby, and the on-disk summary cache as a
one-file scan (a hook, `--diff`) sees it."""

from __future__ import annotations

import json
from pathlib import Path

from auditor.scan.dataflow import ir
from auditor.scan.dataflow.ir import DYNAMIC, INPUT
from auditor.scan.dataflow.solver import Solver
from auditor.scan.engine import Scanner
from auditor.scan.project_index import ProjectIndex

PROJECTS = Path(__file__).parent.parent / "fixtures" / "projects"


class _ByName:
    """A resolver for hand-built IR: a bare call names a function of the same module."""

    language = "test"

    def resolve(self, solver, module, fn, call):  # noqa: ANN001, ANN201
        found = module.by_key().get(call.name)
        return (module, found) if found is not None and not call.receiver else None


def _fn(key: str, params: tuple[str, ...], body: list, fields: tuple[int, ...] = ()) -> ir.Function:
    return ir.Function(key, key, params, (DYNAMIC,) * len(params), body, fields=fields)


def test_summary_param_to_sink_and_return_reported_at_the_call_with_a_trace():
    helper = _fn("run_sql", ("sql", "limit"), [
        ir.Sink("sql", ir.Var("sql"), DYNAMIC, False, 3),
        ir.Return(ir.Join((ir.Var("limit"), ir.Source(DYNAMIC)))),
    ])
    call = ir.Call("run_sql", "", (ir.Source(), ir.Const()), ir.Const(), 9)
    caller = _fn("handler", (), [ir.Eval(call), ir.Assign(("n",), (call,)),
                                  ir.Sink("path", ir.Var("n"), INPUT, False, 10)])
    module = ir.Module("a.rb", "test", [helper, caller])
    solver = Solver(_ByName())
    summary = solver.summary(module, helper)
    assert summary is not None
    assert [(p, k) for p, k, _, _ in summary.sinks] == [(0, "sql")]
    assert summary.return_params == {1} and summary.returns == DYNAMIC
    flows = solver.flows(module)
    at_call = [f for f in flows if f.line == 9]
    assert [(f.kind, f.level) for f in at_call] == [("sql", INPUT)]
    assert [s[:2] for s in at_call[0].trace] == [("a.rb", 9), ("a.rb", 3)]
    # The return is the helper's own DYNAMIC value plus a clean argument: below INPUT.
    assert not [f for f in flows if f.kind == "path"]


def test_recursion_and_guards_and_constructor_fields():
    loop = _fn("loop", ("x",), [ir.Eval(ir.Call("loop", "", (ir.Var("x"),), ir.Const(), 2))])
    method = _fn("call", ("@path",), [ir.Sink("path", ir.Var("@path"), INPUT, True, 5)], fields=(0,))
    guarded = _fn("guarded", (), [ir.Assign(("u",), (ir.Source(),)), ir.Guard(("u",)),
                                  ir.Sink("redirect", ir.Var("u"), INPUT, True, 7),
                                  ir.Sink("sql", ir.Var("u"), DYNAMIC, False, 8)])
    via_ctor = _fn("action", (), [ir.Eval(ir.Call("call", "", (), ir.Const(), 11, ctor_args=(ir.Source(),)))])
    module = ir.Module("b.rb", "test", [loop, method, guarded, via_ctor])
    flows = Solver(_ByName()).flows(module)
    assert sorted((f.line, f.kind) for f in flows) == [(8, "sql"), (11, "path")]


def test_a_value_reassigned_from_itself_in_one_branch_keeps_its_old_taint():
    # a, b = input (byte 0); if ... { a = clean(a) (byte 20, branch 10..30) }; b = clean(b)
    # c: assigned and re-assigned inside the same branch: the first value is gone.
    fn = _fn("h", (), [ir.Assign(("a", "b"), (ir.Source(), ir.Source()), at=0),
                       ir.Assign(("a",), (ir.Const(),), branch=(10, 30), at=20),
                       ir.Assign(("b",), (ir.Const(),), at=25),
                       ir.Assign(("c",), (ir.Source(),), at=12),
                       ir.Assign(("c",), (ir.Const(),), branch=(10, 30), at=22),
                       ir.Sink("path", ir.Var("a"), INPUT, False, 3, at=28),  # inside the branch: escaped
                       ir.Sink("path", ir.Var("a"), INPUT, False, 4, at=40), ir.Sink("path", ir.Var("b"), INPUT, False, 5, at=41),
                       ir.Sink("path", ir.Var("c"), INPUT, False, 6, at=42)])
    flows = Solver(_ByName()).flows(ir.Module("c.go", "test", [fn]))
    assert [f.line for f in flows] == [4]


def test_resolution_methods(tmp_path: Path):
    files = {
        "go.mod": "module example.com/shop\n",
        "internal/store/store.go": "package store\n",
        "web/app/models/user.rb": "class User\nend\n",
        "web/app/services/admin/report_builder.rb": "",
        "web/app/models/concerns/searchable.rb": "",
        "web/lib/html_parser.rb": "",
        "web/config/user.rb": "",
        "scripts/helpers/io.rb": "",
        "site/composer.json": '{"autoload": {"psr-4": {"App\\\\": "src/", "App\\\\Admin\\\\": ["admin/"]}}}',
        "site/src/Services/UserSearch.php": "",
        "site/admin/Report.php": "",
        "site/legacy/lib/db.php": "",
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    index = ProjectIndex(tmp_path)
    assert index.resolve_go_import("cmd/main.go", "example.com/shop/internal/store") == "internal/store"
    assert index.resolve_go_import("cmd/main.go", "github.com/other/lib") is None
    assert index.folder_files("internal/store", ".go") == ["internal/store/store.go"]
    ctl = "web/app/controllers/users_controller.rb"
    assert index.resolve_ruby_constant(ctl, "User") == "web/app/models/user.rb"
    assert index.resolve_ruby_constant(ctl, "Admin::ReportBuilder") == "web/app/services/admin/report_builder.rb"
    assert index.resolve_ruby_constant(ctl, "Searchable") == "web/app/models/concerns/searchable.rb"
    assert index.resolve_ruby_constant(ctl, "HTMLParser") == "web/lib/html_parser.rb"
    assert index.resolve_ruby_constant(ctl, "Missing") is None
    assert index.resolve_ruby_require("scripts/run.rb", "helpers/io") == "scripts/helpers/io.rb"
    assert index.resolve_ruby_require("scripts/run.rb", "../../etc/passwd") is None
    php = "site/src/Http/Controllers/UserController.php"
    assert index.resolve_php_class(php, "App\\Services\\UserSearch") == "site/src/Services/UserSearch.php"
    assert index.resolve_php_class(php, "App\\Admin\\Report") == "site/admin/Report.php"
    assert index.resolve_php_class(php, "Illuminate\\Support\\Str") is None
    assert index.resolve_php_include("site/legacy/index.php", "lib/db.php") == "site/legacy/lib/db.php"


def test_one_file_scan_reuses_cached_ruby_summaries_until_the_callee_changes(tmp_path: Path, monkeypatch):
    import shutil

    cache = tmp_path / "cache"
    monkeypatch.setenv("AUDITOR_CACHE_DIR", str(cache))
    root = tmp_path / "app"
    shutil.copytree(PROJECTS / "ruby-rails-autoload" / "vulnerable", root)
    ctl = "app/controllers/users_controller.rb"
    text = (root / ctl).read_text()

    def sql_lines() -> list[int]:
        found = Scanner(secrets=False, root=root).scan_source(ctl, text)
        return [f.line for f in found if f.category == "sql-injection"]

    assert sql_lines() == [4]
    # The model scanned alone reads its callees' summaries back: its own findings stay.
    model_alone = Scanner(secrets=False, root=root).scan_source("app/models/user.rb", (root / "app/models/user.rb").read_text())
    assert [f.line for f in model_alone if f.category == "sql-injection"] == [4]
    stored = [json.loads(p.read_text()) for p in (cache / "summaries").rglob("*.json")]
    assert any(k.startswith("df:ruby:User.search_by_name") for entry in stored for k in entry), "summaries cached"
    from auditor.scan.dataflow import solver

    solved: list[str] = []
    run = solver._Walk.run
    monkeypatch.setattr(solver._Walk, "run", lambda self: (solved.append(self.fn.key), run(self))[1])
    assert sql_lines() == [4]
    assert "User.search_by_name" not in solved, "the model's summary comes from the cache"
    model = root / "app/models/user.rb"
    model.write_text(model.read_text().replace("""where("name LIKE '%#{name}%'")""", 'where("name LIKE ?", name)'))
    assert sql_lines() == []  # the model changed: its cached summary is not used


def test_php_scopes_query_gives_the_walk_order() -> None:
    """The PHP lowering finds a scope's statement nodes by one query per file: the same nodes,
    in the same order, as the Python walk it replaced (on every PHP fixture)."""
    from pathlib import Path

    from auditor.scan.checks.php.lower import SCOPE_STOP, STATEMENT_NODES, _scopes
    from auditor.scan.checks.php.phpsyntax import FUNCTIONS
    from auditor.scan.interface import SourceFile
    from auditor.scan.treeutil import find_all, walk

    files = sorted(Path(__file__).parents[1].joinpath("fixtures").rglob("*.php"))
    assert files
    for path in files:
        src = SourceFile(path.name, path.read_text(encoding="utf-8"), "php")
        root = src.tree.root_node
        scopes = _scopes(root)
        bodies = [root] + [b for f in find_all("php", root, tuple(sorted(FUNCTIONS)))
                           if (b := f.child_by_field_name("body")) is not None]
        for body in bodies:
            expected = [n.id for n in walk(body, SCOPE_STOP) if n.type in STATEMENT_NODES]
            assert [n.id for n in scopes.get(body.id, [])] == expected, path

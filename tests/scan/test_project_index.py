"""The project index: calls followed into other files of the project (Python imports, JS
relative imports and requires), the steps reported as `trace` and SARIF `codeFlows`, and
function summaries cached on disk by file content (reused by one-file scans, dropped when
a file they read changes)."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.report.sarif import sarif_dict
from auditor.scan.engine import Scanner
from auditor.scan.project_index import ProjectIndex

ROUTES_PY = """\
from flask import Flask, request

from app.services.users import find_user, UserRepo
from app.services import reports

app = Flask(__name__)


@app.get("/users")
def users():
    return {"u": find_user(request.args.get("name"))}


@app.get("/report")
def report():
    return reports.render(request.args["tpl"])


@app.get("/repo")
def repo_search():
    repo = UserRepo()
    return {"r": repo.search(request.args["q"])}


@app.get("/safe")
def safe():
    return {"u": find_user(str(int(request.args["id"])))}
"""
USERS_PY = """\
import sqlite3

from .db import run_sql


def find_user(name):
    return run_sql("SELECT * FROM users WHERE name = '" + name + "'")


class UserRepo:
    def search(self, term):
        return sqlite3.connect("app.db").execute("SELECT * FROM users WHERE bio LIKE ?", (term,)).fetchall()
"""
DB_PY = """\
import sqlite3


def run_sql(sql):
    return sqlite3.connect("app.db").execute(sql).fetchall()
"""
REPORTS_PY = """\
import os


def render(template_name):
    os.system("render-report " + template_name)
"""


def write_tree(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def python_project(root: Path) -> Path:
    return write_tree(root, {"app/__init__.py": "", "app/routes.py": ROUTES_PY, "app/services/__init__.py": "",
                             "app/services/users.py": USERS_PY, "app/services/db.py": DB_PY,
                             "app/services/reports.py": REPORTS_PY})


def by_line(findings, path="app/routes.py"):
    return {f.line: f for f in findings if f.path == path}


def test_python_calls_followed_across_files_with_trace(tmp_path):
    result = Scanner(secrets=False).scan_tree(python_project(tmp_path))
    found = by_line(result.findings)
    sql = found[11]
    assert sql.category == "sql-injection" and sql.severity.label == "critical"
    assert [(s[0], s[1]) for s in sql.trace] == [
        ("app/routes.py", 11), ("app/services/users.py", 7), ("app/services/db.py", 5)]
    assert found[16].category == "command-injection"
    assert found[16].trace[-1][:2] == ("app/services/reports.py", 5)
    assert 22 not in found  # the repository binds its parameter
    assert 27 not in found  # int() cleans the value before it leaves the route
    data = found[11].to_dict()
    assert data["trace"][0] == {"path": "app/routes.py", "line": 11,
                                "note": "request data passed to find_user() in app/services/users.py"}


def test_sarif_code_flows(tmp_path):
    result = Scanner(secrets=False).scan_tree(python_project(tmp_path))
    sarif = sarif_dict(result)
    flows = [r["codeFlows"] for r in sarif["runs"][0]["results"] if "codeFlows" in r]
    assert flows
    steps = flows[0][0]["threadFlows"][0]["locations"]
    assert steps[0]["location"]["physicalLocation"]["artifactLocation"]["uri"] == "app/routes.py"
    assert all("message" in s["location"] for s in steps)


def test_one_file_scan_uses_the_project_and_the_disk_cache(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("AUDITOR_CACHE_DIR", str(cache))
    root = python_project(tmp_path / "proj")
    scanner = Scanner(secrets=False, root=root)
    first = by_line(scanner.scan_source("app/routes.py", ROUTES_PY))
    assert first[11].category == "sql-injection"
    stored = list((cache / "summaries").rglob("*.json"))
    assert stored, "cross-file summaries are written to the cache"
    again = by_line(Scanner(secrets=False, root=root).scan_source("app/routes.py", ROUTES_PY))
    assert [s[:2] for s in again[11].trace] == [s[:2] for s in first[11].trace]
    # A file the summary read changes: the cached summary is not used.
    (root / "app/services/db.py").write_text(DB_PY.replace("execute(sql)", "execute('SELECT 1 WHERE ? = ?', (sql, sql))"))
    fixed = by_line(Scanner(secrets=False, root=root).scan_source("app/routes.py", ROUTES_PY))
    assert 11 not in fixed


def test_one_file_scan_without_root_stays_in_the_file():
    found = by_line(Scanner(secrets=False).scan_source("app/routes.py", ROUTES_PY))
    assert 11 not in found


def test_js_imports_and_requires_followed(tmp_path):
    files = {
        "src/routes.js": (
            "const express = require('express');\n"
            "const { findUser } = require('./services/users');\n"
            "import * as reports from './services/reports';\n"
            "const router = express.Router();\n"
            "router.get('/users', async (req, res) => res.json(await findUser(req.query.name)));\n"
            "router.get('/report', (req, res) => { reports.render(req.query.tpl); res.end(); });\n"
            "router.get('/safe', async (req, res) => res.json(await findUser(Number(req.query.id))));\n"
        ),
        "src/services/users.js": (
            "const db = require('../db');\n"
            "async function findUser(name) {\n"
            "  return db.query(`SELECT * FROM users WHERE name = '${name}'`);\n"
            "}\n"
            "module.exports = { findUser };\n"
        ),
        "src/services/reports.ts": (
            "import { exec } from 'child_process';\n"
            "export function render(name: string) {\n"
            "  exec('render-report ' + name);\n"
            "}\n"
        ),
    }
    write_tree(tmp_path, files)
    found = by_line(Scanner(secrets=False).scan_tree(tmp_path).findings, "src/routes.js")
    assert found[5].category == "sql-injection"
    assert [s[:2] for s in found[5].trace] == [("src/routes.js", 5), ("src/services/users.js", 3)]
    assert found[6].category == "command-injection"
    assert 7 not in found


@pytest.mark.parametrize(("importer", "spec", "expected"), [
    ("src/routes.js", "./services/users", "src/services/users.js"),
    ("src/routes.js", "./services/reports.js", "src/services/reports.ts"),  # TS ESM style
    ("src/services/users.js", "../lib", "src/lib/index.ts"),
    ("src/routes.js", "../../outside", None),
    ("src/routes.js", "express", None),
])
def test_resolve_js(tmp_path, importer, spec, expected):
    write_tree(tmp_path, dict.fromkeys(("src/services/users.js", "src/services/reports.ts", "src/lib/index.ts",
                                        "src/routes.js"), ""))
    assert ProjectIndex(tmp_path).resolve_js(importer, spec) == expected


@pytest.mark.parametrize(("importer", "spec", "expected"), [
    ("app/api/x/route.ts", "@/lib/db", "lib/db.ts"),                # paths "@/*": ["./*"]
    ("app/api/x/route.ts", "~utils/text", "src/utils/text/index.ts"),  # paths "~utils/*": ["src/utils/*"]
    ("app/api/x/route.ts", "lib/db", "lib/db.ts"),                   # baseUrl "."
    ("app/api/x/route.ts", "@/lib/missing", None),
    ("app/api/x/route.ts", "next/server", None),
    ("app/api/x/route.ts", "@supabase/supabase-js", None),
])
def test_resolve_js_through_tsconfig_paths(tmp_path, importer, spec, expected):
    # JSON with comments and a trailing comma, as tsconfig.json files are written
    config = ('{\n  // aliases\n  "compilerOptions": {\n    "baseUrl": ".",\n'
              '    "paths": { "@/*": ["./*"], "~utils/*": ["src/utils/*"], },\n  },\n}\n')
    write_tree(tmp_path, {"tsconfig.json": config, **dict.fromkeys(("lib/db.ts", "src/utils/text/index.ts", importer), "")})
    assert ProjectIndex(tmp_path).resolve_js(importer, spec) == expected


def test_bare_imports_resolve_to_nothing_without_a_tsconfig(tmp_path):
    write_tree(tmp_path, dict.fromkeys(("lib/db.ts", "app/route.ts"), ""))
    assert ProjectIndex(tmp_path).resolve_js("app/route.ts", "lib/db") is None


def test_js_instances_of_imported_classes_and_constructor_functions(tmp_path):
    files = {
        "app/data/users.js": (
            "class UserStore {\n"
            "  byName(name) { return this.pool.query(\"SELECT * FROM users WHERE name = '\" + name + \"'\"); }\n"
            "}\n"
            "module.exports = { UserStore };\n"
        ),
        "app/data/allocations-dao.js": (
            "function AllocationsDAO(db) {\n"
            "  this.above = (threshold, cb) => {\n"
            "    db.collection('allocations').find({ $where: `this.stocks > '${threshold}'` }).toArray(cb);\n"
            "  };\n"
            "}\n"
            "module.exports = { AllocationsDAO };\n"
        ),
        "app/routes/handler.js": (
            "const { UserStore } = require('../data/users');\n"
            "const { AllocationsDAO } = require('../data/allocations-dao');\n"
            "function Handler(db) {\n"
            "  const users = new UserStore(db);\n"
            "  const dao = new AllocationsDAO(db);\n"
            "  this.show = (req, res) => {\n"
            "    users.byName(req.query.name);\n"
            "    dao.above(req.query.threshold, () => res.end());\n"
            "  };\n"
            "}\n"
            "module.exports = Handler;\n"
        ),
    }
    write_tree(tmp_path, files)
    found = by_line(Scanner(secrets=False).scan_tree(tmp_path).findings, "app/routes/handler.js")
    assert found[7].category == "sql-injection" and found[7].trace[-1][:2] == ("app/data/users.js", 2)
    assert found[8].category == "nosql-injection" and found[8].trace[-1][:2] == ("app/data/allocations-dao.js", 3)


def test_java_service_called_through_its_interface(tmp_path):
    base = "src/main/java/com/acme"
    files = {
        f"{base}/web/UserController.java": (
            "package com.acme.web;\n"
            "import com.acme.service.UserService;\n"
            "import org.springframework.web.bind.annotation.*;\n"
            "@RestController\n"
            "public class UserController {\n"
            "    private final UserService userService;\n"
            "    public UserController(UserService userService) { this.userService = userService; }\n"
            "    @GetMapping(\"/users\")\n"
            "    public Object users(@RequestParam String name) {\n"
            "        return userService.findByName(name);\n"
            "    }\n"
            "    @GetMapping(\"/users/by-id\")\n"
            "    public Object byId(@RequestParam int id) {\n"
            "        return userService.findById(id);\n"
            "    }\n"
            "}\n"
        ),
        f"{base}/service/UserService.java": (
            "package com.acme.service;\n"
            "public interface UserService { Object findByName(String name); Object findById(int id); }\n"
        ),
        f"{base}/service/UserServiceImpl.java": (
            "package com.acme.service;\n"
            "import org.springframework.jdbc.core.JdbcTemplate;\n"
            "public class UserServiceImpl implements UserService {\n"
            "    private JdbcTemplate jdbcTemplate;\n"
            "    public Object findByName(String name) {\n"
            "        return jdbcTemplate.queryForList(\"SELECT * FROM users WHERE name = '\" + name + \"'\");\n"
            "    }\n"
            "    public Object findById(int id) {\n"
            "        return jdbcTemplate.queryForList(\"SELECT * FROM users WHERE id = \" + id);\n"
            "    }\n"
            "}\n"
        ),
    }
    write_tree(tmp_path, files)
    findings = Scanner(secrets=False).scan_tree(tmp_path).findings
    at_call = [f for f in findings if f.path == f"{base}/web/UserController.java" and f.category == "sql-injection"]
    assert [(f.line, f.severity.label) for f in at_call] == [(10, "critical")]
    assert at_call[0].trace[-1][:2] == (f"{base}/service/UserServiceImpl.java", 6)


def test_summaries_of_a_scan_that_saw_no_manifest_never_serve_one_that_did(tmp_path):
    """The probe once scanned its handlers' files without the stack: there a model file's summary
    held no pg-promise sink, and cached under the same key it hid vulnerable-node's SQL injections
    from the next whole-project scan. The key now carries the file's sub-project stack."""
    from auditor.scan.project_index import SummaryCache
    from auditor.stack.model import StackComponent, SubProject

    (tmp_path / "model").mkdir()
    (tmp_path / "model" / "auth.js").write_text("function f(q) { return db.one(q); }\n")
    cache = SummaryCache(tmp_path / "cache")
    pg = SubProject(".", components=[StackComponent("pg-promise", "library")])
    bare = ProjectIndex(tmp_path, cache=cache)
    known = ProjectIndex(tmp_path, cache=cache, project_for=lambda rel: pg)
    rel, h = "model/auth.js", bare.file_hash("model/auth.js")
    assert h is not None
    cache.put(h, bare.summary_key(rel, "js:0:(3,)"), bare.deps_of([rel]), [0, []])  # no sink seen
    assert cache.get(h, known.summary_key(rel, "js:0:(3,)"), known.file_hash) is None
    assert cache.get(h, bare.summary_key(rel, "js:0:(3,)"), bare.file_hash) == [0, []]
    again = ProjectIndex(tmp_path, cache=cache, project_for=lambda rel: pg)
    cache.put(h, known.summary_key(rel, "js:0:(3,)"), known.deps_of([rel]), [1, [["sql", "m", []]]])
    assert cache.get(h, again.summary_key(rel, "js:0:(3,)"), again.file_hash) == [1, [["sql", "m", []]]]

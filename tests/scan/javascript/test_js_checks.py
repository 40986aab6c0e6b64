"""JS/TS checks beyond the annotated fixtures: robustness, stack-aware rule choice, the
project-level checks and the once-per-process query compilation."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.scan.checks.javascript import syntax
from auditor.scan.engine import Scanner
from auditor.stack.model import Stack, StackComponent, SubProject

SCANNER = Scanner(secrets=False)


def findings(path: str, code: str, *components: str) -> list[tuple[str, int]]:
    project = None
    if components:
        project = SubProject(path=".")
        for cid in components:
            project.add(StackComponent(cid, "framework" if cid in ("express", "nextjs", "nestjs") else "library"))
    return [(f.rule_id, f.line) for f in SCANNER.scan_source(path, code, project=project)]


@pytest.mark.parametrize(
    "code",
    [
        "",
        "   \n",
        "app.get('/x', (req, res) => { pool.query(`SELECT ${req.query.id}` ",  # unterminated
        "const = = require('child_process'); exec(req.query.cmd)",
    ],
)
def test_broken_or_empty_files_give_no_findings(code: str) -> None:
    assert findings("app.js", code) == []


def test_single_file_without_stack_uses_language_rule() -> None:
    code = "app.get('/u', async (req, res) => res.json(await db.query('SELECT * FROM t WHERE a=' + req.query.a)));\n"
    assert ("js.sql.parameterize", 1) in findings("routes.js", code)


def test_stack_picks_framework_rule() -> None:
    code = "app.get('/u', async (req, res) => res.json(await pool.query(`SELECT * FROM t WHERE a=${req.query.a}`)));\n"
    assert ("express.sql.parameterize", 1) in findings("routes.js", code, "express", "pg")


def test_next_page_inferred_from_imports_without_stack() -> None:
    code = (
        "import { redirect } from 'next/navigation';\n"
        "export default function Page({ searchParams }) {\n"
        "  redirect(searchParams.next);\n"
        "}\n"
    )
    assert [r for r, line in findings("app/login/page.jsx", code) if line == 3] == ["nextjs.redirect.allowlist"]


def test_express_params_named_params_are_not_next_sources() -> None:
    code = "function build(params) {\n  return fs.readFileSync(params.file);\n}\n"
    assert findings("lib/util.js", code) == []


def test_typescript_and_tsx_share_the_checks() -> None:
    ts = "import { exec } from 'child_process';\nexport const run = (req: Request) => exec(`ls ${(req as any).query.dir}`);\n"
    assert ("js.cmd.no-shell", 2) in findings("run.ts", ts)
    tsx = "export const A = ({ html }: { html: string }) => <div dangerouslySetInnerHTML={{ __html: html }} />;\n"
    assert ("js.xss.no-raw-html", 1) in findings("a.tsx", tsx)


def _project_scan(tmp_path: Path, files: dict[str, str], components: list[str]) -> list[tuple[str, str, int]]:
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    project = SubProject(path=".")
    for cid in components:
        project.add(StackComponent(cid, "framework" if cid == "express" else "library"))
    project.add(StackComponent("javascript", "language"))
    scanner = Scanner(stack=Stack(root=str(tmp_path), projects=[project]), secrets=False)
    result = scanner.scan_tree(tmp_path)  # project checks run on whole-tree scans only
    return [(f.rule_id, f.path, f.line) for f in result.findings]


ROUTES = "const router = require('express').Router();\nrouter.post('/login', (req, res) => res.json(login(req.body)));\nmodule.exports = router;\n"


def test_project_login_route_without_any_limiter(tmp_path: Path) -> None:
    app = "const express = require('express');\nconst helmet = require('helmet');\nconst app = express();\napp.use(helmet());\napp.use(require('./routes'));\napp.listen(3000);\n"
    out = _project_scan(tmp_path, {"app.js": app, "routes.js": ROUTES}, ["express", "express-rate-limit", "helmet"])
    assert ("express.ratelimit.auth-routes", "routes.js", 2) in out


def test_project_limiter_applied_in_another_file(tmp_path: Path) -> None:
    app = (
        "const express = require('express');\nconst helmet = require('helmet');\nconst { rateLimit } = require('express-rate-limit');\n"
        "const app = express();\napp.use(helmet());\nconst authLimiter = rateLimit({ windowMs: 900000, limit: 5 });\n"
        "app.use('/auth', authLimiter, require('./routes'));\napp.listen(3000);\n"
    )
    out = _project_scan(tmp_path, {"app.js": app, "routes.js": ROUTES}, ["express", "express-rate-limit", "helmet"])
    assert not [f for f in out if f[0] == "express.ratelimit.auth-routes"]


def test_project_without_helmet_reports_the_app_file_once(tmp_path: Path) -> None:
    app = "const express = require('express');\nconst app = express();\nmodule.exports = app;\n"
    server = "const app = require('./app');\napp.listen(3000);\n"
    out = _project_scan(tmp_path, {"app.js": app, "server.js": server}, ["express"])
    assert [f for f in out if f[0] == "express.headers.helmet"] == [("express.headers.helmet", "app.js", 2)]


def test_queries_are_compiled_once_per_grammar() -> None:
    for _ in range(3):
        findings("a.js", "eval(x)\n")
        findings("a.ts", "eval(x)\n")
    info = syntax._query.cache_info()
    assert info.currsize <= 3 and info.misses <= 3


def test_graphql_introspection_only_when_hard_coded_on_a_graphql_server() -> None:
    # The rule is low severity, so the annotated fixture's `ok:` lines cannot catch a finding
    # on a safe line: this test does.
    found = [line for rule, line in findings("gql.js", (Path(__file__).parent.parent.parent / "fixtures" / "scan" / "javascript"
                                                         / "graphql_server_options.js").read_text(encoding="utf-8"))
             if rule == "js.graphql.no-introspection"]
    assert found == [10, 21]


def test_return_path_in_session_is_not_a_trust_boundary_finding() -> None:
    """The request's own routed path kept as a post-login return-to path is the server's
    routing fact (js.taint.trust-boundary stays quiet); a body field stored in the session
    is still reported."""
    code = (
        "const express = require('express');\nconst app = express();\n"
        "app.use((req, res, next) => {\n"
        "  if (req.method == 'GET') req.session.returnTo = req.originalUrl;\n"
        "  req.session.role = req.body.role;\n"
        "  next();\n"
        "});\n"
    )
    got = [line for rule, line in findings("app.js", code, "express") if rule.endswith("trust-boundary")]
    assert got == [5]

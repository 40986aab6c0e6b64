"""Express routers mounted from other files: the mounted file is resolved (require, import,
inline require, a folder's index, a `.js` import of a `.ts` source) and its routes prefixed,
nested mounts joined."""

from __future__ import annotations

from pathlib import Path

from auditor.probe.routes import code_routes
from auditor.probe.routes.javascript import mounts


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)


def _routes(root: Path) -> set[tuple[str, str]]:
    return {(r.method, r.path) for r in code_routes(root)}


USERS = """const express = require('express');
const router = express.Router();
router.get('/', (req, res) => res.json([]));
router.get('/:id', (req, res) => res.json({ id: req.params.id, tab: req.query.tab }));
router.post('/', (req, res) => res.json(req.body.name));
module.exports = router;
"""


def test_require_then_use_and_inline_require(tmp_path):
    _write(tmp_path, {
        "server.js": """const express = require('express');
const app = express();
const users = require('./routes/users');
app.use(express.json());
app.use('/users', users);
app.use('/api/orders', requireLogin, require('./routes/orders.js'));
app.get('/health', (req, res) => res.send('ok'));
app.listen(3000);
""",
        "routes/users.js": USERS,
        "routes/orders.js": "const router = require('express').Router();\n"
                            "router.get('/:orderId', (req, res) => res.json(req.params.orderId));\nmodule.exports = router;\n",
    })
    assert _routes(tmp_path) == {("GET", "/users"), ("GET", "/users/{id}"), ("POST", "/users"),
                                 ("GET", "/api/orders/{orderId}"), ("GET", "/health")}
    by_path = {r.path: r for r in code_routes(tmp_path) if r.method == "GET"}
    assert {(p.name, p.location) for p in by_path["/users/{id}"].params} >= {("id", "path"), ("tab", "query")}
    assert by_path["/users/{id}"].file == "routes/users.js"


def test_esm_import_nested_routers_index_and_ts(tmp_path):
    _write(tmp_path, {
        "src/app.ts": """import express from 'express';
import apiRouter from './routes/index.js';
const app = express();
app.use('/api', apiRouter);
export default app;
""",
        "src/routes/index.ts": """import { Router } from 'express';
import usersRouter from './users.js';
import * as teams from './teams';
const router = Router();
router.use('/users', usersRouter);
router.use('/teams/:teamId', teams.default);
export default router;
""",
        "src/routes/users.ts": "import { Router } from 'express';\nconst router = Router();\n"
                               "router.get('/me', (req, res) => res.json({}));\nexport default router;\n",
        "src/routes/teams/index.ts": "import { Router } from 'express';\nconst router = Router({ mergeParams: true });\n"
                                     "router.get('/members', (req, res) => res.json(req.params.teamId));\n"
                                     "export default router;\n",
    })
    routes = {(r.method, r.path): r for r in code_routes(tmp_path)}
    assert set(routes) == {("GET", "/api/users/me"), ("GET", "/api/teams/{teamId}/members")}
    assert ("teamId", "path") in {(p.name, p.location) for p in routes[("GET", "/api/teams/{teamId}/members")].params}


def test_esm_routers_loaded_by_an_awaited_dynamic_import_where_they_are_mounted(tmp_path):
    """ShivKumar033/Vulnerable-Ecommerce-App's app.js: `app.use('/api/v1/auth', (await
    import('./routes/auth.routes.js')).default)`, one per router (top-level await of an ES module)."""
    _write(tmp_path, {
        "src/app.js": """import express from 'express';
const app = express();
app.use('/api/v1/auth', (await import('./routes/auth.routes.js')).default);
app.use("/api/v1/users", (await import("./routes/users.js")).default);
export default app;
""",
        "src/routes/auth.routes.js": "import { Router } from 'express';\nconst router = Router();\n"
                                     "router.post('/login', (req, res) => res.json(req.body.email));\nexport default router;\n",
        "src/routes/users.js": "import { Router } from 'express';\nconst router = Router();\n"
                               "router.get('/:id', (req, res) => res.json({}));\nexport default router;\n",
    })
    assert _routes(tmp_path) == {("POST", "/api/v1/auth/login"), ("GET", "/api/v1/users/{id}")}


def test_router_mounted_twice_and_unmounted_files_untouched(tmp_path):
    _write(tmp_path, {
        "app.js": "const express = require('express');\nconst app = express();\nconst v = require('./v');\n"
                  "app.use('/v1', v);\napp.use('/v2', v);\napp.use(require('./root'));\n",
        "v.js": "const router = require('express').Router();\nrouter.get('/ping', (q, s) => s.send('1'));\n"
                "module.exports = router;\n",
        "root.js": "const router = require('express').Router();\nrouter.get('/about', (q, s) => s.send('1'));\n"
                   "module.exports = router;\n",
        "lonely.js": "const router = require('express').Router();\nrouter.get('/alone', (q, s) => s.send('1'));\n",
    })
    assert _routes(tmp_path) == {("GET", "/v1/ping"), ("GET", "/v2/ping"), ("GET", "/about"), ("GET", "/alone")}


def test_mount_cycle_is_bounded():
    found = mounts({"a.js": "const b = require('./b');\nrouter.use('/b', b);\n",
                    "b.js": "const a = require('./a');\nrouter.use('/a', a);\n"})
    assert all(len(p) < 40 for ps in found.values() for p in ps)


def test_chained_local_router_passes_its_prefix(tmp_path):
    _write(tmp_path, {
        "src/main.ts": "import express from 'express';\nimport routes from './app/routes';\n"
                       "const app = express();\napp.use(routes);\n",
        "src/app/routes.ts": "import { Router } from 'express';\nimport tags from './tag/tag.controller';\n"
                             "import auth from './auth/auth.controller';\n"
                             "const api = Router()\n  .use(tags)\n  .use(auth);\n\nexport default Router().use('/api', api);\n",
        "src/app/tag/tag.controller.ts": "import { Router } from 'express';\nconst router = Router();\n"
                                         "router.get('/tags', async (req, res) => res.json([]));\nexport default router;\n",
        "src/app/auth/auth.controller.ts": "import { Router } from 'express';\nconst router = Router();\n"
                                           "router.post('/users/login', async (req, res) => res.json(req.body.user));\n"
                                           "export default router;\n",
    })
    assert _routes(tmp_path) == {("GET", "/api/tags"), ("POST", "/api/users/login")}


def test_router_factories_called_where_they_are_mounted(tmp_path):
    """`module.exports = () => { const router = express.Router(); ...; return router }`, mounted
    as `app.use('/x', require('./r')())` or through a name (`makeRouter(db)`): the factory's
    routes are served under the prefix."""
    factory = ("const express = require('express');\nmodule.exports = (db) => {\n"
               "  const router = express.Router();\n"
               "  router.get('/{name}', (req, res) => res.json(db && req.query.q));\n"
               "  return router;\n};\n")
    _write(tmp_path, {
        "app.js": "const express = require('express');\nconst app = express();\n"
                  "const makeAdmin = require('./routes/admin');\n"
                  "app.use('/items', require('./routes/items')());\n"
                  "app.use('/admin', makeAdmin(db));\n",
        "routes/items.js": factory.replace("{name}", "list"),
        "routes/admin.js": factory.replace("{name}", "stats"),
    })
    assert _routes(tmp_path) == {("GET", "/items/list"), ("GET", "/admin/stats")}


def test_a_koa_routers_own_prefix(tmp_path):
    """`new Router({ prefix: '/api/sql' })` and `router.prefix('/v2')`: the router's routes live
    under its prefix (jedelacarrera/DemoCyberSecurity's first run sent every request to a bare
    `/search`)."""
    (tmp_path / "routes.ts").write_text(
        "import Router from '@koa/router';\n"
        "const router = new Router({ prefix: '/api/sql' });\n"
        "router.get('/search', async (ctx) => { ctx.body = ctx.query.q; });\n"
        "const v2 = new Router();\nv2.prefix('/v2');\n"
        "v2.post('/items', async (ctx) => { ctx.body = ctx.request.body.name; });\n"
        "export default router;\n")
    assert _routes(tmp_path) == {("GET", "/api/sql/search"), ("POST", "/v2/items")}


def test_modules_handed_the_router_serve_under_its_mount(tmp_path):
    """dvws-node: app.js mounts `routes(router)` at /api, and routes/index.js hands the router to
    each routes module (`users(router)`), whose export registers its routes on it. The probe sent
    every request to /v2/... without /api (404)."""
    _write(tmp_path, {
        "app.js": """const express = require('express');
const app = express();
const router = express.Router();
const routes = require('./routes/index.js');
const helpers = require('./helpers');
helpers(app);
app.use('/api', routes(router));
""",
        "routes/index.js": """const users = require('./users');
const notes = require('./notes');
module.exports = (router) => {
  users(router);
  notes(router);
  return router;
};
""",
        "routes/users.js": """const controller = require('../controllers/users');
module.exports = (router) => {
  router.route('/v2/users').post(controller.add).get(controller.getAll);
  router.get('/v2/users/:id', controller.one);
};
""",
        "routes/notes.js": """module.exports = function (router) {
  router.post('/v2/notes', (req, res) => res.json(req.body.name));
};
""",
        # handed the app, but it registers no route: no mount of its own
        "helpers.js": "module.exports = (app) => { app.locals.title = 'x'; };\n",
        # a route module called with the app itself, not mounted: its routes stand as written
        "legacy.js": "module.exports = (app) => { app.get('/legacy', (req, res) => res.send('x')); };\n",
        "server.js": "const legacy = require('./legacy');\nlegacy(app);\n",
    })
    assert _routes(tmp_path) >= {("POST", "/api/v2/users"), ("GET", "/api/v2/users"), ("GET", "/api/v2/users/{id}"),
                                 ("POST", "/api/v2/notes"), ("GET", "/legacy")}
    assert not {p for _, p in _routes(tmp_path) if p.startswith("/v2")}

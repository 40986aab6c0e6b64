"""Routes and where each input enters, read from code of each framework, OpenAPI and merges."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.probe.engine import ProbeConfig, injection_points, run_probe
from auditor.probe.routes import code_routes, merge
from auditor.probe.routes.java import spring_routes
from auditor.probe.routes.javascript import nextjs_routes, server_routes
from auditor.probe.routes.openapi import parse_openapi
from auditor.probe.routes.python import flask_fastapi_routes
from auditor.probe.routes.ruby import rails_routes
from auditor.probe.safety import Limits

from .standin import serve


def _inputs(routes, method, path):
    route = next(r for r in routes if r.method == method and r.path == path)
    return {(p.name, p.location) for p in route.params}


def test_flask_blueprint_methods_and_inputs():
    src = '''
from flask import Blueprint, request
bp = Blueprint("api", __name__, url_prefix="/api")

@bp.route("/users/<int:uid>", methods=["GET", "POST"])
def user(uid):
    data = request.get_json(silent=True) or {}
    return data["role"], request.args.get("fields"), request.headers.get("X-Tenant"), request.cookies["sid"]

@bp.post("/search")
def search():
    return request.form["q"]
'''
    routes = flask_fastapi_routes("app.py", src)
    assert {(r.method, r.path) for r in routes} == {("GET", "/api/users/{uid}"), ("POST", "/api/users/{uid}"),
                                                   ("POST", "/api/search")}
    assert _inputs(routes, "GET", "/api/users/{uid}") == {
        ("uid", "path"), ("role", "json"), ("fields", "query"), ("X-Tenant", "header"), ("sid", "cookie")}
    assert _inputs(routes, "POST", "/api/search") == {("q", "form")}


def test_fastapi_signature_markers_and_models():
    src = '''
from typing import Annotated
from fastapi import APIRouter, Cookie, FastAPI, Header, Query, Request
from pydantic import BaseModel

router = APIRouter(prefix="/v1")

class Order(BaseModel):
    item: str
    quantity: int

@router.post("/orders/{shop}")
def create(shop: str, order: Order, x_trace_id: Annotated[str, Header()] = "", session: str = Cookie(None),
           page: int = 1, q: str = Query(None, alias="search")):
    return order
'''
    routes = flask_fastapi_routes("main.py", src)
    assert _inputs(routes, "POST", "/v1/orders/{shop}") == {
        ("shop", "path"), ("item", "json"), ("quantity", "json"), ("x-trace-id", "header"),
        ("session", "cookie"), ("page", "query"), ("search", "query")}


def test_django_include_and_views(tmp_path: Path):
    (tmp_path / "site").mkdir()
    (tmp_path / "blog").mkdir()
    (tmp_path / "site" / "settings.py").write_text('ROOT_URLCONF = "site.urls"\n')
    (tmp_path / "site" / "urls.py").write_text(
        'from django.urls import include, path\nurlpatterns = [path("blog/", include("blog.urls"))]\n')
    (tmp_path / "blog" / "urls.py").write_text(
        'from django.urls import path, re_path\nfrom . import views\n'
        'urlpatterns = [path("post/<int:pk>/", views.post), re_path(r"^tag/(?P<slug>[-\\w]+)$", views.tag)]\n')
    (tmp_path / "blog" / "views.py").write_text(
        'def post(request, pk):\n    return request.GET.get("lang"), request.META["HTTP_X_TOKEN"]\n'
        'def tag(request, slug):\n    if request.method == "POST":\n        return request.POST["note"]\n')
    routes = code_routes(tmp_path)
    assert _inputs(routes, "GET", "/blog/post/{pk}/") == {("pk", "path"), ("lang", "query"), ("X-Token", "header")}
    assert _inputs(routes, "POST", "/blog/tag/{slug}") == {("slug", "path"), ("note", "form")}


def _django_site(root: Path, urls: str) -> list:
    """The routes of a Django project whose root URLconf (site/urls.py) is `urls`."""
    (root / "site").mkdir()
    (root / "site" / "settings.py").write_text('ROOT_URLCONF = "site.urls"\n')
    (root / "site" / "urls.py").write_text(urls)
    return code_routes(root)


def test_django_admin_mount_gives_its_login_form(tmp_path: Path):
    routes = _django_site(tmp_path, 'from django.contrib import admin\nfrom django.urls import path\n'
                                    'urlpatterns = [path("backoffice/", admin.site.urls)]\n')
    assert _inputs(routes, "POST", "/backoffice/login/") == {("username", "form"), ("password", "form")}
    # the admin's index: a page only staff accounts open (the privileged sign-up check asks it)
    assert [r.method for r in routes if r.path == "/backoffice/"] == ["GET"]


def test_django_before_2_includes_the_admin_site(tmp_path: Path):
    routes = _django_site(tmp_path, 'from django.conf.urls import include, url\nfrom django.contrib import admin\n'
                                    "urlpatterns = [url(r'^admin/', include(admin.site.urls))]\n")
    assert {(r.method, r.path) for r in routes} == {("GET", "/admin/"), ("GET", "/admin/login/"),
                                                    ("POST", "/admin/login/")}


def test_django_package_urlconfs_give_their_sign_in_routes(tmp_path: Path):
    """`include('django.contrib.auth.urls')` and the like name a package's URLconf, which the
    project has no file for: its sign-in and reset routes come from what the package serves."""
    routes = _django_site(tmp_path, 'from django.urls import include, path\n'
                                    'urlpatterns = [path("accounts/", include("django.contrib.auth.urls")),\n'
                                    '    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),\n'
                                    '    path("auth/", include("djoser.urls.jwt")),\n'
                                    '    path("x/", include("someones.private.urls"))]\n')
    assert _inputs(routes, "POST", "/accounts/login/") == {("username", "form"), ("password", "form")}
    assert _inputs(routes, "POST", "/accounts/password_reset/") == {("email", "form")}
    token = next(r for r in routes if r.path == "/o/token/")
    assert {(p.name, p.example) for p in token.params} >= {("grant_type", "password"), ("client_id", "")}
    assert _inputs(routes, "POST", "/auth/jwt/create/") == {("username", "json"), ("password", "json")}
    assert not [r for r in routes if r.path.startswith("/x/")]  # a package it does not know: nothing


def test_express_router_chain_destructuring_and_named_handlers():
    src = '''
const express = require('express');
const app = express();
const router = express.Router();
app.use(express.json());
app.use(express.urlencoded({ extended: false }));
function show(req, res) { res.send(req.params.id + req.get('X-Api-Key')); }
router.get('/items/:id', auth, show);
app.route('/login').post((req, res) => { const { username, password } = req.body; res.cookie('x', req.cookies.theme); });
app.get('/search', async (req, res) => { const term = req.query.term; const p = req.query['page']; });
'''
    routes = server_routes("server.js", src, "javascript")
    assert _inputs(routes, "GET", "/items/{id}") == {("id", "path"), ("X-Api-Key", "header")}
    assert _inputs(routes, "POST", "/login") == {("username", "json"), ("username", "form"), ("password", "json"),
                                                 ("password", "form"), ("theme", "cookie")}
    assert _inputs(routes, "GET", "/search") == {("term", "query"), ("page", "query")}


def test_koa_and_fastify():
    koa = "const Router = require('koa-router');\nconst router = new Router();\n" \
          "router.get('/u/:name', ctx => { ctx.body = ctx.query.tab + ctx.cookies.get('sid'); });\n"
    assert _inputs(server_routes("a.js", koa, "javascript"), "GET", "/u/{name}") >= {("tab", "query")}
    fastify = "const fastify = require('fastify')();\n" \
              "fastify.route({ method: 'POST', url: '/notes', handler: async (request) => request.body.text });\n" \
              "fastify.get('/n', async (request, reply) => request.query.id);\n"
    routes = server_routes("b.js", fastify, "javascript")
    assert _inputs(routes, "POST", "/notes") == {("text", "json")}
    assert _inputs(routes, "GET", "/n") == {("id", "query")}


def test_nextjs_app_route():
    src = "export async function POST(request) { const { email } = await request.json(); " \
          "const q = request.nextUrl.searchParams.get('ref'); return Response.json({}); }\n"
    routes = nextjs_routes("app/api/invite/[team]/route.ts", src, "typescript")
    assert [(r.method, r.path) for r in routes] == [("POST", "/api/invite/{team}")]
    assert {("email", "json"), ("ref", "query")} <= _inputs(routes, "POST", "/api/invite/{team}")


def test_nextjs_handlers_exported_by_name_and_tsx_route_files():
    src = ("async function GET(req) { const q = req.nextUrl.searchParams.get('input'); return q; }\n"
           "async function POST(req) { const { username } = await req.json(); return username; }\n"
           "function helper() { return 1; }\n"
           "export { GET, POST };\n")
    for file in ("app/api/lab1/route.js", "app/api/lab1/route.tsx"):
        routes = nextjs_routes(file, src, "typescript")
        assert [(r.method, r.path) for r in routes] == [("GET", "/api/lab1"), ("POST", "/api/lab1")]
        assert _inputs(routes, "GET", "/api/lab1") == {("input", "query")}  # each its own function's inputs
        assert _inputs(routes, "POST", "/api/lab1") == {("username", "json")}
    # a handler exported under an alias is the whole file's
    aliased = nextjs_routes("app/x/route.ts", "const handler = (req) => req.json();\nexport { handler as GET };\n",
                            "typescript")
    assert [(r.method, r.path) for r in aliased] == [("GET", "/x")]


def test_spring_mappings():
    src = '''
@RestController
@RequestMapping("/api")
public class UserController {
    @GetMapping("/users/{id}")
    public User get(@PathVariable Long id, @RequestParam(name = "fields") String f,
                    @RequestHeader("X-Tenant") String tenant, @CookieValue("sid") String sid) { return null; }
    @PostMapping("/users")
    public User create(@RequestBody UserDto dto) { return null; }
}
class UserDto { private String name; private String role; }
'''
    routes = spring_routes("UserController.java", src)
    assert _inputs(routes, "GET", "/api/users/{id}") == {("id", "path"), ("fields", "query"),
                                                         ("X-Tenant", "header"), ("sid", "cookie")}
    assert _inputs(routes, "POST", "/api/users") == {("name", "json"), ("role", "json")}


def test_rails_routes(tmp_path: Path):
    (tmp_path / "app" / "controllers").mkdir(parents=True)
    (tmp_path / "app" / "controllers" / "search_controller.rb").write_text(
        "class SearchController < ApplicationController\n  def index\n    @r = Item.where(name: params[:q])\n  end\nend\n")
    routes = rails_routes(tmp_path, "config/routes.rb", "Rails.application.routes.draw do\n"
                          "  get '/search', to: 'search#index'\n  resources :items, only: [:show]\nend\n")
    assert _inputs(routes, "GET", "/search") == {("q", "query")}
    assert ("GET", "/items/{id}") in {(r.method, r.path) for r in routes}


def test_openapi_parameters_and_bodies():
    doc = {"openapi": "3.0.0", "paths": {"/pets/{petId}": {
        "parameters": [{"name": "petId", "in": "path"}],
        "get": {"parameters": [{"name": "X-Request-Id", "in": "header"}, {"name": "q", "in": "query"}]},
        "post": {"requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}}},
    }}, "components": {"schemas": {"Pet": {"properties": {"name": {}, "owner": {}}}}}}
    routes = parse_openapi(doc)
    assert _inputs(routes, "GET", "/pets/{petId}") == {("petId", "path"), ("X-Request-Id", "header"), ("q", "query")}
    assert _inputs(routes, "POST", "/pets/{petId}") == {("petId", "path"), ("name", "json"), ("owner", "json")}


def test_an_openapi_3_servers_path_is_the_base_and_a_route_of_the_code_may_serve_the_document():
    from auditor.probe.routes.openapi import DOCUMENT_PATH

    paths = {"/v2/users": {"get": {}}}
    assert [r.path for r in parse_openapi({"openapi": "3.0.0", "servers": [{"url": "http://dvws.local/api"}],
                                           "paths": paths})] == ["/api/v2/users"]
    assert [r.path for r in parse_openapi({"openapi": "3.0.0", "servers": [{"url": "/api/"}], "paths": paths})] == \
        ["/api/v2/users"]
    for servers in ([{"url": "http://localhost:3000"}], [{"url": "{scheme}://host/{base}"}], []):
        assert [r.path for r in parse_openapi({"openapi": "3.0.0", "servers": servers, "paths": paths})] == ["/v2/users"]
    assert all(DOCUMENT_PATH.search(p) for p in ("/openAPI-spec.json", "/swagger.json", "/api-docs.json", "/docs/swagger-json"))
    assert not any(DOCUMENT_PATH.search(p) for p in ("/api/users", "/openapi/users", "/static/app.json"))


def test_openapi_types_shape_the_json_sent():
    doc = {"openapi": "3.0.0", "paths": {"/orders": {"post": {"requestBody": {"content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/Order"}}}}}}}, "components": {"schemas": {
            "Order": {"allOf": [{"properties": {"userId": {"type": "integer"}}},
                                {"properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}},
                                                "gift": {"type": "boolean"}, "note": {"type": "string"}}}]},
            "Item": {"type": "object", "properties": {"sku": {"type": "string"}, "qty": {"type": "number"}}}}}}
    route = parse_openapi(doc)[0]
    assert {p.name: p.shape for p in route.params} == {"userId": "1", "items": '[{"sku": "1", "qty": 1}]',
                                                       "gift": "true", "note": ""}


def test_an_optional_openapi_field_is_sent_as_null():
    """FastAPI's `coupon_id: Optional[int] = None` is anyOf integer, null: a client leaves it null
    (restaurant's POST /orders refused the canary there, 422, and `1` names a coupon that may not
    exist); a union without null takes its first alternative's shape."""
    doc = {"openapi": "3.1.0", "paths": {"/orders": {"post": {"requestBody": {"content": {"application/json": {
        "schema": {"properties": {"coupon_id": {"anyOf": [{"type": "integer"}, {"type": "null"}]},
                                  "count": {"oneOf": [{"type": "integer"}, {"type": "string"}]},
                                  "note": {"anyOf": [{"type": "string"}, {"type": "null"}]}}}}}}}}}}
    route = parse_openapi(doc)[0]
    assert {p.name: p.shape for p in route.params} == {"coupon_id": "null", "count": "1", "note": "null"}


def test_merge_joins_a_crawled_path_to_its_template_and_points_cover_names():
    from auditor.probe.interface import Param, Route

    code = [Route("GET", "/users/{id}", [Param("id", "path")], "code")]
    crawled = [Route("GET", "/users/7", [Param("tab", "query")], "crawl"), Route("GET", "/about", [], "crawl")]
    merged = merge(code, crawled)
    assert _inputs(merged, "GET", "/users/{id}") == {("id", "path"), ("tab", "query")}
    labels = {p.label for p in injection_points(merged)}
    assert {"id (path)", "tab (query)", "tab (query name)", "Referer (header)"} <= labels


def test_crawled_copies_of_one_handler_are_probed_once():
    from auditor.probe.interface import Param, Route

    form = [Param("points", "form")]
    crawled = [Route("POST", "/students/3/evaluate/7", list(form), "crawl"),
               Route("POST", "/students/4/evaluate/9", list(form), "crawl"),
               Route("POST", "/students/4/evaluate/9x", list(form), "crawl"),  # a literal segment: no copy
               Route("POST", "/students/5/evaluate/2", [Param("grade", "form")], "crawl"),  # other inputs
               Route("GET", "/courses/1", [], "crawl"), Route("GET", "/courses/new", [], "crawl")]
    merged = merge(crawled)
    assert [(r.method, r.path) for r in merged] == [
        ("POST", "/students/3/evaluate/7"), ("POST", "/students/4/evaluate/9x"), ("POST", "/students/5/evaluate/2"),
        ("GET", "/courses/1"), ("GET", "/courses/new")]
    # routes read from the code keep their own literal paths, digits or not
    code = [Route("GET", "/api/1/items", [], "code"), Route("GET", "/api/2/items", [], "code")]
    assert len(merge(code)) == 2


def test_include_and_exclude_globs_match_path_or_file(tmp_path):
    from auditor.commands.probe import read_globs
    from auditor.probe.engine import _wanted
    from auditor.probe.interface import Route

    api = Route("GET", "/api/users", [], "code", "app/api.py")
    admin = Route("GET", "/admin/panel", [], "crawl")
    assert _wanted(api, ["/api/*"], []) and not _wanted(admin, ["/api/*"], [])
    assert _wanted(api, ["app/*.py"], []) and not _wanted(api, [], ["app/api.py"])
    globs = tmp_path / "globs.txt"
    globs.write_text("# routes to probe\n/api/*\n\n/admin/*\n")
    assert read_globs(globs) == ["/api/*", "/admin/*"]


def test_aiohttp_routes_and_their_handlers_in_another_module(tmp_path: Path):
    (tmp_path / "shop").mkdir()
    (tmp_path / "shop" / "__init__.py").write_text("")
    (tmp_path / "shop" / "views.py").write_text(
        "from aiohttp_jinja2 import template\n\n"
        "@template('item.html')\n"
        "async def item(request):\n"
        "    item_id = int(request.match_info['id'])\n"
        "    sort = request.rel_url.query.get('sort')\n"
        "    return {}\n\n"
        "async def review(request):\n"
        "    data = await request.post()\n"
        "    return data['text']\n")
    (tmp_path / "shop" / "routes.py").write_text(
        "from aiohttp import web\nfrom shop import views\n\n"
        "routes = web.RouteTableDef()\n\n"
        "@routes.get('/search')\n"
        "async def search(request):\n"
        "    return web.Response(text=request.query['q'])\n\n"
        "def setup(app):\n"
        "    app.router.add_route('GET', r'/items/{id:\\d+}', views.item)\n"
        "    app.router.add_post('/items/{id}/review', views.review)\n"
        "    app.add_routes([web.get('/about', views.item), routes])\n")
    routes = code_routes(tmp_path)
    assert _inputs(routes, "GET", "/search") == {("q", "query")}
    assert _inputs(routes, "GET", "/items/{id}") == {("id", "path"), ("sort", "query")}
    assert _inputs(routes, "POST", "/items/{id}/review") == {("id", "path"), ("text", "form")}
    item = next(r for r in routes if r.path == "/items/{id}")
    assert (item.file, item.line, item.framework) == ("shop/views.py", 4, "aiohttp")  # the handler's own place
    assert any(r.path == "/about" for r in routes)


def test_express_handlers_of_a_required_controller_and_chained_verbs(tmp_path: Path):
    (tmp_path / "routes").mkdir()
    (tmp_path / "controllers").mkdir()
    (tmp_path / "controllers" / "notes.js").write_text(
        "const show = (req, res) => { res.send(req.query.id); };\n"
        "const save = (req, res) => {\n  const { title } = req.body;\n  res.send(title);\n};\n"
        "function login(req, res) { res.send(req.body.username + req.body.password); }\n"
        "module.exports = { show, save, login };\n")
    (tmp_path / "auth.js").write_text("exports.check = (req, res, next) => { req.cookies.session; next(); };\n")
    (tmp_path / "routes" / "app.js").write_text(
        "const express = require('express');\nconst router = express.Router();\n"
        "const notes = require('../controllers/notes');\nconst { login: signIn } = require('../controllers/notes');\n"
        "const auth = require('../auth');\n"
        "router.route('/notes').get(auth.check, notes.show).post(auth.check, notes.save);\n"
        "router.post('/login', signIn);\nmodule.exports = router;\n")
    routes = code_routes(tmp_path)
    assert _inputs(routes, "GET", "/notes") >= {("id", "query"), ("session", "cookie")}
    assert ("title", "json") in _inputs(routes, "POST", "/notes")  # the verb chained after .get(...)
    assert {("username", "json"), ("password", "json")} <= _inputs(routes, "POST", "/login")
    save = next(r for r in routes if r.key == ("POST", "/notes"))
    assert (save.file, save.line) == ("controllers/notes.js", 2)  # the handler's own place, not the middleware's


def test_custom_headers_from_the_apps_scripts_not_a_librarys_attributes():
    from auditor.probe.routes.crawl import script_headers

    popper = 'e.setAttribute("x-placement",t);var o={"x-placement":n,"x-out-of-boundaries":r}'
    assert script_headers("/js/popper.min.js", popper) == []
    assert script_headers("/vendor/lib.js", "xhr.setRequestHeader('X-Api-Key', k)") == ["X-Api-Key"]
    assert script_headers("/static/app.js", "fetch(u, {headers: {'X-Api-Key': key}})") == ["X-Api-Key"]
    # a Next.js bundle's router and cache headers are the framework's own, beside the app's
    chunk = "fetch(u,{headers:{'x-nextjs-data':'1','x-middleware-prefetch':'1','RSC':'1','X-Tenant':t}})"
    assert script_headers("/_next/static/chunks/app/page-1a2b.js", chunk) == ["X-Tenant"]


def test_the_sessions_own_cookie_or_header_is_no_injection_point():
    from auditor.probe.engine import carries_session
    from auditor.probe.interface import InjectionPoint, Param, Route

    route = Route("POST", "/notes", [Param("authToken", "cookie"), Param("preference", "cookie"),
                                     Param("Authorization", "header"), Param("X-Api-Key", "header")])
    identities = [{"Cookie": "authToken=eyJ.a.b; theme=dark"}, {"Authorization": "Bearer x"}]
    kept = [p.name for p in route.params if not carries_session(InjectionPoint(route, p), identities)]
    assert kept == ["preference", "X-Api-Key"]


@pytest.mark.parametrize("limited", [False, True])
def test_a_package_urlconf_login_nothing_links_to_is_burst(tmp_path: Path, limited: bool):
    """The sign-in of `include('django.contrib.auth.urls')` is found from the code alone (no page
    links to it) and burst: no limit confirmed; a 429 after five wrong passwords, clean."""
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "settings.py").write_text('ROOT_URLCONF = "site.urls"\n')
    (tmp_path / "site" / "urls.py").write_text('from django.urls import include, path\n'
                                               'urlpatterns = [path("accounts/", include("django.contrib.auth.urls"))]\n')
    tries: list[str] = []

    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], str]:
        if path.split("?")[0] != "/accounts/login/":
            return 200 if path == "/" else 404, {}, "<p>home</p>" if path == "/" else "not found"
        if method != "POST":
            return 200, {}, "<form method='post'><input name='username'><input name='password'></form>"
        tries.append(body.decode())
        if limited and len(tries) > 5:
            return 429, {}, "slow down"
        return 200, {}, "<p>Please enter a correct username and password.</p>"

    with serve(handle) as url:
        run = run_probe(ProbeConfig(base_url=url, project=tmp_path, checks=["ratelimit"],
                                    limits=Limits(rps=1000, max_requests=200, timeout=5)))
    found = [(c.category, c.endpoint) for c in run.confirmations]
    assert (("missing-rate-limiting", "/accounts/login/") in found) is not limited
    assert tries


def test_fastapi_uploaded_files_are_multipart_file_inputs():
    from auditor.probe.routes.python import flask_fastapi_routes

    src = ("from fastapi import FastAPI, File, Form, UploadFile\napp = FastAPI()\n\n"
           "@app.post('/bulk/')\nasync def bulk(file: UploadFile = File(...), note: str = Form('')):\n"
           "    return yaml.load(file.file.read())\n\n"
           "@app.post('/raw/')\nasync def raw(data: bytes = File(...)):\n    return data\n\n"
           "@app.post('/plain/')\nasync def plain(upload: UploadFile):\n    return upload.filename\n")
    routes = {r.path: [(p.name, p.location) for p in r.params] for r in flask_fastapi_routes("main.py", src)}
    assert routes == {"/bulk/": [("file", "file"), ("note", "form")], "/raw/": [("data", "file")],
                      "/plain/": [("upload", "file")]}

"""Routes and where each input enters, read from code of each framework, OpenAPI and merges."""

from __future__ import annotations

from pathlib import Path

from auditor.probe.engine import injection_points
from auditor.probe.routes import code_routes, merge
from auditor.probe.routes.java import spring_routes
from auditor.probe.routes.javascript import nextjs_routes, server_routes
from auditor.probe.routes.openapi import parse_openapi
from auditor.probe.routes.python import flask_fastapi_routes
from auditor.probe.routes.ruby import rails_routes


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


def test_django_admin_mount_gives_its_login_form(tmp_path: Path):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "settings.py").write_text('ROOT_URLCONF = "site.urls"\n')
    (tmp_path / "site" / "urls.py").write_text(
        'from django.contrib import admin\nfrom django.urls import path\n'
        'urlpatterns = [path("backoffice/", admin.site.urls)]\n')
    routes = code_routes(tmp_path)
    assert _inputs(routes, "POST", "/backoffice/login/") == {("username", "form"), ("password", "form")}
    assert not [r for r in routes if r.path == "/backoffice/"]  # the mount itself is no view


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


def test_merge_joins_a_crawled_path_to_its_template_and_points_cover_names():
    from auditor.probe.interface import Param, Route

    code = [Route("GET", "/users/{id}", [Param("id", "path")], "code")]
    crawled = [Route("GET", "/users/7", [Param("tab", "query")], "crawl"), Route("GET", "/about", [], "crawl")]
    merged = merge(code, crawled)
    assert _inputs(merged, "GET", "/users/{id}") == {("id", "path"), ("tab", "query")}
    labels = {p.label for p in injection_points(merged)}
    assert {"id (path)", "tab (query)", "tab (query name)", "Referer (header)"} <= labels


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

"""Route-reader fixes found by running the readers on real apps (spring-petclinic, a Next.js
app-router app, a Rails app): shapes from those apps, written here from scratch."""

from __future__ import annotations

from pathlib import Path

from auditor.probe.routes import code_routes


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)


def _params(routes, method: str, path: str) -> set[tuple[str, str]]:
    route = next(r for r in routes if (r.method, r.path) == (method, path))
    return {(p.name, p.location) for p in route.params}


def test_spring_class_prefix_without_modifier_javadoc_and_bound_models(tmp_path):
    _write(tmp_path, {
        "src/main/java/shop/Item.java": "package shop;\npublic class Item extends Base {\n"
                                         "  private String title;\n  private final List<Tag> tags = new ArrayList<>();\n"
                                         "  private static final long serialVersionUID = 1L;\n}\n",
        "src/main/java/shop/Base.java": "package shop;\npublic class Base {\n  @Id\n  private Integer id;\n}\n",
        "src/main/java/shop/ItemController.java": """package shop;
/**
 * Runs before each @RequestMapping method.
 */
@Controller
@RequestMapping("/shops/{shopId}")
class ItemController {
    // @GetMapping("/commented-out")
    @GetMapping("/items/new")
    public String form(Model model) { return "x"; }

    @PostMapping("/items/new")
    public String create(@Valid Item item, BindingResult result, @RequestParam String note) { return "x"; }
}
""",
    })
    routes = code_routes(tmp_path)
    assert {(r.method, r.path) for r in routes} == {("GET", "/shops/{shopId}/items/new"),
                                                   ("POST", "/shops/{shopId}/items/new")}
    assert _params(routes, "POST", "/shops/{shopId}/items/new") == {
        ("shopId", "path"), ("id", "form"), ("title", "form"), ("note", "query")}


def test_nextjs_pages_handlers_export_aliases_and_zod_bodies(tmp_path):
    _write(tmp_path, {
        "lib/validations/post.ts": "import * as z from 'zod'\nexport const postSchema = z.object({\n"
                                   "  title: z.string().min(3),\n  meta: z.object({ a: z.string() }).optional(),\n})\n",
        "app/api/posts/[postId]/route.ts": """import { postSchema } from '@/lib/validations/post'
export async function DELETE(req: Request) { return new Response(null) }
export async function PATCH(req: Request) {
  const json = await req.json()
  const body = postSchema.parse(json)
  return Response.json(body)
}
""",
        "app/api/auth/[...nextauth]/route.ts": "const handler = NextAuth(opts)\nexport { handler as GET, handler as POST }\n",
        "app/api/old/_route.ts": "export async function GET() {}\n",
        "app/(marketing)/blog/[...slug]/page.tsx": "export default function Page() { return null }\n",
        "app/(docs)/docs/[[...slug]]/page.tsx": "export default function Page() { return null }\n",
        "app/page.tsx": "export default function Home() { return null }\n",
    })
    routes = code_routes(tmp_path)
    assert {(r.method, r.path) for r in routes} == {
        ("DELETE", "/api/posts/{postId}"), ("PATCH", "/api/posts/{postId}"), ("GET", "/api/auth/{nextauth}"),
        ("POST", "/api/auth/{nextauth}"), ("GET", "/blog/{slug}"), ("GET", "/docs/{slug}"), ("GET", "/")}
    assert _params(routes, "PATCH", "/api/posts/{postId}") == {("postId", "path"), ("title", "json"), ("meta", "json")}
    assert _params(routes, "DELETE", "/api/posts/{postId}") == {("postId", "path")}


def test_rails_scopes_resources_members_and_options(tmp_path):
    _write(tmp_path, {
        "app/controllers/admin/tags_controller.rb": "class Admin::TagsController < ApplicationController\n"
                                                    "  def update\n    @t = Tag.find(params[:id]).update(name: params[:name])\n"
                                                    "  end\nend\n",
        "config/routes.rb": """Rails.application.routes.draw do
  root to: "home#index"
  get "/404" => "about#missing", :via => :all
  get "/top(/:length(/page/:page))" => "home#top", :as => "top"
  match "/login/reset" => "login#reset",
    :as => "reset", :via => [:get, :post]
  get "/old", to: redirect("/new") # a redirect is a route too
  resources :posts, except: [:index] do
    post "upvote"
    member do
      get :reply
    end
    collection do
      get "search"
    end
    resources :votes, only: %i[create]
  end
  resource :profile, only: [:show, :update]
  namespace :admin do
    get "/" => "dashboard#index"
    resources :tags, only: [:update], param: :tag_id
    scope "reports" do
      get "daily" => "reports#daily"
    end
  end
  mount Jobs::Engine, at: "/jobs"
end
""",
    })
    routes = code_routes(tmp_path)
    assert {(r.method, r.path) for r in routes} == {
        ("GET", "/"), ("GET", "/404"), ("POST", "/404"), ("GET", "/top"), ("GET", "/login/reset"),
        ("POST", "/login/reset"), ("GET", "/old"),
        ("GET", "/posts/new"), ("POST", "/posts"), ("GET", "/posts/{id}"), ("GET", "/posts/{id}/edit"),
        ("PATCH", "/posts/{id}"), ("PUT", "/posts/{id}"), ("DELETE", "/posts/{id}"), ("POST", "/posts/{post_id}/upvote"),
        ("GET", "/posts/{id}/reply"), ("GET", "/posts/search"), ("POST", "/posts/{post_id}/votes"),
        ("GET", "/profile"), ("PATCH", "/profile"), ("PUT", "/profile"),
        ("GET", "/admin"), ("PATCH", "/admin/tags/{tag_id}"), ("PUT", "/admin/tags/{tag_id}"),
        ("GET", "/admin/reports/daily")}
    tag = next(r for r in routes if r.path == "/admin/tags/{tag_id}")
    assert tag.file == "app/controllers/admin/tags_controller.rb" and ("name", "form") in {
        (p.name, p.location) for p in tag.params}

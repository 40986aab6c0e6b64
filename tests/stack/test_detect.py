"""detect_stack over whole trees: sub-projects, signatures, skipping, problems, output."""

import json
import shutil
import subprocess

import pytest

from auditor.errors import AuditorError
from auditor.stack.detect import detect_stack
from auditor.stack.render import render_json, render_text


def project(stack, path="."):
    return next(p for p in stack.projects if p.path == path)


def test_one_subproject_per_manifest_directory(tree):
    root = tree({
        "package.json": '{"devDependencies": {"turbo": "^2.0.0"}}',
        "web/package.json": '{"dependencies": {"react": "^18.3.1", "vue": "^3.4.0"}}',
        "api/requirements.txt": "flask==3.0.3\n",
        "api/package.json": '{"dependencies": {"tailwindcss": "^3.4.0"}}',
        "svc/pom.xml": "<project><dependencies/></project>",
    })
    stack = detect_stack(root)
    assert [p.path for p in stack.projects] == [".", "api", "svc", "web"]
    api = project(stack, "api")
    assert sorted(api.manifests) == ["api/package.json", "api/requirements.txt"]
    assert {"python", "javascript"} <= api.languages and api.frameworks == {"flask"}
    assert project(stack, "web").frameworks == {"react", "vue"}
    assert stack.project_for("api/app.py") is api


def test_signatures_without_manifests(tree):
    root = tree({
        "blog/manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'blog.settings')\nimport django\n",
        "blog/blog/settings.py": "INSTALLED_APPS = []\nDATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3'}}\n",
        "shop/config/routes.rb": "Rails.application.routes.draw do\n  resources :orders\nend\n",
        "site/next.config.mjs": "export default {};\n",
        "site/pages/index.tsx": "export default function Home() { return null; }\n",
        "site/src/app/dashboard/page.tsx": "export default function Page() { return null; }\n",
    })
    stack = detect_stack(root)
    assert [p.path for p in stack.projects] == ["blog", "shop", "site"]
    blog = project(stack, "blog")
    assert blog.frameworks == {"django"} and "sqlite3" in blog.ids() and "python" in blog.languages
    django = next(c for c in blog.components if c.id == "django")
    assert django.evidence == "blog/manage.py"
    shop = project(stack, "shop")
    assert shop.frameworks == {"rails"} and "activerecord" in shop.ids()
    site = project(stack, "site")
    assert {"nextjs", "react"} <= site.frameworks
    routers = {c.id: c.evidence for c in site.components if c.id.startswith("nextjs-")}
    assert routers == {"nextjs-app-router": "site/src/app/dashboard/page.tsx",
                       "nextjs-pages-router": "site/pages/index.tsx"}


def test_django_from_settings_even_when_the_manifest_is_silent(tree):
    root = tree({"requirements.txt": "gunicorn==22.0.0\n", "proj/settings.py": "INSTALLED_APPS = ['x']\n"})
    p = detect_stack(root).projects[0]
    assert p.frameworks == {"django"}
    assert next(c.evidence for c in p.components if c.id == "django") == "proj/settings.py"


def test_typescript_from_tsconfig(tree):
    p = detect_stack(tree({"package.json": '{"dependencies": {"express": "4.19.2"}}', "tsconfig.json": "{}"})).projects[0]
    assert p.languages == {"javascript", "typescript"}
    assert p.version_of("express") == "4.19.2"


def test_node_modules_and_build_output_are_skipped(tree):
    root = tree({
        "package.json": '{"dependencies": {"express": "^4.19.2"}}',
        "node_modules/express/package.json": '{"dependencies": {"body-parser": "1.20.2"}}',
        ".venv/lib/site-packages/x/requirements.txt": "django==1.0\n",
        "vendor/github.com/x/go.mod": "module x\n",
        "build/package.json": '{"dependencies": {"koa": "2"}}',
    })
    stack = detect_stack(root)
    assert [p.path for p in stack.projects] == ["."]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_gitignored_manifests_are_skipped(tree):
    root = tree({
        ".gitignore": "generated/\n",
        "package.json": '{"dependencies": {"express": "^4.19.2"}}',
        "generated/client/package.json": '{"dependencies": {"axios": "1.7.2"}}',
    })
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    stack = detect_stack(root)
    assert [p.path for p in stack.projects] == ["."]
    assert "axios" not in stack.projects[0].ids()


def test_malformed_manifests_are_reported_and_the_rest_detected(tree):
    root = tree({
        "package.json": '{"dependencies": {"express": "^4.19.2",}}',
        "api/pyproject.toml": "[project\n",
        "api/requirements.txt": "fastapi==0.111.0\n",
        "svc/pom.xml": "<project><dependencies></project>",
        "go/go.mod": "module x\n\nrequire (\n\tgithub.com/gin-gonic/gin v1.10.0\n)\n",
    })
    stack = detect_stack(root)
    problems = {p.path: p.problem for p in stack.problems}
    assert set(problems) == {"package.json", "api/pyproject.toml", "svc/pom.xml"}
    assert problems["package.json"].startswith("invalid JSON") and "line 1" in problems["package.json"]
    assert problems["api/pyproject.toml"].startswith("invalid TOML")
    assert problems["svc/pom.xml"].startswith("invalid XML")
    assert all("\n" not in p for p in problems.values())
    assert [p.path for p in stack.projects] == ["api", "go"]
    assert project(stack, "api").frameworks == {"fastapi"}
    assert project(stack, "go").frameworks == {"gin"}


def test_unreadable_manifest_is_a_problem(tree):
    root = tree({"package.json": "{}"})
    (root / "package.json").write_bytes(b'{"name": "\xff\xfe"}')
    stack = detect_stack(root)
    assert [p.path for p in stack.problems] == ["package.json"]
    assert "not UTF-8" in stack.problems[0].problem


def test_missing_root_or_file_root(tmp_path):
    with pytest.raises(AuditorError, match="no such file or directory"):
        detect_stack(tmp_path / "nope")
    (tmp_path / "f.txt").write_text("x")
    with pytest.raises(AuditorError, match="not a directory"):
        detect_stack(tmp_path / "f.txt")


def test_empty_tree(tmp_path):
    stack = detect_stack(tmp_path)
    assert stack.projects == [] and stack.problems == []
    assert "no manifests" in render_text(stack)


def test_json_shape(tree):
    root = tree({"package.json": '{"dependencies": {"express": "4.19.2", "helmet": "7.1.0"}}', "x/go.mod": "go 1\n"})
    data = json.loads(render_json(detect_stack(root)))
    assert set(data) == {"version", "root", "projects", "problems"}
    assert data["problems"] == [{"path": "x/go.mod", "problem": "invalid go.mod: no module directive"}]
    (proj,) = data["projects"]
    assert proj["path"] == "." and proj["manifests"] == ["package.json"]
    assert proj["frameworks"] == [{"id": "express", "kind": "framework", "version": "4.19.2", "evidence": "package.json"}]
    assert {"id": "javascript", "kind": "language", "version": None, "evidence": "package.json"} in proj["languages"]
    assert {"id": "helmet", "kind": "security-middleware", "version": "7.1.0", "evidence": "package.json"} in proj["libraries"]
    assert proj["dependency_count"] == 2


def test_render_text_groups_libraries_by_kind(tree):
    root = tree({"package.json": '{"dependencies": {"express": "4.19.2", "pg": "8.12.0", "helmet": "^7.1.0"}}'})
    text = render_text(detect_stack(root))
    assert "frameworks: express 4.19.2" in text
    assert "database:" in text and "pg 8.12.0" in text
    assert "security-middleware: helmet 7.1.0" in text
    assert "manifests:  package.json" in text


def test_frontend_framework_config_files(tree):
    root = tree({
        "admin/angular.json": '{"projects": {}}\n',
        "shop/svelte.config.js": "export default {};\n",
        "blog/nuxt.config.ts": "export default defineNuxtConfig({});\n",
    })
    stack = detect_stack(root)
    assert {p.path: p.frameworks for p in stack.projects} == {
        "admin": {"angular"}, "blog": {"vue"}, "shop": {"svelte"}}


def test_rails2_app_without_a_gemfile(tree):
    """Rails 2 apps pin Rails in config/environment.rb and draw `ActionController::Routing::Routes`;
    the version decides whether views escape `<%= %>`."""
    root = tree({
        "old/config/routes.rb": "ActionController::Routing::Routes.draw do |map|\n  map.resources :items\nend\n",
        "old/config/environment.rb": "RAILS_GEM_VERSION = '2.3.11' unless defined? RAILS_GEM_VERSION\n",
        "plain/config/environment.rb": "# no version pinned here\n",
    })
    stack = detect_stack(root)
    assert [p.path for p in stack.projects] == ["old"]
    rails = next(c for c in project(stack, "old").components if c.id == "rails")
    assert (rails.version, rails.evidence) == ("2.3.11", "old/config/environment.rb")

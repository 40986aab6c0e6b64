"""Every example project under examples/ is detected as what it is."""

from pathlib import Path

from auditor.stack.detect import detect_stack

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def only(name: str):
    stack = detect_stack(EXAMPLES / name)
    assert stack.problems == []
    assert len(stack.projects) == 1, [p.path for p in stack.projects]
    return stack.projects[0]


def test_express_app():
    p = only("express-app")
    assert p.frameworks == {"express"} and p.languages == {"javascript"}
    assert {"pg", "jsonwebtoken", "bcrypt", "cors"} <= p.ids()
    assert "helmet" not in p.ids() and "express-rate-limit" not in p.ids()
    assert p.version_of("express").startswith("4.")
    express = next(d for d in p.dependencies if d.name == "express" and d.direct)
    assert express.version == p.version_of("express") and express.line > 0
    assert any(not d.direct for d in p.dependencies)


def test_nextjs_app():
    p = only("nextjs-app")
    assert p.frameworks == {"nextjs", "react"} and {"javascript", "typescript"} <= p.languages
    assert {"next-auth", "prisma", "zod", "nextjs-app-router"} <= p.ids()
    assert "nextjs-pages-router" not in p.ids()
    assert p.version_of("nextjs").split(".")[0] in {"14", "15"}


def test_django_app():
    p = only("django-app")
    assert p.frameworks == {"django"} and p.version_of("django") == "5.1.4"
    assert {"drf", "psycopg", "django-cors-headers"} <= p.ids()
    pytest_dep = next(d for d in p.dependencies if d.name == "pytest")
    assert pytest_dep.dev and pytest_dep.path == "requirements-dev.txt"


def test_fastapi_app():
    p = only("fastapi-app")
    assert p.frameworks == {"fastapi"}
    assert {"sqlalchemy", "pyjwt", "pydantic"} <= p.ids()
    assert p.version_of("sqlalchemy").startswith("2.")


def test_flask_app():
    p = only("flask-app")
    assert p.frameworks == {"flask"}
    assert {"flask-login", "sqlalchemy", "flask-wtf", "jinja2"} <= p.ids()


def test_spring_maven_app():
    p = only("spring-maven-app")
    assert p.frameworks == {"spring-boot"} and p.version_of("spring-boot").startswith("3.")
    assert {"spring-security", "jpa", "java"} <= p.ids()
    assert p.version_of("spring-security").startswith("6.")


def test_spring_gradle_app():
    p = only("spring-gradle-app")
    assert p.frameworks == {"spring-boot"} and p.version_of("spring-boot").startswith("3.")
    assert {"spring-security", "jdbctemplate", "java"} <= p.ids()
    assert all(d.version for d in p.dependencies if d.name.startswith("org.springframework.boot:"))


def test_rails_app():
    p = only("rails-app")
    assert p.frameworks == {"rails"} and p.version_of("rails").startswith("7.1")
    assert {"activerecord", "devise"} <= p.ids()
    assert p.version_of("activerecord") == p.version_of("rails")


def test_go_gin_app():
    p = only("go-gin-app")
    assert p.frameworks == {"gin"} and p.languages == {"go"}
    assert {"gorm", "golang-jwt"} <= p.ids()


def test_monorepo():
    stack = detect_stack(EXAMPLES / "monorepo")
    assert stack.problems == []
    paths = {p.path: p for p in stack.projects}
    assert {"apps/web", "services/api", "services/worker"} <= set(paths)
    web, api, worker = paths["apps/web"], paths["services/api"], paths["services/worker"]
    assert {"nextjs", "react"} <= web.frameworks and "nextjs-app-router" in web.ids()
    assert web.version_of("nextjs") is not None  # resolved through the workspace root's lockfile
    assert api.frameworks == {"fastapi"} and "redis" in api.ids()
    assert worker.languages == {"go"} and "net-http" in worker.ids()
    assert stack.project_for("services/api/api/main.py") is api

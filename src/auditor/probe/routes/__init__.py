"""The route inventory: routes from the code (one reader per framework), OpenAPI and a crawl,
merged per (method, path), filtered by --include/--exclude (ranked by static findings in
`probe/static.py`)."""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from auditor.probe.interface import Param, Route
from auditor.probe.routes.common import ANY_PATH, template_regex

if TYPE_CHECKING:
    from auditor.probe.login import LoginRecipe
    from auditor.probe.routes.nest import NestApp


@dataclass
class ProjectFacts:
    """What the route readers need to know of the whole project, read once: its modules by
    language, and where other files mount each file's routes."""

    py_modules: dict[str, str] = field(default_factory=dict)  # path -> source
    js_modules: dict[str, str] = field(default_factory=dict)
    mounted: dict[str, str] = field(default_factory=dict)  # Flask/FastAPI: router -> prefix
    js_mounted: dict[str, list[str]] = field(default_factory=dict)  # file -> prefixes
    java_models: dict[str, list[str]] = field(default_factory=dict)
    zod: dict[str, list[str]] = field(default_factory=dict)
    nest_app: NestApp | None = None


def _readers(root: Path, rel: str, source: str, facts: ProjectFacts) -> list[Route]:
    from auditor.probe.routes import java, javascript, nest, python, ruby
    from auditor.probe.routes.inputs import inline_constants

    suffix = Path(rel).suffix
    source = inline_constants(source)
    if suffix == ".py":
        # Flask's names may come in by a star import of the project's own module: its decorators say it
        if re.search(r"\b(?:flask|fastapi|Blueprint|APIRouter)\b|^@\w+\.route\(", source, re.M):
            return python.flask_fastapi_routes(rel, source, facts.mounted, facts.py_modules)
        if re.search(r"\baiohttp\b|\.router\.add_|RouteTableDef", source):
            return python.aiohttp_routes(rel, source, facts.py_modules)
        return []
    if suffix in (".js", ".mjs", ".cjs", ".ts", ".tsx", ".jsx"):
        language = "typescript" if suffix in (".ts", ".tsx") else "javascript"
        if facts.nest_app is not None and "@Controller" in source:
            return nest.nest_routes(rel, source, language, facts.nest_app)
        found = javascript.nextjs_routes(rel, source, language, facts.zod)
        if found or suffix in (".tsx", ".jsx"):
            return found
        found = javascript.server_routes(rel, source, language, facts.js_modules)
        return javascript.prefixed(found, facts.js_mounted[rel]) if rel in facts.js_mounted else found
    if suffix == ".java" and "Mapping" in source:
        return java.spring_routes(rel, source, facts.java_models)
    if rel.endswith("config/routes.rb"):
        return ruby.rails_routes(root, rel, source)
    return []


_SETTINGS_ENV = re.compile(r"""DJANGO_SETTINGS_MODULE['"]\]?\s*[,:=]\s*['"]([\w.]+)['"]""")
_ROOT_URLCONF = re.compile(r"""ROOT_URLCONF\s*=\s*['"]([\w.]+)['"]""")


def _module_path(base: Path, module: str) -> list[Path]:
    """Where `module` lives when `base` is on sys.path: a module file or a package's files."""
    rel = base / Path(*module.split("."))
    if rel.with_suffix(".py").is_file():
        return [rel.with_suffix(".py")]
    if rel.is_dir():  # a settings package (settings/__init__.py, base.py, dev.py...)
        return sorted(rel.glob("*.py"), key=lambda f: (f.name != "__init__.py", f.name))
    return []


def _urlconf_of(base: Path, settings: str) -> Path | None:
    for file in _module_path(base, settings):
        m = _ROOT_URLCONF.search(file.read_text(encoding="utf-8", errors="replace"))
        if m:
            return next(iter(_module_path(base, m.group(1))), None)
    return None


def _django_roots(root: Path, files: list[str]) -> list[Path]:
    """The URLconf of the Django project that runs: manage.py's DJANGO_SETTINGS_MODULE, that
    settings module's ROOT_URLCONF, both resolved from manage.py's folder (its sys.path). A
    tree with several projects (a lab or example project beside the real one) is read from
    the shallowest manage.py, not from whichever settings file sorts first."""
    by_depth = sorted((rel for rel in files if rel.rsplit("/", 1)[-1] in ("manage.py", "wsgi.py", "asgi.py")),
                      key=lambda rel: (rel.count("/") - (rel.endswith("manage.py")), rel))
    for rel in by_depth:
        m = _SETTINGS_ENV.search((root / rel).read_text(encoding="utf-8", errors="replace"))
        if m is None:
            continue
        base = (root / rel).parent
        for candidate in (base, base.parent):  # wsgi.py sits inside the project package
            urls = _urlconf_of(candidate, m.group(1))
            if urls is not None:
                return [urls]
    settings = sorted((rel for rel in files if rel.endswith(".py") and "settings" in rel),
                      key=lambda rel: (rel.count("/"), rel))
    for rel in settings:
        text = (root / rel).read_text(encoding="utf-8", errors="replace")
        m = _ROOT_URLCONF.search(text)
        if m:
            candidate = (root / rel).parent.parent / Path(*m.group(1).split(".")).with_suffix(".py")
            alt = root / Path(*m.group(1).split(".")).with_suffix(".py")
            return [p for p in (candidate, alt) if p.is_file()][:1]
    urls_files = sorted((rel for rel in files if rel.endswith("urls.py")), key=lambda rel: (rel.count("/"), rel))
    return [root / rel for rel in urls_files if "urlpatterns" in
            (root / rel).read_text(encoding="utf-8", errors="replace")][:1]


def selected(rel: str, include: list[str], exclude: list[str]) -> bool:
    """--include/--exclude globs match a source file or a URL path."""
    if include and not any(fnmatch.fnmatch(rel, g) for g in include):
        return False
    return not any(fnmatch.fnmatch(rel, g) for g in exclude)


def _library_script(rel: str, source: str) -> bool:
    """A minified script or a copied library (jQuery, Bootstrap under `static/js/`), as the
    scanner tells them: no route of the app is declared there, and parsing them was most of
    the route reading's time on a small app that ships its own copies."""
    from auditor.scan.engine import is_minified
    from auditor.scan.vendored import vendored_reason

    return rel.endswith((".js", ".mjs", ".cjs")) and (is_minified(source) or vendored_reason(rel, source) is not None)


def code_routes(root: Path, include: list[str] | None = None, exclude: list[str] | None = None) -> list[Route]:
    from auditor.fsutil import walk_files
    from auditor.probe.routes import java
    from auditor.probe.routes.javascript import mounts as js_mounts
    from auditor.probe.routes.javascript import zod_schemas
    from auditor.probe.routes.python import django_routes, mounts

    files = [rel for rel in walk_files(root) if selected(rel, include or [], exclude or [])
             and not rel.startswith(("node_modules/", ".venv/", "venv/", "tests/", "test/"))]
    sources: dict[str, str] = {}
    for rel in files:
        if Path(rel).suffix in (".py", ".js", ".mjs", ".cjs", ".ts", ".tsx", ".jsx", ".java", ".rb"):
            try:
                sources[rel] = (root / rel).read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            if _library_script(rel, sources[rel]):
                del sources[rel]
    py_modules = {rel: text for rel, text in sources.items() if rel.endswith(".py")}
    js_modules = {rel: text for rel, text in sources.items() if rel.endswith((".js", ".mjs", ".cjs", ".ts"))}
    facts = ProjectFacts(py_modules, js_modules, mounts(py_modules), js_mounts(js_modules))
    if any(rel.endswith(".java") for rel in sources):
        facts.java_models = java.models(sources)
    facts.zod = zod_schemas({rel: text for rel, text in sources.items() if "z.object" in text})
    if any("@Controller" in text and rel.endswith(".ts") for rel, text in sources.items()):
        from auditor.probe.routes.nest import nest_app

        facts.nest_app = nest_app(sources)
    routes: list[Route] = []
    for rel, source in sources.items():
        routes += _readers(root, rel, source, facts)
    for urls in _django_roots(root, files):
        routes += django_routes(root, urls)
    return routes


_DIGIT_SEGMENT = re.compile(r"/\d+(?=/|$)")


def merge(*groups: list[Route]) -> list[Route]:
    """One route per (method, path template); a path the crawl or OpenAPI found that a template
    matches joins it. Two routes read from the code never merge: `/tasks/search/` is a view of its
    own beside `/tasks/{id}/` (Django's `\\d+` is not kept in the template)."""
    merged: dict[tuple[str, str], Route] = {}
    patterns: list[tuple[re.Pattern[str], Route]] = []
    copies: dict[tuple[str, str, frozenset[tuple[str, str]]], Route] = {}
    for group in groups:
        for r in group:
            if r.key in merged:
                merged[r.key].merge(r)
                continue
            same = None if r.source == "code" else next(
                (t for rx, t in patterns if t.method == r.method and rx.fullmatch(r.path)), None)
            if same is None and r.source != "code" and "{" not in r.path:
                # Found paths no template matches that differ only in their all-digit segments,
                # with the same inputs (`/students/3/evaluate/7`, `/students/4/evaluate/9`): one
                # handler's objects, probed once at the first path found.
                copy_key = (r.method, _DIGIT_SEGMENT.sub("/#", r.path), frozenset((p.name, p.location) for p in r.params))
                same = copies.setdefault(copy_key, r)
                same = None if same is r else same
            if same is not None:
                same.merge(r)
                continue
            merged[r.key] = r
            if "{" in r.path:
                patterns.append((template_regex(r.path), r))
    return list(merged.values())


def recipe_routes(logins: list[LoginRecipe]) -> list[Route]:
    """The login route of each --login recipe posting a form or JSON body, with its fields
    (their values are the recipe's, given by `settle`)."""
    out = []
    for recipe in logins:
        if recipe.method != "POST" or (recipe.form is None and recipe.json_body is None):
            continue
        params = [Param(k, "form") for k in recipe.form or {}] + [Param(k, "json") for k in recipe.json_body or {}]
        out.append(Route("POST", recipe.path.split("?", 1)[0], params, "login"))
    return out


def spread_views(routes: list[Route]) -> list[Route]:
    """Views registered under computed rules (`bp.add_url_rule(view_name, ...)` in a loop: the
    route `PREFIX/{*}`) have no path of their own to probe: every path the crawl or an API
    document found under the prefix takes their inputs, and is also asked with each method they
    accept (a page linked by a GET form whose view takes POST too). Routes read from the code
    keep their own handler's inputs."""
    from auditor.probe.engine import STATIC_SUFFIX

    views = [r for r in routes if r.path.endswith(ANY_PATH)]
    if not views:
        return routes
    kept = [r for r in routes if not r.path.endswith(ANY_PATH)]
    found = [r for r in kept if r.source != "code" and not STATIC_SUFFIX.search(r.path)]
    by_key = {r.key: r for r in kept}
    for view in views:
        under = view.path[:-len(ANY_PATH)]
        for path in dict.fromkeys(r.path for r in found if r.path.startswith(under)):
            target = by_key.get((view.method, path))
            if target is None:
                target = by_key[(view.method, path)] = Route(view.method, path, [])
                kept.append(target)
            target.merge(view)
            target.source = "code"  # the code says what it reads (no Referer guess for it)
    return kept


def settle(routes: list[Route], origin: str, logged_in: bool, logins: list[LoginRecipe] | None = None) -> list[Route]:
    """The inventory as it will be probed: inputs without an example value get a plausible one
    for their name (a mail, a date, a phone...: see inputs.filler); body inputs of a GET that
    cannot be sent with it are left out; when the probe holds a session, sign-out routes are
    only requested as a first-time visitor (`Route.visitor`: one request to them with the
    session and every later request would be anonymous); routes that reset the app's data
    (/createdb) are always left out. The login
    route of a --login recipe gets the recipe's own values as its fields'
    examples: what only runs after a successful login (a redirect to `returnurl`) is reached.
    The engine masks those values in the evidence (login.scrub)."""
    from dataclasses import replace

    from auditor.probe.routes.common import signs_out
    from auditor.probe.routes.inputs import filler
    from auditor.probe.safety import resets_state

    kept = [r for r in routes if not resets_state(r.path)]
    for r in kept:
        r.visitor = r.visitor or (logged_in and signs_out(r.path))
    posted = {r.path: {(p.name, p.location) for p in r.params} for r in kept if r.method == "POST"}
    known: dict[tuple[str, str], dict[tuple[str, str], str]] = {}
    for recipe in logins or []:
        values = {(k, "form"): v for k, v in (recipe.form or {}).items()}
        values.update({(k, "json"): v for k, v in (recipe.json_body or {}).items() if isinstance(v, str)})
        known.setdefault((recipe.method, recipe.path), values)
    for r in kept:
        if (given := known.get(r.key)) is not None:
            r.params = [replace(p, example=given[(p.name, p.location)]) if (p.name, p.location) in given else p
                        for p in r.params]
        if r.method in ("GET", "HEAD"):
            # A GET's body is unusual: a JSON key or form field that the POST of the same path also
            # takes is that POST's (a handler serving both methods), and a JSON key is only sent
            # where the code says the GET's own handler reads the body (Express parses a GET's JSON
            # body as any other's: `app.get('/x', (req, res) => db.query(req.body.name))`); its form
            # twin would only go in the query, which such a handler does not read.
            own_body = r.source == "code" and r.method == "GET"
            in_json = {p.name for p in r.params if p.location == "json"} if own_body else set()
            r.params = [p for p in r.params if p.location not in ("json", "form") or
                        (p.name, p.location) not in posted.get(r.path, set()) and
                        (p.location == "form" and p.name not in in_json or p.location == "json" and own_body)]
        r.params = [replace(p, example=value, filled=True) if not p.example and p.location != "path" and
                    (value := filler(p.name, origin)) else p for p in r.params]
    return kept


SERVER_LANGUAGES = ("python", "javascript", "typescript", "java", "ruby", "php", "go")


def server_language(root: Path, from_code: list[Route]) -> str:
    """The one language the app's server is written in, or "" where that is not clear: the
    language of every route read from the code, else the only server language of the project's
    detected stack (a tree with a Python back end and a JavaScript front end stays unknown)."""
    from auditor.stack.detect import detect_stack

    langs = {r.language for r in from_code if r.language}
    if not langs and root.is_dir():
        langs = {c.id for c in detect_stack(root).merged().components
                 if c.kind == "language" and c.id in SERVER_LANGUAGES}
    langs = {"javascript" if lang == "typescript" else lang for lang in langs}
    return langs.pop() if len(langs) == 1 else ""


def with_language(routes: list[Route], language: str) -> list[Route]:
    """Routes found by the crawl or an API document carry no language: they take the server's,
    so that payloads in the app's own language are sent (code injection, remote inclusion)."""
    for r in routes:
        if not r.language and language:
            r.language = language
    return routes

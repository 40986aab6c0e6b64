"""The route inventory: routes from the code (one reader per framework), OpenAPI and a crawl,
merged per (method, path), filtered by --include/--exclude, ranked by static findings."""

from __future__ import annotations

import fnmatch
import re
from pathlib import Path

from auditor.probe.interface import Route


def _readers(root: Path, rel: str, source: str, mounted: dict[str, str],
             js_mounted: dict[str, list[str]] | None = None, java_models: dict[str, list[str]] | None = None,
             zod: dict[str, list[str]] | None = None) -> list[Route]:
    from auditor.probe.routes import java, javascript, python, ruby

    suffix = Path(rel).suffix
    if suffix == ".py":
        if re.search(r"\b(?:flask|fastapi|Blueprint|APIRouter)\b", source):
            return python.flask_fastapi_routes(rel, source, mounted)
        return []
    if suffix in (".js", ".mjs", ".cjs", ".ts", ".tsx", ".jsx"):
        language = "typescript" if suffix in (".ts", ".tsx") else "javascript"
        found = javascript.nextjs_routes(rel, source, language, zod)
        if found or suffix in (".tsx", ".jsx"):
            return found
        found = javascript.server_routes(rel, source, language)
        return javascript.prefixed(found, js_mounted[rel]) if js_mounted and rel in js_mounted else found
    if suffix == ".java" and "Mapping" in source:
        return java.spring_routes(rel, source, java_models)
    if rel.endswith("config/routes.rb"):
        return ruby.rails_routes(root, rel, source)
    return []


def _django_roots(root: Path, files: list[str]) -> list[Path]:
    for rel in files:
        if rel.endswith(".py") and "settings" in rel:
            text = (root / rel).read_text(encoding="utf-8", errors="replace")
            m = re.search(r"ROOT_URLCONF\s*=\s*['\"]([\w.]+)['\"]", text)
            if m:
                candidate = (root / rel).parent.parent / Path(*m.group(1).split(".")).with_suffix(".py")
                alt = root / Path(*m.group(1).split(".")).with_suffix(".py")
                return [p for p in (candidate, alt) if p.is_file()][:1]
    return [root / rel for rel in files if rel.endswith("urls.py") and "urlpatterns" in
            (root / rel).read_text(encoding="utf-8", errors="replace")][:1]


def selected(rel: str, include: list[str], exclude: list[str]) -> bool:
    """--include/--exclude globs match a source file or a URL path."""
    if include and not any(fnmatch.fnmatch(rel, g) for g in include):
        return False
    return not any(fnmatch.fnmatch(rel, g) for g in exclude)


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
    mounted = mounts({rel: text for rel, text in sources.items() if rel.endswith(".py")})
    js_mounted = js_mounts({rel: text for rel, text in sources.items() if rel.endswith((".js", ".mjs", ".cjs", ".ts"))})
    java_models = java.models(sources) if any(rel.endswith(".java") for rel in sources) else {}
    zod = zod_schemas({rel: text for rel, text in sources.items() if "z.object" in text})
    routes: list[Route] = []
    for rel, source in sources.items():
        routes += _readers(root, rel, source, mounted, js_mounted, java_models, zod)
    for urls in _django_roots(root, files):
        routes += django_routes(root, urls)
    return routes


def merge(*groups: list[Route]) -> list[Route]:
    """One route per (method, path template); a path matched by a template joins it."""
    merged: dict[tuple[str, str], Route] = {}
    patterns: list[tuple[re.Pattern[str], Route]] = []
    for group in groups:
        for r in group:
            if r.key in merged:
                merged[r.key].merge(r)
                continue
            same = next((t for rx, t in patterns if t.method == r.method and rx.fullmatch(r.path)), None)
            if same is not None:
                same.merge(r)
                continue
            merged[r.key] = r
            if "{" in r.path:
                rx = re.compile(re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(r.path)))
                patterns.append((rx, r))
    return list(merged.values())


def rank(root: Path, routes: list[Route]) -> list[Route]:
    """Routes whose handler file has static findings first (more findings, higher)."""
    files = sorted({r.file for r in routes if r.file})
    if files:
        try:
            from auditor.scan.engine import Scanner

            result = Scanner(secrets=False).scan_tree(root, files)
            for r in routes:
                near = [f for f in result.findings if f.path == r.file]
                r.rank = sum(3 if abs(f.line - r.line) < 40 else 1 for f in near)
        except Exception:  # noqa: BLE001  (ranking is an ordering hint; never fail the probe on it)
            pass
    return sorted(routes, key=lambda r: (-r.rank, r.path, r.method))

"""File signatures: what a project's files show when its manifests are silent.

A Django project without a requirements entry still has manage.py; a Next.js app is a
Next.js app because of next.config.* even in a workspace whose package.json is elsewhere;
config/routes.rb makes a Rails app. The router style of a Next.js app (app/ or pages/)
changes which security rules apply, so it is a component of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from auditor.fsutil import UnreadableFile, read_bytes
from auditor.stack.ecosystems.base import ManifestError, read_file
from auditor.stack.model import StackComponent

NEXT_CONFIGS = frozenset({"next.config.js", "next.config.mjs", "next.config.cjs", "next.config.ts"})
# Frontend framework config files -> framework id (a project without a package.json in
# view, e.g. a monorepo folder, still gets its framework's rules).
FRONTEND_CONFIGS: dict[str, str] = {
    "angular.json": "angular",
    **{f"svelte.config.{ext}": "svelte" for ext in ("js", "mjs", "cjs", "ts")},
    **{f"nuxt.config.{ext}": "vue" for ext in ("js", "mjs", "ts")},
    **{f"vue.config.{ext}": "vue" for ext in ("js", "cjs", "mjs", "ts")},
}
_APP_ROUTER_FILE = re.compile(r"^(?:src/)?app/(?:.*/)?(?:page|layout|route)\.(?:js|jsx|ts|tsx|mjs)$")
_PAGES_ROUTER_FILE = re.compile(r"^(?:src/)?pages/(?:.*/)?[^/]+\.(?:js|jsx|ts|tsx)$")
_SQLITE_ENGINE = re.compile(r"""["']django\.db\.backends\.sqlite3["']""")
# Rails 2 routes (`ActionController::Routing::Routes.draw`) and later ones (`routes.draw`).
_ROUTES_DRAW = re.compile(r"[Rr]outes\.draw\b")
# Rails 2 apps pin their Rails in config/environment.rb, often with no Gemfile at all.
_RAILS_GEM_VERSION = re.compile(r"""^\s*RAILS_GEM_VERSION\s*=\s*["'](\d+(?:\.\d+)*)["']""", re.M)
SIGNATURE_LIMIT = 512_000


@dataclass(frozen=True)
class Signature:
    """A component seen in a file. `home` is the directory of the sub-project the file
    defines (manage.py's folder), or None when it only adds to the enclosing one."""

    component: StackComponent
    home: str | None


def _parent(folder: str) -> str:
    """`a/b` -> `a`; `a` -> `.`."""
    return folder.rpartition("/")[0] or "."


def _read(root: Path, rel: str) -> str:
    try:
        return read_file(root / rel, SIGNATURE_LIMIT)
    except ManifestError:
        return ""  # unreadable or huge: it shows nothing, and it is not a manifest to report


def file_signatures(root: Path, rel: str) -> list[Signature]:
    """Components `rel` shows by its name (and, for Python files, a look at its text)."""
    folder, _, name = rel.rpartition("/")
    folder = folder or "."
    if name == "manage.py":
        if "django" in _read(root, rel):
            return [Signature(StackComponent("django", "framework", None, rel), folder),
                    Signature(StackComponent("python", "language", None, rel), folder)]
        return []
    if name == "settings.py" or folder.rsplit("/", 1)[-1] == "settings" and name.endswith(".py"):
        text = _read(root, rel)
        if "INSTALLED_APPS" not in text:
            return []
        found = [Signature(StackComponent("django", "framework", None, rel), None),
                 Signature(StackComponent("python", "language", None, rel), None)]
        if _SQLITE_ENGINE.search(text):
            found.append(Signature(StackComponent("sqlite3", "database", None, rel), None))
        return found
    if name in NEXT_CONFIGS:
        lang = "typescript" if name.endswith(".ts") else "javascript"
        return [Signature(StackComponent("nextjs", "framework", None, rel), folder),
                Signature(StackComponent("react", "framework", None, rel), folder),
                Signature(StackComponent(lang, "language", None, rel), folder)]
    if name == "routes.rb" and folder.rsplit("/", 1)[-1] == "config":
        if _ROUTES_DRAW.search(_read(root, rel)):
            home = _parent(folder)
            return [Signature(StackComponent("rails", "framework", None, rel), home),
                    Signature(StackComponent("activerecord", "orm", None, rel), home),
                    Signature(StackComponent("ruby", "language", None, rel), home)]
        return []
    if name == "environment.rb" and folder.rsplit("/", 1)[-1] == "config":
        m = _RAILS_GEM_VERSION.search(_read(root, rel))
        return [Signature(StackComponent("rails", "framework", m.group(1), rel), _parent(folder))] if m else []
    if name in FRONTEND_CONFIGS:
        return [Signature(StackComponent(FRONTEND_CONFIGS[name], "framework", None, rel), folder)]
    if name == "tsconfig.json":
        return [Signature(StackComponent("typescript", "language", None, rel), None)]
    return []


SIGNATURE_NAMES = frozenset({"manage.py", "settings.py", "routes.rb", "environment.rb", "tsconfig.json", *NEXT_CONFIGS, *FRONTEND_CONFIGS})


def may_sign(rel: str) -> bool:
    """Cheap filter during the walk: could `rel` be a signature file?"""
    folder, _, name = rel.rpartition("/")
    return name in SIGNATURE_NAMES or (name.endswith(".py") and folder.rsplit("/", 1)[-1] == "settings")


def nextjs_routers(project_dir: str, files: list[str]) -> list[StackComponent]:
    """nextjs-app-router / nextjs-pages-router for a Next.js project, from its app/ and
    pages/ folders (also under src/). `files` are all walked paths, relative to the root."""
    prefix = "" if project_dir == "." else project_dir + "/"
    found: dict[str, StackComponent] = {}
    for rel in files:
        if not rel.startswith(prefix):
            continue
        inner = rel[len(prefix):]
        if "app-router" not in found and _APP_ROUTER_FILE.match(inner):
            found["app-router"] = StackComponent("nextjs-app-router", "library", None, rel)
        elif "pages-router" not in found and _PAGES_ROUTER_FILE.match(inner):
            found["pages-router"] = StackComponent("nextjs-pages-router", "library", None, rel)
        if len(found) == 2:
            break
    return list(found.values())


_GO_NET_HTTP = re.compile(r'"net/http"')


def imports_net_http(root: Path, go_files: list[str], limit: int = 200) -> str | None:
    """The first Go file (of at most `limit`) that imports net/http, by a look at its head."""
    for rel in go_files[:limit]:
        try:
            head = read_bytes(root / rel, 4096, head=True).decode("utf-8", "replace")
        except UnreadableFile:
            continue
        if _GO_NET_HTTP.search(head):
            return rel
    return None

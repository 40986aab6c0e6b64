"""Which language a file is, by its name: shared by the scanner and the secrets checker.

Kept outside `scan/` so that `secrets` never imports the scanner (the scanner runs the
secrets checker, not the other way round).
"""

from __future__ import annotations

from pathlib import PurePosixPath

# extension -> language id (ids match kb.model.EXAMPLE_LANGUAGES)
EXTENSIONS: dict[str, str] = {
    ".py": "python", ".pyw": "python",
    ".js": "javascript", ".jsx": "javascript", ".mjs": "javascript", ".cjs": "javascript",
    ".ts": "typescript", ".mts": "typescript", ".cts": "typescript",
    ".tsx": "tsx",
    ".java": "java",
    ".rb": "ruby", ".rake": "ruby",
    ".go": "go",
    ".php": "php",
    ".properties": "properties",
    ".yml": "yaml", ".yaml": "yaml",
    ".erb": "erb",
    ".vue": "vue", ".svelte": "svelte", ".html": "html", ".htm": "html",
    ".ejs": "ejs", ".pug": "pug", ".jade": "pug", ".hbs": "handlebars", ".handlebars": "handlebars",
    ".mustache": "handlebars", ".jinja": "jinja", ".jinja2": "jinja", ".j2": "jinja", ".njk": "jinja",
    ".swig": "jinja", ".haml": "haml", ".slim": "slim",
    ".sql": "sql",
}


# Web-server configuration: nginx and Apache httpd by their usual names; any other `.conf`
# (and a file in a virtual-host folder) is "webconf", whose dialect the check reads from it.
_APACHE_NAMES = frozenset({".htaccess", "httpd.conf", "apache.conf", "apache2.conf"})
_VHOST_DIRS = frozenset({"sites-available", "sites-enabled", "conf.d", "vhosts.d", "vhosts"})


def _server_config(p: PurePosixPath) -> str | None:
    name = p.name.lower()
    if name in _APACHE_NAMES:
        return "apache"
    if name == "nginx.conf" or name.endswith(".nginx"):
        return "nginx"
    dirs = [d.lower() for d in p.parts[:-1]]
    if p.suffix.lower() != ".conf" and not (dirs and dirs[-1] in _VHOST_DIRS and not p.suffix):
        return None
    if any("nginx" in d for d in dirs):
        return "nginx"
    if any("apache" in d or "httpd" in d for d in dirs):
        return "apache"
    return "webconf"


def language_for(path: str) -> str | None:
    """The language id of a file by its name, or None when the scanner has nothing for it."""
    p = PurePosixPath(path)
    name = p.name
    if name == ".env" or name.startswith(".env.") or name.endswith(".env"):
        return "dotenv"
    if name.endswith(".html.erb"):
        return "erb"
    return EXTENSIONS.get(p.suffix.lower()) or _server_config(p)

"""Third-party library files copied into a project (jQuery, Bootstrap, html5shiv under
`static/js/`): their findings are the library's, not the project's, and on real apps they
drown the project's own (one vendored shim gave an XSS and an eval finding in every lab of
a real corpus). Recognised by name (`*.min.js`: a build output, never edited by hand) or by
a library banner (`/*! Name v1.2.3 ... license */`, `@license`, `@preserve`) at the top of a
file that sits in a static-assets folder."""

from __future__ import annotations

import re

_MINIFIED_NAME = re.compile(r"[.-]min\.(?:m|c)?js$", re.IGNORECASE)
_ASSET_FOLDERS = frozenset({"static", "public", "assets", "vendor", "vendors", "lib", "libs", "third_party",
                            "thirdparty", "third-party", "wwwroot", "external", "plugins"})
# A banner names the library with its version and licence, or carries a licence-keeping tag.
_BANNER = re.compile(
    r"^\s*/\*[!*]?[\s*]*(?:@(?:license|preserve)\b"
    r"|[A-Za-z][\w.\- ]{1,40}\bv?\d+\.\d+(?:\.\d+)?\b[^\n]{0,200}(?:\n[^\n]{0,200}){0,6}?(?:licen[cs]e|copyright|\(c\)))",
    re.IGNORECASE)


def vendored_reason(path: str, text: str) -> str | None:
    """Why `path` looks like a copied third-party library, or None. JS and CSS files only."""
    name = path.rsplit("/", 1)[-1]
    if not name.lower().endswith((".js", ".mjs", ".cjs")):
        return None
    if _MINIFIED_NAME.search(name):
        return "vendored library (minified build: *.min.js)"
    folders = {part.lower() for part in path.split("/")[:-1]}
    if folders & _ASSET_FOLDERS and _BANNER.match(text[:1500]):
        first = text.lstrip().splitlines()[0] if text.strip() else ""
        return f"vendored library (banner: {first.strip()[:60]})"
    return None

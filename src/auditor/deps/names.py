"""Package-name rules per ecosystem: how registries compare names and spell them in URLs.

Two names that a registry treats as the same package must normalize equal here, or an
existence check would call a real package invented (and a squat check would miss one).
"""

from __future__ import annotations

import re
from urllib.parse import quote

# Stack ecosystem id -> OSV ecosystem name (https://ossf.github.io/osv-schema/#affectedpackage-field).
OSV_ECOSYSTEMS: dict[str, str] = {
    "pypi": "PyPI",
    "npm": "npm",
    "maven": "Maven",
    "rubygems": "RubyGems",
    "go": "Go",
    "crates.io": "crates.io",
    "packagist": "Packagist",
    "nuget": "NuGet",
}
FROM_OSV: dict[str, str] = {v: k for k, v in OSV_ECOSYSTEMS.items()}

_PEP503 = re.compile(r"[-_.]+")
_UPPER = re.compile(r"[A-Z]")


def normalize(ecosystem: str, name: str) -> str:
    """The registry's identity for `name`: PEP 503 for PyPI; case- and `-`/`_`-insensitive
    for crates.io; case-insensitive for Packagist, NuGet and Maven coordinates as Maven
    Central stores them (case matters there, so only whitespace is trimmed); npm, RubyGems
    and Go are case-sensitive registries and keep the name as written."""
    name = name.strip()
    if ecosystem == "pypi":
        return _PEP503.sub("-", name).lower()
    if ecosystem == "crates.io":
        return name.lower().replace("_", "-")
    if ecosystem in ("packagist", "nuget"):
        return name.lower()
    return name


def fold(ecosystem: str, name: str) -> str:
    """A looser key for comparing with the popular lists: lower-case, registry-normalized."""
    return normalize(ecosystem, name).lower()


def go_escape(module: str) -> str:
    """Go module proxy path escaping: each upper-case letter becomes '!' + lower-case
    (https://go.dev/ref/mod#goproxy-protocol), then URL path quoting."""
    return quote(_UPPER.sub(lambda m: "!" + m.group(0).lower(), module), safe="/!~.-_")


def npm_path(name: str) -> str:
    """npm registry path for a package: the scope's slash is URL-encoded (@scope%2fname)."""
    return quote(name, safe="@")


VALID_NAME: dict[str, re.Pattern[str]] = {
    "pypi": re.compile(r"^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$"),
    "npm": re.compile(r"^(@[a-z0-9][a-z0-9._~-]*/)?[a-zA-Z0-9._~-][a-zA-Z0-9._~-]*$"),
    "rubygems": re.compile(r"^[A-Za-z0-9._-]+$"),
    "maven": re.compile(r"^[A-Za-z0-9._-]+:[A-Za-z0-9._-]+$"),
    "go": re.compile(r"^[A-Za-z0-9._~/-]+$"),
    "crates.io": re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$"),
    "packagist": re.compile(r"^[a-z0-9]([_.-]?[a-z0-9]+)*/[a-z0-9](([_.]|-{1,2})?[a-z0-9]+)*$", re.I),
    "nuget": re.compile(r"^[A-Za-z0-9_.-]+$"),
}


def is_valid_name(ecosystem: str, name: str) -> bool:
    """False for names the registry could never hold (so they need no lookup to be flagged)."""
    pattern = VALID_NAME.get(ecosystem)
    return bool(pattern and pattern.match(name.strip()))

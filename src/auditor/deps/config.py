"""Where the dependency checks talk to, and how politely.

One mechanism for every endpoint: an environment variable per service (documented in
`ENDPOINT_ENV`), defaulting to the public service. Tests and the benchmark point them at a
server on 127.0.0.1; companies point them at their mirror.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from auditor import __version__
from auditor.cachedir import cache_dir
from auditor.errors import AuditorError

# service -> (environment variable, public default). The registry ids are stack ecosystems.
ENDPOINT_ENV: dict[str, tuple[str, str]] = {
    "pypi": ("AUDITOR_PYPI_URL", "https://pypi.org"),
    "npm": ("AUDITOR_NPM_URL", "https://registry.npmjs.org"),
    "npm-downloads": ("AUDITOR_NPM_DOWNLOADS_URL", "https://api.npmjs.org"),
    "rubygems": ("AUDITOR_RUBYGEMS_URL", "https://rubygems.org"),
    "maven": ("AUDITOR_MAVEN_URL", "https://repo1.maven.org/maven2"),
    "go": ("AUDITOR_GOPROXY_URL", "https://proxy.golang.org"),
    "crates.io": ("AUDITOR_CRATES_URL", "https://crates.io"),
    "packagist": ("AUDITOR_PACKAGIST_URL", "https://packagist.org"),
    "nuget": ("AUDITOR_NUGET_URL", "https://api.nuget.org"),
    "osv": ("AUDITOR_OSV_URL", "https://api.osv.dev"),
}


@dataclass(frozen=True)
class DepsConfig:
    """Endpoints, cache and politeness settings for one `auditor deps` run."""

    endpoints: dict[str, str] = field(default_factory=dict)
    cache_dir: Path = field(default_factory=cache_dir)
    # Registry answers are trusted this long. A "not found" is kept for a shorter time:
    # an attacker can register a hallucinated name at any moment (slopsquatting).
    found_ttl: float = 24 * 3600
    missing_ttl: float = 3 * 3600
    advisory_ttl: float = 6 * 3600
    concurrency: int = 8
    timeout: float = 15.0  # per connect / read
    retries: int = 2
    deadline: float = 120.0  # every network lookup of one run ends within this
    breaker_threshold: int = 3  # failures in a row after which a host is not asked again
    max_body: int = 32_000_000  # bytes of one answer (decoded); npm's abbreviated documents stay well below
    user_agent: str = f"auditor/{__version__} (dependency checks; +https://github.com/auditor)"

    def url(self, service: str) -> str:
        """Base URL of `service` without a trailing slash."""
        return self.endpoints[service].rstrip("/")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> DepsConfig:
        env = os.environ if environ is None else environ
        endpoints = {svc: env.get(var) or default for svc, (var, default) in ENDPOINT_ENV.items()}
        limits = {field_name: value for field_name, var in LIMIT_ENV.items()
                  if (value := _seconds(env, var)) is not None}
        cache = env.get("AUDITOR_CACHE_DIR")
        if cache:
            return cls(endpoints=endpoints, cache_dir=Path(cache).expanduser(), **limits)
        return cls(endpoints=endpoints, **limits)


# DepsConfig field -> environment variable, in seconds (CI jobs that must end quickly).
LIMIT_ENV: dict[str, str] = {"timeout": "AUDITOR_DEPS_TIMEOUT", "deadline": "AUDITOR_DEPS_DEADLINE"}


def _seconds(env: Mapping[str, str], var: str) -> float | None:
    """A positive number of seconds from `var`; a bad value is an error naming it."""
    raw = env.get(var)
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not value > 0 or value == float("inf"):
        raise AuditorError(f"{var}={raw!r}: expected a positive number of seconds")
    return value

"""One module per package registry; `registry_for` picks the one for an ecosystem."""

from __future__ import annotations

from auditor.deps.config import DepsConfig
from auditor.deps.interface import Registry
from auditor.deps.registries.crates import CratesRegistry
from auditor.deps.registries.goproxy import GoProxyRegistry
from auditor.deps.registries.maven import MavenCentralRegistry
from auditor.deps.registries.npm import NpmRegistry
from auditor.deps.registries.nuget import NugetRegistry
from auditor.deps.registries.packagist import PackagistRegistry
from auditor.deps.registries.pypi import PypiRegistry
from auditor.deps.registries.rubygems import RubygemsRegistry

REGISTRIES: dict[str, type[Registry]] = {
    cls.ecosystem: cls
    for cls in (PypiRegistry, NpmRegistry, RubygemsRegistry, MavenCentralRegistry, GoProxyRegistry,
                CratesRegistry, PackagistRegistry, NugetRegistry)
}


def registry_for(ecosystem: str, config: DepsConfig) -> Registry | None:
    """The registry client for a stack ecosystem id, or None when we have none."""
    cls = REGISTRIES.get(ecosystem)
    return cls(config) if cls else None

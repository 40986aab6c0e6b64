"""Which manifest entries go to a registry at all, under which name, and which version.

Entries that point somewhere else (a local path, a git URL, a workspace sibling, a tarball
URL, a private Go module) are not registry packages: looking them up would call every
monorepo sibling "invented". npm aliases (`"x": "npm:real@1"`) are checked as the real name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from auditor.deps.names import is_valid_name, normalize
from auditor.deps.registries.goproxy import is_private
from auditor.stack.model import Dependency

_NOT_REGISTRY = re.compile(
    r"^\s*(file:|link:|portal:|workspace:|git\+|git:|github:|gitlab:|bitbucket:|https?://|ssh://|\.{0,2}/|~/|[a-z]:\\)",
    re.I,
)
_EXACT = re.compile(r"^\s*(?:==|=|v)?\s*(\d[\w.+!-]*)\s*$")


@dataclass(frozen=True)
class Target:
    """A dependency to check: the registry name, and the exact version when one is fixed."""

    ecosystem: str
    name: str
    key: str  # normalized name: the identity registries use
    version: str | None
    dep: Dependency
    resolved_from: str | None = None  # the range `version` was resolved from (no lockfile pins it)


def exact_version(dep: Dependency) -> str | None:
    """The version to check advisories for: the lockfile/pinned version, or a spec that
    names exactly one version (`==1.2.3`, `1.2.3`); ranges are not guessed at."""
    if dep.version:
        return dep.version.strip().lstrip("=") or None
    if dep.spec:
        spec = dep.spec.strip()
        if dep.ecosystem == "pypi" and spec.startswith("==") and "*" not in spec and "," not in spec:
            return spec[2:].strip() or None
        if dep.ecosystem != "pypi" and not any(c in spec for c in "^~<>*|x ") and (m := _EXACT.match(spec)):
            return m.group(1)
    return None


_SCOPE_REGISTRY = re.compile(r"^\s*(@[a-z0-9][a-z0-9._~-]*)\s*:\s*registry\s*=", re.I | re.M)


def private_npm_scopes(npmrc_text: str) -> set[str]:
    """Scopes an .npmrc sends to another registry (`@corp:registry=https://npm.corp/`):
    their packages are not on the public registry, so a 404 there proves nothing."""
    return {m.group(1).lower() for m in _SCOPE_REGISTRY.finditer(npmrc_text)}


def target_for(dep: Dependency, private_scopes: frozenset[str] = frozenset()) -> Target | None:
    """The registry lookup for `dep`, or None when it does not come from a registry."""
    name = dep.name.strip()
    spec = (dep.spec or "").strip()
    if spec and _NOT_REGISTRY.match(spec):
        return None
    if dep.ecosystem == "npm" and spec.startswith("npm:"):
        alias = spec[4:]
        at = alias.rfind("@")
        name, spec = (alias[:at], alias[at + 1:]) if at > 0 else (alias, "")
        dep = Dependency(name=name, ecosystem=dep.ecosystem, path=dep.path, line=dep.line, spec=spec or None,
                         version=dep.version, direct=dep.direct, dev=dep.dev)
    if not name or not is_valid_name(dep.ecosystem, name):
        return None
    if dep.ecosystem == "go" and is_private(name):
        return None
    if dep.ecosystem == "npm" and name.startswith("@") and name.split("/", 1)[0].lower() in private_scopes:
        return None
    return Target(dep.ecosystem, name, normalize(dep.ecosystem, name), exact_version(dep), dep)

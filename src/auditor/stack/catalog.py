"""The package catalog (catalog.yaml): which packages show which components.

Loaded once per process and indexed for O(1) lookups by exact name; the few prefix rows
(`io.jsonwebtoken:jjwt*`) are checked after. Validation is strict so a typo in the data
fails the test suite, not a user's run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from auditor.errors import AuditorError
from auditor.stack.model import COMPONENT_KINDS, ECOSYSTEMS

_PEP503 = re.compile(r"[-_.]+")
CASE_INSENSITIVE = frozenset({"nuget", "packagist"})


def normalize_name(ecosystem: str, name: str) -> str:
    """A package name as its registry compares names."""
    if ecosystem == "pypi":
        return _PEP503.sub("-", name).lower()
    if ecosystem in CASE_INSENSITIVE:
        return name.lower()
    return name


@dataclass(frozen=True)
class CatalogEntry:
    """One row. `versioned` holds the (normalized) package names whose version is the
    component's version: the row's first package, every package of a `same_version` row,
    and prefix matches. An alias with its own version line (marshmallow under pydantic,
    psycopg2 under psycopg) shows the component but says nothing about its version."""

    id: str
    kind: str
    implies: tuple[str, ...] = ()
    versioned: frozenset[str] = frozenset()


@dataclass
class Catalog:
    exact: dict[tuple[str, str], list[CatalogEntry]] = field(default_factory=dict)
    prefixes: dict[str, list[tuple[str, CatalogEntry]]] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)  # id -> kind

    def match(self, ecosystem: str, name: str) -> list[tuple[CatalogEntry, bool]]:
        """Every catalog row `name` matches (a package can show several components), each
        with whether the package's version is the component's version."""
        key = normalize_name(ecosystem, name)
        found = [(entry, key in entry.versioned) for entry in self.exact.get((ecosystem, key), ())]
        for prefix, entry in self.prefixes.get(ecosystem, ()):
            if key.startswith(prefix) and all(entry is not e for e, _ in found):
                found.append((entry, True))
        return found


def parse_catalog(data: object, source: str = "catalog.yaml") -> Catalog:
    """Build the index from the YAML data, or raise AuditorError naming what is wrong."""
    if not isinstance(data, dict):
        raise AuditorError(f"{source}: top level must map ecosystems to rows")
    catalog = Catalog()
    implied: list[tuple[str, str]] = []
    for ecosystem, rows in data.items():
        if ecosystem not in ECOSYSTEMS:
            raise AuditorError(f"{source}: unknown ecosystem {ecosystem!r}")
        for row in rows or []:
            if not isinstance(row, dict) or not {"id", "kind", "packages"} <= set(row):
                raise AuditorError(f"{source}: {ecosystem}: each row needs id, kind and packages: {row!r}")
            cid, kind = str(row["id"]), str(row["kind"])
            if kind not in COMPONENT_KINDS:
                raise AuditorError(f"{source}: {ecosystem}: {cid}: unknown kind {kind!r}")
            if catalog.kinds.setdefault(cid, kind) != kind:
                raise AuditorError(f"{source}: {cid} has two kinds ({catalog.kinds[cid]}, {kind})")
            packages = [str(p) for p in row["packages"]]
            if not packages:
                raise AuditorError(f"{source}: {ecosystem}: {cid}: no packages")
            names = [normalize_name(ecosystem, p) for p in packages if not p.endswith("*")]
            versioned = frozenset(names if row.get("same_version") else names[:1] if names[:1] == [
                normalize_name(ecosystem, packages[0])] else [])
            entry = CatalogEntry(cid, kind, tuple(str(i) for i in row.get("implies") or ()), versioned)
            implied.extend((cid, i) for i in entry.implies)
            for package in packages:
                if package.endswith("*"):
                    prefix = normalize_name(ecosystem, package[:-1])
                    catalog.prefixes.setdefault(ecosystem, []).append((prefix, entry))
                else:
                    catalog.exact.setdefault((ecosystem, normalize_name(ecosystem, package)), []).append(entry)
    for cid, target in implied:
        if target not in catalog.kinds:
            raise AuditorError(f"{source}: {cid} implies unknown component {target!r}")
    return catalog


@lru_cache(maxsize=1)
def load_catalog() -> Catalog:
    from auditor.datafiles import load_yaml

    return parse_catalog(load_yaml(Path(__file__).parent / "catalog.yaml"))

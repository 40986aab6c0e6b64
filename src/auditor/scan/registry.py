"""Discovers the checks: every module under auditor.scan.checks that defines `CHECKS`.

Each check package may declare `LANGUAGES` (scan.languages ids) in its `__init__`; its
modules are then imported only when a file of one of those languages is scanned, so a
one-file scan (the per-edit case) pays for one language's checks, not all of them.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache, lru_cache
from types import ModuleType

from auditor.scan.interface import Check, ProjectCheck


@lru_cache(maxsize=1)
def _packages() -> tuple[tuple[ModuleType, frozenset[str] | None], ...]:
    import auditor.scan.checks as root

    found = []
    for info in pkgutil.iter_modules(root.__path__, root.__name__ + "."):
        module = importlib.import_module(info.name)
        langs = getattr(module, "LANGUAGES", None)
        found.append((module, frozenset(langs) if langs is not None else None))
    return tuple(found)


@cache
def _checks_in(package_name: str) -> tuple[tuple[Check, ...], tuple[ProjectCheck, ...]]:
    package = importlib.import_module(package_name)
    modules = [package]
    if hasattr(package, "__path__"):
        modules += [importlib.import_module(m.name)
                    for m in pkgutil.walk_packages(package.__path__, package_name + ".")]
    file_checks: list[Check] = []
    project_checks: list[ProjectCheck] = []
    for module in modules:
        for check in getattr(module, "CHECKS", ()):
            (project_checks if isinstance(check, ProjectCheck) else file_checks).append(check)
    return tuple(file_checks), tuple(project_checks)


def all_checks() -> tuple[tuple[Check, ...], tuple[ProjectCheck, ...]]:
    """Every file check and every project check, importing all check packages."""
    file_checks: list[Check] = []
    project_checks: list[ProjectCheck] = []
    for package, _ in _packages():
        fc, pc = _checks_in(package.__name__)
        file_checks.extend(fc)
        project_checks.extend(pc)
    return tuple(file_checks), tuple(project_checks)


@cache
def checks_for(language: str | None) -> tuple[Check, ...]:
    """File checks that run on `language` (JS checks also run on TS/TSX)."""
    from auditor.scan.languages import FAMILY

    if language is None:
        return ()
    family = FAMILY.get(language, language)
    out: list[Check] = []
    for package, langs in _packages():
        if langs is not None and language not in langs and family not in langs:
            continue
        out.extend(c for c in _checks_in(package.__name__)[0]
                   if language in c.languages or family in c.languages)
    return tuple(out)


def known_detectors() -> set[str]:
    file_checks, project_checks = all_checks()
    return {d for c in (*file_checks, *project_checks) for d in c.detectors}

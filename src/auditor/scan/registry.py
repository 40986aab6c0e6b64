"""Discovers the checks: every module under auditor.scan.checks that defines `CHECKS`."""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

from auditor.scan.interface import Check, ProjectCheck


@lru_cache(maxsize=1)
def all_checks() -> tuple[tuple[Check, ...], tuple[ProjectCheck, ...]]:
    import auditor.scan.checks as pkg

    file_checks: list[Check] = []
    project_checks: list[ProjectCheck] = []
    for mod in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + "."):
        module = importlib.import_module(mod.name)
        for check in getattr(module, "CHECKS", ()):
            (project_checks if isinstance(check, ProjectCheck) else file_checks).append(check)
    return tuple(file_checks), tuple(project_checks)


def checks_for(language: str | None) -> list[Check]:
    """File checks that run on `language` (JS checks also run on TS/TSX)."""
    from auditor.scan.languages import FAMILY

    if language is None:
        return []
    family = FAMILY.get(language, language)
    return [c for c in all_checks()[0] if language in c.languages or family in c.languages]


def known_detectors() -> set[str]:
    file_checks, project_checks = all_checks()
    return {d for c in (*file_checks, *project_checks) for d in c.detectors}

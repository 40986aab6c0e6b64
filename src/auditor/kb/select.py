"""Which rules apply to a detected stack (the `applies` predicate)."""

from __future__ import annotations

from auditor.kb.model import Applies
from auditor.stack.model import SubProject


def _version_ok(spec: str, version: str | None) -> bool:
    if not version:
        return True  # unknown version: keep the rule rather than stay silent
    # imported here: only rules with version ranges need it, and it costs ~20 ms at start-up
    from packaging.specifiers import InvalidSpecifier, SpecifierSet
    from packaging.version import InvalidVersion, Version

    try:
        return Version(version.lstrip("v^~=")) in SpecifierSet(spec)
    except (InvalidVersion, InvalidSpecifier):
        return True


def applies_to(applies: Applies, project: SubProject) -> bool:
    """True when the stack matches every non-empty condition of `applies`."""
    ids = project.ids()
    if applies.frameworks and not ids.intersection(applies.frameworks):
        return False
    if applies.any_library and not ids.intersection(applies.any_library):
        return False
    if applies.all_libraries and not ids.issuperset(applies.all_libraries):
        return False
    if applies.languages and not project.languages.intersection(applies.languages):
        return False
    if applies.unless_libraries and ids.intersection(applies.unless_libraries):
        return False
    for vr in applies.versions:
        if vr.component in ids and not _version_ok(vr.spec, project.version_of(vr.component)):
            return False
    return True

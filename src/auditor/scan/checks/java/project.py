"""Project-level Spring checks: facts that only hold across files.

`java.project.method-security`: @PreAuthorize/@PostAuthorize/@Secured are silently ignored
unless some configuration class enables method security (@EnableMethodSecurity, or the
pre-6 @EnableGlobalMethodSecurity). A project that annotates handlers but enables it
nowhere has no method-level authorization at all, though the code reads as if it had.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from auditor.scan.interface import Hit, ProjectCheck, SourceFile
from auditor.stack.model import SubProject

_METHOD_AUTHZ = re.compile(r"@(PreAuthorize|PostAuthorize|Secured|RolesAllowed|PreFilter|PostFilter)\b")
_ENABLED = re.compile(r"@Enable(?:Method|GlobalMethod|ReactiveMethod)Security\b")


class MethodSecurityCheck(ProjectCheck):
    detectors = ("java.project.method-security",)

    def run(self, project: SubProject, files: list[SourceFile]) -> Iterable[Hit]:
        java = [f for f in files if f.language == "java"]
        if not java or any(_ENABLED.search(f.text) for f in java):
            return []
        for f in java:
            m = _METHOD_AUTHZ.search(f.text)
            if m is None:
                continue
            line = f.text.count("\n", 0, m.start()) + 1
            return [Hit("java.project.method-security", line, m.start() - f.text.rfind("\n", 0, m.start()),
                        message=f"@{m.group(1)} has no effect: no @EnableMethodSecurity anywhere in the project",
                        rule_id="spring.security.method-security", path=f.path)]
        return []


CHECKS = [MethodSecurityCheck()]

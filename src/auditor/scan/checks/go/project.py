"""Project-level Go check: login routes in an app that has no rate limiter anywhere (no
golang.org/x/time/rate, ulule/limiter or tollbooth dependency, no limiter middleware in
any file). The per-file check defers to this one when the stack is known."""

from __future__ import annotations

from collections.abc import Iterable

from auditor.scan.checks.go.patterns import LIMITER_WORDS, login_routes_without_limiter
from auditor.scan.interface import Hit, ProjectCheck, SourceFile
from auditor.stack.model import SubProject


class GoLoginThrottleProjectCheck(ProjectCheck):
    detectors = ("go.pattern.login-rate-limit",)

    def run(self, project: SubProject, files: list[SourceFile]) -> Iterable[Hit]:
        ids = project.ids()
        if not ids & {"gin", "echo", "net-http"} or "go-rate" in ids:
            return []
        go_files = [f for f in files if f.language == "go"]
        if any(LIMITER_WORDS.search(f.text) for f in go_files):
            return []
        hits: list[Hit] = []
        for f in go_files:
            for h in login_routes_without_limiter(f, False):
                hits.append(Hit(h.detector, h.line, h.column, h.end_line, h.message, path=f.path))
        return hits


CHECKS = [GoLoginThrottleProjectCheck()]

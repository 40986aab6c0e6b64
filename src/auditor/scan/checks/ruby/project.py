"""Project-level Rails check: a Devise login (routes `devise_for`) with no throttle
anywhere in the app, neither the rack-attack gem nor Rails' own `rate_limit`."""

from __future__ import annotations

import re
from collections.abc import Iterable

from auditor.scan.interface import Hit, ProjectCheck, SourceFile
from auditor.stack.model import SubProject

DEVISE_FOR = re.compile(r"^\s*devise_for\b", re.M)
THROTTLE = re.compile(r"Rack::Attack|\brate_limit\b|\bthrottle\b")


class RailsLoginThrottleProjectCheck(ProjectCheck):
    detectors = ("rb.project.login-rate-limit",)

    def run(self, project: SubProject, files: list[SourceFile]) -> Iterable[Hit]:
        ids = project.ids()
        if "rails" not in ids or "rack-attack" in ids:
            return []
        ruby = [f for f in files if f.language == "ruby"]
        if any(THROTTLE.search(f.text) for f in ruby):
            return []
        for f in ruby:
            if f.path.endswith("config/routes.rb"):
                m = DEVISE_FOR.search(f.text)
                if m:
                    line = f.text.count("\n", 0, m.start()) + 1
                    return [Hit("rb.project.login-rate-limit", line, 1, 0,
                                "Devise sign-in has no throttle: add rack-attack (throttle POST /users/sign_in by IP "
                                "and email) or `rate_limit` on the sessions controller", path=f.path)]
        return []


CHECKS = [RailsLoginThrottleProjectCheck()]

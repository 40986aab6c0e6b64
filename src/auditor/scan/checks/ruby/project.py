"""Project-level Rails checks: a Devise login (routes `devise_for`) with no throttle
anywhere in the app, neither the rack-attack gem nor Rails' own `rate_limit`; and an app
older than Rails 5.2 (by its lockfile or `load_defaults`) whose ApplicationController never
turns CSRF protection on. Both are facts about the whole app, never about one file."""

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


FORGERY_ON = re.compile(r"^\s*protect_from_forgery\b", re.M)
LOAD_DEFAULTS = re.compile(r"^\s*config\.load_defaults\s+['\"]?(\d+)\.(\d+)", re.M)
DEFAULT_ON = re.compile(r"default_protect_from_forgery\s*=\s*true")
DEFAULT_OFF = re.compile(r"^\s*(?:Rails\.application\.)?config\.action_controller\.default_protect_from_forgery\s*=\s*false\b", re.M)
OTHER_BASE = re.compile(r"^\s*class\s+((?:\w+::)*\w+)\s*<\s*(?:::)?ActionController::Base\b", re.M)
BASE_CONTROLLER = re.compile(r"^\s*class\s+ApplicationController\s*<\s*ActionController::Base\b", re.M)


def _version(project: SubProject, component: str) -> tuple[int, int] | None:
    for c in project.components:
        if c.id == component and c.version:
            m = re.match(r"\D*(\d+)(?:\.(\d+))?", c.version)
            if m:
                return int(m.group(1)), int(m.group(2) or 0)
    return None


class RailsForgeryProtectionProjectCheck(ProjectCheck):
    """Before Rails 5.2 (`default_protect_from_forgery`), CSRF checks run only where a
    controller calls `protect_from_forgery`: an ApplicationController that does not leaves
    every form of the app open to forged requests."""

    detectors = ("rb.project.csrf",)

    def run(self, project: SubProject, files: list[SourceFile]) -> Iterable[Hit]:
        if "rails" not in project.ids():
            return []
        ruby = [f for f in files if f.language == "ruby"]
        version = _version(project, "rails")
        for f in ruby:
            if f.path.endswith("config/application.rb"):
                m = LOAD_DEFAULTS.search(f.text)
                if m:
                    version = (int(m.group(1)), int(m.group(2)))
        off = next(((f, m) for f in ruby if "default_protect" in f.text and (m := DEFAULT_OFF.search(f.text))), None)
        if off is not None and version is not None and version >= (5, 2):
            # Rails 5.2+ protects every controller by default; this switch turns it off.
            if any(FORGERY_ON.search(f.text) for f in ruby if "protect_from_forgery" in f.text):
                return []
            f, m = off
            return [Hit("rb.project.csrf", f.text.count("\n", 0, m.start()) + 1, 1, 0,
                        "`default_protect_from_forgery = false` turns CSRF protection off, and no controller calls "
                        "`protect_from_forgery`: forms accept forged requests", path=f.path)]
        if version is None or version >= (5, 2) or any(DEFAULT_ON.search(f.text) for f in ruby if "default_protect" in f.text):
            return []
        if any(FORGERY_ON.search(f.text) for f in ruby if "protect_from_forgery" in f.text):
            return self._other_bases(ruby)
        for f in ruby:
            if f.path.endswith("app/controllers/application_controller.rb"):
                m = BASE_CONTROLLER.search(f.text)
                if m:
                    line = f.text.count("\n", 0, m.start()) + 1
                    return [Hit("rb.project.csrf", line, 1, 0,
                                f"Rails {version[0]}.{version[1]} checks CSRF tokens only where `protect_from_forgery` "
                                "is called, and no controller calls it: add `protect_from_forgery with: :exception` "
                                "to ApplicationController", path=f.path)]
        return []

    @staticmethod
    def _other_bases(ruby: list[SourceFile]) -> list[Hit]:
        """Other controllers that derive from ActionController::Base themselves (an engine's base
        controller, a second root) and do not call `protect_from_forgery`: ApplicationController's
        call does not reach them."""
        hits = []
        for f in ruby:
            if "ActionController::Base" not in f.text or "/controllers/" not in f"/{f.path}":
                continue
            for m in OTHER_BASE.finditer(f.text):
                name = m.group(1)
                if name == "ApplicationController" and f.path.endswith("app/controllers/application_controller.rb"):
                    continue
                if name.startswith(("Api", "API")) or "/api/" in f"/{f.path}" or FORGERY_ON.search(f.text) \
                        or "skip_forgery_protection" in f.text:
                    continue
                line = f.text.count("\n", 0, m.start()) + 1
                hits.append(Hit("rb.project.csrf", line, 1, 0,
                                f"{name} derives from ActionController::Base, not ApplicationController, and does not "
                                "call `protect_from_forgery`: before Rails 5.2 its actions accept forged requests",
                                path=f.path))
        return hits


CHECKS = [RailsLoginThrottleProjectCheck(), RailsForgeryProtectionProjectCheck()]

"""Rails configuration checks: production environment switches, hard-coded
secret_key_base, Devise initializer strength, rack-cors origins with credentials, and
Devise models without lockout. These are about a few well-known files and lines, so
they work on the text (anchored regexes) rather than the tree."""

from __future__ import annotations

import re
from collections.abc import Iterable

from auditor.findings import Severity
from auditor.scan.interface import Check, Hit, SourceFile

CONSIDER_LOCAL = re.compile(r"^\s*config\.consider_all_requests_local\s*=\s*true\b", re.M)
FORCE_SSL = re.compile(r"^\s*config\.force_ssl\s*=\s*(true|false)\b", re.M)
FORGERY_OFF = re.compile(r"^\s*config\.action_controller\.allow_forgery_protection\s*=\s*false\b", re.M)
SECRET_KEY_BASE_RB = re.compile(r"secret_key_base\s*=\s*(['\"])([^'\"#{}]{16,})\1")
SECRET_KEY_BASE_YML = re.compile(r"^\s*secret_key_base:\s*['\"]?([0-9a-fA-F]{30,})['\"]?\s*$", re.M)
PASSWORD_LENGTH = re.compile(r"^\s*config\.password_length\s*=\s*(\d+)\s*\.\.", re.M)
STRETCHES = re.compile(r"^\s*config\.stretches\s*=\s*(\d+)\s*$", re.M)
DEVISE_MODEL = re.compile(r"^\s*devise\s+:database_authenticatable\b(?:[^\n]*,[ \t]*\n)*[^\n]*", re.M)
CORS_ALLOW = re.compile(r"\ballow\s+do\b(.*?)\n\s*end\b", re.S)
CORS_ANY_ORIGIN = re.compile(r"origins\s*(?:\(\s*)?(?:['\"]\*['\"]|/\.\*/|/\.\+/|\{\s*\|[^|]*\|\s*true\s*\}|do\s*\|[^|]*\|\s*true\s*end)")
CORS_REFLECT = re.compile(r"origins\s*(?:\{|do)\s*\|\s*(\w+)[^|]*\|\s*\1\s*(?:\}|end)")


def _line(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _production(path: str) -> bool:
    return path.endswith("config/environments/production.rb") or path == "production.rb"


class RailsConfigCheck(Check):
    languages = frozenset({"ruby", "yaml"})
    detectors = ("rb.config.debug", "rb.config.force-ssl", "rb.config.csrf", "rb.config.secret-key-base",
                 "rb.config.devise", "rb.config.devise-lockable", "rb.config.cors")

    def run(self, src: SourceFile) -> Iterable[Hit]:
        t = src.text
        hits: list[Hit] = []
        if src.language == "yaml":
            if "secret_key_base" in t and src.path.endswith(("secrets.yml", "secrets.yaml")):
                hits.extend(Hit("rb.config.secret-key-base", _line(t, m.start()), 1, 0,
                                "secret_key_base is written in the repository: read it from credentials or ENV")
                            for m in SECRET_KEY_BASE_YML.finditer(t))
            return hits
        if _production(src.path):
            for m in CONSIDER_LOCAL.finditer(t):
                hits.append(Hit("rb.config.debug", _line(t, m.start()), 1, 0,
                                "Production shows full error pages with stack traces to every visitor"))
            ssl = list(FORCE_SSL.finditer(t))
            for m in ssl:
                if m.group(1) == "false":
                    hits.append(Hit("rb.config.force-ssl", _line(t, m.start()), 1, 0,
                                    "force_ssl is off in production: cookies and sessions travel over plain HTTP"))
            if not ssl and "configure" in t:
                hits.append(Hit("rb.config.force-ssl", _line(t, t.find("configure")), 1, 0,
                                "Production does not set `config.force_ssl = true` (HSTS, secure cookies, redirect)"))
        if "allow_forgery_protection" in t and "/environments/test" not in src.path:
            hits.extend(Hit("rb.config.csrf", _line(t, m.start()), 1, 0, "CSRF protection is disabled in configuration")
                        for m in FORGERY_OFF.finditer(t))
        if "secret_key_base" in t:
            hits.extend(Hit("rb.config.secret-key-base", _line(t, m.start()), 1, 0,
                            "secret_key_base is a literal: anyone with the code can forge sessions and signed cookies")
                        for m in SECRET_KEY_BASE_RB.finditer(t))
        if "Devise.setup" in t:
            hits.extend(self._devise(t))
        if "devise" in t and ":database_authenticatable" in t and "/models/" in f"/{src.path}":
            for m in DEVISE_MODEL.finditer(t):
                if ":lockable" not in m.group(0):
                    hits.append(Hit("rb.config.devise-lockable", _line(t, m.start()), 1, 0,
                                    "Devise model without :lockable: add it (and throttle logins) against password guessing",
                                    severity=Severity.LOW))
        if "origins" in t and "credentials" in t:
            hits.extend(self._cors(t))
        return hits

    def _devise(self, t: str) -> Iterable[Hit]:
        for m in PASSWORD_LENGTH.finditer(t):
            if int(m.group(1)) < 8:
                yield Hit("rb.config.devise", _line(t, m.start()), 1, 0,
                          f"Devise accepts {m.group(1)}-character passwords: require at least 12 (`password_length = 12..128`)")
        for m in STRETCHES.finditer(t):
            if int(m.group(1)) < 10:
                yield Hit("rb.config.devise", _line(t, m.start()), 1, 0,
                          "bcrypt cost below 10 outside tests: keep `Rails.env.test? ? 1 : 12`")

    def _cors(self, t: str) -> Iterable[Hit]:
        for block in CORS_ALLOW.finditer(t):
            body = block.group(1)
            if not re.search(r"credentials:\s*true", body):
                continue
            m = CORS_ANY_ORIGIN.search(body) or CORS_REFLECT.search(body)
            if m:
                yield Hit("rb.config.cors", _line(t, block.start(1) + m.start()), 1, 0,
                          "CORS allows any origin with credentials: list the trusted origins explicitly")


CHECKS = [RailsConfigCheck()]

"""Spring Boot configuration files: application*.properties / application*.yml (and bootstrap*).

These files have no grammar; both forms are flattened to (line, dotted key, value) with
Spring's relaxed binding folded away (`include-stacktrace`, `includeStacktrace` and
`include_stacktrace` compare equal). Other YAML files are not Spring config and are skipped.
Settings in a test/dev/local profile file are reported at low severity: they matter only if
that profile reaches production.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

from auditor.findings import Severity
from auditor.scan.interface import Check, Hit, SourceFile

_DEV_PROFILE = re.compile(r"(?i)^(?:application|bootstrap)-(?:test|tests|dev|develop|development|local|it|e2e|h2|demo)\b")
_PLACEHOLDER_ONLY = re.compile(r"^\$\{[^}:]+(?::)?\}$")
_DEFAULTED = re.compile(r"^\$\{[^}:]+:(.+)\}$")
_SECRET_LEAF = frozenset({"password", "secret", "clientsecret", "jwtsecret", "secretkey", "signingkey", "apikey",
                          "privatekey", "token", "accesskey"})
_SENSITIVE_ENDPOINTS = frozenset({"*", "env", "heapdump", "threaddump", "shutdown", "jolokia", "configprops",
                                  "logfile", "httpexchanges", "httptrace", "sessions"})
_MINOR_ENDPOINTS = frozenset({"beans", "mappings", "loggers", "conditions", "scheduledtasks", "caches", "startup",
                              "flyway", "liquibase", "auditevents", "integrationgraph"})
_URL_CREDENTIALS = re.compile(r"://[^/:@\s]+:([^@/\s$]{3,})@|[?&;]password=([^&;\s$]{3,})")


@dataclass(frozen=True)
class Setting:
    line: int
    key: str  # dotted, as written
    value: str

    @property
    def norm(self) -> str:
        """Relaxed-binding form: lower case, no dashes or underscores."""
        return re.sub(r"[-_]", "", self.key.lower())

    @property
    def leaf(self) -> str:
        return self.norm.rsplit(".", 1)[-1]


def is_spring_config(path: str) -> bool:
    name = PurePosixPath(path).name.lower()
    return name.startswith(("application", "bootstrap")) and name.endswith((".properties", ".yml", ".yaml"))


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def parse_properties(text: str) -> list[Setting]:
    out: list[Setting] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        start = i
        line = lines[i].strip()
        while line.endswith("\\") and i + 1 < len(lines):  # continuation lines
            i += 1
            line = line[:-1] + lines[i].strip()
        i += 1
        if not line or line[0] in "#!":
            continue
        m = re.match(r"^((?:[^=:\s\\]|\\.)+)\s*[=:\s]\s*(.*)$", line)
        if m:
            out.append(Setting(start + 1, m.group(1), m.group(2).strip()))
    return out


def parse_yaml(text: str) -> list[Setting]:
    """A line-based flattener for Spring-style YAML: nested maps, scalar values, block and
    flow lists. It never fails: lines it does not understand are skipped."""
    out: list[Setting] = []
    stack: list[tuple[int, str]] = []
    for no, raw in enumerate(text.splitlines(), start=1):
        if raw.strip() == "---":
            stack = []
            continue
        line = re.sub(r"\s+#.*$", "", raw.rstrip()) if "#" in raw else raw.rstrip()
        stripped = line.lstrip()
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(line) - len(stripped)
        if stripped.startswith("- "):
            while stack and stack[-1][0] > indent:
                stack.pop()
            if stack:
                item = stripped[2:].strip()
                if ":" not in item or item.startswith(("'", '"')):
                    out.append(Setting(no, ".".join(k for _, k in stack), _unquote(item)))
            continue
        m = re.match(r"^(\"[^\"]+\"|'[^']+'|[^:]+?)\s*:(?:\s+(.*))?$", stripped)
        if not m:
            continue
        while stack and stack[-1][0] >= indent:
            stack.pop()
        key = _unquote(m.group(1))
        value = (m.group(2) or "").strip()
        if value and value not in ("|", ">", "|-", ">-"):
            path = ".".join([*(k for _, k in stack), key])
            if value.startswith("[") and value.endswith("]"):
                value = ",".join(_unquote(v) for v in value[1:-1].split(","))
            out.append(Setting(no, path, _unquote(value)))
        else:
            stack.append((indent, key))
    return out


def settings(src: SourceFile) -> list[Setting]:
    return parse_properties(src.text) if src.language == "properties" else parse_yaml(src.text)


def _secret_literal(value: str) -> str | None:
    """The literal secret a value holds (a placeholder's default counts), else None."""
    value = value.strip()
    if not value or _PLACEHOLDER_ONLY.match(value):
        return None
    m = _DEFAULTED.match(value)
    if m:
        value = m.group(1).strip()
    if value.startswith("${") or not value:
        return None
    return value


def check_settings(items: list[Setting], dev_profile: bool) -> Iterator[Hit]:
    low = Severity.LOW if dev_profile else None
    exposure: list[Setting] = []
    for s in items:
        key, leaf, value = s.norm, s.leaf, s.value.strip()
        lvalue = value.lower()
        if key == "management.endpoints.web.exposure.include":
            exposure.append(s)
        elif key in ("management.endpoint.env.showvalues", "management.endpoint.configprops.showvalues") \
                and lvalue == "always":
            yield Hit("spring.config.actuator-exposure", s.line, message="Actuator shows unmasked property values: "
                      "use show-values=when-authorized with a role", severity=low)
        elif key in ("management.endpoint.shutdown.enabled", "management.endpoint.shutdown.access") \
                and lvalue in ("true", "unrestricted"):
            yield Hit("spring.config.actuator-exposure", s.line, message="the shutdown endpoint is enabled", severity=low)
        elif key == "management.security.enabled" and lvalue == "false":
            yield Hit("spring.config.actuator-exposure", s.line, message="Actuator security switched off", severity=low)
        elif key in ("server.error.includestacktrace", "server.error.includemessage", "server.error.includeexception",
                     "server.error.includebindingerrors") and lvalue in ("always", "true", "onparam", "on-param", "on_param"):
            minor = key.endswith(("bindingerrors", "includemessage"))
            yield Hit("spring.config.error-details", s.line,
                      message=f"{s.key}={value} sends internals to clients: leave it at the default (never)",
                      severity=Severity.LOW if dev_profile or minor else None)
        elif (key == "debug" and lvalue == "true") or (
                key.startswith("logging.level.org.springframework.security") and lvalue in ("debug", "trace")):
            yield Hit("spring.config.error-details", s.line, message="debug logging of security internals",
                      severity=Severity.LOW)
        elif key == "spring.h2.console.enabled" and lvalue == "true":
            yield Hit("spring.config.h2-console", s.line, message="the H2 web console is enabled: it runs SQL (and code) "
                      "for whoever reaches it; keep it off outside local dev", severity=low)
        elif key == "spring.h2.console.settings.weballowothers" and lvalue == "true":
            yield Hit("spring.config.h2-console", s.line, message="the H2 console accepts remote connections")
        elif key in ("server.servlet.session.cookie.secure", "server.servlet.session.cookie.httponly",
                     "server.reactive.session.cookie.secure", "server.reactive.session.cookie.httponly") and lvalue == "false":
            yield Hit("spring.config.cookie-insecure", s.line, message=f"{s.key}=false weakens the session cookie",
                      severity=low)
        elif key in ("spring.datasource.url", "spring.data.mongodb.uri", "spring.r2dbc.url", "spring.data.redis.url",
                     "spring.rabbitmq.addresses") and _URL_CREDENTIALS.search(value):
            yield Hit("spring.config.hardcoded-password", s.line,
                      message="credentials written into a connection URL: use ${ENV_VAR} placeholders", severity=low)
        elif leaf in _SECRET_LEAF or leaf.endswith(("password", "clientsecret", "secretkey")):
            if not (key.startswith("spring.") or re.search(r"jwt|security|auth|token|oauth|datasource|mail|db", key)):
                continue
            literal = _secret_literal(value)
            if literal is not None:
                yield Hit("spring.config.hardcoded-password", s.line,
                          message=f"{s.key} holds a literal secret: use ${{ENV_VAR}} without a default, or a vault",
                          severity=low)
    for s in exposure:
        endpoints = {e.strip().lower() for e in s.value.split(",") if e.strip()}
        if endpoints & _SENSITIVE_ENDPOINTS:
            yield Hit("spring.config.actuator-exposure", s.line, message="sensitive Actuator endpoints are exposed over "
                      "HTTP: expose health,info only and secure the rest", severity=low)
        elif endpoints & _MINOR_ENDPOINTS:
            yield Hit("spring.config.actuator-exposure", s.line, message="internal Actuator endpoints are exposed over HTTP",
                      severity=Severity.MEDIUM if not dev_profile else Severity.LOW)


class SpringConfigCheck(Check):
    """Risky settings in Spring Boot application/bootstrap config files."""

    languages = frozenset({"properties", "yaml"})
    detectors = ("spring.config.actuator-exposure", "spring.config.error-details", "spring.config.h2-console",
                 "spring.config.cookie-insecure", "spring.config.hardcoded-password")

    def run(self, src: SourceFile) -> Iterable[Hit]:
        if not is_spring_config(src.path) or not src.text.strip():
            return []
        dev = bool(_DEV_PROFILE.match(PurePosixPath(src.path).name))
        return list(check_settings(settings(src), dev))


CHECKS = [SpringConfigCheck()]

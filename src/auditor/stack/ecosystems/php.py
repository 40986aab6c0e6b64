"""PHP: composer.json and composer.lock."""

from __future__ import annotations

import json
import re

from auditor.stack.ecosystems.base import (
    LineIndex,
    LockIndex,
    ManifestError,
    ParseContext,
    ParsedFile,
    is_exact_semver,
)
from auditor.stack.model import Dependency, StackComponent

ECOSYSTEM = "packagist"
_PLATFORM = re.compile(r"^(php|hhvm|ext-.*|lib-.*|composer-plugin-api|composer-runtime-api|composer)$", re.I)
_SECTION_KEY = {name: re.compile(rf'"{name}"\s*:\s*\{{') for name in ("require", "require-dev")}


def _load(text: str) -> dict:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ManifestError(f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
    if not isinstance(data, dict):
        raise ManifestError("invalid composer file: top level is not an object")
    return data


def parse_composer_json(text: str, path: str, ctx: ParseContext) -> ParsedFile:
    data = _load(text)
    lines = LineIndex(text)
    out = ParsedFile()
    for section, dev in (("require", False), ("require-dev", True)):
        block = data.get(section) or {}
        if not isinstance(block, dict):
            raise ManifestError(f"invalid composer.json: {section} is not an object")
        m = _SECTION_KEY[section].search(text)
        start = m.end() if m else 0
        for name, spec in block.items():
            if _PLATFORM.match(name):
                continue  # the PHP runtime and its extensions, not packages
            if not isinstance(spec, str):
                raise ManifestError(f"invalid composer.json: {section}.{name} is not a string")
            out.dependencies.append(
                Dependency(name=name, ecosystem=ECOSYSTEM, path=path, line=lines.line_of(json.dumps(name), start),
                           spec=spec, version=spec.lstrip("=v ") if is_exact_semver(spec) else None, dev=dev)
            )
    out.components.append(StackComponent("php", "language", None, path))
    return out


def parse_composer_lock(text: str, path: str, ctx: ParseContext) -> ParsedFile:
    data = _load(text)
    lines = LineIndex(text)
    out = ParsedFile(lock=LockIndex())
    assert out.lock is not None
    pos = 0
    for section, dev in (("packages", False), ("packages-dev", True)):
        packages = data.get(section) or []
        if not isinstance(packages, list):
            raise ManifestError(f"invalid composer.lock: {section} is not a list")
        for pkg in packages:
            if not isinstance(pkg, dict) or not isinstance(pkg.get("name"), str):
                continue
            version = str(pkg.get("version", "")).removeprefix("v")
            if not version or version.startswith("dev-"):
                continue  # a branch checkout, not a release
            hit = lines.find(f'"name": {json.dumps(pkg["name"])}', pos)
            if hit >= 0:
                pos = hit
            out.lock.pin(pkg["name"], version)
            out.dependencies.append(
                Dependency(name=pkg["name"], ecosystem=ECOSYSTEM, path=path, line=lines.line_at(hit) if hit >= 0 else 0,
                           version=version, direct=False, dev=dev)
            )
    return out

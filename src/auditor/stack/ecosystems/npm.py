"""npm: package.json, package-lock.json (v1-v3), yarn.lock (classic and Berry), pnpm-lock.yaml.

Lockfiles are read for what detection needs (name, version, dev) by a JSON parse where the
format is JSON (the C parser is fast) and by line scanning for yarn and pnpm, whose full
YAML-ish parse would cost far more than the rest of detection together.
"""

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
from auditor.stack.model import Dependency

ECOSYSTEM = "npm"
# Order matters: a name in several sections is reported once, from the first.
SECTIONS = (
    ("dependencies", False),
    ("optionalDependencies", False),
    ("peerDependencies", False),
    ("devDependencies", True),
)
_SECTION_KEY = {name: re.compile(rf'"{name}"\s*:\s*\{{') for name, _ in SECTIONS}


def _load_json(text: str, what: str) -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ManifestError(f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
    except RecursionError:
        raise ManifestError(f"invalid {what}: nested too deeply") from None


def _real_name(name: str, spec: str) -> tuple[str, str]:
    """`"foo": "npm:bar@^1.0"` installs bar: the registry name is bar, the spec ^1.0."""
    if spec.startswith("npm:"):
        target = spec[4:]
        at = target.rfind("@")
        if at > 0:
            return target[:at], target[at + 1:]
        return target, "*"
    return name, spec


def parse_package_json(text: str, path: str, ctx: ParseContext) -> ParsedFile:
    data = _load_json(text, "package.json")
    if not isinstance(data, dict):
        raise ManifestError("invalid package.json: top level is not an object")
    lines = LineIndex(text)
    out = ParsedFile()
    seen: set[str] = set()
    for section, dev in SECTIONS:
        block = data.get(section)
        if block is None:
            continue
        if not isinstance(block, dict):
            raise ManifestError(f"invalid package.json: {section} is not an object")
        m = _SECTION_KEY[section].search(text)
        start = m.end() if m else 0
        end = text.find("}", start) if m else None
        for key, spec in block.items():
            if not isinstance(spec, str):
                raise ManifestError(f"invalid package.json: {section}.{key} is not a string")
            if key in seen:
                continue
            seen.add(key)
            name, real_spec = _real_name(key, spec.strip())
            out.dependencies.append(
                Dependency(
                    name=name,
                    ecosystem=ECOSYSTEM,
                    path=path,
                    line=lines.line_of(json.dumps(key), start, end if end and end > 0 else None),
                    spec=real_spec,
                    version=real_spec.lstrip("=").strip().lstrip("v") if is_exact_semver(real_spec) else None,
                    dev=dev,
                )
            )
    return out


def _name_from_lock_key(key: str) -> tuple[str, str] | None:
    """"apps/web/node_modules/@a/b" -> ("apps/web", "@a/b"). A nested copy keeps its
    prefix ("node_modules/x" for "node_modules/x/node_modules/y"); None for a workspace's
    own entry, which is not an installed package."""
    idx = key.rfind("node_modules/")
    if idx < 0:
        return None
    name = key[idx + len("node_modules/"):]
    prefix = key[:idx].rstrip("/")
    return prefix, name


def parse_package_lock(text: str, path: str, ctx: ParseContext) -> ParsedFile:
    data = _load_json(text, "package-lock.json")
    if not isinstance(data, dict):
        raise ManifestError("invalid package-lock.json: top level is not an object")
    lines = LineIndex(text)
    out = ParsedFile(lock=LockIndex())
    assert out.lock is not None
    packages = data.get("packages")
    if isinstance(packages, dict):  # lockfileVersion 2 and 3
        pos = 0
        for key, meta in packages.items():
            if not key or not isinstance(meta, dict) or meta.get("link"):
                continue
            split = _name_from_lock_key(key)
            version = meta.get("version")
            if split is None or not isinstance(version, str):
                continue  # a workspace package itself, not an installed one
            prefix, alias = split
            name = meta.get("name") if isinstance(meta.get("name"), str) else alias
            hit = lines.find(f'"{key}"', pos)  # npm names and paths need no JSON escaping
            if hit >= 0:
                pos = hit
            if "node_modules/" not in prefix:  # placed at a workspace's top: what it resolves to
                workspace = prefix or "."
                out.lock.pin(alias, version, workspace)
                if name != alias:
                    out.lock.pin(name, version, workspace)
            out.dependencies.append(
                Dependency(name=name, ecosystem=ECOSYSTEM, path=path, line=lines.line_at(hit) if hit >= 0 else 0,
                           version=version, direct=False, dev=bool(meta.get("dev") or meta.get("devOptional")))
            )
        return out
    deps = data.get("dependencies")
    if isinstance(deps, dict):  # lockfileVersion 1: nested "dependencies"
        cursor = [0]

        def walk(tree: dict, top: bool) -> None:
            for name, meta in tree.items():
                if not isinstance(meta, dict):
                    continue
                version = meta.get("version")
                hit = lines.find(json.dumps(name) + ":", cursor[0])
                if hit >= 0:
                    cursor[0] = hit
                if isinstance(version, str) and not version.startswith(("file:", "git", "http")):
                    real, ver = _real_name(name, version)
                    if top:
                        out.lock.pin(name, ver)
                    out.dependencies.append(
                        Dependency(name=real, ecosystem=ECOSYSTEM, path=path,
                                   line=lines.line_at(hit) if hit >= 0 else 0,
                                   version=ver, direct=False, dev=bool(meta.get("dev")))
                    )
                nested = meta.get("dependencies")
                if isinstance(nested, dict):
                    walk(nested, False)

        walk(deps, True)
        return out
    raise ManifestError("invalid package-lock.json: neither `packages` nor `dependencies`")


def _split_spec(entry: str) -> tuple[str, str] | None:
    """`@babel/core@^7.0.0` -> (@babel/core, ^7.0.0); Berry's `next@npm:14.2.3` -> (next, 14.2.3)."""
    entry = entry.strip().strip('"')
    at = entry.find("@", 1)
    if at < 0:
        return None
    name, spec = entry[:at], entry[at + 1:]
    if spec.startswith("npm:"):
        spec = spec[4:]
        inner = spec.rfind("@")
        if inner > 0:  # an alias: `foo@npm:bar@1.0`
            name, spec = spec[:inner], spec[inner + 1:]
    return name, spec


_YARN_VERSION = re.compile(r'^\s+version:?\s+"?([^"\s]+)"?\s*$')


def parse_yarn_lock(text: str, path: str, ctx: ParseContext) -> ParsedFile:
    out = ParsedFile(lock=LockIndex())
    assert out.lock is not None
    header: list[tuple[str, str]] = []
    header_line = 0
    saw_entry = False
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line or line.startswith("#"):
            continue
        if not line[0].isspace():
            if not line.rstrip().endswith(":"):
                raise ManifestError(f"invalid yarn.lock: unexpected text on line {lineno}")
            header = []
            for entry in line.rstrip()[:-1].split(","):
                split = _split_spec(entry)
                if split and not split[1].startswith(("workspace:", "patch:", "link:", "portal:", "file:")):
                    header.append(split)
            header_line = lineno
            saw_entry = True
            continue
        if header:
            m = _YARN_VERSION.match(line)
            if m:
                version = m.group(1)
                for name, spec in header:
                    out.lock.by_spec[f"{name}@{spec}"] = version
                out.dependencies.append(
                    Dependency(name=header[0][0], ecosystem=ECOSYSTEM, path=path, line=header_line,
                               version=version, direct=False)
                )
                header = []
    if not saw_entry and text.strip():
        raise ManifestError("invalid yarn.lock: no entries")
    return out


def _pnpm_version(raw: str) -> str | None:
    """`14.2.3(react@18.3.1)` -> 14.2.3; `link:../lib` -> None (not from the registry)."""
    raw = raw.strip().strip("'\"")
    if raw.startswith(("link:", "file:", "workspace:")) or not raw:
        return None
    for stop in ("(", "_"):
        cut = raw.find(stop)
        if cut > 0:
            raw = raw[:cut]
    return raw


def _pnpm_package_key(key: str, slash_style: bool) -> tuple[str, str] | None:
    """Package keys: v9 `next@14.2.3`, v6 `/next@14.2.3(...)`, v5 `/next/14.2.3_peer`."""
    key = key.strip().strip("'\"").rstrip(":").strip("'\"")
    key = key.lstrip("/")
    cut = key.find("(")
    if cut > 0:
        key = key[:cut]
    if slash_style:
        parts = key.split("/")
        if len(parts) < 2:
            return None
        name, version = "/".join(parts[:-1]), parts[-1]
    else:
        at = key.rfind("@")
        if at <= 0:
            return None
        name, version = key[:at], key[at + 1:]
    version = _pnpm_version(version)
    if not version or not version[0].isdigit():
        return None
    return name, version


def parse_pnpm_lock(text: str, path: str, ctx: ParseContext) -> ParsedFile:
    out = ParsedFile(lock=LockIndex())
    assert out.lock is not None
    m = re.search(r"^lockfileVersion:\s*'?\"?([0-9.]+)", text, re.M)
    if not m:
        raise ManifestError("invalid pnpm-lock.yaml: no lockfileVersion")
    slash_style = int(m.group(1).split(".")[0]) < 6  # v5 keys are /name/version
    section = ""  # top-level key we are in
    importer = "."
    dep_kind = ""
    current_name: str | None = None
    dev_names: set[tuple[str, str]] = set()
    pkg_lines: dict[tuple[str, str], int] = {}
    last_pkg: tuple[str, str] | None = None
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        indent = len(line) - len(line.lstrip(" "))
        stripped = line.strip()
        if indent == 0:
            section = stripped.split(":", 1)[0]
            importer, dep_kind, current_name, last_pkg = ".", "", None, None
            if section in ("dependencies", "devDependencies", "optionalDependencies"):
                dep_kind = section  # pnpm < 7 without workspaces: one importer at the top
            continue
        if section == "importers":
            if indent == 2:
                importer = stripped.rstrip(":").strip("'\"") or "."
            elif indent == 4:
                dep_kind = stripped.rstrip(":")
            elif indent == 6 and dep_kind:
                key, _, rest = stripped.partition(":")
                current_name = key.strip("'\"")
                version = _pnpm_version(rest) if rest.strip() else None
                if version:
                    out.lock.pin(current_name, version, importer)
            elif indent == 8 and current_name and stripped.startswith("version:"):
                version = _pnpm_version(stripped[len("version:"):])
                if version:
                    out.lock.pin(current_name, version, importer)
        elif section in ("dependencies", "devDependencies", "optionalDependencies"):
            if indent == 2:
                key, _, rest = stripped.partition(":")
                current_name = key.strip("'\"")
                version = _pnpm_version(rest) if rest.strip() else None
                if version:
                    out.lock.pin(current_name, version)
            elif indent == 4 and current_name and stripped.startswith("version:"):
                version = _pnpm_version(stripped[len("version:"):])
                if version:
                    out.lock.pin(current_name, version)
        elif section == "packages":
            if indent == 2:
                last_pkg = _pnpm_package_key(stripped, slash_style)
                if last_pkg and last_pkg not in pkg_lines:
                    pkg_lines[last_pkg] = lineno
            elif indent == 4 and last_pkg and stripped == "dev: true":
                dev_names.add(last_pkg)
    for (name, version), lineno in pkg_lines.items():
        out.dependencies.append(
            Dependency(name=name, ecosystem=ECOSYSTEM, path=path, line=lineno, version=version,
                       direct=False, dev=(name, version) in dev_names)
        )
    return out

"""Gradle: build.gradle (Groovy) and build.gradle.kts (Kotlin), read as text.

A build script is a program; we do not run it. Declarations are read with patterns for the
usual forms: `implementation("g:a:v")`, `implementation group: 'g', name: 'a', version: 'v'`,
`implementation(platform("g:a:v"))`, `implementation(libs.some.alias)` through the version
catalog (gradle/libs.versions.toml), with `$var` / `${var}` filled from simple assignments in
the script and from gradle.properties. What a pattern cannot read is left out, not guessed.
"""

from __future__ import annotations

import re
import tomllib
from typing import Any

from auditor.stack.ecosystems.base import LineIndex, ManifestError, ParseContext, ParsedFile
from auditor.stack.model import Dependency, StackComponent

ECOSYSTEM = "maven"
BOOT_GROUP = "org.springframework.boot"
_CONF = (
    r"(?P<conf>[a-zA-Z]*(?:[Ii]mplementation|[Aa]pi|[Cc]ompileOnly|[Rr]untimeOnly)|compile|testCompile|runtime|"
    r"annotationProcessor|kapt|ksp|developmentOnly|classpath)"
)
_STRING_DEP = re.compile(
    _CONF + r"""\s*\(?\s*(?:(?:platform|enforcedPlatform)\s*\(\s*)?(?P<q>["'])(?P<coord>[^"'\s]+)(?P=q)""")
_MAP_DEP = re.compile(
    _CONF + r"""\s*\(?\s*group\s*[:=]\s*["'](?P<g>[^"']+)["']\s*,\s*name\s*[:=]\s*["'](?P<a>[^"']+)["']"""
    r"""(?:\s*,\s*version\s*[:=]\s*["'](?P<v>[^"']+)["'])?""")
_CATALOG_DEP = re.compile(
    _CONF + r"""\s*\(?\s*(?:(?:platform|enforcedPlatform)\s*\(\s*)?libs\.(?P<alias>[A-Za-z0-9_.]+)""")
_ASSIGN = re.compile(
    r"""^\s*(?:val|var|def|ext\.|extra\[["']|set\(["'])?\s*(?P<name>[A-Za-z_][\w.]*)["']?\]?\s*(?:=|,)\s*["'](?P<value>[^"'$]+)["']""",
    re.M)
_VAR = re.compile(r"""\$\{?(?:project\.)?(?:property\(["'])?([A-Za-z_][\w.]*)(?:["']\))?\}?""")
_BOOT_PLUGIN = re.compile(
    r"""(?:id\s*\(?\s*["']org\.springframework\.boot["']\s*\)?(?:\s*version\s*\(?\s*["'](?P<v>[^"']+)["'])?"""
    r"""|apply\s+plugin\s*:\s*["']org\.springframework\.boot["']|alias\s*\(\s*libs\.plugins\.(?P<alias>[\w.]+)\s*\))""")
_KOTLIN = re.compile(r"""kotlin\s*\(\s*["'][\w.]+["']\s*\)|id\s*\(?\s*["']org\.jetbrains\.kotlin\.""")
_BLOCK_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_LINE_COMMENT = re.compile(r"(?<![:\"'])//[^\n]*")


def _dev(conf: str) -> bool:
    lowered = conf.lower()
    return lowered.startswith("test") or conf in ("developmentOnly", "classpath") or "testfixtures" in lowered


def _strip_comments(text: str) -> str:
    """Comments out, line breaks kept (so offsets still give the right line)."""
    text = _BLOCK_COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    return _LINE_COMMENT.sub("", text)


def _properties(ctx: ParseContext, build_dir: str) -> dict[str, str]:
    """gradle.properties of the build's folder and its ancestors (nearest wins)."""
    found: dict[str, str] = {}
    parts = build_dir.split("/") if build_dir else []
    for depth in range(len(parts), -1, -1):
        rel = "/".join([*parts[:depth], "gradle.properties"])
        if not ctx.exists(rel):
            continue
        try:
            text = ctx.read(rel)
        except ManifestError:
            continue
        for line in text.splitlines():
            line = line.strip()
            if line and not line.startswith(("#", "!")) and "=" in line:
                key, _, value = line.partition("=")
                found.setdefault(key.strip(), value.strip())
    return found


def _catalog(ctx: ParseContext, build_dir: str) -> tuple[dict[str, Any], str | None]:
    """The nearest gradle/libs.versions.toml and its path (empty when there is none)."""
    parts = build_dir.split("/") if build_dir else []
    for depth in range(len(parts), -1, -1):
        rel = "/".join([*parts[:depth], "gradle", "libs.versions.toml"])
        if ctx.exists(rel):
            try:
                return tomllib.loads(ctx.read(rel)), rel
            except (ManifestError, tomllib.TOMLDecodeError) as exc:
                raise ManifestError(f"version catalog {rel}: {exc}") from None
    return {}, None


def _alias_key(alias: str) -> str:
    return re.sub(r"[-_.]", ".", alias).lower()


def _catalog_entry(catalog: dict[str, Any], table: str, alias: str) -> Any:
    entries = catalog.get(table) or {}
    wanted = _alias_key(alias)
    for key, value in entries.items():
        if _alias_key(key) == wanted:
            return value
    return None


def _catalog_version(catalog: dict[str, Any], value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        if "ref" in value:
            ref = (catalog.get("versions") or {}).get(value["ref"])
            return _catalog_version(catalog, ref)
        for key in ("strictly", "require", "prefer"):
            if isinstance(value.get(key), str):
                return value[key]
    return None


def _catalog_library(catalog: dict[str, Any], value: Any) -> tuple[str, str, str | None] | None:
    """A [libraries] entry -> (group, artifact, version)."""
    if isinstance(value, str):
        parts = value.split(":")
        return (parts[0], parts[1], parts[2] if len(parts) > 2 else None) if len(parts) >= 2 else None
    if not isinstance(value, dict):
        return None
    if isinstance(value.get("module"), str) and ":" in value["module"]:
        g, a = value["module"].split(":", 1)
    elif isinstance(value.get("group"), str) and isinstance(value.get("name"), str):
        g, a = value["group"], value["name"]
    else:
        return None
    version = value.get("version")
    if version is None and "version.ref" in value:  # dotted key read as a flat one by some writers
        version = {"ref": value["version.ref"]}
    return g, a, _catalog_version(catalog, version)


def _is_exact(version: str | None) -> bool:
    return bool(version) and not any(c in version for c in "[]()+,$") and not version.startswith("latest.")


def parse_gradle(text: str, path: str, ctx: ParseContext) -> ParsedFile:
    build_dir = path.rsplit("/", 1)[0] if "/" in path else ""
    code = _strip_comments(text)
    variables = _properties(ctx, build_dir)
    for m in _ASSIGN.finditer(code):
        variables[m.group("name").split(".")[-1]] = m.group("value")

    def fill(value: str) -> str:
        return _VAR.sub(lambda m: variables.get(m.group(1).split(".")[-1], m.group(0)), value)

    out = ParsedFile()
    catalog: dict[str, Any] = {}
    catalog_path: str | None = None
    if "libs." in code:
        catalog, catalog_path = _catalog(ctx, build_dir)
        if catalog_path:
            out.extra_files.append(catalog_path)

    boot_version: str | None = None
    boot_seen = False
    for m in _BOOT_PLUGIN.finditer(code):
        if m.group("alias"):
            plugin = _catalog_entry(catalog, "plugins", m.group("alias"))
            if not (isinstance(plugin, dict) and plugin.get("id") == BOOT_GROUP):
                continue
            boot_version = boot_version or _catalog_version(catalog, plugin.get("version"))
        boot_seen = True
        if m.group("v"):
            boot_version = fill(m.group("v"))
    classpath_boot = re.search(r"""spring-boot-gradle-plugin:([^"'\s)]+)""", code)
    if classpath_boot:
        boot_seen, boot_version = True, boot_version or fill(classpath_boot.group(1))

    lines = LineIndex(code)
    found: list[tuple[int, str, str, str, str | None]] = []  # (offset, conf, group, artifact, spec)
    for m in _STRING_DEP.finditer(code):
        coord = fill(m.group("coord")).split("@", 1)[0]
        parts = coord.split(":")
        if len(parts) < 2 or not parts[0] or not parts[1] or "/" in parts[0]:
            continue  # a file path or a project(":x") reference, not a module
        found.append((m.start(), m.group("conf"), parts[0], parts[1], parts[2] if len(parts) > 2 else None))
    for m in _MAP_DEP.finditer(code):
        found.append((m.start(), m.group("conf"), fill(m.group("g")), fill(m.group("a")),
                      fill(m.group("v")) if m.group("v") else None))
    for m in _CATALOG_DEP.finditer(code):
        alias = m.group("alias")
        if alias.startswith("bundles."):
            bundle = (catalog.get("bundles") or {}).get(alias[len("bundles."):]) or []
            for member in bundle if isinstance(bundle, list) else []:
                lib = _catalog_library(catalog, _catalog_entry(catalog, "libraries", member))
                if lib:
                    found.append((m.start(), m.group("conf"), *lib))
            continue
        if alias.startswith(("plugins.", "versions.")):
            continue
        lib = _catalog_library(catalog, _catalog_entry(catalog, "libraries", alias))
        if lib:
            found.append((m.start(), m.group("conf"), *lib))

    if boot_seen:
        out.components.append(StackComponent("spring-boot", "framework",
                                             boot_version if _is_exact(boot_version) else None, path))
    for offset, conf, group, artifact, spec in sorted(found, key=lambda f: f[0]):
        version = spec if _is_exact(spec) else None
        if spec is None and group == BOOT_GROUP and _is_exact(boot_version):
            version = boot_version  # the Boot plugin's dependency management pins its own artifacts
        out.dependencies.append(
            Dependency(name=f"{group}:{artifact}", ecosystem=ECOSYSTEM, path=path, line=lines.line_at(offset),
                       spec=spec, version=version, dev=_dev(conf))
        )
    if _KOTLIN.search(code):
        out.components.append(StackComponent("kotlin", "language", None, path))
    out.components.append(StackComponent("java", "language", None, path))
    return out


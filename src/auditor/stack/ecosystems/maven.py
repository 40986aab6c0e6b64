"""Maven: pom.xml, with its local parent chain, properties and `${}` interpolation.

Versions a pom leaves out come from `dependencyManagement` (its own or a local parent's)
or, for Spring Boot's own artifacts, from the Boot version the parent, an imported
spring-boot-dependencies BOM or the spring-boot-maven-plugin names: Boot's BOM pins every
`org.springframework.boot` artifact at the Boot version. Remote parents are not fetched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from auditor.stack.ecosystems.base import ManifestError, ParseContext, ParsedFile
from auditor.stack.ecosystems.xmltree import Element, parse_xml
from auditor.stack.model import Dependency, StackComponent

ECOSYSTEM = "maven"
BOOT_GROUP = "org.springframework.boot"
BOOT_PARENTS = frozenset({"spring-boot-starter-parent", "spring-boot-parent", "spring-boot-dependencies"})
_PROPERTY = re.compile(r"\$\{([^}]+)\}")
MAX_PARENTS = 8


@dataclass
class PomInfo:
    """What a pom passes to its children: properties, managed versions, the Boot version."""

    properties: dict[str, str] = field(default_factory=dict)
    managed: dict[str, str] = field(default_factory=dict)
    boot_version: str | None = None


def interpolate(value: str | None, props: dict[str, str]) -> str | None:
    """Replace `${name}` from `props`, nested up to a few levels; unknown names stay."""
    if value is None:
        return None
    for _ in range(5):
        new = _PROPERTY.sub(lambda m: props.get(m.group(1), m.group(0)), value)
        if new == value:
            break
        value = new
    return value.strip()


def _is_exact(version: str | None) -> bool:
    return bool(version) and "${" not in version and not version.startswith(("[", "(")) and "," not in version


def _root_project(text: str) -> Element:
    root = parse_xml(text)
    if root.tag != "project":
        raise ManifestError(f"invalid pom.xml: root element is <{root.tag}>, not <project>")
    return root


def _info(root: Element, path: str, ctx: ParseContext, depth: int) -> PomInfo:
    """The pom's PomInfo, inheriting from a parent pom found locally."""
    info = PomInfo()
    parent = root.child("parent")
    if parent is not None:
        pg, pa, pv = parent.text_of("groupId"), parent.text_of("artifactId"), parent.text_of("version")
        if pg == BOOT_GROUP and pa in BOOT_PARENTS and pv:
            info.boot_version = pv
        rel = parent.text_of("relativePath")
        if rel is None:
            rel = "../pom.xml"
        if rel and depth < MAX_PARENTS:
            base = path.rsplit("/", 1)[0] if "/" in path else ""
            target = ctx.resolve(f"{base}/{rel}" if base else rel)
            if target is not None and not target.endswith(".xml"):
                target = f"{target}/pom.xml" if target else "pom.xml"
            if target is not None and ctx.exists(target):
                try:
                    parent_root = _root_project(ctx.read(target))
                except ManifestError:
                    parent_root = None  # reported when the parent itself is detected
                if parent_root is not None and parent_root.text_of("artifactId") == pa:
                    inherited = _info(parent_root, target, ctx, depth + 1)
                    info.properties.update(inherited.properties)
                    info.managed.update(inherited.managed)
                    info.boot_version = info.boot_version or inherited.boot_version
        info.properties.update({
            "project.parent.version": pv or "", "parent.version": pv or "",
            "project.parent.groupId": pg or "",
        })
    own_group = root.text_of("groupId") or (parent.text_of("groupId") if parent is not None else None)
    own_version = root.text_of("version") or (parent.text_of("version") if parent is not None else None)
    info.properties.update({
        "project.groupId": own_group or "", "project.artifactId": root.text_of("artifactId") or "",
        "project.version": own_version or "", "version": own_version or "", "pom.version": own_version or "",
    })
    props = root.child("properties")
    if props is not None:
        for p in props.children:
            info.properties[p.tag] = p.text.strip()
    managed = root.path("dependencyManagement", "dependencies")
    if managed is not None:
        for dep in managed.all("dependency"):
            g = interpolate(dep.text_of("groupId"), info.properties)
            a = interpolate(dep.text_of("artifactId"), info.properties)
            v = interpolate(dep.text_of("version"), info.properties)
            if g == BOOT_GROUP and a == "spring-boot-dependencies" and v:
                info.boot_version = info.boot_version or v
            if g and a and v:
                info.managed[f"{g}:{a}"] = v
    if info.boot_version is None:
        for plugin in root.iter("plugin"):
            if plugin.text_of("artifactId") == "spring-boot-maven-plugin" and plugin.text_of("version"):
                info.boot_version = interpolate(plugin.text_of("version"), info.properties)
                break
    info.boot_version = interpolate(info.boot_version, info.properties)
    return info


def parse_pom(text: str, path: str, ctx: ParseContext) -> ParsedFile:
    root = _root_project(text)
    info = _info(root, path, ctx, 0)
    out = ParsedFile()
    if info.boot_version and "${" not in info.boot_version:
        out.components.append(StackComponent("spring-boot", "framework", info.boot_version, path))
    deps = root.child("dependencies")
    for dep in deps.all("dependency") if deps is not None else []:
        g = interpolate(dep.text_of("groupId"), info.properties)
        a = interpolate(dep.text_of("artifactId"), info.properties)
        if not g or not a:
            raise ManifestError(f"invalid pom.xml: <dependency> without groupId/artifactId (line {dep.line})")
        written = dep.text_of("version")
        spec = interpolate(written, info.properties)
        version = spec if _is_exact(spec) else None
        if written is None:
            managed = info.managed.get(f"{g}:{a}")
            if managed is None and g == BOOT_GROUP:
                managed = info.boot_version
            version = managed if _is_exact(managed) else None
        scope = (dep.text_of("scope") or "compile").strip()
        if scope == "import":
            continue
        artifact = dep.child("artifactId")
        out.dependencies.append(
            Dependency(name=f"{g}:{a}", ecosystem=ECOSYSTEM, path=path,
                       line=artifact.line if artifact is not None else dep.line,
                       spec=spec, version=version, dev=scope == "test")
        )
    if any(p.text_of("artifactId") == "kotlin-maven-plugin" for p in root.iter("plugin")):
        out.components.append(StackComponent("kotlin", "language", None, path))
    return out

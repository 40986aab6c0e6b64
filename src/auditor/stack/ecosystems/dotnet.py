""".NET: *.csproj (PackageReference, the Web SDK, central versions in
Directory.Packages.props) and packages.lock.json."""

from __future__ import annotations

import json

from auditor.stack.ecosystems.base import LineIndex, LockIndex, ManifestError, ParseContext, ParsedFile
from auditor.stack.ecosystems.xmltree import Element, parse_xml
from auditor.stack.model import Dependency, StackComponent

ECOSYSTEM = "nuget"
WEB_SDKS = ("Microsoft.NET.Sdk.Web", "Microsoft.NET.Sdk.Razor", "Microsoft.NET.Sdk.BlazorWebAssembly")


def _central_versions(ctx: ParseContext, project_dir: str) -> dict[str, str]:
    """Directory.Packages.props of the project's folder or the nearest ancestor."""
    parts = project_dir.split("/") if project_dir else []
    for depth in range(len(parts), -1, -1):
        rel = "/".join([*parts[:depth], "Directory.Packages.props"])
        if ctx.exists(rel):
            try:
                root = parse_xml(ctx.read(rel))
            except ManifestError:
                return {}  # a broken props file: versions stay unknown
            return {
                el.attrs["Include"].lower(): el.attrs.get("Version", "")
                for el in root.iter("PackageVersion") if "Include" in el.attrs
            }
    return {}


def _exact(version: str | None) -> str | None:
    """NuGet resolves `1.2.3` to the lowest match, 1.2.3 itself; `[1.2.3]` pins it too."""
    if not version:
        return None
    v = version.strip()
    if v.startswith("[") and v.endswith("]") and "," not in v:
        v = v[1:-1].strip()
    return v if v and v[0].isdigit() and not any(c in v for c in "*,()[]$") else None


def parse_csproj(text: str, path: str, ctx: ParseContext) -> ParsedFile:
    root: Element = parse_xml(text)
    if root.tag != "Project":
        raise ManifestError(f"invalid project file: root element is <{root.tag}>, not <Project>")
    out = ParsedFile()
    sdks = [root.attrs.get("Sdk", "")] + [s.attrs.get("Name", "") for s in root.iter("Sdk")]
    web = any(s.split("/")[0] in WEB_SDKS for s in sdks) or any(
        r.attrs.get("Include") == "Microsoft.AspNetCore.App" for r in root.iter("FrameworkReference"))
    if web:
        out.components.append(StackComponent("aspnet-core", "framework", None, path))
    central: dict[str, str] | None = None
    for ref in root.iter("PackageReference"):
        name = ref.attrs.get("Include") or ref.attrs.get("Update")
        if not name:
            continue
        spec = ref.attrs.get("Version") or ref.attrs.get("VersionOverride") or ref.text_of("Version")
        if spec is None:
            if central is None:
                central = _central_versions(ctx, path.rsplit("/", 1)[0] if "/" in path else "")
            spec = central.get(name.lower())
        private = (ref.attrs.get("PrivateAssets") or ref.text_of("PrivateAssets") or "").lower() == "all"
        out.dependencies.append(
            Dependency(name=name, ecosystem=ECOSYSTEM, path=path, line=ref.line, spec=spec, version=_exact(spec),
                       dev=private)  # PrivateAssets=all: analyzers and build tools, not shipped
        )
    out.components.append(StackComponent("csharp", "language", None, path))
    return out


def parse_packages_lock(text: str, path: str, ctx: ParseContext) -> ParsedFile:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ManifestError(f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
    if not isinstance(data, dict) or not isinstance(data.get("dependencies"), dict):
        raise ManifestError("invalid packages.lock.json: no `dependencies` object")
    lines = LineIndex(text)
    out = ParsedFile(lock=LockIndex())
    assert out.lock is not None
    seen: set[tuple[str, str]] = set()
    for framework in data["dependencies"].values():
        if not isinstance(framework, dict):
            continue
        for name, meta in framework.items():
            version = meta.get("resolved") if isinstance(meta, dict) else None
            if not isinstance(version, str) or meta.get("type") == "Project" or (name, version) in seen:
                continue
            seen.add((name, version))
            out.lock.pin(name.lower(), version)
            out.dependencies.append(
                Dependency(name=name, ecosystem=ECOSYSTEM, path=path, line=lines.line_of(f'"{name}"'),
                           version=version, direct=False)
            )
    return out

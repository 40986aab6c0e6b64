"""Python: requirements*.txt (with -r/-c includes), pyproject.toml (PEP 621, PEP 735
dependency groups, Poetry, PDM, uv), Pipfile and Pipfile.lock, setup.cfg, and the
poetry/uv/pdm lockfiles.

Names are kept as written (PyPI resolves any spelling); lockfile lookups compare the
PEP 503 normalized form. TOML lockfiles are line-scanned: a uv.lock runs to megabytes and
all detection needs from it is name, version and where the package came from.
"""

from __future__ import annotations

import json
import re
import tomllib
from typing import Any

from auditor.stack.ecosystems.base import LineIndex, LockIndex, ManifestError, ParseContext, ParsedFile
from auditor.stack.model import Dependency

ECOSYSTEM = "pypi"
_REQ = re.compile(r"^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(\[[^\]]*\])?\s*(.*)$", re.S)
_EXACT = re.compile(r"^\s*===?\s*([0-9][0-9A-Za-z.+!\-]*)\s*$")
_NORMALIZE = re.compile(r"[-_.]+")
DEV_WORDS = ("dev", "test", "lint", "docs", "typing")


def normalize(name: str) -> str:
    """PEP 503: `Flask_Login` and `flask-login` are one package."""
    return _NORMALIZE.sub("-", name).lower()


def _dev_name(name: str) -> bool:
    lowered = name.lower()
    return any(word in lowered for word in DEV_WORDS)


def parse_requirement(text: str) -> tuple[str, str | None, str | None] | None:
    """A PEP 508 string -> (name, spec as written, exact version); None when it names no
    registry package (a URL, a path)."""
    text = text.split(";", 1)[0].strip()
    m = _REQ.match(text)
    if not m:
        return None
    name, rest = m.group(1), m.group(3).strip()
    if rest.startswith("@"):
        return name, rest, None  # a direct URL reference: not from the index
    spec = rest.strip("() ") or None
    exact = _EXACT.match(spec) if spec else None
    return name, spec, exact.group(1) if exact else None


def _find_string_line(lines: LineIndex, value: str, start: int) -> int:
    for quote in ('"', "'"):
        line = lines.line_of(f"{quote}{value}{quote}", start)
        if line:
            return line
    return lines.line_of(value, start) or lines.line_of(value)


def _header_offset(text: str, header: str) -> int:
    m = re.search(rf"^\s*\[\s*{re.escape(header)}\s*\]", text, re.M)
    return m.start() if m else 0


# -- requirements files ---------------------------------------------------------------------
def _logical_lines(text: str) -> list[tuple[int, str]]:
    """Join `\\` continuations; drop comments (` #`, or a line starting with #)."""
    out: list[tuple[int, str]] = []
    buf, first = "", 0
    for lineno, raw in enumerate(text.splitlines(), start=1):
        if not buf:
            first = lineno
        if raw.endswith("\\"):
            buf += raw[:-1] + " "
            continue
        buf += raw
        line = re.sub(r"(^|\s)#.*$", "", buf).strip()
        buf = ""
        if line:
            out.append((first, line))
    return out


def parse_requirements(text: str, path: str, ctx: ParseContext) -> ParsedFile:
    out = ParsedFile()
    _requirements_into(out, text, path, ctx, dev=_dev_name(path.rsplit("/", 1)[-1]), seen={path})
    return out


def _requirements_into(out: ParsedFile, text: str, path: str, ctx: ParseContext, dev: bool,
                       seen: set[str]) -> None:
    base = path.rsplit("/", 1)[0] if "/" in path else ""
    for lineno, line in _logical_lines(text):
        if line.startswith("-"):
            opt, _, arg = line.partition(" ") if " " in line else line.partition("=")
            arg = arg.strip().lstrip("=").strip()
            if opt in ("-r", "--requirement", "-c", "--constraint") and arg:
                target = ctx.resolve(f"{base}/{arg}" if base else arg)
                if target is None:
                    raise ManifestError(f"line {lineno}: include {arg} is outside the project")
                if target in seen:
                    continue
                seen.add(target)
                try:
                    included = ctx.read(target)
                except ManifestError as exc:
                    raise ManifestError(f"line {lineno}: include {arg if arg.isprintable() else repr(arg)[1:-1]}: "
                                        f"{exc}") from None
                out.extra_files.append(target)
                if opt in ("-c", "--constraint"):
                    _constraints_into(out, included)
                else:
                    _requirements_into(out, included, target, ctx, dev or _dev_name(arg), seen)
            continue  # -e, --index-url, --hash ...: not packages from the index
        if "://" in line.split(" ")[0] or line.startswith((".", "/")):
            continue  # a URL or a local path
        line = re.split(r"\s--?[a-z]", line, maxsplit=1)[0]  # per-requirement options (--hash)
        parsed = parse_requirement(line)
        if parsed is None:
            raise ManifestError(f"line {lineno}: not a requirement: {line[:60]!r}")
        name, spec, exact = parsed
        out.dependencies.append(
            Dependency(name=name, ecosystem=ECOSYSTEM, path=path, line=lineno, spec=spec, version=exact, dev=dev)
        )


def _constraints_into(out: ParsedFile, text: str) -> None:
    """A constraints file pins versions without adding packages: a lock, in effect."""
    if out.lock is None:
        out.lock = LockIndex()
    for _, line in _logical_lines(text):
        parsed = parse_requirement(line) if not line.startswith("-") else None
        if parsed and parsed[2]:
            out.lock.pin(normalize(parsed[0]), parsed[2])


# -- pyproject.toml ------------------------------------------------------------------------
def _load_toml(text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ManifestError(f"invalid TOML: {exc}") from None


def _pep508_list(out: ParsedFile, items: Any, where: str, path: str, lines: LineIndex, start: int,
                 dev: bool) -> None:
    if not isinstance(items, list):
        raise ManifestError(f"{where} is not a list")
    for item in items:
        if isinstance(item, dict):
            continue  # {include-group = "..."} (PEP 735)
        if not isinstance(item, str):
            raise ManifestError(f"{where}: {item!r} is not a string")
        parsed = parse_requirement(item)
        if parsed is None:
            raise ManifestError(f"{where}: not a requirement: {item!r}")
        name, spec, exact = parsed
        out.dependencies.append(
            Dependency(name=name, ecosystem=ECOSYSTEM, path=path, line=_find_string_line(lines, item, start),
                       spec=spec, version=exact, dev=dev)
        )


def _key_line(lines: LineIndex, key: str, start: int) -> int:
    for needle in (f"\n{key} ", f"\n{key}=", f'\n"{key}"', f"\n'{key}'"):
        pos = lines.find(needle, start)
        if pos >= 0:
            return lines.line_at(pos + 1)
    return 0


_POETRY_EXACT = re.compile(r"^\s*(?:==)?\s*([0-9][0-9A-Za-z.+!\-]*)\s*$")


def _poetry_table(out: ParsedFile, table: Any, where: str, path: str, lines: LineIndex, start: int,
                  dev: bool) -> None:
    if not isinstance(table, dict):
        raise ManifestError(f"{where} is not a table")
    for name, value in table.items():
        if name.lower() == "python":
            continue
        if isinstance(value, list):  # several constraints by marker: the first names a version
            value = next((v for v in value if isinstance(v, dict) and "version" in v), value[0] if value else None)
        if isinstance(value, dict):
            if any(k in value for k in ("path", "git", "url", "file")):
                continue
            value = value.get("version")
        if value is not None and not isinstance(value, str):
            raise ManifestError(f"{where}.{name}: version is not a string")
        exact = _POETRY_EXACT.match(value) if value else None  # bare `2.0.1` pins exactly in Poetry
        out.dependencies.append(
            Dependency(name=name, ecosystem=ECOSYSTEM, path=path, line=_key_line(lines, name, start),
                       spec=value, version=exact.group(1) if exact else None, dev=dev)
        )


def parse_pyproject(text: str, path: str, ctx: ParseContext) -> ParsedFile:
    data = _load_toml(text)
    lines = LineIndex(text)
    out = ParsedFile()
    project = data.get("project")
    if isinstance(project, dict):
        start = _header_offset(text, "project")
        if "dependencies" in project:
            _pep508_list(out, project["dependencies"], "project.dependencies", path, lines, start, False)
        extras = project.get("optional-dependencies") or {}
        if not isinstance(extras, dict):
            raise ManifestError("project.optional-dependencies is not a table")
        start = _header_offset(text, "project.optional-dependencies") or start
        for extra, items in extras.items():
            _pep508_list(out, items, f"project.optional-dependencies.{extra}", path, lines, start, _dev_name(extra))
    groups = data.get("dependency-groups")  # PEP 735, what `uv add --dev` writes
    if isinstance(groups, dict):
        start = _header_offset(text, "dependency-groups")
        for group, items in groups.items():
            _pep508_list(out, items, f"dependency-groups.{group}", path, lines, start, True)
    tool = data.get("tool") if isinstance(data.get("tool"), dict) else {}
    uv = tool.get("uv")
    if isinstance(uv, dict) and "dev-dependencies" in uv:
        _pep508_list(out, uv["dev-dependencies"], "tool.uv.dev-dependencies", path, lines,
                     _header_offset(text, "tool.uv"), True)
    pdm = tool.get("pdm")
    if isinstance(pdm, dict) and isinstance(pdm.get("dev-dependencies"), dict):
        start = _header_offset(text, "tool.pdm.dev-dependencies")
        for group, items in pdm["dev-dependencies"].items():
            _pep508_list(out, items, f"tool.pdm.dev-dependencies.{group}", path, lines, start, True)
    poetry = tool.get("poetry")
    if isinstance(poetry, dict):
        if "dependencies" in poetry:
            _poetry_table(out, poetry["dependencies"], "tool.poetry.dependencies", path, lines,
                          _header_offset(text, "tool.poetry.dependencies"), False)
        if "dev-dependencies" in poetry:
            _poetry_table(out, poetry["dev-dependencies"], "tool.poetry.dev-dependencies", path, lines,
                          _header_offset(text, "tool.poetry.dev-dependencies"), True)
        groups = poetry.get("group") or {}
        if not isinstance(groups, dict):
            raise ManifestError("tool.poetry.group is not a table")
        for group, body in groups.items():
            if isinstance(body, dict) and "dependencies" in body:
                _poetry_table(out, body["dependencies"], f"tool.poetry.group.{group}.dependencies", path, lines,
                              _header_offset(text, f"tool.poetry.group.{group}.dependencies"), group != "main")
    return out


# -- Pipfile / Pipfile.lock ----------------------------------------------------------------
def parse_pipfile(text: str, path: str, ctx: ParseContext) -> ParsedFile:
    data = _load_toml(text)
    lines = LineIndex(text)
    out = ParsedFile()
    for section, dev in (("packages", False), ("dev-packages", True)):
        table = data.get(section)
        if table is None:
            continue
        if not isinstance(table, dict):
            raise ManifestError(f"[{section}] is not a table")
        start = _header_offset(text, section)
        for name, value in table.items():
            if isinstance(value, dict):
                if any(k in value for k in ("path", "git", "file", "editable")):
                    continue
                value = value.get("version", "*")
            if not isinstance(value, str):
                raise ManifestError(f"[{section}] {name}: version is not a string")
            spec = None if value.strip() == "*" else value.strip()
            exact = _EXACT.match(spec) if spec else None
            out.dependencies.append(
                Dependency(name=name, ecosystem=ECOSYSTEM, path=path, line=_key_line(lines, name, start),
                           spec=spec, version=exact.group(1) if exact else None, dev=dev)
            )
    return out


def parse_pipfile_lock(text: str, path: str, ctx: ParseContext) -> ParsedFile:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ManifestError(f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
    if not isinstance(data, dict):
        raise ManifestError("invalid Pipfile.lock: top level is not an object")
    lines = LineIndex(text)
    out = ParsedFile(lock=LockIndex())
    assert out.lock is not None
    for section, dev in (("default", False), ("develop", True)):
        table = data.get(section) or {}
        if not isinstance(table, dict):
            raise ManifestError(f"invalid Pipfile.lock: {section} is not an object")
        start = lines.find(f'"{section}"')
        for name, meta in table.items():
            version = meta.get("version") if isinstance(meta, dict) else None
            if not isinstance(version, str) or not version.startswith("=="):
                continue
            version = version[2:]
            out.lock.pin(normalize(name), version)
            out.dependencies.append(
                Dependency(name=name, ecosystem=ECOSYSTEM, path=path, line=lines.line_of(f'"{name}"', max(start, 0)),
                           version=version, direct=False, dev=dev)
            )
    return out


# -- setup.cfg -----------------------------------------------------------------------------
def parse_setup_cfg(text: str, path: str, ctx: ParseContext) -> ParsedFile:
    import configparser

    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text, source=path)
    except configparser.Error as exc:
        raise ManifestError(f"invalid setup.cfg: {str(exc).splitlines()[0]}") from None
    out = ParsedFile()
    if not parser.has_section("metadata") and not parser.has_section("options"):
        out.relevant = False  # only tool settings (flake8, isort): not a package manifest
        return out
    lines = LineIndex(text)

    def add(raw: str, where: str, dev: bool) -> None:
        start = _header_offset(text, where)
        for item in raw.splitlines():
            item = item.strip()
            if not item or item.startswith(("#", "file:")):
                continue
            parsed = parse_requirement(item)
            if parsed is None:
                raise ManifestError(f"[{where}]: not a requirement: {item!r}")
            name, spec, exact = parsed
            out.dependencies.append(
                Dependency(name=name, ecosystem=ECOSYSTEM, path=path, line=lines.line_of(item, start),
                           spec=spec, version=exact, dev=dev)
            )

    if parser.has_option("options", "install_requires"):
        add(parser.get("options", "install_requires"), "options", False)
    if parser.has_section("options.extras_require"):
        for extra, raw in parser.items("options.extras_require"):
            add(raw, "options.extras_require", _dev_name(extra))
    return out


# -- poetry.lock / uv.lock / pdm.lock --------------------------------------------------------
_TOML_STR = re.compile(r'^(name|version|category)\s*=\s*"([^"]*)"')
_NOT_INDEX = re.compile(r"\b(editable|virtual|directory|path|git|url)\s*=|^type\s*=\s*\"(git|directory|file|url)\"")


def parse_python_lock(text: str, path: str, ctx: ParseContext) -> ParsedFile:
    if "[[package]]" not in text and text.strip():
        if "[metadata]" not in text and "version = " not in text:
            raise ManifestError("invalid lockfile: no [[package]] entries")
    out = ParsedFile(lock=LockIndex())
    assert out.lock is not None
    current: dict[str, Any] | None = None

    def flush() -> None:
        if current and current.get("name") and current.get("version") and not current.get("skip"):
            out.lock.pin(normalize(current["name"]), current["version"])
            out.dependencies.append(
                Dependency(name=current["name"], ecosystem=ECOSYSTEM, path=path, line=current["line"],
                           version=current["version"], direct=False, dev=current.get("category") == "dev")
            )

    in_source = False  # inside poetry's [package.source] table
    for lineno, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("["):
            if stripped == "[[package]]":
                flush()
                current = {"line": lineno + 1}
                in_source = False
            else:
                in_source = stripped.startswith("[package.source")
                if not stripped.startswith("[package."):
                    flush()
                    current = None
            continue
        if current is None:
            continue
        m = _TOML_STR.match(stripped)
        if m and not in_source:
            key, value = m.groups()
            if key not in current:  # the package's own keys come first; later ones are nested
                current[key] = value
                if key == "name":
                    current["line"] = lineno
            continue
        if (stripped.startswith("source") or in_source) and _NOT_INDEX.search(stripped):
            current["skip"] = True  # the project itself, a path, VCS, URL or other index: not PyPI
    flush()
    return out

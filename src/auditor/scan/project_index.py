"""The project index: resolves a call in one file to its definition in another, and keeps
per-function summaries on disk keyed by file content, so a flow that crosses files (a route
calling a service, a repository, a helper module) is followed, and a one-file scan (a hook,
`--diff`) reuses what was learnt about the unchanged files.

Language front-ends own the analysis; the index owns what is shared:
- module resolution (`resolve_python`, `resolve_js`, `resolve_java_type`, `resolve_go_import`,
  `resolve_ruby_require`, `resolve_ruby_constant`, `resolve_php_class`, `resolve_php_include`) from an importing file to a file of the
  project (never outside the scanned root);
- reading and memoising the other files (`source`), with their content hashes;
- a memo of per-file analysis state for the front-ends (`memo`);
- the on-disk summary cache (`SummaryCache`): an entry records the hashes of every file it
  depended on and is used only while all of them are unchanged;
- a depth guard across files (`enter`/`leave`).
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from auditor.filetypes import language_for
from auditor.fsutil import read_text
from auditor.scan.interface import SourceFile

MAX_DEPTH = 3  # files followed through files: route -> service -> repository
MAX_INDEX_BYTES = 1_000_000
_JS_EXTENSIONS = (".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs")
CACHE_VERSION = "1"


@lru_cache(maxsize=1)
def analysis_fingerprint() -> str:
    """Names the summary cache's folder: the auditor version and the sizes and mtimes of the
    scanner's code, so a summary computed by other analysis code is never read back."""
    import auditor
    from auditor.scan import checks

    base = Path(checks.__file__).parent.parent
    stats = sorted((str(p.relative_to(base)), p.stat().st_size, p.stat().st_mtime_ns) for p in base.rglob("*.py"))
    return hashlib.sha256(repr((auditor.__version__, CACHE_VERSION, stats)).encode()).hexdigest()[:16]


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass
class SummaryCache:
    """Function summaries on disk: `<base>/<analysis>/<hash[:2]>/<hash>.json` per analysed file, holding
    {key: {"deps": {path: hash}, "value": ...}}. Values are whatever JSON the front-end
    stores; an entry whose dependencies changed is ignored (and replaced when recomputed)."""

    base: Path
    _loaded: dict[str, dict[str, Any]] = field(default_factory=dict)
    _dirty: set[str] = field(default_factory=set)

    @cached_property
    def directory(self) -> Path:
        """One folder per analysis code (see analysis_fingerprint), found on first use."""
        return self.base / analysis_fingerprint()

    def _file(self, file_hash: str) -> Path:
        return self.directory / file_hash[:2] / f"{file_hash}.json"

    def _entries(self, file_hash: str) -> dict[str, Any]:
        if file_hash not in self._loaded:
            try:
                data = json.loads(self._file(file_hash).read_text(encoding="utf-8"))
                self._loaded[file_hash] = data if isinstance(data, dict) and data.get("v") == CACHE_VERSION else {"v": CACHE_VERSION}
            except (OSError, ValueError):
                self._loaded[file_hash] = {"v": CACHE_VERSION}
        return self._loaded[file_hash]

    def get(self, file_hash: str, key: str, current: Callable[[str], str | None]) -> Any | None:
        entry = self._entries(file_hash).get(key)
        if not isinstance(entry, dict):
            return None
        if any(current(path) != h for path, h in entry.get("deps", {}).items()):
            return None
        return entry.get("value")

    def put(self, file_hash: str, key: str, deps: dict[str, str], value: Any) -> None:
        self._entries(file_hash)[key] = {"deps": deps, "value": value}
        self._dirty.add(file_hash)

    def flush(self) -> None:
        """Write the files that gained entries (atomically; a failed write only loses cache)."""
        for file_hash in sorted(self._dirty):
            target = self._file(file_hash)
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                tmp = target.with_suffix(f".{os.getpid()}.tmp")
                tmp.write_text(json.dumps(self._loaded[file_hash], separators=(",", ":")), encoding="utf-8")
                os.replace(tmp, target)
            except OSError:
                continue
        self._dirty.clear()


@dataclass
class ProjectIndex:
    """Cross-file lookups for one scanned root. `overrides` are in-memory contents (a hook's
    unsaved buffer) that win over the disk."""

    root: Path
    cache: SummaryCache | None = None
    overrides: dict[str, str] = field(default_factory=dict)
    _sources: dict[str, SourceFile | None] = field(default_factory=dict)
    _hashes: dict[str, str | None] = field(default_factory=dict)
    _memo: dict[tuple[str, str], Any] = field(default_factory=dict)
    _stack: list[str] = field(default_factory=list)
    _present: dict[str, bool] = field(default_factory=dict)
    _contexts: dict[str, str] = field(default_factory=dict)
    _resolved: dict[tuple[str, str, str], Any] = field(default_factory=dict)
    _java: list[str] | None = None
    project_for: Callable[[str], Any] | None = None

    # -- files ---------------------------------------------------------------------------
    def source(self, rel: str) -> SourceFile | None:
        """The parsed-on-demand file at `rel` (relative to root), or None."""
        if rel not in self._sources:
            text = self.overrides.get(rel)
            if text is None:
                full = self.root / rel
                text = read_text(full, MAX_INDEX_BYTES) if full.is_file() else None
            project = self.project_for(rel) if self.project_for is not None and text is not None else None
            self._sources[rel] = SourceFile(rel, text, language_for(rel), project, index=self) if text is not None else None
        return self._sources[rel]

    def add(self, src: SourceFile) -> None:
        """Register a file the engine already holds (its tree is reused, not re-parsed)."""
        self._sources.setdefault(src.path, src)

    def summary_key(self, rel: str, key: str) -> str:
        """`key` for the summary cache, with what a file's summaries depend on beyond its code: its
        sub-project's stack (a sink library the manifest names, or none seen) and library mode. A
        scan that saw no manifest (a subset of files) must never serve one that did."""
        if rel not in self._contexts:
            src = self.source(rel)
            project = src.project if src is not None else None
            facts = (sorted((c.kind, c.id, c.version or "") for c in project.components) if project is not None else None,
                     sorted(d.name for d in project.dependencies) if project is not None else None,
                     bool(src is not None and src.library))
            self._contexts[rel] = hashlib.sha256(repr(facts).encode()).hexdigest()[:12]
        return f"{key}@{self._contexts[rel]}"

    def file_hash(self, rel: str) -> str | None:
        if rel not in self._hashes:
            src = self.source(rel)
            self._hashes[rel] = content_hash(src.text) if src is not None else None
        return self._hashes[rel]

    def _exists(self, rel: str) -> bool:
        if rel not in self._present:
            self._present[rel] = rel in self.overrides or self._sources.get(rel) is not None or (self.root / rel).is_file()
        return self._present[rel]

    # -- module resolution --------------------------------------------------------------
    def resolve_python(self, importer: str, dotted: str) -> tuple[str, list[str]] | None:
        key = ("py", importer.rpartition("/")[0], dotted)
        if key not in self._resolved:
            self._resolved[key] = self._resolve_python(importer, dotted)
        return self._resolved[key]

    def package_init(self, importer: str) -> str | None:
        """The `__init__.py` of the importer's own package (what `from . import name` reads), if any."""
        folder = importer.rpartition("/")[0]
        rel = f"{folder}/__init__.py" if folder else "__init__.py"
        return rel if rel != importer and self._exists(rel) else None

    def _resolve_python(self, importer: str, dotted: str) -> tuple[str, list[str]] | None:
        """(file, remaining attribute names) for a dotted name the importer resolved
        (`services.users.find_user` -> `services/users.py`, [`find_user`]): the longest
        module prefix that is a file of the project, looked up from the root and from every
        folder above the importer (packages live at different depths)."""
        parts = dotted.split(".")
        if len(parts) > 2 and (parts[0] == self.root.name or self.root.name.startswith(parts[0] + "-")):
            parts = parts[1:]  # the scanned root is the package itself (`django/` scanned as root)
        bases = [""]
        folder = importer.rpartition("/")[0]
        while folder:
            bases.append(folder + "/")
            folder = folder.rpartition("/")[0]
        for n in range(len(parts) - 1, 0, -1):
            mod = "/".join(parts[:n])
            for base in bases:
                for cand in (f"{base}{mod}.py", f"{base}{mod}/__init__.py"):
                    if cand != importer and self._exists(cand):
                        return cand, parts[n:]
        return None

    def resolve_js(self, importer: str, spec: str) -> str | None:
        """The project file a relative import (`./users`, `../lib/db.js`) names, or an import
        through the nearest tsconfig/jsconfig's `paths` aliases (`@/lib/db`) or `baseUrl`."""
        key = ("js", importer.rpartition("/")[0], spec)
        if key not in self._resolved:
            if spec.startswith("."):
                self._resolved[key] = self._resolve_js(importer, spec)
            else:
                self._resolved[key] = next((found for target in self._ts_alias_targets(importer, spec)
                                            if (found := self._js_file(target, importer)) is not None), None)
        return self._resolved[key]

    def _ts_alias_targets(self, importer: str, spec: str) -> list[str]:
        """Root-relative paths a bare import may name under the nearest tsconfig.json /
        jsconfig.json: each matching `paths` pattern's targets, then `baseUrl` + spec."""
        folder = importer.rpartition("/")[0]
        while True:
            for name in ("tsconfig.json", "jsconfig.json"):
                manifest = f"{folder}/{name}" if folder else name
                if self._exists(manifest):
                    base, paths, has_base = self._ts_paths(manifest)
                    out = []
                    for pattern, targets in paths:
                        head, star, tail = pattern.partition("*")
                        if star and spec.startswith(head) and spec.endswith(tail) and len(spec) >= len(head) + len(tail):
                            middle = spec[len(head):len(spec) - len(tail)]
                            out += [posixpath.normpath(posixpath.join(base, t.replace("*", middle))) for t in targets]
                        elif not star and spec == pattern:
                            out += [posixpath.normpath(posixpath.join(base, t)) for t in targets]
                    if has_base:
                        out.append(posixpath.normpath(posixpath.join(base, spec)))
                    return [t for t in out if not t.startswith("..")]
            if not folder:
                return []
            folder = folder.rpartition("/")[0]

    def _ts_paths(self, manifest: str) -> tuple[str, list[tuple[str, list[str]]], bool]:
        """(the folder `paths` are relative to, [(pattern, targets)], whether `baseUrl` is set)
        of one tsconfig/jsconfig (JSON with comments and trailing commas, as TypeScript reads it)."""
        key = ("tspaths", manifest, "")
        if key not in self._resolved:
            raw = read_text(self.root / manifest, MAX_INDEX_BYTES) or "{}"
            raw = re.sub(r'("(?:[^"\\]|\\.)*")|//[^\n]*|/\*.*?\*/', lambda m: m.group(1) or "", raw, flags=re.S)
            raw = re.sub(r",(\s*[}\]])", r"\1", raw)
            try:
                opts = json.loads(raw).get("compilerOptions") or {}
            except (ValueError, AttributeError):
                opts = {}
            folder = manifest.rpartition("/")[0]
            base_url = opts.get("baseUrl") if isinstance(opts.get("baseUrl"), str) else None
            base = posixpath.normpath(posixpath.join(folder, base_url)) if base_url is not None else folder
            base = "" if base == "." else base
            folder = "" if folder == "." else folder
            paths = opts.get("paths") if isinstance(opts.get("paths"), dict) else {}
            entries = [(p, [t for t in ts if isinstance(t, str)]) for p, ts in paths.items() if isinstance(ts, list)]
            self._resolved[key] = (base if base_url is not None else folder, entries, base_url is not None)
        return self._resolved[key]

    def _resolve_js(self, importer: str, spec: str) -> str | None:
        folder = importer.rpartition("/")[0]
        joined = os.path.normpath(os.path.join(folder, spec)).replace(os.sep, "/")
        if joined.startswith(".."):
            return None
        return self._js_file(joined, importer)

    def _js_file(self, joined: str, importer: str) -> str | None:
        """The file a root-relative module path names: itself, with an extension, or its index."""
        stem = joined[:-3] if joined.endswith((".js", ".ts")) and not self._exists(joined) else joined
        cands = [joined] if self._exists(joined) and "." in joined.rpartition("/")[2] else []
        cands += [stem + ext for ext in _JS_EXTENSIONS] + [f"{stem}/index{ext}" for ext in _JS_EXTENSIONS]
        for cand in cands:
            if cand != importer and self._exists(cand):
                return cand
        return None

    def resolve_java_type(self, importer: str, type_name: str, imports: list[str]) -> str | None:
        """The project file declaring `type_name` as seen from `importer`: through its
        imports (`com.acme.service.UserService` -> `.../com/acme/service/UserService.java`,
        under any source root), else in the importer's own package folder."""
        key = ("java", importer, type_name)
        if key in self._resolved:
            return self._resolved[key]
        wanted = [imp.replace(".", "/") + ".java" for imp in imports if imp.rsplit(".", 1)[-1] == type_name]
        folder = importer.rpartition("/")[0]
        same_package = f"{folder}/{type_name}.java" if folder else f"{type_name}.java"
        found = next((rel for rel in self.java_files() for w in wanted if rel == w or rel.endswith("/" + w)), None)
        if found is None and self._exists(same_package):
            found = same_package
        self._resolved[key] = found
        return found

    def java_files(self) -> list[str]:
        """Every .java file under the root (listed once)."""
        if self._java is None:
            from auditor.fsutil import walk_files

            self._java = [rel for rel in walk_files(self.root) if rel.endswith(".java")]
        return self._java

    def folder_files(self, folder: str, suffix: str) -> list[str]:
        """The files directly inside `folder` (relative to root) whose names end in `suffix`."""
        key = ("folder", folder, suffix)
        if key not in self._resolved:
            base = self.root / folder if folder else self.root
            try:
                names = sorted(e.name for e in os.scandir(base) if e.name.endswith(suffix) and e.is_file())
            except OSError:
                names = []
            found = [f"{folder}/{n}" if folder else n for n in names]
            found += [r for r in self.overrides if r.rpartition("/")[0] == folder and r.endswith(suffix) and r not in found]
            self._resolved[key] = found
        return self._resolved[key]

    def resolve_go_import(self, importer: str, import_path: str) -> str | None:
        """The folder of a Go package imported under the module path of the nearest go.mod
        above `importer` (`example.com/shop/internal/store` -> `internal/store`)."""
        key = ("go", importer.rpartition("/")[0], import_path)
        if key not in self._resolved:
            self._resolved[key] = None
            found = self._go_module(importer.rpartition("/")[0])
            if found is not None:
                mod_dir, mod_path = found
                if import_path == mod_path or import_path.startswith(mod_path + "/"):
                    rest = import_path[len(mod_path):].strip("/")
                    folder = "/".join(p for p in (mod_dir, rest) if p)
                    self._resolved[key] = folder if (self.root / folder).is_dir() else None
        return self._resolved[key]

    def _go_module(self, folder: str) -> tuple[str, str] | None:
        """(folder of the nearest go.mod at or above `folder`, its module path)."""
        while True:
            gomod = f"{folder}/go.mod" if folder else "go.mod"
            if self._exists(gomod):
                src = read_text(self.root / gomod, MAX_INDEX_BYTES) or ""
                m = re.search(r"^module\s+(\S+)", src, re.M)
                return (folder, m.group(1).strip('"')) if m else None
            if not folder:
                return None
            folder = folder.rpartition("/")[0]

    def resolve_ruby_require(self, importer: str, spec: str) -> str | None:
        """The project file `require_relative "spec"` in `importer` loads."""
        folder = importer.rpartition("/")[0]
        joined = os.path.normpath(os.path.join(folder, spec)).replace(os.sep, "/")
        if not joined.endswith(".rb"):
            joined += ".rb"
        return joined if not joined.startswith("..") and joined != importer and self._exists(joined) else None

    def resolve_ruby_constant(self, importer: str, const: str) -> str | None:
        """The file Rails' autoloader (Zeitwerk) loads for `const`: `Admin::ReportBuilder` ->
        `admin/report_builder.rb` under an `app/<kind>/` folder (models, services, controllers,
        their `concerns/`, ...) or `lib/`, in the Rails app nearest to `importer`."""
        key = ("rbconst", importer.partition("app/")[0], const)
        if key not in self._resolved:
            wanted = "/".join(_underscore(part) for part in const.split("::")) + ".rb"
            found = [rel for rel in self.files_with(".rb") if rel.endswith("/" + wanted) and _autoloaded(rel, wanted)]
            base = importer.partition("app/")[0] if "app/" in importer else ""
            found.sort(key=lambda rel: (not rel.startswith(base), "/app/" not in "/" + rel, rel))
            self._resolved[key] = found[0] if found else None
        return self._resolved[key]

    def files_with(self, suffix: str) -> list[str]:
        """Every file under the root whose name ends in `suffix` (listed once per suffix)."""
        key = ("files", "", suffix)
        if key not in self._resolved:
            from auditor.fsutil import walk_files

            self._resolved[key] = [rel for rel in walk_files(self.root) if rel.endswith(suffix)]
        return self._resolved[key]

    def files_under(self, folder: str, suffix: str) -> list[str]:
        """Files below `folder` (relative to root, recursively) whose names end in `suffix`:
        a walk of that folder only, so a one-file scan does not list the whole tree."""
        key = ("under", folder, suffix)
        if key not in self._resolved:
            base = self.root / folder
            found = sorted(p.relative_to(self.root).as_posix() for p in base.rglob(f"*{suffix}") if p.is_file()) \
                if base.is_dir() else []
            found += [r for r in self.overrides if r.startswith(folder.rstrip("/") + "/") and r.endswith(suffix)
                      and r not in found]
            self._resolved[key] = found
        return self._resolved[key]

    def resolve_php_include(self, importer: str, spec: str) -> str | None:
        """The project file a `require`/`include` of a literal path names (relative to the
        including file's folder, then to the root)."""
        folder = importer.rpartition("/")[0]
        for base in (folder, ""):
            joined = os.path.normpath(os.path.join(base, spec)).replace(os.sep, "/")
            if not joined.startswith("..") and joined != importer and self._exists(joined):
                return joined
        return None

    def resolve_php_class(self, importer: str, fqcn: str) -> str | None:
        """The file declaring `fqcn` (`App\\Services\\UserService`) under the PSR-4 `autoload`
        map of the nearest composer.json above `importer` (`"App\\\\": "app/"` ->
        `app/Services/UserService.php`)."""
        key = ("php", importer.rpartition("/")[0], fqcn)
        if key not in self._resolved:
            self._resolved[key] = None
            for prefix, folders in self._psr4(importer.rpartition("/")[0]):
                if not fqcn.startswith(prefix):
                    continue
                tail = fqcn[len(prefix):].replace("\\", "/") + ".php"
                for folder in folders:
                    cand = f"{folder}/{tail}" if folder else tail
                    if self._exists(cand):
                        self._resolved[key] = cand
                        return cand
        return self._resolved[key]

    def _psr4(self, folder: str) -> list[tuple[str, list[str]]]:
        """(namespace prefix, folders relative to root) of the nearest composer.json, longest prefix first."""
        while True:
            manifest = f"{folder}/composer.json" if folder else "composer.json"
            if self._exists(manifest):
                key = ("psr4", manifest, "")
                if key not in self._resolved:
                    try:
                        data = json.loads(read_text(self.root / manifest, MAX_INDEX_BYTES) or "{}")
                    except ValueError:
                        data = {}
                    out: list[tuple[str, list[str]]] = []
                    for section in ("autoload", "autoload-dev"):
                        psr4 = data.get(section, {}).get("psr-4", {}) if isinstance(data.get(section), dict) else {}
                        for prefix, dirs in psr4.items() if isinstance(psr4, dict) else ():
                            dirs = [dirs] if isinstance(dirs, str) else [d for d in dirs if isinstance(d, str)]
                            out.append((prefix, ["/".join(p for p in (folder, d.strip("/")) if p) for d in dirs]))
                    self._resolved[key] = sorted(out, key=lambda item: -len(item[0]))
                return self._resolved[key]
            if not folder:
                return []
            folder = folder.rpartition("/")[0]

    # -- front-end state and the depth guard ----------------------------------------------
    def memo(self, language: str, rel: str, factory: Callable[[SourceFile], Any]) -> Any | None:
        """Per-file analysis state a front-end builds once (facts, a flow), or None."""
        key = (language, rel)
        if key not in self._memo:
            src = self.source(rel)
            self._memo[key] = factory(src) if src is not None else None
        return self._memo[key]

    def enter(self, rel: str) -> bool:
        """Start following a call into `rel`; False when too deep or already inside it."""
        if len(self._stack) >= MAX_DEPTH or rel in self._stack:
            return False
        self._stack.append(rel)
        return True

    def leave(self) -> None:
        self._stack.pop()

    def deps_of(self, rels: list[str]) -> dict[str, str]:
        return {r: h for r in rels if (h := self.file_hash(r)) is not None}


def _underscore(name: str) -> str:
    """`UserService` -> `user_service`, `HTMLParser` -> `html_parser` (Rails' inflection)."""
    name = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    return re.sub(r"([a-z\d])([A-Z])", r"\1_\2", name).lower()


def _autoloaded(rel: str, wanted: str) -> bool:
    """Is `rel` (ending in `wanted`) under an autoload root: `app/<kind>/`, `app/<kind>/concerns/`, `lib/`?"""
    prefix = ("/" + rel[: -len(wanted)]).rstrip("/").split("/")
    return (len(prefix) >= 3 and prefix[-2] == "app") or (len(prefix) >= 4 and prefix[-3] == "app" and
                                                          prefix[-1] == "concerns") or prefix[-1] == "lib"

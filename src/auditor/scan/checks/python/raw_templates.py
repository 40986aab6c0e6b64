"""Templates of a Jinja engine that does not escape (`tpl.autoescape-off`, a project check).

An engine set up in the project's Python code with `autoescape=False`
(`aiohttp_jinja2.setup(app, loader=PackageLoader("shop", "templates"), autoescape=False)`,
`jinja2.Environment(loader=FileSystemLoader("templates"), autoescape=False)`) prints every
`{{ value }}` of its templates as it is: each output of a value that can hold text is XSS. The
templates are those under the loader's folder (PackageLoader: `<package>/<folder>`;
FileSystemLoader: the folder, from the code's own folder or the project's root). An output
escaped by a filter (`|e`, `|escape`, `|tojson`, `|int`, `|urlencode`), a literal, an id, a
number-like name or a call's result (`csrf_token()`, `d.isoformat()`) is left alone. The
setup line itself is reported by the per-file check (`py.pattern.jinja-autoescape`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import PurePosixPath

from auditor.findings import Severity
from auditor.scan.interface import Hit, ProjectCheck, SourceFile
from auditor.stack.model import SubProject

DETECTOR = "tpl.autoescape-off"
_RAW_SETUP = re.compile(r"(?:aiohttp_jinja2\.setup|setup_jinja\w*|\bsetup|Environment)\s*\((?P<args>[^()]*(?:\([^()]*\)[^()]*)*)\)",
                        re.S)
_PACKAGE_LOADER = re.compile(r"PackageLoader\(\s*['\"](?P<pkg>[\w.]+)['\"]\s*(?:,\s*['\"](?P<folder>[\w./-]+)['\"])?")
_FS_LOADER = re.compile(r"FileSystemLoader\(\s*['\"](?P<folder>[\w./-]+)['\"]")
_OUTPUT = re.compile(r"\{\{-?\s*(?P<expr>.+?)\s*-?\}\}")
_ESCAPING_FILTERS = re.compile(r"\|\s*(?:e|escape|forceescape|tojson|int|float|length|count|urlencode|striptags|"
                               r"round|abs|filesizeformat)\b")
_NOT_TEXT = re.compile(r"(?:^|\.)(?:id|pk|\w+_id|count|index|index0|length|total|status|year|month|day)$|^loop\.")
_TEMPLATE_LANGUAGES = frozenset({"jinja", "html"})
MESSAGE = ("printed without escaping: this template's Jinja engine is set up with autoescape=False, so markup in "
           "the value runs in the page; turn autoescape on (or escape with |e)")


def template_folders(src: SourceFile) -> list[str]:
    """Project-relative folders whose templates a raw engine set up in `src` renders."""
    out: list[str] = []
    here = PurePosixPath(src.path).parent
    for m in _RAW_SETUP.finditer(src.text):
        args = m.group("args")
        if not re.search(r"autoescape\s*=\s*(?:False|None)\b", args):
            continue
        pkg = _PACKAGE_LOADER.search(args)
        if pkg is not None:
            package = pkg.group("pkg").replace(".", "/")
            folder = pkg.group("folder") or "templates"
            out += [f"{package}/{folder}", str(here / folder), str(here.parent / package / folder)]
        fs = _FS_LOADER.search(args)
        if fs is not None:
            out += [fs.group("folder").strip("./") or ".", str(here / fs.group("folder"))]
    return [PurePosixPath(f).as_posix().lstrip("./") for f in out]


def raw_outputs(template: SourceFile) -> Iterable[Hit]:
    """One hit per line that prints a text value raw (medium: where the value comes from is
    not known here)."""
    for i, line in enumerate(template.lines, start=1):
        values: list[str] = []
        column = 0
        for m in _OUTPUT.finditer(line):
            expr = m.group("expr").strip()
            if _ESCAPING_FILTERS.search(expr) or "|safe" in expr.replace(" ", ""):
                continue  # escaped; a |safe is the per-file template check's
            value = expr.split("|", 1)[0].strip()
            if not re.fullmatch(r"[A-Za-z_][\w.]*(?:\[['\"\w]+\])*(?:\s+or\s+['\"][^'\"]*['\"])?", value):
                continue  # a call's result, a literal, arithmetic: not a stored or sent text value
            if _NOT_TEXT.search(value.split(" or ", 1)[0]):
                continue
            values.append(value)
            column = column or m.start() + 1
        if values:
            yield Hit(DETECTOR, i, column, i, ", ".join(f"`{v}`" for v in values) + " " + MESSAGE,
                      severity=Severity.MEDIUM, path=template.path)


class RawEngineTemplatesCheck(ProjectCheck):
    detectors = (DETECTOR,)

    def run(self, project: SubProject, files: list[SourceFile]) -> Iterable[Hit]:
        folders: set[str] = set()
        for src in files:
            if src.language == "python" and "autoescape" in src.text and "Loader" in src.text:
                folders.update(template_folders(src))
        if not folders:
            return []
        hits: list[Hit] = []
        for src in files:
            if src.language in _TEMPLATE_LANGUAGES and any(src.path.startswith(f.rstrip("/") + "/") for f in folders):
                hits.extend(raw_outputs(src))
        return hits


CHECKS = [RawEngineTemplatesCheck()]

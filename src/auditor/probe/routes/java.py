"""Spring MVC routes: `@GetMapping`/`@PostMapping`/`@RequestMapping` on methods under a class-level
`@RequestMapping` prefix; inputs from `@RequestParam`, `@PathVariable`, `@RequestHeader`,
`@CookieValue` and `@RequestBody` (a class in the same file gives its field names as JSON keys)."""

from __future__ import annotations

import re

from auditor.probe.interface import Param, Route
from auditor.probe.routes.common import add_param, join_path, template, with_inherited

_MAPPING = re.compile(r"@(Get|Post|Put|Patch|Delete|Request)Mapping\s*(?:\(([^)]*)\))?")
_PATH_ARG = re.compile(r"""(?:(?:value|path)\s*=\s*)?\{?\s*"([^"]*)\"""")
_ANNOTATED = re.compile(r"@(RequestParam|PathVariable|RequestHeader|CookieValue|RequestBody|ModelAttribute)"
                        r"\s*(?:\(([^)]*)\))?\s*(?:final\s+)?([\w<>\[\], ?]+?)\s+(\w+)\s*[,)]")
_LOCATION = {"RequestParam": "query", "PathVariable": "path", "RequestHeader": "header",
             "CookieValue": "cookie", "ModelAttribute": "form"}


def _fields(source: str, cls: str) -> list[str]:
    m = re.search(rf"\b(?:class|record)\s+{re.escape(cls)}\b\s*(\([^)]*\))?[^{{]*\{{(.*?)\}}", source, re.S)
    if not m:
        return []
    if m.group(1):
        return re.findall(r"\b\w+\s+(\w+)\s*(?:,|\))", m.group(1) + ")")
    return re.findall(r"(?:private|public|protected)\s+[\w<>, ]+\s+(\w+)\s*(?:=|;)", m.group(2))


_COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)
_CLASS = re.compile(r"^[ \t]*(?:(?:public|protected|private|abstract|final|static)\s+)*(?:class|interface|record)\s+\w+",
                    re.M)


def _blank_comments(source: str) -> str:
    """Comments replaced by spaces (newlines kept, so offsets and line numbers hold): a
    `@RequestMapping` named in a Javadoc is not a route."""
    return _COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), source)


_FIELD = re.compile(r"^[ \t]*(?:@\w+(?:\([^)]*\))?\s*)*(?:private|protected|public)\s+(?!static\b)(?:final\s+)?"
                    r"([\w<>, ?\[\].]+?)\s+(\w+)\s*(?:=[^;]*)?;", re.M)
_DECL = re.compile(r"\b(?:class|record)\s+(\w+)(?:\s*(\([^)]*\)))?(?:\s*<[^>{]*>)?(?:\s+extends\s+(\w+))?")
_COLLECTION = re.compile(r"^(?:List|Set|Map|Collection|Iterable|Optional)\b")
_FRAMEWORK_TYPES = {"Model", "ModelMap", "BindingResult", "Errors", "Principal", "Authentication", "HttpSession",
                    "HttpServletRequest", "HttpServletResponse", "RedirectAttributes", "Locale", "Pageable",
                    "SessionStatus", "ModelAndView", "UriComponentsBuilder", "String", "int", "long", "Integer", "Long"}


def models(sources: dict[str, str]) -> dict[str, list[str]]:
    """Field names of each class of the project (inherited ones too): what Spring binds from a
    form (an unannotated or `@ModelAttribute` argument) or a JSON body (`@RequestBody`)."""
    own: dict[str, tuple[list[str], str]] = {}
    for rel, source in sources.items():
        if not rel.endswith(".java"):
            continue
        code = _blank_comments(source)
        if (decl := _DECL.search(code)) is None:
            continue
        if decl.group(2):  # a record: its components
            fields = re.findall(r"(\w+)\s*(?:,|$)", decl.group(2)[1:-1].strip())
        else:
            fields = [name for typ, name in _FIELD.findall(code) if not _COLLECTION.match(typ)]
        own[decl.group(1)] = (fields, decl.group(3) or "")
    return with_inherited(own)


def _arguments(signature: str) -> list[str]:
    """The method's parameter declarations, split at top-level commas."""
    m = re.search(r"\w+\s*\((.*)\)\s*(?:throws[^{]*)?$", signature.strip(), re.S)
    if not m:
        return []
    parts, depth, cur = [], 0, ""
    for ch in m.group(1):
        depth += ch in "(<" and 1 or ch in ")>" and -1 or 0
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    return [p.strip() for p in [*parts, cur] if p.strip()]


def _bound_fields(signature: str, known: dict[str, list[str]]) -> list[str]:
    """Form fields of the model objects an argument binds: no Spring annotation but @Valid /
    @ModelAttribute, and a project class with fields."""
    fields: list[str] = []
    for arg in _arguments(signature):
        annotations = re.findall(r"@(\w+)", arg)
        if any(a in _LOCATION or a in ("RequestBody", "RequestPart", "SessionAttribute") for a in annotations
               if a != "ModelAttribute"):
            continue
        words = re.sub(r"@\w+(?:\([^)]*\))?", " ", arg).split()
        typ = words[-2] if len(words) >= 2 else ""
        if typ not in _FRAMEWORK_TYPES:
            fields += [f for f in known.get(typ, []) if f not in fields]
    return fields


def spring_routes(rel: str, source: str, known: dict[str, list[str]] | None = None) -> list[Route]:
    known = known or {}
    source = _blank_comments(source)
    first_class = _CLASS.search(source)
    class_at = first_class.start() if first_class else -1
    prefix = ""
    for m in _MAPPING.finditer(source):
        if m.start() < class_at and m.group(1) == "Request":
            p = _PATH_ARG.search(m.group(2) or "")
            prefix = p.group(1) if p else ""
    routes: list[Route] = []
    for m in _MAPPING.finditer(source):
        if m.start() < class_at:
            continue
        args = m.group(2) or ""
        p = _PATH_ARG.search(args)
        path = p.group(1) if p else ""
        if m.group(1) == "Request":
            methods = re.findall(r"RequestMethod\.(\w+)", args) or ["GET"]
        else:
            methods = [m.group(1).upper()]
        sig_end = source.find("{", m.end())
        signature = source[m.end():sig_end if sig_end > 0 else None]
        full, names = template(join_path(prefix, path))
        params = [Param(n, "path") for n in names]
        for a in _ANNOTATED.finditer(signature):
            kind, opts, typ, var = a.groups()
            named = re.search(r"""(?:name|value)\s*=\s*"([^"]+)"|^\s*"([^"]+)\"""", opts or "")
            wire = (named.group(1) or named.group(2)) if named else var
            if kind == "RequestBody":
                for f in _fields(source, typ.strip()) or known.get(typ.strip()) or [var]:
                    add_param(params, f, "json")
            elif kind == "ModelAttribute" and typ.strip() in known:
                continue  # a model object: its fields are bound below
            elif kind != "PathVariable":
                add_param(params, wire, _LOCATION[kind])
        for f in _bound_fields(signature, known):
            add_param(params, f, "form")
        line = source.count("\n", 0, m.start()) + 1
        routes += [Route(meth.upper(), full, list(params), "code", rel, line, "spring-boot", "java")
                   for meth in methods]
    return routes

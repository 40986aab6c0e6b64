"""What the project's files say beside the routes its code reads:
- an OpenAPI generator or document, and the OpenAPI paths its code declares;
- its GraphQL endpoints;
- the input names its code reads from requests anywhere (for pages only the crawl found);
- whether its Python code unpickles anything, and whether its code runs JavaScript in a database query;
- the languages of its source files outside the folders a server hands out as they are (for an
  app with no manifest to tell its stack).

One walk over the project's own files gathers them all, each file read once, and discovery asks
it once per run (a second discovery after self sign-up reuses it)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from auditor.probe.routes.common import project_files
from auditor.probe.routes.graphql import GRAPHQL_SUFFIXES, graphql_paths_in
from auditor.probe.routes.hidden import names_read
from auditor.probe.routes.openapi import (
    DECLARING_SUFFIXES,
    OPENAPI_SIGNS,
    SIGN_NAMES,
    SIGN_SUFFIXES,
    documents_in,
)

# pickle.loads(), cPickle.load(), dill.loads(): the bytes name the calls the unpickling makes.
UNPICKLES = re.compile(rb"\b(?:c?[Pp]ickle|dill)\.loads?\(")
# An XML or directory query library, or an XPath/LDAP query: without any, no input of the app can
# reach an XPath or LDAP query, and the query-language check (two dozen requests an input) is left.
QUERY_LANGUAGE = re.compile(rb"\b(?:etree|ElementTree|lxml|[Xx][Pp]ath\w*|ldap\w*|LDAP\w*|libxmljs|xmldom|selectNodes|DirContext)\b")
# MongoDB's server-side JavaScript: a `$where` string, `$function`/`$accumulator` bodies, mapReduce.
QUERY_JAVASCRIPT = re.compile(rb"""['"`]?\$(?:where|function|accumulator)['"`]?\s*:|\bmapReduce\(|\bmap_reduce\(""")
# Source files by language; those under folders of static files (a front end's scripts) do not count.
LANGUAGE_OF = {".py": "python", ".js": "javascript", ".mjs": "javascript", ".cjs": "javascript", ".ts": "javascript",
               ".rb": "ruby", ".php": "php", ".java": "java", ".kt": "java", ".go": "go"}
STATIC_FOLDERS = frozenset({"static", "public", "assets", "www", "dist", "build", "vendor", "js", "scripts"})
CODE_SUFFIXES = (".py", ".js", ".mjs", ".cjs", ".ts", ".java", ".kt", ".rb", ".go", ".php", ".cs")
# Where a JavaScript server mounts a folder of files: `app.use('/public', express.static(...))`,
# `serveStatic`, or `st({path: './public', url: '/public'})`.
STATIC_MOUNT = re.compile(rb"""\.use\(\s*['"`](/[\w./-]*)['"`]\s*,\s*(?:express\.static|serveStatic|serve_static|st)\(|"""
                          rb"""\bst\(\s*\{[^{}]*?\burl\s*:\s*['"`](/[\w./-]*)['"`]""")
MAX_FILES = 3000
MAX_BYTES = 400_000


@dataclass
class ProjectSigns:
    openapi: bool = False  # the project names an OpenAPI generator or document somewhere
    documents: list[str] = field(default_factory=list)  # OpenAPI documents its code says it serves
    graphql: list[str] = field(default_factory=list)  # GraphQL paths its code names
    input_names: list[str] = field(default_factory=list)  # names its code reads from requests
    unpickles: bool = False  # its Python code unpickles bytes somewhere
    query_javascript: bool = False  # its code runs JavaScript inside a database query ($where)
    query_languages: bool = False  # its code names an XML or directory query library (XPath, LDAP)
    languages: dict[str, int] = field(default_factory=dict)  # source files by language
    static_mounts: list[str] = field(default_factory=list)  # URL folders its code serves files from

    def sole_language(self) -> str:
        """The one server language the project's source files are in, or ""."""
        return next(iter(self.languages)) if len(self.languages) == 1 else ""


def read_signs(project: Path, max_files: int = MAX_FILES) -> ProjectSigns:
    """The signs of `project` (see the module's docstring). A project with more files than
    `max_files` to read counts as naming OpenAPI (asking costs eight requests; guessing wrong
    loses routes), and its files past the limit are not read."""
    signs = ProjectSigns()
    if not project.is_dir():
        return signs
    names_graphql = False
    read = 0
    for name, path in project_files(project, ("",)):  # every file: a name alone can tell
        if OPENAPI_SIGNS.search(name.encode()):
            signs.openapi = True  # openapi.yaml, swagger.json...
        if not name.endswith(SIGN_SUFFIXES) and name not in SIGN_NAMES:
            continue
        read += 1
        if read > max_files:
            signs.openapi = True
            break
        try:
            with open(path, "rb") as f:
                data = f.read(MAX_BYTES)
        except OSError:
            continue
        signs.openapi = signs.openapi or bool(OPENAPI_SIGNS.search(data))
        if name.endswith(DECLARING_SUFFIXES):
            signs.documents += documents_in(data.decode("utf-8", "replace"))
        if name.endswith(CODE_SUFFIXES):
            signs.input_names += names_read(data)
            language = LANGUAGE_OF.get(Path(name).suffix)
            if language and not STATIC_FOLDERS & set(Path(path).relative_to(project).parts[:-1]):
                signs.languages[language] = signs.languages.get(language, 0) + 1
            signs.query_javascript = signs.query_javascript or bool(QUERY_JAVASCRIPT.search(data))
            signs.query_languages = signs.query_languages or bool(QUERY_LANGUAGE.search(data))
        signs.unpickles = signs.unpickles or name.endswith(".py") and bool(UNPICKLES.search(data))
        if name.endswith((".js", ".mjs", ".cjs", ".ts")):
            signs.static_mounts += [(a or b).decode().rstrip("/") + "/" for a, b in STATIC_MOUNT.findall(data)
                                    if (a or b).strip(b"/")]
        if name.endswith(GRAPHQL_SUFFIXES) and (paths := graphql_paths_in(data)) is not None:
            names_graphql = True
            signs.graphql += paths
    signs.documents = list(dict.fromkeys(signs.documents))
    signs.static_mounts = list(dict.fromkeys(signs.static_mounts))
    signs.input_names = list(dict.fromkeys(signs.input_names))
    signs.graphql = list(dict.fromkeys(signs.graphql)) or (["/graphql"] if names_graphql else [])
    return signs

"""What the project's code says about the SQL it builds from strings, read from its text.

Which inputs reach such SQL is the scanner's answer (`probe/static.py`). The names that appear
in a statement put together by concatenation or formatting (`"... VALUES('" + cart.address +
"', '"`, f"SELECT ... WHERE id={id}") stand in only where the scanner saw no such SQL in any
handler (a route handing the request to database code it does not follow), for the blind
time-based payloads. A hint only: a delay, twice, still has to
prove it.

The kinds of statement a route's own handler builds from strings (SELECT, INSERT...) say
whether a payload that widens a condition (an OR) is harmless there: only where the handler
builds nothing but reads."""

from __future__ import annotations

import functools
import re
from pathlib import Path

from auditor.probe.interface import Route

SOURCE_SUFFIXES = (".py", ".js", ".mjs", ".cjs", ".ts", ".rb", ".php", ".java", ".kt", ".go")
SKIPPED_DIRS = frozenset({"node_modules", ".git", "venv", ".venv", "vendor", "dist", "build", "__pycache__",
                          "site-packages", "test", "tests", "spec"})
MAX_FILES = 2000
MAX_BYTES = 400_000

# The start of a statement inside a string literal.
STATEMENT = re.compile(r"""["'`]\s*(?:INSERT\s+INTO|UPDATE\s+[\w."`\[\]]+\s+SET|DELETE\s+FROM|SELECT\b[^"'`]*?\bFROM)\b""",
                       re.I)
# What joins code into the string: `+`, `%`, `.format(`, `${`, `{` of an f-string, Ruby's `#{`, PHP's `.$`.
BUILT = re.compile(r"""["'`]\s*\+|\+\s*["'`]|\$\{|#\{|\.format\(|["']\s*%\s*[\w(]|\bf["'][^"\n]*\{|["']\s*\.\s*\$""")
NAME = re.compile(r"[A-Za-z_]\w*")
WINDOW_LINES = 12


# A statement kept as a template in a constant (`QUERY = "INSERT ... VALUES ('{}', 1)"`), with a
# placeholder that formatting fills: `{}`, `{0}`, `{name}`, `%s`, `%(name)s`.
TEMPLATE = re.compile(r"""^\s*([A-Za-z_]\w*)\s*=\s*[rbu]?["'`].*(?:\{\w*\}|%\(?\w*\)?s)""")


def _window(lines: list[str], i: int) -> str:
    """From line i to the line that closes its brackets without a joining `+` or `,` at its end
    (or ends with `;`), at most WINDOW_LINES lines."""
    window: list[str] = []
    depth = 0
    for nxt in lines[i:i + WINDOW_LINES]:
        window.append(nxt)
        depth += sum(nxt.count(c) for c in "([{") - sum(nxt.count(c) for c in ")]}")
        end = nxt.rstrip()
        if end.endswith(";") or (depth <= 0 and not end.endswith(("+", ",", "\\", "(", "%"))):
            break
    return "\n".join(window)


def _statements(text: str) -> list[str]:
    """The text of each statement built from strings: a statement literal joined with code, and
    the formatting of a statement template constant (`QUERY.format(name)`, `QUERY % name`) where
    it is filled in, which is where the names that reach it are."""
    lines = text.splitlines()
    found = []
    templates = []
    for i, line in enumerate(lines):
        if not STATEMENT.search(line):
            continue
        if (m := TEMPLATE.match(line)) is not None:
            templates.append(m.group(1))
        stmt = _window(lines, i)
        if BUILT.search(stmt):
            found.append(stmt)
    if templates:
        filled = re.compile(rf"\b(?:{'|'.join(map(re.escape, templates))})\s*(?:\.format\(|%\s*[\w(])")
        found += [_window(lines, i) for i, line in enumerate(lines) if filled.search(line)]
    return found


# What names the database engine a project talks to: driver imports and requires, connection
# and JDBC URLs, ORM dialect settings, Django's ENGINE. Where none shows, every engine's
# time-based payloads are sent; where some do, only theirs (each costs a request per input).
DATABASES = {
    "sqlite": re.compile(r"""\bimport\s+sqlite3|\bfrom\s+sqlite3\b|\bsqlite3?\.(?:connect|Database)\b|"""
                         r"""['"](?:better-)?sqlite3?['"]|jdbc:sqlite|\bsqlite(?:3|\+\w+)?://|backends\.sqlite3|"""
                         r"""go-sqlite3|\bSQLite3::""", re.I),
    "postgres": re.compile(r"""psycopg|asyncpg|['"]pg(?:-promise|-pool)?['"]|jdbc:postgresql|\bpostgres(?:ql)?(?:\+\w+)?://|"""
                           r"""backends\.postgresql|lib/pq\b|jackc/pgx|\bPG::|['"]postgres(?:ql)?['"]""", re.I),
    "mysql": re.compile(r"""pymysql|MySQLdb|mysql\.connector|['"]mysql2?(?:/promise)?['"]|jdbc:(?:mysql|mariadb)|"""
                        r"""\b(?:mysql|mariadb)(?:\+\w+)?://|backends\.mysql|go-sql-driver/mysql|\bMysql2::|['"]mariadb['"]""",
                        re.I),
}


@functools.lru_cache(maxsize=8)
def _source_files(root: str) -> tuple[Path, ...]:
    """The project's source files, as `_read` walks them."""
    out: list[Path] = []
    for path in sorted(Path(root).rglob("*")):
        if len(out) >= MAX_FILES:
            break
        if path.suffix in SOURCE_SUFFIXES and not any(part in SKIPPED_DIRS for part in path.parts) and path.is_file():
            out.append(path)
    return tuple(out)


@functools.lru_cache(maxsize=8)
def _read(root: str) -> tuple[frozenset[str], frozenset[str]]:
    """One walk of the project's code: the names in its SQL built from strings, and the
    database engines it names."""
    names: set[str] = set()
    engines: set[str] = set()
    for path in _source_files(root):
        try:
            if path.stat().st_size > MAX_BYTES:
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        for stmt in _statements(text):
            names.update(n.lower() for n in NAME.findall(stmt))
        engines.update(engine for engine, rx in DATABASES.items() if engine not in engines and rx.search(text))
    return frozenset(names), frozenset(engines)


def built_sql_names(project: Path | None) -> frozenset[str]:
    """The lower-cased names found in the project's SQL statements built from strings (empty
    without a project folder)."""
    if project is None or not project.is_dir():
        return frozenset()
    return _read(str(project.resolve()))[0]


def database_engines(project: Path | None) -> frozenset[str]:
    """The database engines (sqlite, postgres, mysql) the project's code names; empty where it
    names none or there is no project folder."""
    if project is None or not project.is_dir():
        return frozenset()
    return _read(str(project.resolve()))[1]


def reaches_built_sql(project: Path | None, name: str) -> bool:
    """Whether an input called `name` may reach a statement the code builds from strings."""
    return bool(name) and name.lower() in built_sql_names(project)


KIND = re.compile(r"""["'`]\s*(INSERT|UPDATE|DELETE|SELECT)\b""", re.I)
MAX_HANDLER_LINES = 150
_CLOSING = ("}", ")", "]", "#", "//", "/*", "*")


def source_lines(path: Path) -> tuple[str, ...]:
    """A source file's lines, read once per version of the file: the checks ask for a route's
    handler at each of its points."""
    try:
        stat = path.stat()
    except OSError:
        return ()
    return _read_lines(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=64)
def _read_lines(path: Path, mtime_ns: int, size: int) -> tuple[str, ...]:
    try:
        return tuple(path.read_text(encoding="utf-8", errors="replace").splitlines())
    except OSError:
        return ()


def handler_text(project: Path | None, route: Route) -> str:
    """The source of the route's handler: from its line to the next line indented no deeper
    that starts something new (at most MAX_HANDLER_LINES lines); "" where unknown."""
    if project is None or not route.file or route.line <= 0:
        return ""
    return _block(source_lines(project / route.file), route.line - 1)


def _block(lines: tuple[str, ...], start: int) -> str:
    """The definition that starts at line index `start`: to the next line indented no deeper
    that starts something new (at most MAX_HANDLER_LINES lines)."""
    if start >= len(lines):
        return ""
    indent = len(lines[start]) - len(lines[start].lstrip())
    out = [lines[start]]
    for line in lines[start + 1:start + MAX_HANDLER_LINES]:
        stripped = line.strip()
        if stripped and len(line) - len(line.lstrip()) <= indent and not stripped.startswith(_CLOSING):
            break
        out.append(line)
    return "\n".join(out)


# A method of a service or repository the handler calls (`this.authService.login(dto)`,
# `userRepository.find(q)`): a layered app builds its SQL there, in a file named for it
# (auth.service.ts, userRepository.js).
SERVICE_CALL = re.compile(r"\b(?:this\.)?([A-Za-z][A-Za-z0-9]*?)(Service|Repository|Repo|Dao)\.(\w+)\s*\(")
_MODIFIERS = r"(?:(?:public|private|protected|static|async|export|function|def)\s+)*"


def called_methods_text(project: Path | None, text: str) -> str:
    """The source of the service and repository methods `text` calls, each from the first file
    named for its service that defines it; "" where none is found."""
    if project is None or not project.is_dir():
        return ""
    out = []
    for stem, kind, method in sorted(set(SERVICE_CALL.findall(text))):
        defines = re.compile(rf"^\s*{_MODIFIERS}{re.escape(method)}\s*[(<]")
        for path in _source_files(str(project.resolve())):
            name = path.name.lower()
            if not name.startswith(stem.lower()) or kind.lower() not in name:
                continue
            lines = source_lines(path)
            start = next((i for i, line in enumerate(lines) if defines.match(line)), None)
            if start is not None:
                out.append(_block(lines, start))
                break
    return "\n".join(out)


def handler_statement_kinds(project: Path | None, route: Route) -> set[str]:
    """The kinds (SELECT, INSERT, UPDATE, DELETE) of the statements the route's handler builds
    from strings, itself or in the service methods it calls."""
    kinds = set()
    text = handler_text(project, route)
    for stmt in _statements(text + "\n" + called_methods_text(project, text)):
        m = KIND.search(stmt)
        if m:
            kinds.add(m.group(1).upper())
    return kinds

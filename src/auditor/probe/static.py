"""What the scanner says about the routes the probe is about to try: one static scan of the
route handlers' files, in process, read two ways.

- Ranking: routes whose handler file has findings are tried first (more findings, higher).
- SQL reach: a SQL-injection finding inside a route's handler (request data reaches SQL text
  built from strings, the scanner's own dataflow, across files where it follows the calls) names
  the inputs of that route that reach it. The SQL check uses this where every answer is alike
  (a blind INSERT) and for the login-password OR pair; a hint only, a payload still has to prove it.

A finding is matched to a route by where the route's handler starts (the same matching
`auditor probe --confirm` uses to mark static findings confirmed), and to the route's inputs
named in the handler's code before the sink."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from auditor.findings import Finding
from auditor.probe.checks.sql_code import handler_text
from auditor.probe.interface import Route

NEAR = 60  # lines: a finding this close after a handler's start is taken as inside it
DECORATORS = 4  # lines above the def: the route decorator a finding may point at


def handlers_at(routes: list[Route], path: str, line: int) -> list[Route]:
    """The routes whose handler starts at or before `line` in `path` (within NEAR lines), the
    nearest first."""
    here = [r for r in routes if r.file and r.file == path and r.line - DECORATORS <= line < r.line + NEAR]
    here.sort(key=lambda r: line - r.line)
    return here


@dataclass
class StaticView:
    """The scan's findings in the handlers' files, and per route (method, path) the names of its
    inputs that reach SQL built from request data. `scanned` is False where no scan ran (no
    handler files, or the scanner failed on this tree)."""

    findings: list[Finding] = field(default_factory=list)
    sql: dict[tuple[str, str], frozenset[str]] = field(default_factory=dict)
    scanned: bool = False

    def sql_reach(self, route: Route, name: str) -> bool | None:
        """Whether the scanner says input `name` of `route` reaches SQL built from request data;
        None where it cannot say: no scan ran, or its dataflow saw no such SQL in any handler
        (it does not follow this app's database calls, so its silence is no answer)."""
        if not self.scanned or not any(f.category == "sql-injection" for f in self.findings):
            return None
        return name in self.sql.get(route.key, frozenset())


def _named_before(root: Path, route: Route, finding: Finding, names: list[str]) -> set[str]:
    """The names among `names` that the handler's code mentions from its start (decorators
    included) to the sink's last line."""
    try:
        lines = (root / route.file).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return set()
    text = "\n".join(lines[max(0, route.line - 1 - DECORATORS):max(finding.end_line, finding.line)])
    return {n for n in names if re.search(rf"(?<![\w$]){re.escape(n)}(?!\w)", text)}


def sql_inputs(root: Path, routes: list[Route], findings: list[Finding]) -> dict[tuple[str, str], frozenset[str]]:
    """Per route, the inputs its SQL findings reach: each finding goes to the routes of the
    nearest handler before it (a GET and a POST of one function share it), and to the inputs
    that handler names before the sink; all the route's inputs where it names none of them (the
    handler passes the whole request body on)."""
    out: dict[tuple[str, str], set[str]] = {}
    spans: dict[tuple[str, int], int] = {}  # (file, first line) -> the handler's last line
    for f in findings:
        if f.category != "sql-injection":
            continue
        here = handlers_at(routes, f.path, f.line)
        for r in (r for r in here if r.line == here[0].line):
            if (r.file, r.line) not in spans:
                spans[(r.file, r.line)] = r.line + len(handler_text(root, r).splitlines()) - 1
            if f.line > spans[(r.file, r.line)]:
                continue  # past the handler's end: a function after it that is no route
            names = list(dict.fromkeys(p.name for p in r.params))
            out.setdefault(r.key, set()).update(_named_before(root, r, f, names) or names)
    return {k: frozenset(v) for k, v in out.items()}


def scan_handlers(root: Path, routes: list[Route]) -> StaticView:
    """One scan of the files that hold the routes' handlers (the scanner follows their calls into
    other files through its project index)."""
    files = sorted({r.file for r in routes if r.file})
    if not files:
        return StaticView()
    try:
        from auditor.scan.engine import Scanner
        from auditor.stack.detect_for import detect_stack_for

        # As `auditor scan` does: the stack decides which sink libraries count (pg-promise's db.one).
        result = Scanner(stack=detect_stack_for(root, files), secrets=False, root=root).scan_tree(root, files)
    except Exception:  # noqa: BLE001  (the scan is a hint for ordering and targeting; never fail the probe on it)
        return StaticView()
    return StaticView(result.findings, sql_inputs(root, routes, result.findings), scanned=True)


def rank(routes: list[Route], view: StaticView) -> list[Route]:
    """Routes whose handler file has static findings first (more findings, higher; a finding
    near the handler counts three times)."""
    for r in routes:
        near = [f for f in view.findings if f.path == r.file]
        r.rank = sum(3 if abs(f.line - r.line) < 40 else 1 for f in near)
    return sorted(routes, key=lambda r: (-r.rank, r.path, r.method))

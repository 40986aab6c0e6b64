"""Taint for Go handlers on the shared dataflow core: request input (gin/echo/net/http/mux)
flowing through `:=`, `=`, `var`, binding into structs, `fmt.Sprintf`, `+` and
`strings.Join` into SQL, shell, HTML, redirects, file paths and outbound requests
(`flowdata.py`), through calls to functions of the same package and of packages under
the module path (`lower.py` lowers and resolves; `scan.dataflow.solver` solves).

Strength 2 is request input; 1 is a string parameter of unknown origin (reported only
for SQL, shell and HTML conversions, at low severity, since a safe version has no
dynamic string there at all)."""

from __future__ import annotations

from collections.abc import Iterable

from auditor.findings import Severity
from auditor.scan.checks.go import flowdata as fd
from auditor.scan.checks.go.lower import FRONTEND, lower_file
from auditor.scan.dataflow.ir import INPUT
from auditor.scan.dataflow.lowering import file_hits, via_note
from auditor.scan.dataflow.solver import Flow
from auditor.scan.interface import Check, Hit, SourceFile

PREFILTER = tuple({m for s in fd.SINKS for m in s.methods} | {"exec.Command"})
MESSAGES = {
    "sql": "SQL built from {what}: use placeholders (`?`/`$1`) and pass values as arguments",
    "command": "Shell command built from {what}: run the program directly with separate arguments",
    "xss": "{what} reaches HTML unescaped: render with html/template and never convert input to template.HTML",
    "redirect": "Redirect target comes from {what}: allow only local paths or allow-listed hosts",
    "path": "File path comes from {what}: use filepath.Base, or os.Root / a filepath.Rel check under the base dir",
    "ssrf": "Outbound request URL comes from {what}: check the host against an allow-list first",
}


def _hit(flow: Flow) -> Hit:
    what = "request input" if flow.level >= INPUT else "a dynamic value"
    sev = None if flow.level >= INPUT else (Severity.MEDIUM if flow.kind == "xss" else Severity.LOW)
    msg = MESSAGES[flow.kind].format(what=what)
    msg += via_note(flow)
    return Hit.at(f"go.taint.{flow.kind}", flow.node, msg[0].upper() + msg[1:], severity=sev, trace=flow.trace)


class GoTaintCheck(Check):
    languages = frozenset({"go"})
    detectors = tuple(f"go.taint.{k}" for k in MESSAGES)

    def run(self, src: SourceFile) -> Iterable[Hit]:
        # A file with no sink name can still call a function that reaches one, in another
        # file of its package: those calls are followed when the scan has a project index.
        if src.index is None and not any(p in src.text for p in PREFILTER):
            return []
        if src.tree is None:
            return []
        return file_hits(src, FRONTEND, lower_file, _hit)


CHECKS = [GoTaintCheck()]

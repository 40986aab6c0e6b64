"""Taint for Ruby on the shared dataflow core: request input (params, cookies, request.*)
flowing through assignments and string building into SQL, shell, eval, HTML, redirects,
file paths, outbound requests and deserializers (tables in `flowdata.py`), and through
calls into the project's own methods: the same class, service objects, models and
concerns in other files (`lower.py` lowers and resolves; `scan.dataflow.solver` solves).

One walk per method body, in source order: assignments update the environment as they
are met, so a sink sees what was assigned above it. Taint has two strengths: 2 is
request input, 1 is a dynamic value of unknown origin (a method argument, a helper
call). Sinks that are dangerous with any dynamic string (SQL, shell, eval) report
strength 1 at low severity; a fix (bound parameters, argv form) leaves no dynamic string.
"""

from __future__ import annotations

from collections.abc import Iterable

from auditor.findings import Severity
from auditor.scan.checks.ruby import flowdata as fd
from auditor.scan.checks.ruby.lower import FRONTEND, lower_file
from auditor.scan.dataflow.ir import INPUT
from auditor.scan.dataflow.lowering import file_hits, via_note
from auditor.scan.dataflow.solver import Flow
from auditor.scan.interface import Check, Hit, SourceFile

PREFILTER = tuple({m for s in fd.SINKS for m in s.methods} | {"`", "%x"})
MESSAGES = {
    "sql": "SQL built from {what}: pass values as bound parameters (`where(\"name = ?\", v)` or a hash)",
    "command": "Shell command built from {what}: pass an argv list (`system(\"cmd\", arg)`), never one string",
    "code": "{what} chooses code to run (eval/constantize/send/render inline): map input to an allow-list",
    "xss": "{what} is marked as safe HTML: let ERB escape it, or use `sanitize` with an allow-list",
    "redirect": "Redirect target comes from {what}: use `url_from(...)` or a path helper, keep allow_other_host off",
    "path": "File path comes from {what}: use `File.basename` or look the file up by id",
    "ssrf": "Outbound request URL comes from {what}: check the host against an allow-list first",
    "deserialize": "Deserializing {what}: use JSON.parse or YAML.safe_load, never Marshal/unsafe_load on input",
    "regex": "Regular expression built from {what}: `Regexp.escape` it, or compare strings (a crafted pattern backtracks for minutes)",
}


def _hit(flow: Flow) -> Hit:
    lvl, kind, from_param = flow.level, flow.kind, flow.from_param
    sev = None if lvl >= INPUT else Severity.LOW
    if kind in ("xss", "deserialize") and lvl < INPUT:
        sev = Severity.MEDIUM  # html_safe / Marshal.load on stored data is still a real flaw
    if kind in ("sql", "command") and lvl < INPUT and from_param:
        # SQL/shell text interpolating a method parameter (a model scope, a concern, a
        # service): injectable as soon as a caller passes user data; the fix binds it.
        sev = Severity.MEDIUM
    what = "a method parameter" if from_param and lvl < INPUT else ("request input" if lvl >= INPUT else "a dynamic value")
    message = MESSAGES[kind].format(what=what)
    message += via_note(flow)
    return Hit.at(f"rb.taint.{kind}", flow.node, message[0].upper() + message[1:], severity=sev, trace=flow.trace)


class RubyTaintCheck(Check):
    languages = frozenset({"ruby"})
    detectors = tuple(f"rb.taint.{k}" for k in MESSAGES)
    embedded = True  # a view's Ruby code (erb_code); its output escaping is erb.py's
    def run(self, src: SourceFile) -> Iterable[Hit]:
        # Without a project index a file with no sink name has nothing to report; with one,
        # its calls may reach sinks in the models, services and concerns they name.
        if not src.text.strip() or (src.index is None and not any(p in src.text for p in PREFILTER)):
            return []
        view = src.path.endswith(".erb")
        if view and not any(w in src.text for w in ("params", "cookies", "request")):
            return []  # a view's code reports request input only, and reads none here
        if src.tree is None:
            return []
        hits = file_hits(src, FRONTEND, lower_file, _hit)
        if view:
            # In a view, output escaping is judged by the view checks (erb.py), and only request
            # input counts: a view's own values are what its controller stored.
            hits = [h for h in hits if h.detector != "rb.taint.xss" and h.severity is None]
        return hits


CHECKS = [RubyTaintCheck()]

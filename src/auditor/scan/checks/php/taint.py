"""Taint for PHP/Laravel on the shared dataflow core: request input ($request->input(),
request(), route parameters of controller actions, superglobals) flowing through
assignment, `.`, interpolation and sprintf into SQL, shell, eval, unserialize, HTML
responses, redirects, file paths and outbound requests (`flowdata.py`), and through calls
into the project's own classes and functions: injected services, `new Service($x)`,
static helpers, found through `use` + composer.json PSR-4 and literal `require`s
(`lower.py` lowers and resolves; `scan.dataflow.solver` solves).

Strength 2 is request input; 1 is a dynamic value of unknown origin (reported for SQL,
shell, eval and unserialize at low or medium severity)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from auditor.findings import Severity
from auditor.scan.checks.php.lower import FRONTEND, lower_file
from auditor.scan.dataflow.ir import INPUT
from auditor.scan.dataflow.lowering import file_hits, via_note
from auditor.scan.dataflow.solver import Flow
from auditor.scan.interface import Check, Hit, SourceFile

PREFILTER = ("DB::", "Raw", "query", "exec", "system", "passthru", "popen", "proc_open", "Process", "`", "eval",
             "assert", "call_user_func", "unserialize", "response", "redirect", "Redirect", "Storage", "file",
             "include", "require", "readfile", "unlink", "Http::", "curl_", "echo", "print", "HtmlString", "->get(",
             "->post(", "->request(", "return")
# A function is analyzed only when its text can contain a sink: most functions cannot,
# and skipping them keeps large files (generated protobuf classes, vendored code) cheap.
SINK_HINT = re.compile(
    rb"DB::|Raw\(|->(?:query|exec|prepare|multi_query|real_query)\(|mysqli_|pg_query|Process::|fromShellCommandline|"
    rb"\b(?:exec|shell_exec|system|passthru|popen|proc_open|pcntl_exec|eval|assert|create_function|call_user_func|"
    rb"call_user_func_array|unserialize|response|redirect|file_get_contents|fopen|readfile|unlink|file_put_contents|"
    rb"file|opendir|scandir|copy|rename|curl_init|curl_setopt)\s*\(|Redirect::|Storage::|->disk\(|\$disk|\$storage|"
    rb"File::|Http::|\$(?:this->)?(?:http|client|guzzle|httpClient)\b|\becho\b|\bprint\b|\binclude|\brequire|`|"
    rb"HtmlString|return\s*[\"'<]|return\s+\$\w+\s*\."
)
MESSAGES = {
    "sql": "SQL built from {what}: use bindings (`DB::select('... where id = ?', [$id])`, `whereRaw('x = ?', [$v])`)",
    "command": "Shell command built from {what}: pass an array to Process::run / proc_open, or escapeshellarg",
    "code": "{what} reaches eval/dynamic calls: map input to an allow-list of callables",
    "deserialize": "unserialize() on {what}: use json_decode, or unserialize($s, ['allowed_classes' => false])",
    "xss": "{what} is written to an HTML response unescaped: return a Blade view with {{ }} or JSON",
    "redirect": "Redirect target comes from {what}: redirect to named routes or check the host against an allow-list",
    "path": "File path comes from {what}: use basename() or look the file up by a record you own",
    "ssrf": "Outbound request URL comes from {what}: check the host against an allow-list first",
}


def _hit(flow: Flow) -> Hit:
    what = "request input" if flow.level >= INPUT else "a dynamic value"
    sev = None if flow.level >= INPUT else (Severity.MEDIUM if flow.kind in ("xss", "deserialize") else Severity.LOW)
    msg = MESSAGES[flow.kind].format(what=what)
    msg += via_note(flow)
    return Hit.at(f"php.taint.{flow.kind}", flow.node, msg[0].upper() + msg[1:], severity=sev, trace=flow.trace)


class PhpTaintCheck(Check):
    languages = frozenset({"php"})
    detectors = tuple(f"php.taint.{k}" for k in MESSAGES)

    def run(self, src: SourceFile) -> Iterable[Hit]:
        if src.path.endswith(".blade.php"):
            return []
        # Without a project index a file with no sink in its text has nothing to report; with
        # one, its calls may reach sinks in the services and helpers they name.
        if src.index is None and (not any(p in src.text for p in PREFILTER) or not SINK_HINT.search(src.data)):
            return []
        if src.tree is None:
            return []
        return file_hits(src, FRONTEND, lower_file, _hit)


CHECKS = [PhpTaintCheck()]

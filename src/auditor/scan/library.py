"""Library mode (`auditor scan --library`): the parameters of a package's public API are input.

In an application, untrusted data arrives through the request objects the checks know. In a
library it arrives as the arguments of the functions the package exports: whoever calls
`render(template)` or `fetch_cover(url)` may pass a value from their own user. Library mode
treats those parameters as a source, in a second pass that runs only when asked for, so a scan
without it is exactly what it was (same findings, same cost).

What counts as public API (per language, in `checks/python/library.py` and
`checks/javascript/library.py`): Python module-level functions and the methods of module-level
classes whose names do not start with `_` (plus `__init__` and `__call__`, the way callers hand
a class its data), limited to the names in `__all__` when the module declares one; JS/TS
functions the module exports (`module.exports`, `exports.x`, `export`), and the methods of
exported classes and objects. Test files are never library API.

Which parameters are data: not `self`/`cls`, not callbacks (by name: `callback`, `cb`, `next`,
`done`, `fn`, `func`, `handler`, `hook`, `logger`, `timeout`, ...), not flags or numbers (a `True`/`False`/
number default, a `bool`/`int`/`float` annotation), and where a parameter is typed, only when its
type can hold text (`str`, `bytes`, `Any`, paths, containers of those; TS `string`, `any`,
`unknown`, `string[]`, untyped). A caller can pass anything else too, but an option typed as a
class, a number or a function is the caller's configuration, not data from their user.

A finding from this pass says where the input came from: its message ends with the public
function whose parameter reached the sink, and its trace starts at that function's `def` with
"input from the library's caller". The Finding contract has no confidence field; the rule's
severity (impact) is kept, and the message and trace tell a reader it is a library-caller flow,
not a request flow. A place the ordinary pass already reported keeps that finding, unless it was a plain
parameter's weaker flow (a lower severity), which is then told as the library flow.
"""

from __future__ import annotations

import re

from auditor.scan.interface import Hit

# Parameter names that hold functions or flags, never the caller's data.
CALLBACK_NAMES = re.compile(
    r"^(?:callback|cb|next|done|fn|func|function|handler|hook|hooks|listener|resolve|reject|"
    r"on[A-Z_]\w*|on_\w+|\w+_callback|\w+Callback|\w+_fn|\w+Fn|key_func|keyfunc|predicate|"
    r"logger|log|verbose|debug|loop|executor|timeout|retries|max_\w+|min_\w+)$")
# Paths whose files are never a library's API: its tests, fixtures and build scripts.
_NOT_API_PATH = re.compile(
    r"(?:^|/)(?:tests?|__tests__|spec|specs|testing|fixtures|examples?|docs?|benchmarks?)/|"
    r"(?:^|/)(?:test_[^/]*|[^/]*_test|conftest|setup|noxfile|fabfile|[^/]*\.(?:test|spec))\.\w+$")

_REQUEST_WORDS = re.compile(r"\b(?:the )?request (?:data|input)\b|\bthe request\b")
CALLER_NOTE = "input from the library's caller"


def api_file(path: str) -> bool:
    """Is this file part of a package's API surface (not its tests, examples or build scripts)?"""
    return not _NOT_API_PATH.search(path)


def caller_hit(hit: Hit, path: str, function: str, line: int) -> Hit:
    """A hit found by the library pass, told as one: the message names the public function
    whose parameter reached the sink, and the trace starts at that function."""
    message = _REQUEST_WORDS.sub("the caller's input", hit.message)
    message = (message.rstrip(".") + ".") if message else "Input reaches this sink unchecked."
    message += (f" Library mode: the value is a parameter of the public API `{function}`, so it "
                f"comes from the library's caller; validate it at that boundary.")
    step = (path, line, f"parameter of public `{function}`: {CALLER_NOTE}")
    return Hit(hit.detector, hit.line, hit.column, hit.end_line, message.strip(), hit.rule_id, hit.severity,
               hit.path, hit.framework, (step, *hit.trace))


def merge_caller_hits(before: list[Hit], found: list[Hit]) -> list[Hit]:
    """The ordinary pass's hits with the library pass's added: a place the ordinary pass did
    not report for that detector gets the library hit; a place it reported at a lower
    severity than the library hit's (a plain parameter's weak flow, e.g. medium where the rule
    says high) is told as the library flow it is. Otherwise the ordinary hit stands."""
    out = list(before)
    at = {(h.path, h.detector, h.line): i for i, h in enumerate(out)}
    for h in found:
        key = (h.path, h.detector, h.line)
        i = at.get(key)
        if i is None:
            at[key] = len(out)
            out.append(h)
        elif out[i].severity is not None and (h.severity is None or h.severity > out[i].severity):
            out[i] = h
    return out

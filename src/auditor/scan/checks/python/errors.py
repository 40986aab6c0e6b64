"""Handlers that show the server's insides to any client.

`py.pattern.traceback-response`: a request handler that sends a traceback to the client.

`traceback.format_exc()` (or format_exception/format_tb/format_stack) returned, put in a
response, written to the response stream, or bound to a name that a later return, response or
write in the same handler sends. The client then reads file paths, code lines and values of the
server (CWE-209). A traceback written to a log is left alone.

`py.route.debug-endpoint`: a route whose path has a debug segment (`/debug`, `/_debug`,
`/users/v1/_debug`: a decorator's path or an OpenAPI operation's) with no sign in the handler
that it is kept from strangers (a login decorator, the signed-in user, an Authorization check)
or switched off outside development (`if app.debug`, `settings.DEBUG`)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from tree_sitter import Node

from auditor.scan.checks.python.facts import FunctionDef, collect, enclosing, text
from auditor.scan.checks.python.frameworks import (
    framework_of,
    is_handler,
    is_stdlib_handler,
    route_of,
    spec_route,
)
from auditor.scan.interface import Check, Hit, SourceFile

_TRACEBACK = frozenset({"traceback.format_exc", "traceback.format_exception", "traceback.format_tb",
                        "traceback.format_stack", "traceback.format_exception_only"})
# The calls that make or write a response, as one alternation for both patterns below.
_RESPONSE_NAMES = (r"Response|HttpResponse\w*|make_response|render|render_template|render_template_string|"
                   r"render_to_response|jsonify|JsonResponse|HTMLResponse|PlainTextResponse")
_RESPONSE_CALL = rf"(?:\b{_RESPONSE_NAMES}|\.write)\s*\("
_RESPONDS = re.compile(rf"(?:[\w.]+\.write|(?:\w+\.)*(?:{_RESPONSE_NAMES}))")
MESSAGE = ("The traceback is sent to the client: it shows file paths, code and values of the server. Log it, and "
           "answer with a generic error.")


_DEBUG_PATH = re.compile(r"(?:^|/)_{0,2}debug(?:[-_/]|$)", re.I)
_KEPT = re.compile(r"login_required|permission_required|staff_member_required|current_user|request\.user|jwt_required|"
                   r"auth_required|token_required|Authorization|\bdebug\b\s*(?:==|is|\))|\.debug\b|DEBUG\b|"
                   r"abort\(\s*40[134]|Http404|PermissionDenied")


class DebugEndpointCheck(Check):
    languages = frozenset({"python"})
    detectors = ("py.route.debug-endpoint",)

    def run(self, src: SourceFile) -> Iterable[Hit]:
        if "debug" not in src.text.lower():
            return []
        facts = collect(src)
        if not facts.ok:
            return []
        framework = framework_of(src, facts)
        hits: list[Hit] = []
        for fn in facts.functions:
            route = route_of(fn) or (spec_route(src, fn) if framework in (None, "flask") else None)
            if route is None or not _DEBUG_PATH.search(route.path):
                continue
            guards = [text(d) for d in fn.decorators if _DEBUG_PATH.search(text(d)) is None]
            if _KEPT.search(text(fn.node.child_by_field_name("body"))) or any(_KEPT.search(g) for g in guards):
                continue
            name = fn.node.child_by_field_name("name")
            hits.append(Hit.at("py.route.debug-endpoint", name if name is not None else fn.node,
                               f"debug endpoint `{route.path}` is routed for everyone: remove it, or keep it to "
                               "development and to signed-in operators", framework=framework))
        return hits


class TracebackResponseCheck(Check):
    languages = frozenset({"python"})
    detectors = ("py.pattern.traceback-response",)

    def run(self, src: SourceFile) -> Iterable[Hit]:
        if "traceback" not in src.text:
            return []
        facts = collect(src)
        if not facts.ok:
            return []
        framework = framework_of(src, facts)
        calls = [c for c, q, _m in facts.named_calls() if q in _TRACEBACK]
        if not calls:
            return []
        hits: list[Hit] = []
        for fn in facts.functions:
            if not _answers_requests(src, fn, framework):
                continue
            for call in calls:
                if fn.node.start_byte <= call.start_byte < fn.node.end_byte and enclosing(call, "function_definition") == fn.node \
                        and _sent(call, fn):
                    hits.append(Hit.at("py.pattern.traceback-response", call, MESSAGE, framework=framework))
        return hits


def _answers_requests(src: SourceFile, fn: FunctionDef, framework: str | None) -> bool:
    if is_stdlib_handler(fn.klass) and fn.name.startswith("do_"):
        return True
    return is_handler(fn, framework) or spec_route(src, fn) is not None


def _sent(call: Node, fn: FunctionDef) -> bool:
    """Is the traceback's text returned or put in a response, here or through a name?"""
    node = call.parent
    while node is not None and node != fn.node:
        if node.type == "return_statement":
            return True
        if node.type == "call" and _RESPONDS.fullmatch(text(node.child_by_field_name("function"))):
            return True
        if node.type == "assignment":
            left = node.child_by_field_name("left")
            if left is None or left.type != "identifier":
                return False
            name = re.escape(text(left))
            after = text(fn.node)[node.end_byte - fn.node.start_byte:]
            return re.search(rf"(?:\breturn\b|{_RESPONSE_CALL})[^\n]*\b{name}\b", after) is not None
        node = node.parent
    return False


CHECKS = [TracebackResponseCheck(), DebugEndpointCheck()]

"""Shell-running helpers handed to templates (Express): a function that runs its argument
in a shell (`exec(cmd)`, `execSync`, `spawn(cmd, {shell: true})`) made reachable from views
(`app.locals.f = ...`, `res.locals.f = ...`, `global.f = ...`, or an undeclared top-level
`f = (...) => ...`, which is a global EJS and Pug templates see) in an app that renders
templates. Every template then runs commands: one an attacker uploads or overwrites, or one
built from input. Reported at the helper's shell call."""

from __future__ import annotations

import re
from collections.abc import Iterable

from tree_sitter import Node

from auditor.scan.interface import Check, Hit, SourceFile
from auditor.scan.treeutil import find_all, names_any, text, walk

DETECTOR = "js.template.command-helper"
_EXPOSED_TARGET = re.compile(r"^(?:(?:app|res|router)\.locals|global|globalThis)\.\w+$")
_FUNCTIONS = ("arrow_function", "function_expression", "function")
# child_process calls (a bare `exec` is the destructured import; `re.exec(s)` is a regex).
_CP = r"^(?:(?:child_process|childProcess|cp|require\(\s*['\"](?:node:)?child_process['\"]\s*\))\.)?"
_SHELL_ALWAYS = re.compile(_CP + r"(?:exec|execSync)$")
_SHELL_OPTION = re.compile(_CP + r"(?:spawn|spawnSync|execFile|execFileSync)$")
_DECLARED = ("variable_declarator", "function_declaration", "class_declaration")


def _declared(src: SourceFile, root: Node) -> set[str]:
    out = set()
    for n in find_all(src.language or "javascript", root, _DECLARED):
        name = n.child_by_field_name("name")
        if name is not None:
            out.add(text(src, name))
    return out


def _helpers(src: SourceFile, root: Node) -> list[tuple[str, Node]]:
    """(name, function) pairs reachable from templates."""
    declared = _declared(src, root)
    out = []
    for n in find_all(src.language or "javascript", root, ("assignment_expression",)):
        left, right = n.child_by_field_name("left"), n.child_by_field_name("right")
        if left is None or right is None or right.type not in _FUNCTIONS:
            continue
        lt = text(src, left)
        implicit_global = left.type == "identifier" and lt not in declared and _top_level(n)
        if implicit_global or _EXPOSED_TARGET.match(lt):
            out.append((lt.rsplit(".", 1)[-1], right))
    return out


def _top_level(n: Node) -> bool:
    p = n.parent
    while p is not None:
        if p.type in _FUNCTIONS or p.type in ("function_declaration", "method_definition", "class_body"):
            return False
        p = p.parent
    return True


def _shell_calls(src: SourceFile, fn: Node) -> Iterable[Node]:
    params = fn.child_by_field_name("parameters") or fn.child_by_field_name("parameter")
    tainted = {text(src, p) for p in walk(params) if p.type == "identifier"} if params is not None else set()
    body = fn.child_by_field_name("body")
    for n in walk(body) if body is not None and tainted else ():
        if n.type in ("variable_declarator", "assignment_expression"):
            target = n.child_by_field_name("name") or n.child_by_field_name("left")
            value = n.child_by_field_name("value") or n.child_by_field_name("right")
            if target is not None and value is not None and names_any(src, value, tainted):
                tainted.add(text(src, target))
        elif n.type == "call_expression":
            name = text(src, n.child_by_field_name("function"))
            args = n.child_by_field_name("arguments")
            kids = args.named_children if args is not None else []
            if not kids or not names_any(src, kids[0], tainted):
                continue
            if _SHELL_ALWAYS.match(name) or (_SHELL_OPTION.match(name) and re.search(r"shell\s*:\s*true", text(src, args))):
                yield n


class TemplateCommandHelperCheck(Check):
    languages = frozenset({"javascript", "typescript"})
    detectors = (DETECTOR,)

    def run(self, src: SourceFile) -> Iterable[Hit]:
        t = src.text
        if "exec" not in t and "spawn" not in t:
            return []
        if ".render(" not in t and "view engine" not in t or src.tree is None:
            return []  # no templates rendered here
        hits: dict[int, Hit] = {}
        for name, fn in _helpers(src, src.tree.root_node):
            for call in _shell_calls(src, fn):
                hits.setdefault(call.start_byte, Hit.at(
                    DETECTOR, call, f"`{name}()` runs its argument in a shell and templates can call it: any template "
                    "an attacker writes (an upload, an overwritten view) runs commands; drop the helper or use "
                    "execFile with a fixed program and argument list"))
        return list(hits.values())


CHECKS = [TemplateCommandHelperCheck()]

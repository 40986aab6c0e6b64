"""Shell-running helpers handed to templates (Spring MVC): an object whose method runs its
parameter as a command (`new ProcessBuilder("sh", "-c", cmd)`, `Runtime.exec(cmd)`) put in
the model (`addAttribute`, `addObject`) is callable from the view (Thymeleaf
`${helper.run('...')}`). Every template then runs commands: one an attacker uploads or
overwrites, or one built from input. Reported at the helper's command call."""

from __future__ import annotations

import re
from collections.abc import Iterable

from tree_sitter import Node

from auditor.scan.interface import Check, Hit, SourceFile
from auditor.scan.treeutil import find_all, names_any, text, walk

DETECTOR = "java.template.command-helper"
_EXPOSE = re.compile(r"\.(?:addAttribute|addObject)\s*\(\s*\"[^\"]*\"\s*,\s*([^;]*)\)")


def _params(src: SourceFile, method: Node) -> set[str]:
    plist = method.child_by_field_name("parameters")
    names = set()
    for p in plist.named_children if plist is not None else ():
        name = p.child_by_field_name("name")
        if name is not None:
            names.add(text(src, name))
    return names


def _command_calls(src: SourceFile, method: Node) -> Iterable[Node]:
    """Command calls in `method` whose command carries one of its parameters."""
    tainted = _params(src, method)
    body = method.child_by_field_name("body")
    for n in walk(body) if body is not None and tainted else ():
        if n.type == "variable_declarator":
            value = n.child_by_field_name("value")
            if value is not None and names_any(src, value, tainted):
                tainted.add(text(src, n.child_by_field_name("name")))
        elif n.type == "object_creation_expression" and text(src, n.child_by_field_name("type")) == "ProcessBuilder":
            args = n.child_by_field_name("arguments")
            if args is not None and names_any(src, args, tainted):
                yield n
        elif n.type == "method_invocation" and text(src, n.child_by_field_name("name")) == "exec" and \
                "Runtime" in text(src, n.child_by_field_name("object")):
            args = n.child_by_field_name("arguments")
            if args is not None and names_any(src, args, tainted):
                yield n


class TemplateCommandHelperCheck(Check):
    languages = frozenset({"java"})
    detectors = (DETECTOR,)

    def run(self, src: SourceFile) -> Iterable[Hit]:
        t = src.text
        if ("ProcessBuilder" not in t and ".exec(" not in t) or src.tree is None:
            return []
        exposed = " ".join(m.group(1) for m in _EXPOSE.finditer(t))
        if not exposed:
            return []
        hits: dict[int, Hit] = {}
        for cls in find_all("java", src.tree.root_node, ("class_declaration",)):
            name = text(src, cls.child_by_field_name("name"))
            if not re.search(rf"\b{re.escape(name)}\b", exposed):
                continue
            for method in find_all("java", cls, ("method_declaration",)):
                for call in _command_calls(src, method):
                    hits.setdefault(call.start_byte, Hit.at(
                        DETECTOR, call, f"`{name}` is put in the model and runs its argument as a command: any "
                        "template an attacker writes (an upload, an overwritten view) runs commands; drop the helper "
                        "or run a fixed program with a fixed argument list"))
        return list(hits.values())


CHECKS = [TemplateCommandHelperCheck()]

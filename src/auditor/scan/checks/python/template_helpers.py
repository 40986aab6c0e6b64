"""Shell-running helpers handed to templates. A function that runs its argument as a shell
command (`os.popen(cmd)`, `subprocess.run(cmd, shell=True)`) and is made callable from
Jinja templates (returned by a `context_processor`, `@app.template_global`,
`add_template_global`, `jinja_env.globals[...] = f`) turns every template into a command
runner: a template written by an attacker (an uploaded or overwritten template file, a
template built from input) runs any command. Reported at the helper's shell call."""

from __future__ import annotations

import re
from collections.abc import Iterable

from tree_sitter import Node

from auditor.scan.interface import Check, Hit, SourceFile
from auditor.scan.treeutil import find_all, names_any, text, walk

DETECTOR = "py.template.command-helper"
_EXPOSE = re.compile(r"\bcontext_processor\b|\btemplate_global\b")
_REGISTER = re.compile(r"\b(?:add_template_global|globals\.update)\s*\(([^)]*)\)|\bglobals\s*\[[^\]]+\]\s*=\s*(\w+)")
_SHELL_ALWAYS = re.compile(r"^(?:os\.(?:system|popen)|subprocess\.(?:getoutput|getstatusoutput)|commands\.getoutput)$")
_SHELL_FLAG = re.compile(r"^subprocess\.(?:run|call|check_call|check_output|Popen)$")


def _functions(root: Node, src: SourceFile) -> dict[str, Node]:
    return {text(src, f.child_by_field_name("name")): f for f in find_all("python", root, ("function_definition",))}


def _exposed(src: SourceFile, root: Node, functions: dict[str, Node]) -> list[Node]:
    """Functions templates can call."""
    out: list[Node] = []
    for deco in find_all("python", root, ("decorated_definition",)):
        decorators = " ".join(text(src, d) for d in deco.named_children if d.type == "decorator")
        fn = deco.child_by_field_name("definition")
        if fn is None or fn.type != "function_definition" or not _EXPOSE.search(decorators):
            continue
        if "template_global" in decorators:
            out.append(fn)
            continue
        # A context processor: the functions defined in it, and those its returned dict names.
        out.extend(n for n in find_all("python", fn, ("function_definition",)) if n != fn)
        for ret in find_all("python", fn, ("return_statement",)):
            out.extend(functions[w] for w in re.findall(r"\w+", text(src, ret)) if w in functions and functions[w] != fn)
    for m in _REGISTER.finditer(src.text):
        names = re.findall(r"\w+", m.group(1) or m.group(2) or "")
        out.extend(functions[w] for w in names if w in functions)
    return out


def _shell_calls(src: SourceFile, fn: Node) -> Iterable[Node]:
    """Shell calls in `fn` whose command carries one of its parameters."""
    params = fn.child_by_field_name("parameters")
    tainted = {text(src, p) for p in walk(params) if p.type == "identifier"} if params is not None else set()
    body = fn.child_by_field_name("body")
    for n in walk(body) if body is not None and tainted else ():
        if n.type == "assignment":
            right = n.child_by_field_name("right")
            if right is not None and names_any(src, right, tainted):
                tainted.add(text(src, n.child_by_field_name("left")))
        elif n.type == "call":
            name = text(src, n.child_by_field_name("function"))
            args = n.child_by_field_name("arguments")
            first = args.named_children[0] if args is not None and args.named_children else None
            if first is None or not names_any(src, first, tainted):
                continue
            if _SHELL_ALWAYS.match(name) or (_SHELL_FLAG.match(name) and re.search(r"shell\s*=\s*True", text(src, args))):
                yield n


class TemplateCommandHelperCheck(Check):
    languages = frozenset({"python"})
    detectors = (DETECTOR,)

    def run(self, src: SourceFile) -> Iterable[Hit]:
        if not (_EXPOSE.search(src.text) or _REGISTER.search(src.text)) or src.tree is None:
            return []
        root = src.tree.root_node
        hits: dict[int, Hit] = {}
        for fn in _exposed(src, root, _functions(root, src)):
            name = text(src, fn.child_by_field_name("name"))
            for call in _shell_calls(src, fn):
                hits.setdefault(call.start_byte, Hit.at(
                    DETECTOR, call, f"`{name}()` runs its argument as a shell command and templates can call it: any "
                    "template an attacker writes (an upload, an overwritten file) runs commands; drop the helper or "
                    "give it a fixed argv list"))
        return list(hits.values())


CHECKS = [TemplateCommandHelperCheck()]

"""Library mode for Python: which functions are the package's public API, and which of their
parameters carry the caller's data (the rules are in auditor.scan.library's docstring)."""

from __future__ import annotations

import re

from tree_sitter import Node

from auditor.scan.checks.python.facts import FunctionDef, PyFacts, string_value, text
from auditor.scan.checks.python.frameworks import param_names
from auditor.scan.library import CALLBACK_NAMES

_PUBLIC_DUNDERS = frozenset({"__init__", "__call__", "__new__"})
# An annotation that can hold text: the caller's data. Anything else typed (a class, a number,
# a callable) is configuration.
_TEXT_TYPE = re.compile(r"\b(?:str|bytes|bytearray|AnyStr|Text|Any|object|PathLike|Path|PurePath|StrPath|"
                        r"list|List|dict|Dict|Mapping|MutableMapping|Sequence|Iterable|tuple|Tuple|set|Set)\b")
_NOT_DATA_DEFAULT = re.compile(r"^(?:True|False|-?\d[\d_.]*(?:e-?\d+)?)$")


def declared_all(root: Node) -> frozenset[str] | None:
    """The names in a module-level `__all__ = [...]` / `(...)`, or None when there is none
    (or it is not a literal list of strings)."""
    names: set[str] | None = None
    for stmt in root.named_children:
        node = stmt.named_children[0] if stmt.type == "expression_statement" and stmt.named_children else None
        if node is None or node.type not in ("assignment", "augmented_assignment"):
            continue
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if text(left) != "__all__" or right is None or right.type not in ("list", "tuple"):
            continue
        values = [string_value(c) for c in right.named_children]
        if any(v is None for v in values):
            return None
        names = (names or set()) | {v for v in values if v is not None}
    return frozenset(names) if names is not None else None


def public_functions(root: Node, facts: PyFacts) -> dict[int, str]:
    """The public API functions of a module: start byte of the `def` -> a readable name
    (`fetch` or `Client.get`)."""
    exported = declared_all(root)
    out: dict[int, str] = {}
    for fn in facts.functions:
        name = fn.name
        if not name or (name.startswith("_") and name not in _PUBLIC_DUNDERS):
            continue
        holder = fn.outer.parent
        if fn.klass is None:
            if holder is None or holder.type != "module" or name in _PUBLIC_DUNDERS:
                continue  # nested functions are not callable from outside
            if exported is not None and name not in exported:
                continue
            out[fn.node.start_byte] = name
            continue
        klass_name = text(fn.klass.child_by_field_name("name"))
        klass_holder = fn.klass.parent.parent if fn.klass.parent is not None and fn.klass.parent.type == "decorated_definition" else fn.klass.parent
        if (holder is None or holder.type != "block" or holder.parent != fn.klass or klass_name.startswith("_")
                or klass_holder is None or klass_holder.type != "module"):
            continue
        if exported is not None and klass_name not in exported:
            continue
        out[fn.node.start_byte] = f"{klass_name}.{name}"
    return out


def data_parameters(fn: FunctionDef) -> list[str]:
    """The parameters of a public function that carry the caller's data."""
    out: list[str] = []
    for name, p in param_names(fn.node):
        if name in ("self", "cls") or CALLBACK_NAMES.match(name) or p.type == "dictionary_splat_pattern":
            continue
        default = text(p.child_by_field_name("value"))
        if _NOT_DATA_DEFAULT.match(default):
            continue
        ann = text(p.child_by_field_name("type"))
        if ann and (not _TEXT_TYPE.search(ann) or "Callable" in ann):
            continue
        out.append(name)
    return out


def constructor_fields(klass: Node, params_of_init: list[str]) -> frozenset[str]:
    """Attributes a public class's `__init__` stores straight from its data parameters
    (`self.pattern = pattern`, `self.url = url or DEFAULT`): the caller's data in every method
    that reads them. A value passed through a call first (`int(x)`, `compile(x)`) is not counted."""
    body = klass.child_by_field_name("body")
    init = next((d for d in (body.named_children if body is not None else ())
                 if d.type == "function_definition" and text(d.child_by_field_name("name")) == "__init__"), None)
    if init is None or not params_of_init:
        return frozenset()
    wanted = set(params_of_init)
    out: set[str] = set()
    stack = [init.child_by_field_name("body")]
    while stack:
        node = stack.pop()
        if node is None or node.type in ("function_definition", "class_definition", "lambda"):
            continue
        if node.type == "assignment":
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            obj = left.child_by_field_name("object") if left is not None and left.type == "attribute" else None
            if obj is not None and text(obj) == "self" and right is not None and _uses_directly(right, wanted):
                out.add(text(left.child_by_field_name("attribute")))
            continue
        stack.extend(node.named_children)
    return frozenset(out)


def _uses_directly(node: Node, names: set[str]) -> bool:
    """Does the expression hold one of `names` other than through a call?"""
    if node.type == "identifier":
        return text(node) in names
    if node.type in ("boolean_operator", "conditional_expression", "parenthesized_expression"):
        return any(_uses_directly(c, names) for c in node.named_children)
    return False

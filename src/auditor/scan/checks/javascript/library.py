"""Library mode for JS/TS: which functions a module exports (its public API), and which of
their parameters carry the caller's data (the rules are in auditor.scan.library's docstring).

Exported: what `module.exports` / `exports.x` / `export default` hold (through the taint
flow's own export map), `export function` / `export const f = () => ...` / `export class`,
`export { a, b as c }`, the methods of an exported class or object (constructor included,
`_x` and `#x` left out), and `X.prototype.m = function` / `X.m = function` of an exported X."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from tree_sitter import Node

from auditor.scan.checks.javascript import taint_data as D
from auditor.scan.checks.javascript.syntax import (
    FUNCTION_TYPES,
    chain,
    param_target,
    params_of,
    pattern_names,
    text,
    unwrap,
)
from auditor.scan.library import CALLBACK_NAMES

if TYPE_CHECKING:
    from auditor.scan.checks.javascript.taint import Flow

# A TS type that can hold the caller's text (or an object of it); anything else typed (number,
# boolean, a function type, a class) is configuration.
_TEXT_TYPE = re.compile(r"^(?:string|any|unknown|object|String|Buffer|URL|Record\b.*|Array<.*|.*\[\])$")
_NOT_DATA_DEFAULT = frozenset({"true", "false", "number", "arrow_function", "function_expression", "function"})
# The response object of a handler-shaped export; an untyped `options` object stays data (JS
# libraries take `{ url, path, query }` that way).
_NOT_DATA_NAMES = frozenset({"res", "response", "reply"})


def public_functions(flow: Flow) -> dict[int, str]:
    """Start byte of each exported function -> a readable name (`render`, `Client.get`)."""
    src = flow.src
    out: dict[int, str] = {}
    methods = flow.methods_by_owner()
    owners: set[str] = set()

    def add(fn: Node | None, name: str) -> None:
        last = name.rpartition(".")[2]
        if fn is None or fn.type not in FUNCTION_TYPES or last.startswith(("_", "#")):
            return
        if any(c.type == "accessibility_modifier" and text(src, c) != "public" for c in fn.children):
            return  # TS `private` / `protected` methods
        out.setdefault(fn.start_byte, name)

    for name, fn in flow.exports().items():
        add(fn, name or "default")
    if flow.default_owner:
        owners.add(flow.default_owner)
    tree = src.tree
    if tree is None:
        return out
    for node in flow.idx.get("assign"):
        parts = chain(src, node.child_by_field_name("left")) or []
        right = unwrap(node.child_by_field_name("right"))
        if right is None:
            continue
        if parts == ["module", "exports"] and right.type == "object":
            # `module.exports = { Client, Parser: ParserImpl }`: exported classes
            owners.update(text(src, c) for c in right.named_children if c.type == "shorthand_property_identifier")
            owners.update(text(src, c.child_by_field_name("value")) for c in right.named_children if c.type == "pair")
        elif (len(parts) == 3 and parts[:2] == ["module", "exports"] or len(parts) == 2 and parts[0] == "exports") \
                and right.type == "identifier":
            owners.add(text(src, right))
    for stmt in tree.root_node.named_children:
        if stmt.type != "export_statement":
            continue
        decl = stmt.child_by_field_name("declaration")
        if decl is not None:
            if decl.type in ("function_declaration", "generator_function_declaration"):
                add(decl, text(src, decl.child_by_field_name("name")))
            elif decl.type in ("class_declaration", "abstract_class_declaration"):
                owners.add(text(src, decl.child_by_field_name("name")))
            elif decl.type in ("lexical_declaration", "variable_declaration"):
                for d in decl.named_children:
                    if d.type != "variable_declarator":
                        continue
                    name, value = text(src, d.child_by_field_name("name")), unwrap(d.child_by_field_name("value"))
                    if value is not None and value.type in FUNCTION_TYPES:
                        add(value, name)
                    elif value is not None and value.type in ("object", "class"):
                        owners.add(name)
        for clause in (c for c in stmt.named_children if c.type == "export_clause"):
            for spec in (c for c in clause.named_children if c.type == "export_specifier"):
                local = text(src, spec.child_by_field_name("name"))
                alias = spec.child_by_field_name("alias")
                add(flow.local_function(local), text(src, alias) if alias is not None else local)
                owners.add(local)
    for fn in (f for f in flow.idx.get("func") if f.start_byte in out):
        named = fn.child_by_field_name("name")
        if named is not None:
            owners.add(text(src, named))  # an exported constructor function: its prototype methods
        elif fn.parent is not None and fn.parent.type == "variable_declarator":
            owners.add(text(src, fn.parent.child_by_field_name("name")))
    owners.discard("")
    for owner in owners:
        for name, fn in methods.get(owner, {}).items():
            add(fn, f"{owner}.{name}")
    for node in flow.idx.get("assign"):
        parts = chain(src, node.child_by_field_name("left")) or []
        right = unwrap(node.child_by_field_name("right"))
        if right is not None and len(parts) in (2, 3) and parts[0] in owners and (len(parts) == 2 or parts[1] == "prototype"):
            add(right, f"{parts[0]}.{parts[-1]}")
    return out


def data_parameters(flow: Flow, fn: Node) -> dict[str, int]:
    """The parameters of an exported function that carry the caller's data, with their taint."""
    src = flow.src
    out: dict[str, int] = {}
    for param in params_of(fn):
        default = param.child_by_field_name("value") or (
            param.child_by_field_name("right") if param.type == "assignment_pattern" else None)
        if default is not None and unwrap(default) is not None and unwrap(default).type in _NOT_DATA_DEFAULT:
            continue
        ann = next((c for c in param.named_children if c.type == "type_annotation"), None)
        typed = text(src, ann).lstrip(":").strip() if ann is not None else ""
        if typed and not _TEXT_TYPE.match(typed):
            continue
        target = param_target(param)
        value = D.STR if typed == "string" else D.STR | D.OBJ
        names = pattern_names(src, target)
        if target.type == "identifier" and (text(src, target) in D.REQUEST_NAMES or text(src, target) in _NOT_DATA_NAMES):
            continue
        for name, _ in names:
            if not CALLBACK_NAMES.match(name):
                out[name] = value
    return out

"""Values a JS/TS expression always has, read from the function it sits in.

Three questions the checks ask:

- `constant_value(src, node)`: the value of an expression built from literals (`1 != 1`,
  `500 / 42 + 196 > 200`, `!false`), of a local name whose only live write is a declaration with
  such a value (`const algorithm = 'des-ecb'`, `let secure = false`), or of a field of a local
  object literal that nothing writes to (`opts.keyB` with `const opts = { keyB: false }`).
  `UNKNOWN` otherwise. Names are looked up in the enclosing function only: module-level flags
  (`const DEBUG = false`) are configuration someone flips, so they stay unknown.
- `local_object(src, node)`: the object literal a local name was declared with (options kept in
  a variable: `const opts = { modulusLength: 1024 }; generateKeyPair('rsa', opts)`).
- `is_dead(src, node)`: the node sits in a branch that never runs, because its `if` condition has
  a constant value (`if (3 > 5) {...}`, `let a = true; if (a) {} else {...}`).

Each function's writes are collected once per tree (one walk per function), so a lookup is a
dictionary read.
"""

from __future__ import annotations

import operator
import re
from threading import Lock

from tree_sitter import Node, Tree

from auditor.scan.checks.javascript.syntax import FUNCTION_TYPES, string_value, text, unwrap
from auditor.scan.interface import SourceFile


class _Unknown:
    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN = _Unknown()
_MAX_DEPTH = 6
_MERGE_CALL = re.compile(r"(?:assign|merge|extend|defaults|defaultsDeep|set)$")

_COMPARE = {"<": operator.lt, ">": operator.gt, "<=": operator.le, ">=": operator.ge,
            "==": operator.eq, "!=": operator.ne, "===": operator.eq, "!==": operator.ne}
_ARITH = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv, "%": operator.mod}


class _Writes:
    """Per function: name -> the nodes that write it (declarators, assignments, updates), and
    name -> keys written through it (`obj.k = ...`, `obj['k'] = ...`; None for a computed key or
    a call that may change it)."""

    def __init__(self) -> None:
        self.names: dict[str, list[Node]] = {}
        self.members: dict[str, set[str | None]] = {}


_lock = Lock()
_memo: dict[str, object] = {"tree": None, "writes": {}, "dead": None}


def _state(src: SourceFile) -> dict:
    tree: Tree | None = src.tree
    with _lock:
        if _memo["tree"] is not tree:
            _memo.update(tree=tree, writes={}, dead=None)
        return _memo


def _scope(node: Node) -> Node | None:
    p = node.parent
    while p is not None and p.type not in FUNCTION_TYPES:
        p = p.parent
    return p


def _writes(src: SourceFile, fn: Node) -> _Writes:
    state = _state(src)
    cache: dict[int, _Writes] = state["writes"]  # type: ignore[assignment]
    got = cache.get(fn.id)
    if got is not None:
        return got
    w = _Writes()
    body = fn.child_by_field_name("body")
    stack = list(body.named_children) if body is not None else []
    params = fn.child_by_field_name("parameters") or fn.child_by_field_name("parameter")
    for p in (params.named_children if params.type == "formal_parameters" else [params]) if params is not None else []:
        # a parameter is a write the caller makes
        for n in _ids(p):
            w.names.setdefault(text(src, n), []).append(p)
    while stack:
        n = stack.pop()
        t = n.type
        if t in FUNCTION_TYPES:
            # closures may write the outer names too: count their writes, not their locals' reads
            stack.extend(c for c in n.named_children if c.type != "formal_parameters")
            continue
        if t == "variable_declarator":
            name = n.child_by_field_name("name")
            if name is not None and name.type == "identifier":
                w.names.setdefault(text(src, name), []).append(n)
        elif t in ("assignment_expression", "augmented_assignment_expression", "update_expression"):
            left = unwrap(n.child_by_field_name("left") or n.child_by_field_name("argument"))
            if left is not None and left.type == "identifier":
                w.names.setdefault(text(src, left), []).append(n)
            elif left is not None and left.type in ("member_expression", "subscript_expression"):
                obj = unwrap(left.child_by_field_name("object"))
                if obj is not None and obj.type == "identifier":
                    key: str | None = None
                    if left.type == "member_expression":
                        key = text(src, left.child_by_field_name("property"))
                    else:
                        key = string_value(src, left.child_by_field_name("index"))
                    w.members.setdefault(text(src, obj), set()).add(key)
        elif t == "call_expression":
            fnode = unwrap(n.child_by_field_name("function"))
            if fnode is not None and fnode.type == "member_expression":
                obj = unwrap(fnode.child_by_field_name("object"))
                if obj is not None and obj.type == "identifier":
                    # `list.push(x)`, `Object.assign(o, ...)`-style changes through a method
                    w.members.setdefault(text(src, obj), set()).add(None)
            args = n.child_by_field_name("arguments")
            first = unwrap(args.named_children[0]) if args is not None and args.named_children else None
            if first is not None and first.type == "identifier" and _MERGE_CALL.search(text(src, fnode)):
                # `Object.assign(opts, more)`, `_.merge(opts, more)` change their first argument
                w.members.setdefault(text(src, first), set()).add(None)
        elif t in ("for_in_statement",):
            left = unwrap(n.child_by_field_name("left"))
            for i in _ids(left) if left is not None else []:
                w.names.setdefault(text(src, i), []).append(n)
        stack.extend(n.named_children)
    cache[fn.id] = w
    return w


def _ids(node: Node) -> list[Node]:
    out, stack = [], [node]
    while stack:
        n = stack.pop()
        if n.type in ("identifier", "shorthand_property_identifier_pattern"):
            out.append(n)
        elif n.type not in FUNCTION_TYPES:
            stack.extend(n.named_children)
    return out


def _live_write(src: SourceFile, name: Node, depth: int) -> Node | None:
    """The initializer of the one live declaration of a local name, else None."""
    fn = _scope(name)
    if fn is None:
        return None
    writes = [w for w in _writes(src, fn).names.get(text(src, name), []) if not _dead(src, w, depth + 1)]
    if len(writes) != 1 or writes[0].type != "variable_declarator":
        return None
    decl = writes[0]
    if decl.start_byte > name.start_byte:
        return None  # used before it is declared (a hoisted var)
    return decl.child_by_field_name("value")


def local_object(src: SourceFile, node: Node | None, depth: int = 0) -> Node | None:
    """The object literal a local name was declared with and nothing writes into."""
    node = unwrap(node)
    if node is None or node.type != "identifier" or depth > _MAX_DEPTH:
        return None
    value = unwrap(_live_write(src, node, depth))
    fn = _scope(node)
    if value is None or value.type != "object" or fn is None:
        return None
    if _writes(src, fn).members.get(text(src, node)):
        return None
    return value


def constant_value(src: SourceFile, node: Node | None, depth: int = 0) -> object:
    """The value `node` always has, or UNKNOWN (see the module doc)."""
    node = unwrap(node)
    if node is None or depth > _MAX_DEPTH:
        return UNKNOWN
    t = node.type
    if t == "true":
        return True
    if t == "false":
        return False
    if t in ("null", "undefined"):
        return None
    if t == "number":
        try:
            return float(text(src, node).replace("_", ""))
        except ValueError:
            return UNKNOWN
    s = string_value(src, node)
    if s is not None:
        return s
    if t == "unary_expression":
        op = text(src, node.child_by_field_name("operator"))
        v = constant_value(src, node.child_by_field_name("argument"), depth + 1)
        if v is UNKNOWN:
            return UNKNOWN
        if op == "!":
            return not v
        if op == "-" and isinstance(v, float):
            return -v
        return UNKNOWN
    if t == "binary_expression":
        op = text(src, node.child_by_field_name("operator"))
        left = constant_value(src, node.child_by_field_name("left"), depth + 1)
        if op == "&&" and left is not UNKNOWN and not left:
            return left
        if op == "||" and left is not UNKNOWN and left:
            return left
        right = constant_value(src, node.child_by_field_name("right"), depth + 1)
        if left is UNKNOWN or right is UNKNOWN:
            return UNKNOWN
        if op in ("&&", "||"):
            return right
        try:
            if op in _COMPARE and type(left) is type(right):
                return _COMPARE[op](left, right)
            if op in _ARITH and isinstance(left, float) and isinstance(right, float):
                return _ARITH[op](left, right)
            if op == "+" and isinstance(left, str) and isinstance(right, str):
                return left + right
        except (ZeroDivisionError, TypeError):
            return UNKNOWN
        return UNKNOWN
    if t == "identifier":
        value = _live_write(src, node, depth)
        if value is None:
            return UNKNOWN
        return constant_value(src, value, depth + 1)  # objects and arrays are UNKNOWN: only primitives
    if t in ("member_expression", "subscript_expression"):
        obj = local_object(src, node.child_by_field_name("object"), depth + 1)
        if obj is None:
            return UNKNOWN
        key = (text(src, node.child_by_field_name("property")) if t == "member_expression"
               else string_value(src, node.child_by_field_name("index")))
        for pair in obj.named_children:
            if pair.type != "pair":
                continue
            k = pair.child_by_field_name("key")
            kname = string_value(src, k) if k is not None and k.type == "string" else text(src, k)
            if kname == key:
                return constant_value(src, pair.child_by_field_name("value"), depth + 1)
        return UNKNOWN
    return UNKNOWN


def truth(src: SourceFile, node: Node | None) -> bool | None:
    """True/False when `node` always tests that way, else None."""
    v = constant_value(src, node)
    return None if v is UNKNOWN else bool(v)


def _dead(src: SourceFile, node: Node, depth: int) -> bool:
    """`node` lies in the branch of an `if` whose condition always picks the other branch."""
    if depth > _MAX_DEPTH:
        return False
    child, p = node, node.parent
    while p is not None and p.type not in FUNCTION_TYPES:
        if p.type == "if_statement":
            taken = None
            if child == p.child_by_field_name("consequence"):
                taken = True
            elif child == p.child_by_field_name("alternative"):
                taken = False
            if taken is not None:
                v = constant_value(src, p.child_by_field_name("condition"), depth + 1)
                if v is not UNKNOWN and bool(v) != taken:
                    return True
        child, p = p, p.parent
    return False


def is_dead(src: SourceFile, node: Node) -> bool:
    """`node` sits in a branch that never runs (its `if` condition is constant)."""
    return _dead(src, node, 0)


def dead_ranges(src: SourceFile, ifs: list[Node]) -> list[tuple[int, int]]:
    """Byte ranges of the branches that never run, among the file's `if` statements (sorted)."""
    state = _state(src)
    if state["dead"] is not None:
        return state["dead"]  # type: ignore[return-value]
    out: list[tuple[int, int]] = []
    for node in ifs:
        cond = node.child_by_field_name("condition")
        if cond is None or _scope(node) is None:
            continue
        v = constant_value(src, cond)
        if v is UNKNOWN or is_dead(src, node):
            continue
        branch = node.child_by_field_name("alternative") if v else node.child_by_field_name("consequence")
        if branch is not None:
            out.append((branch.start_byte, branch.end_byte))
    out.sort()
    with _lock:
        if _memo["tree"] is src.tree:
            _memo["dead"] = out
    return out

"""Tree helpers shared by the JS/TS checks, and the per-file node index.

The index is built with one compiled tree-sitter query per grammar (the query runs in C,
about twice as fast as walking the tree from Python) and is memoised for the tree it was
built from, so the several JS checks that run on one file share a single pass.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cache
from threading import Lock

from tree_sitter import Node, Query, QueryCursor, Tree

from auditor.scan.interface import SourceFile
from auditor.scan.languages import grammar

JS_LANGUAGES: frozenset[str] = frozenset({"javascript", "typescript", "tsx"})

# Wrappers that do not change a value for dataflow purposes.
TRANSPARENT: frozenset[str] = frozenset(
    {"parenthesized_expression", "await_expression", "as_expression", "non_null_expression",
     "satisfies_expression", "type_assertion"}
)
FUNCTION_TYPES: tuple[str, ...] = (
    "function_declaration", "function_expression", "function", "arrow_function",
    "method_definition", "generator_function_declaration", "generator_function",
)

# capture name -> node types it collects
_CAPTURES: dict[str, tuple[str, ...]] = {
    "call": ("call_expression",),
    "new": ("new_expression",),
    "decl": ("variable_declarator",),
    "assign": ("assignment_expression", "augmented_assignment_expression"),
    "func": FUNCTION_TYPES,
    "if": ("if_statement",),
    "forin": ("for_in_statement",),
    "pair": ("pair",),
    "jsxattr": ("jsx_attribute",),
    "import": ("import_statement",),
    "cmp": ("binary_expression",),
    "ternary": ("ternary_expression",),
}


@cache
def _query(language: str) -> Query:
    """One query per grammar, compiled once per process. Node types a grammar lacks
    (`function` vs `function_expression` across grammar versions) are left out."""
    lang = grammar(language)
    parts = []
    for name, types in _CAPTURES.items():
        known = [t for t in types if lang.id_for_node_kind(t, True)]
        if known:
            parts.append("[" + " ".join(f"({t})" for t in known) + f"] @{name}")
    return Query(lang, "\n".join(parts))


@dataclass
class JsIndex:
    """The nodes of one file the JS checks look at, by kind, in document order."""

    nodes: dict[str, list[Node]] = field(default_factory=dict)
    bindings: dict[str, str] = field(default_factory=dict)  # local name -> module[.export]
    modules: set[str] = field(default_factory=set)  # every module imported or required

    def get(self, kind: str) -> list[Node]:
        return self.nodes.get(kind, [])

    def calls_within(self, scope: Node) -> list[Node]:
        """The indexed calls inside `scope`, found by bisecting the sorted call list."""
        calls = self.get("call")
        i = bisect_left(calls, scope.start_byte, key=lambda n: n.start_byte)
        out = []
        while i < len(calls) and calls[i].start_byte < scope.end_byte:
            out.append(calls[i])
            i += 1
        return out


_memo_lock = Lock()
_memo: list[tuple[Tree, JsIndex]] = []  # one slot: the last tree indexed (held, so ids stay valid)


def index(src: SourceFile) -> JsIndex | None:
    """The node index of `src`, or None for empty files and trees with syntax errors (we
    would rather say nothing than guess on a half-parsed file)."""
    tree = src.tree
    if tree is None or not src.text.strip() or tree.root_node.has_error:
        return None
    with _memo_lock:
        if _memo and _memo[0][0] is tree:
            return _memo[0][1]
    caps = QueryCursor(_query(src.language or "javascript")).captures(tree.root_node)
    idx = JsIndex(nodes={k: sorted(v, key=lambda n: n.start_byte) for k, v in caps.items()})
    _collect_bindings(src, idx)
    with _memo_lock:
        _memo[:] = [(tree, idx)]
    return idx


# -- small helpers -------------------------------------------------------------------------

def text(src: SourceFile, node: Node | None) -> str:
    return "" if node is None else src.node_text(node)


def mentions(source: str, needles: tuple[str, ...]) -> bool:
    """Substring prefilter: `in` runs at memchr speed, far faster than an alternation regex
    over a whole file, so each check first asks whether its names occur at all."""
    return any(n in source for n in needles)


def unwrap(node: Node | None) -> Node | None:
    while node is not None and node.type in TRANSPARENT:
        inner = node.named_children
        node = inner[0] if inner else None
    return node


def string_value(src: SourceFile, node: Node | None) -> str | None:
    """The value of a string literal or a template without substitutions, else None."""
    node = unwrap(node)
    if node is None:
        return None
    if node.type == "string":
        return text(src, node)[1:-1]
    if node.type == "template_string" and not any(c.type == "template_substitution" for c in node.named_children):
        return text(src, node)[1:-1]
    return None


def is_constant(src: SourceFile, node: Node | None) -> bool:
    """Literals and expressions built only from literals (no names, no calls)."""
    node = unwrap(node)
    if node is None:
        return True
    t = node.type
    if t in ("string", "number", "true", "false", "null", "undefined", "regex"):
        return True
    if t == "template_string":
        return all(c.type != "template_substitution" for c in node.named_children)
    if t == "binary_expression":
        return is_constant(src, node.child_by_field_name("left")) and is_constant(src, node.child_by_field_name("right"))
    if t == "array":
        return all(is_constant(src, c) for c in node.named_children)
    if t == "object":
        return all(c.type == "pair" and is_constant(src, c.child_by_field_name("value")) for c in node.named_children if c.type != "comment")
    return False


def chain(src: SourceFile, node: Node | None) -> list[str] | None:
    """`req.query.id` -> ['req', 'query', 'id']; `a['b']` -> ['a', 'b']; `a[i]` -> ['a', '[]'].
    None when the chain does not start at a name (a call, a literal...)."""
    parts: list[str] = []
    node = unwrap(node)
    while node is not None:
        t = node.type
        if t == "member_expression":
            prop = node.child_by_field_name("property")
            parts.append(text(src, prop))
            node = unwrap(node.child_by_field_name("object"))
        elif t == "subscript_expression":
            idx = node.child_by_field_name("index")
            parts.append(string_value(src, idx) or "[]")
            node = unwrap(node.child_by_field_name("object"))
        elif t in ("identifier", "this", "property_identifier", "shorthand_property_identifier"):
            parts.append(text(src, node))
            parts.reverse()
            return parts
        else:
            return None
    return None


def callee_name(src: SourceFile, call: Node) -> str:
    """The last name of a callee (`send` for `res.status(500).send`), cheap enough to gate
    the costlier resolution on."""
    # unwrap: tree-sitter-typescript parses `await pool.query<Row>(sql)` as a call whose
    # callee is `await pool.query` (type arguments bind tighter than await), so the name
    # sits under an await_expression.
    fn = unwrap(call.child_by_field_name("function") or call.child_by_field_name("constructor"))
    if fn is None:
        return ""
    if fn.type == "member_expression":
        fn = fn.child_by_field_name("property")
    return text(src, fn) if fn is not None and fn.type in ("identifier", "property_identifier", "private_property_identifier") else ""


def callee_parts(src: SourceFile, call: Node) -> list[str]:
    """The callee of a call or new expression as names; unknown links become '?'.
    `(await getDb()).query` -> ['?', 'query']; `require('fs').readFile` -> ['fs', 'readFile']."""
    fn = unwrap(call.child_by_field_name("function") or call.child_by_field_name("constructor"))
    parts: list[str] = []
    while fn is not None:
        if fn.type == "member_expression":
            parts.append(text(src, fn.child_by_field_name("property")))
            fn = unwrap(fn.child_by_field_name("object"))
            continue
        if fn.type in ("identifier", "this"):
            parts.append(text(src, fn))
        elif fn.type == "call_expression" and text(src, fn.child_by_field_name("function")) == "require":
            parts.append(module_name(require_target(src, fn) or "?"))
        elif fn.type == "call_expression":
            # chained calls keep their receiver: res.status(404).send -> res.status.send
            fn = unwrap(fn.child_by_field_name("function"))
            continue
        else:
            parts.append("?")
        break
    parts.reverse()
    return parts


def resolve(src: SourceFile, idx: JsIndex, call: Node) -> tuple[str, ...]:
    """The callee with its first name replaced by the module it is bound to:
    `cp.exec` with `cp = require('child_process')` -> ('child_process', 'exec');
    `exec` from `{ exec } = require('child_process')` -> ('child_process', 'exec')."""
    parts = callee_parts(src, call)
    bound = idx.bindings.get(parts[0]) if parts else None
    if bound:
        return (*bound.split("|"), *parts[1:])
    return tuple(parts)


def args_of(call: Node) -> list[Node]:
    args = call.child_by_field_name("arguments")
    if args is None or args.type != "arguments":
        return []
    return [a for a in args.named_children if a.type != "comment"]


def is_tagged_template(call: Node) -> bool:
    args = call.child_by_field_name("arguments")
    return args is not None and args.type == "template_string"


def object_props(src: SourceFile, node: Node | None) -> dict[str, Node]:
    """Keys of an object literal -> value nodes (shorthand `{ id }` maps to the identifier)."""
    node = unwrap(node)
    out: dict[str, Node] = {}
    if node is None or node.type != "object":
        return out
    for child in node.named_children:
        if child.type == "pair":
            key = child.child_by_field_name("key")
            name = string_value(src, key) if key is not None and key.type == "string" else text(src, key)
            value = child.child_by_field_name("value")
            if value is not None:
                out[name] = value
        elif child.type == "shorthand_property_identifier":
            out[text(src, child)] = child
    return out


def pattern_names(src: SourceFile, node: Node | None) -> list[tuple[str, bool]]:
    """Names bound by a declaration target, each with True when it is a `...rest` name."""
    out: list[tuple[str, bool]] = []
    if node is None:
        return out
    stack: list[tuple[Node, bool]] = [(node, False)]
    while stack:
        n, rest = stack.pop()
        t = n.type
        if t in ("identifier", "shorthand_property_identifier_pattern"):
            out.append((text(src, n), rest))
        elif t == "rest_pattern":
            stack.extend((c, True) for c in n.named_children)
        elif t == "pair_pattern":
            value = n.child_by_field_name("value")
            if value is not None:
                stack.append((value, rest))
        elif t == "assignment_pattern" or t == "object_assignment_pattern":
            left = n.child_by_field_name("left")
            if left is not None:
                stack.append((left, rest))
        elif t in ("object_pattern", "array_pattern"):
            stack.extend((c, False) for c in n.named_children)
    return out


def enclosing_function(node: Node) -> Node | None:
    parent = node.parent
    while parent is not None:
        if parent.type in FUNCTION_TYPES:
            return parent
        parent = parent.parent
    return None


def params_of(fn: Node) -> list[Node]:
    params = fn.child_by_field_name("parameters")
    if params is None:
        single = fn.child_by_field_name("parameter")
        return [single] if single is not None else []
    return [p for p in params.named_children if p.type != "comment"]


def param_target(param: Node) -> Node:
    """The binding pattern of a parameter (TS wraps it in required/optional_parameter)."""
    if param.type in ("required_parameter", "optional_parameter"):
        return param.child_by_field_name("pattern") or param
    if param.type == "assignment_pattern":
        return param.child_by_field_name("left") or param
    return param


def method_decorators(src: SourceFile, fn: Node) -> str:
    """The text of the decorators written above a class method (`@Get('x') @Header(...)`),
    comments between them skipped; "" for anything but a method."""
    if fn.type != "method_definition":
        return ""
    out = []
    prev = fn.prev_named_sibling
    while prev is not None and prev.type in ("decorator", "comment"):
        if prev.type == "decorator":
            out.append(text(src, prev))
        prev = prev.prev_named_sibling
    return " ".join(out)


_NEST_ROUTE_METHOD = re.compile(r"@(?:Get|Post|Put|Patch|Delete|All|Head|Options)\(")
_RESPONDERS = frozenset({"res", "response", "reply", "resp", "ctx"})


_COMMENT = re.compile(r"(?<![:'\"])//[^\n]*|/\*.*?\*/", re.S)


def without_comments(source: str) -> str:
    """Text without comments, so words in comments neither prove nor disprove a check."""
    return _COMMENT.sub("", source)


_QUOTED = re.compile(r"'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"")


def without_strings(source: str) -> str:
    """Text with each single- or double-quoted literal emptied (`''`), so words in messages
    neither prove nor disprove a check."""
    return _QUOTED.sub("''", source)


_KOA_BODY = re.compile(r"^(?:ctx|context|this)\s*\.\s*(?:response\s*\.\s*)?body$")


def koa_body(src: SourceFile, left: Node | None) -> bool:
    """`left` is Koa's response body (`ctx.body`, `ctx.response.body`; `this.body` in Koa 1)."""
    return left is not None and left.type == "member_expression" and _KOA_BODY.match(text(src, left)) is not None


def response_object(src: SourceFile, obj: Node) -> bool:
    """`obj` (an object literal, or one nested in object literals) is what a route answers
    with: returned by a Nest route handler (directly or through a variable it returns),
    passed to `res.json/send/end` or `NextResponse.json`/`Response.json`, or given to Koa as its
    body (`ctx.body = {...}`)."""
    while obj.parent is not None and obj.parent.type in ("pair", "object", "array", "parenthesized_expression"):
        obj = obj.parent
    holder = obj.parent
    if holder is None:
        return False
    if holder.type == "arguments" and holder.parent is not None and holder.parent.type == "call_expression":
        parts = callee_parts(src, holder.parent)
        if parts[:1] in (["NextResponse"], ["Response"]) and parts[-1:] == ["json"]:
            return True  # Next.js route handlers / Fetch API: NextResponse.json({...}), Response.json({...})
        return len(parts) >= 2 and parts[-1] in ("json", "send", "end") and parts[0] in _RESPONDERS
    if holder.type == "assignment_expression":
        return koa_body(src, holder.child_by_field_name("left"))
    fn = enclosing_function(obj)
    if fn is None or not _NEST_ROUTE_METHOD.search(method_decorators(src, fn)):
        return False
    if holder.type == "return_statement":
        return True
    name = holder.child_by_field_name("name") if holder.type == "variable_declarator" else None
    if name is None:
        return False
    body = text(src, fn.child_by_field_name("body"))
    return re.search(rf"\breturn\s+{re.escape(text(src, name))}\s*;?\s*(?:$|\n|\}})", body) is not None


def param_decorators(src: SourceFile, param: Node) -> list[str]:
    """Names of NestJS-style parameter decorators: `@Param('id') id` -> ['Param']."""
    names = []
    for child in param.children:
        if child.type == "decorator":
            inner = child.named_children[0] if child.named_children else None
            if inner is not None and inner.type == "call_expression":
                inner = inner.child_by_field_name("function")
            names.append(text(src, inner))
    return names


def has_directive(src: SourceFile, block: Node | None, directive: str) -> bool:
    """True when the directive prologue of a program or function body (`'use server';` as a
    leading string statement) holds `directive`."""
    if block is None:
        return False
    for stmt in block.named_children:
        if stmt.type == "comment":
            continue
        if stmt.type != "expression_statement" or not stmt.named_children or stmt.named_children[0].type != "string":
            return False
        if string_value(src, stmt.named_children[0]) == directive:
            return True
    return False


def is_exported(fn: Node) -> bool:
    """`export [default] async function f` or `export const f = async () => ...`."""
    holder = fn.parent
    if holder is not None and holder.type == "variable_declarator":
        holder = holder.parent.parent if holder.parent is not None else None
    return holder is not None and holder.type == "export_statement"


def is_server_action(src: SourceFile, fn: Node, file_server: bool) -> bool:
    """A Next.js server action: an exported function of a `'use server'` file, or a function
    whose own body starts with `'use server'`. Its arguments arrive from the client as-is
    (TypeScript types are not checked at run time)."""
    if file_server and is_exported(fn):
        return True
    body = fn.child_by_field_name("body")
    return body is not None and body.type == "statement_block" and has_directive(src, body, "use server")


def module_name(spec: str) -> str:
    """Normalise a module specifier: `node:fs/promises` -> `fs`."""
    if spec.startswith("node:"):
        spec = spec[5:]
    if spec == "fs/promises":
        return "fs"
    return spec


def require_target(src: SourceFile, call: Node) -> str | None:
    args = args_of(call)
    return string_value(src, args[0]) if args else None


def _collect_bindings(src: SourceFile, idx: JsIndex) -> None:
    """Names bound to modules by `import` and `require`. A binding is `module` for a
    default/namespace import, `module|export` for a named one (`|` keeps the module name,
    which may hold dots or slashes, apart from the export)."""
    for imp in idx.get("import"):
        source = imp.child_by_field_name("source")
        spec = string_value(src, source)
        if spec is None:
            continue
        mod = module_name(spec)
        idx.modules.add(mod)
        clause = next((c for c in imp.named_children if c.type == "import_clause"), None)
        if clause is None:
            continue
        for c in clause.named_children:
            if c.type == "identifier":
                idx.bindings[text(src, c)] = mod
            elif c.type == "namespace_import":
                for n in c.named_children:
                    if n.type == "identifier":
                        idx.bindings[text(src, n)] = mod
            elif c.type == "named_imports":
                for spec_node in c.named_children:
                    if spec_node.type != "import_specifier":
                        continue
                    name = spec_node.child_by_field_name("name")
                    alias = spec_node.child_by_field_name("alias") or name
                    idx.bindings[text(src, alias)] = f"{mod}|{text(src, name)}"
    if "require" not in src.text:
        return
    for decl in idx.get("decl"):
        value = unwrap(decl.child_by_field_name("value"))
        target = decl.child_by_field_name("name")
        member = None
        if value is not None and value.type == "member_expression":
            # const fsp = require('fs').promises
            inner = unwrap(value.child_by_field_name("object"))
            if inner is not None and inner.type == "call_expression":
                member, value = text(src, value.child_by_field_name("property")), inner
        if value is None or target is None or value.type != "call_expression":
            continue
        fn = value.child_by_field_name("function")
        if fn is not None and fn.type == "member_expression" and member is None:
            # const exec = require('child_process').exec
            member = text(src, fn.child_by_field_name("property"))
            fn = unwrap(fn.child_by_field_name("object"))
            if fn is None or fn.type != "call_expression":
                continue
            value, fn = fn, fn.child_by_field_name("function")
        if fn is None or text(src, fn) != "require":
            continue
        spec = require_target(src, value)
        if spec is None:
            continue
        mod = module_name(spec)
        idx.modules.add(mod)
        if target.type == "identifier":
            idx.bindings[text(src, target)] = f"{mod}|{member}" if member else mod
        elif target.type == "object_pattern":
            for child in target.named_children:
                if child.type == "shorthand_property_identifier_pattern":
                    idx.bindings[text(src, child)] = f"{mod}|{text(src, child)}"
                elif child.type == "pair_pattern":
                    key, val = child.child_by_field_name("key"), child.child_by_field_name("value")
                    if key is not None and val is not None and val.type == "identifier":
                        idx.bindings[text(src, val)] = f"{mod}|{text(src, key)}"

"""Rails controller -> view flows: request input an action stores in an `@ivar` (or passes as
`render ..., locals: {k: v}`) reaches the view the action renders. A view that prints that
name unescaped (`<%== @x %>`, `raw(@x)`, `@x.html_safe`; HAML `!=`, Slim `==`) or uses it
as a `link_to` target (a `javascript:` URL is not escaped away) is XSS, reported on the
view line with the steps from the params read in the controller.

Which view an action renders follows Rails' conventions: `app/views/<controller>/<action>`,
plus every explicit `render :other`, `render "dir/name"`, `render template:/action:/partial:`
in the action. Ivars set by the controller's `before_action` callbacks count as set before
the action. The controller is lowered and solved by the Ruby front-end of the dataflow core
(`lower.py`), through the project index, so a value built by a helper or a service is
followed as in any other Ruby flow.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tree_sitter import Node

from auditor.scan.checks.ruby.lower import FRONTEND, RENDER_LOCAL, lower_file
from auditor.scan.checks.ruby.rbsyntax import call_parts, keyword_value
from auditor.scan.dataflow import ir
from auditor.scan.dataflow.ir import INPUT, names_in
from auditor.scan.dataflow.solver import Solver, Step, Taint, _Walk
from auditor.scan.interface import SourceFile
from auditor.scan.treeutil import find_all, text

VIEW_PATH = re.compile(r"^(?P<base>(?:.*/)?)app/views/(?P<dir>.+)/(?P<name>[^/.]+)(?:\.[\w+]+)*\.(?:erb|haml|slim)$")
CONTROLLER_PATH = re.compile(r"^(?P<base>(?:.*/)?)app/controllers/(?P<dir>.+)_controller\.rb$")
# An assignment whose value is marked safe HTML: `raw(x)`, `x.html_safe`, `SafeBuffer.new(x)`.
MARKS_SAFE = re.compile(r"(?<![\w.:@])raw(?:\s*\(|\s+[@\w])|\.html_safe\b|\bSafeBuffer\.new\b")
CALLBACK = re.compile(r"^\s*(?:before_action|before_filter|prepend_before_action)\s+((?::\w+\s*,?\s*)+)", re.M)


@dataclass(frozen=True)
class ViewInput:
    """A name a view reads (`@x`, or a local `x`) that holds request input, with its steps."""

    name: str
    action: str  # Controller#action
    steps: tuple[Step, ...]
    marked: bool = False  # marked safe HTML in the controller (`raw(x)`, `x.html_safe`): `<%= @x %>` prints it as is


class _OriginWalk(_Walk):
    """A walk that also remembers, per variable holding request input, the assignments that
    brought it there (path:line steps from the read to the variable)."""

    def __init__(self, solver: Solver, module: ir.Module, fn: ir.Function, lines: list[int],
                 seed: dict[str, tuple[Taint, tuple[Step, ...]]], data: bytes = b"",
                 marked: frozenset[str] = frozenset()) -> None:
        super().__init__(solver, module, fn)
        self.lines = lines  # byte offset of each line start, for Assign.at -> line
        self.data = data  # the controller's bytes, to read an assignment's text
        self.origin: dict[str, tuple[Step, ...]] = {}
        self.marked: set[str] = set(marked)  # names holding input marked safe HTML
        for name, (taint, steps) in seed.items():
            self.env[name] = taint
            self.origin[name] = steps

    def assigned(self, name: str, value: ir.Expr, taint: Taint) -> None:
        if taint.level(self.fn.initial) < INPUT:
            self.origin.pop(name, None)
            self.marked.discard(name)
            return
        at = self.defined.get(name, 0)
        stmt = self.data[at:self.data.find(b"\n", at) if b"\n" in self.data[at:] else None].decode("utf-8", "replace")
        if MARKS_SAFE.search(stmt.partition("=")[2]) or (names_in(value) & self.marked):
            self.marked.add(name)
        else:
            self.marked.discard(name)
        stmt_line = self._line_of(name)
        shown = name if not name.startswith(RENDER_LOCAL) else "locals: " + name.rpartition(":")[2]
        earlier = next((self.origin[n] for n in sorted(names_in(value)) if n in self.origin), ())
        note = f"request input {'assigned to' if earlier else 'read into'} {shown} in {self.fn.key}"
        self.origin[name] = (*earlier, (self.module.path, stmt_line, note))

    def _line_of(self, name: str) -> int:
        at = self.defined.get(name, 0)  # the assignment just walked
        lo, hi = 0, len(self.lines)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.lines[mid] <= at:
                lo = mid + 1
            else:
                hi = mid
        return max(lo, 1)


def _line_starts(data: bytes) -> list[int]:
    out = [0]
    i = data.find(b"\n")
    while i != -1:
        out.append(i + 1)
        i = data.find(b"\n", i + 1)
    return out


def _render_targets(src: SourceFile, method: Node, controller_dir: str, action: str = "") -> list[tuple[str, int]]:
    """(view key `dir/name`, byte offset of the render call) for each explicit render, and for a
    render that only passes locals (`render locals: {..}`: the action's own view)."""
    out: list[tuple[str, int]] = []
    for call in find_all("ruby", method, ("call",)):
        name, receiver, args = call_parts(src, call)
        if name != "render" or receiver:
            continue
        target, partial = None, False
        for key in ("template", "action", "partial"):
            value = keyword_value(src, args, key)
            if value is not None:
                target, partial = text(src, value), key == "partial"
                break
        if target is None:
            first = next((a for a in args if a.type in ("simple_symbol", "string")), None)
            target = text(src, first) if first is not None else None
        if not target and action and keyword_value(src, args, "locals") is not None:
            target = action
        if not target:
            continue
        target = target.strip(":'\"")
        if not re.fullmatch(r"[\w/]+", target):
            continue
        folder, _, leaf = target.rpartition("/")
        leaf = f"_{leaf}" if partial else leaf
        out.append((f"{folder or controller_dir}/{leaf}", call.start_byte))
    return out


def controller_view_inputs(src: SourceFile) -> dict[str, list[ViewInput]]:
    """For one controller file: view key (`users/show`) -> the names holding request input
    that the view may read, from every action that renders it."""
    m = CONTROLLER_PATH.match(src.path)
    index = src.index
    if m is None or src.tree is None:
        return {}
    ctrl_dir = m.group("dir")

    def load(rel: str) -> ir.Module | None:
        return index.memo("dataflow:ruby", rel, lower_file) if index is not None else None

    module = load(src.path) or lower_file(src)
    solver = Solver(FRONTEND, index, load)
    lines = _line_starts(src.data)
    methods = {n.start_point[0] + 1: n for n in find_all("ruby", src.tree.root_node, ("method",))}
    by_name = {fn.name: fn for fn in module.functions if "#" in fn.key}
    seed: dict[str, tuple[Taint, tuple[Step, ...]]] = {}
    seed_marked: set[str] = set()
    for group in CALLBACK.findall(src.text):
        for cb in re.findall(r":(\w+)", group):
            fn = by_name.get(cb)
            if fn is not None:
                walk = _OriginWalk(solver, module, fn, lines, {}, src.data)
                walk.run()
                seed.update({k: (walk.env[k], v) for k, v in walk.origin.items() if k.startswith("@")})
                seed_marked.update(k for k in walk.marked if k.startswith("@"))
    out: dict[str, list[ViewInput]] = {}
    for fn in module.functions:
        if "#" not in fn.key or not fn.owner.endswith("Controller") or fn.params:
            continue
        walk = _OriginWalk(solver, module, fn, lines, seed, src.data, frozenset(seed_marked))
        walk.run()
        ivars = [ViewInput(k, fn.key, v, k in walk.marked) for k, v in walk.origin.items() if k.startswith("@")]
        node = methods.get(fn.line)
        renders = _render_targets(src, node, ctrl_dir, fn.name) if node is not None else []
        for view, _ in [(f"{ctrl_dir}/{fn.name}", -1), *renders]:
            out.setdefault(view, []).extend(i for i in ivars if i not in out.get(view, []))
        for view, at in renders:
            prefix = f"{RENDER_LOCAL}{at}:"
            out.setdefault(view, []).extend(ViewInput(k[len(prefix):], fn.key, v, k in walk.marked)
                                            for k, v in walk.origin.items() if k.startswith(prefix))
    return out


def view_inputs(src: SourceFile) -> list[ViewInput]:
    """The request-input names the controllers of `src`'s app hand to this view (needs the
    project index: a bare one-file scan knows no controller)."""
    m = VIEW_PATH.match(src.path)
    index = src.index
    if m is None or index is None:
        return []
    base, key = m.group("base"), f"{m.group('dir')}/{m.group('name')}"
    found: list[ViewInput] = []
    for rel in index.files_under(base + "app/controllers", "_controller.rb"):
        table = index.memo("rails:view-inputs", rel, controller_view_inputs)
        found.extend((table or {}).get(key, ()))
    return found

"""The one taint solver over the intermediate form (`ir`).

A value's taint is a `Taint`: its own level (CLEAN, DYNAMIC, INPUT) plus the parameters of
the enclosing function that flow into it, kept symbolic. Walking a function once, in
source order, gives both its findings (a sink whose value reaches the sink's level, with
each parameter at its level inside the function) and its `Summary`: which parameters
reach which sink kinds, which reach the return value, and how tainted the return is on
its own (request input read inside the function).

At a call that the language's resolver maps to a function of the project (this file or
another one, found through the project index), the callee's summary replaces the
front-end's guess: the return value is the summary's, and request input passed to a
parameter that reaches a sink is reported at the call, with the steps as `trace`.
Summaries are solved bottom-up on demand, memoised per file, guarded against recursion
and depth, and kept in the on-disk summary cache keyed by the callee file's content, so a
one-file scan reuses what was learnt about the unchanged files.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from auditor.scan.dataflow.ir import (
    CLEAN,
    DYNAMIC,
    INPUT,
    Assign,
    Call,
    Cap,
    Const,
    Eval,
    Expr,
    Function,
    Guard,
    Join,
    Module,
    Return,
    Sink,
    Source,
    Var,
    names_in,
)

MAX_CALL_DEPTH = 4  # nested summaries solved from one function: handler -> service -> repo -> db helper
Step = tuple[str, int, str]


@dataclass(frozen=True, slots=True)
class Taint:
    own: int = CLEAN
    params: frozenset[int] = frozenset()  # parameters flowing in at full strength
    weak: frozenset[int] = frozenset()  # parameters flowing in through a Cap
    tagged: bool = False  # mentions a name that stands for a parameter (constructor ivars)

    def join(self, other: Taint) -> Taint:
        if not other.own and not other.params and not other.weak and not other.tagged:
            return self
        return Taint(max(self.own, other.own), self.params | other.params, self.weak | other.weak,
                     self.tagged or other.tagged)

    def level(self, initial: tuple[int, ...]) -> int:
        lvl = self.own
        for p in self.params:
            lvl = max(lvl, initial[p])
        for p in self.weak:
            lvl = max(lvl, min(initial[p], DYNAMIC))
        return lvl

    @property
    def from_param(self) -> bool:
        return bool(self.params or self.weak or self.tagged)


NOTHING = Taint()


@dataclass
class Summary:
    """What a function does with its parameters, as seen from a call."""

    returns: int = CLEAN  # the return value's own level (request input read inside)
    return_params: frozenset[int] = frozenset()
    return_weak: frozenset[int] = frozenset()
    # (parameter, sink kind, guardable, steps from the function's entry to the sink)
    sinks: list[tuple[int, str, bool, tuple[Step, ...]]] = field(default_factory=list)
    files: frozenset[str] = frozenset()  # files the summary was learnt from (cache dependencies)

    def to_json(self) -> dict[str, Any]:
        return {"r": self.returns, "rp": sorted(self.return_params), "rw": sorted(self.return_weak),
                "s": [[p, k, g, [list(s) for s in t]] for p, k, g, t in self.sinks], "f": sorted(self.files)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Summary:
        return cls(data["r"], frozenset(data["rp"]), frozenset(data["rw"]),
                   [(p, k, g, tuple((s[0], s[1], s[2]) for s in t)) for p, k, g, t in data["s"]],
                   frozenset(data["f"]))


@dataclass(frozen=True)
class Flow:
    """A sink reached: `level` is the value's strength, `via` the called function's name and
    file when the sink is inside a callee (then `trace` holds the steps)."""

    kind: str
    level: int
    from_param: bool
    line: int
    node: Any
    trace: tuple[Step, ...] = ()
    via: tuple[str, str] | None = None


class Frontend(Protocol):
    """What the solver needs from a language: its name, how to lower a file, and how to map a
    call to the function of the project it runs."""

    language: str

    def resolve(self, solver: Solver, module: Module, fn: Function, call: Call) -> tuple[Module, Function] | None:
        """The (module, function) `call` runs, or None when it is not a project function."""
        ...


@dataclass
class _Result:
    flows: list[Flow]
    summary: Summary


class Solver:
    """Solves one file's functions (and, through `frontend.resolve`, the callees they reach).
    `index` is the project index (None for a bare one-file scan); `load(path)` returns the
    lowered module of another project file (memoised by the front-end through the index)."""

    def __init__(self, frontend: Frontend, index: Any = None, load: Callable[[str], Module | None] | None = None) -> None:
        self.frontend = frontend
        self.index = index
        self.load = load
        self._results: dict[tuple[str, str], _Result] = {}
        self._from_cache: dict[tuple[str, str], Summary] = {}  # summaries read back (no flows)
        self._resolved: dict[tuple[str, ...], tuple[Module, Function] | None] = {}
        self._active: list[tuple[str, str]] = []

    # -- entry points ---------------------------------------------------------------------
    def flows(self, module: Module) -> list[Flow]:
        """Every sink reached in `module`'s functions."""
        out: list[Flow] = []
        for fn in module.functions:
            out.extend(self._analyse(module, fn).flows)
        return out

    def summary(self, module: Module, fn: Function) -> Summary | None:
        """`fn`'s summary, or None while it is being solved (recursion) or too deep."""
        key = (module.path, fn.key)
        if key in self._results:
            return self._results[key].summary
        if key in self._from_cache:
            return self._from_cache[key]
        if key in self._active or len(self._active) >= MAX_CALL_DEPTH:
            return None
        cached = self._cached(module, fn)
        if cached is not None:
            return cached
        crosses = bool(self._active) and module.path != self._active[-1][0]
        index = self.index
        if crosses and index is not None and not index.enter(module.path):
            return None
        try:
            summary = self._analyse(module, fn).summary
        finally:
            if crosses and index is not None:
                index.leave()
        self._store(module, fn, summary)
        return summary

    def resolve(self, module: Module, fn: Function, call: Call) -> tuple[Module, Function] | None:
        """The function `call` runs (memoised: the same name from the same place resolves once)."""
        key = (module.path, fn.owner, call.name, call.receiver, call.hint)
        if key not in self._resolved:
            self._resolved[key] = self.frontend.resolve(self, module, fn, call)
        return self._resolved[key]

    # -- the disk cache (summaries of other files) ----------------------------------------
    def _cache_key(self, fn: Function) -> str:
        return f"df:{self.frontend.language}:{fn.key}"

    def _cached(self, module: Module, fn: Function) -> Summary | None:
        index = self.index
        if index is None or index.cache is None or not self._active:
            return None
        file_hash = index.file_hash(module.path)
        data = index.cache.get(file_hash, index.summary_key(module.path, self._cache_key(fn)), index.file_hash) \
            if file_hash else None
        if data is None:
            return None
        try:
            summary = Summary.from_json(data)
        except (KeyError, TypeError, ValueError, IndexError):
            return None
        self._from_cache[(module.path, fn.key)] = summary
        return summary

    def _store(self, module: Module, fn: Function, summary: Summary) -> None:
        index = self.index
        if index is None or index.cache is None or not self._active:
            return
        file_hash = index.file_hash(module.path)
        if file_hash:
            index.cache.put(file_hash, index.summary_key(module.path, self._cache_key(fn)),
                            index.deps_of(sorted(summary.files | {module.path})), summary.to_json())

    # -- one function -----------------------------------------------------------------------
    def _analyse(self, module: Module, fn: Function) -> _Result:
        key = (module.path, fn.key)
        if key in self._results:
            return self._results[key]
        self._active.append(key)
        try:
            result = _Walk(self, module, fn).run()
        finally:
            self._active.pop()
        self._results[key] = result
        return result


class _Walk:
    """One pass over a function's statements in source order."""

    def __init__(self, solver: Solver, module: Module, fn: Function) -> None:
        self.solver = solver
        self.module = module
        self.fn = fn
        self.env: dict[str, Taint] = {p: Taint(params=frozenset({i})) for i, p in enumerate(fn.params)}
        self.guarded: set[str] = set()
        self.defined: dict[str, int] = {}  # where each variable was last assigned
        self.pending: dict[str, tuple[int, Taint]] = {}  # re-assigned in a branch: (branch end, value before)
        self.flows: list[Flow] = []
        self.summary = Summary(files=frozenset({module.path}))
        self._sink_seen: set[tuple[int, str]] = set()

    def run(self) -> _Result:
        for stmt in self.fn.body:
            if self.pending and not isinstance(stmt, Guard):
                self._leave_branches(stmt.at)
            if isinstance(stmt, Assign):
                values = [self.eval(v) for v in stmt.values]
                for name, t in zip(stmt.targets, values, strict=False):
                    before = self.env.get(name, NOTHING)
                    if stmt.augment:
                        t = t.join(before)
                    elif stmt.branch is not None and not stmt.branch[0] <= self.defined.get(name, -1) < stmt.branch[1]:
                        self.pending[name] = (stmt.branch[1], before)
                    else:
                        self.pending.pop(name, None)
                    self.env[name] = t
                    self.defined[name] = stmt.at
                    # A copy of values a guard checked (`@status = status.to_sym` after
                    # `if STATUSES.include?(status)`) is checked too.
                    carried = names_in(value_expr(stmt, name))
                    if carried and carried <= self.guarded:
                        self.guarded.add(name)
                    else:
                        self.guarded.discard(name)
                    self.assigned(name, value_expr(stmt, name), t)
            elif isinstance(stmt, Guard):
                self.guarded.update(stmt.names)
            elif isinstance(stmt, Sink):
                self._sink(stmt)
            elif isinstance(stmt, Eval):
                self._call_site(stmt)
            elif isinstance(stmt, Return):
                t = self.eval(stmt.value)
                s = self.summary
                s.returns = max(s.returns, t.own)
                s.return_params |= t.params
                s.return_weak |= t.weak
        return _Result(self.flows, self.summary)

    def assigned(self, name: str, value: Expr, taint: Taint) -> None:
        """Called after each assignment (a hook for walks that follow where values came from)."""

    def _leave_branches(self, at: int) -> None:
        """Past the end of a branch that re-assigned a variable, its earlier value is back."""
        for name, (end, before) in list(self.pending.items()):
            if at >= end:
                self.env[name] = self.env.get(name, NOTHING).join(before)
                del self.pending[name]

    # -- expressions ------------------------------------------------------------------------
    def eval(self, e: Expr, guarded: bool = False) -> Taint:
        if isinstance(e, Var):
            if guarded and e.name in self.guarded:
                return NOTHING
            found = self.env.get(e.name)
            if found is not None:
                return found
            return Taint(e.default, tagged=e.tagged) if e.default or e.tagged else NOTHING
        if isinstance(e, Const):
            return NOTHING
        if isinstance(e, Source):
            return Taint(e.level)
        if isinstance(e, Join):
            out = NOTHING
            for p in e.parts:
                out = out.join(self.eval(p, guarded))
            return out
        if isinstance(e, Cap):
            t = self.eval(e.inner, guarded)
            return Taint(min(t.own, e.level), frozenset(), t.params | t.weak, t.tagged)
        if isinstance(e, Call):
            return self._call_value(e, guarded)
        return NOTHING

    def _resolve(self, call: Call) -> tuple[Module, Function, Summary] | None:
        target = self.solver.resolve(self.module, self.fn, call)
        if target is None:
            return None
        summary = self.solver.summary(*target)
        return (target[0], target[1], summary) if summary is not None else None

    def _call_value(self, call: Call, guarded: bool) -> Taint:
        found = self._resolve(call)
        if found is None:
            return self.eval(call.fallback, guarded)
        _, callee, summary = found
        out = Taint(summary.returns)
        for i in summary.return_params | summary.return_weak:
            a = callee.argument(call, i) if i < len(callee.params) else None
            if a is None:
                continue
            t = self.eval(a, guarded)
            if i in summary.return_params:
                out = out.join(t)
            else:
                out = out.join(Taint(min(t.own, DYNAMIC), frozenset(), t.params | t.weak, t.tagged))
        return out

    # -- sinks ----------------------------------------------------------------------------------
    def _sink(self, sink: Sink) -> None:
        t = self.eval(sink.value, guarded=sink.guardable)
        lvl = t.level(self.fn.initial)
        if lvl >= sink.min_level:
            self.flows.append(Flow(sink.kind, lvl, t.from_param, sink.line, sink.node))
        step = (self.module.path, sink.line, f"reaches a {sink.kind} sink")
        for p in t.params:
            self._record(p, sink.kind, sink.guardable, (step,))

    def _record(self, param: int, kind: str, guardable: bool, trace: tuple[Step, ...]) -> None:
        if (param, kind) not in self._sink_seen:
            self._sink_seen.add((param, kind))
            self.summary.sinks.append((param, kind, guardable, trace))
            self.summary.files |= {p for p, _, _ in trace}

    def _call_site(self, stmt: Eval) -> None:
        call = stmt.call
        found = self._resolve(call)
        if found is None:
            return
        module, callee, summary = found
        self.summary.files |= summary.files
        reported: set[str] = set()
        where = "" if module.path == self.module.path else f" in {module.path}"
        step = (self.module.path, call.line, f"request input passed to {call.name}(){where}")
        for param, kind, guardable, trace in summary.sinks:
            arg = callee.argument(call, param) if param < len(callee.params) else None
            if arg is None:
                continue
            t = self.eval(arg, guarded=guardable)
            if t.level(self.fn.initial) >= INPUT and kind not in reported:
                reported.add(kind)
                self.flows.append(Flow(kind, INPUT, False, call.line, stmt.node, (step, *trace), (call.name, module.path)))
            relay = (self.module.path, call.line, f"passed to {call.name}(){where}")
            for p in t.params:
                self._record(p, kind, guardable, (relay, *trace))


def value_expr(stmt: Assign, name: str) -> Expr:
    """The expression `stmt` assigns to `name`."""
    return stmt.values[stmt.targets.index(name)] if name in stmt.targets else Const()


def file_flows(src: Any, frontend: Frontend, lower: Callable[[Any], Module]) -> list[Flow]:
    """The flows of one source file: lowered once (memoised in the project index when the scan
    has one, so a file lowered while following a call is not lowered again), solved with
    calls resolved through `frontend` and the index."""
    index = src.index
    language = frontend.language

    def load(rel: str) -> Module | None:
        return index.memo(f"dataflow:{language}", rel, lower) if index is not None else None

    module = (load(src.path) if index is not None else None) or lower(src)
    return Solver(frontend, index, load).flows(module)

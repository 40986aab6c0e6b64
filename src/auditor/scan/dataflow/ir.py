"""The intermediate form a language front-end lowers a file into.

A file is a set of `Function`s; a function is its parameters and a flat list of
statements in source order (the order the solver walks them, so a sink sees what was
assigned above it). Expressions say where a value's taint comes from:

- `Const`: no taint (literals, comparisons, sanitizer results, values judged clean);
- `Source`: request input, or a value of unknown origin at a weaker level;
- `Var`: a local variable or parameter (with what an unassigned name means);
- `Join`: a value built from parts (string building, binary operators, containers,
  arguments of an unknown call: the taint of the parts flows into the whole);
- `Cap`: the taint of a value limited to a level (a record looked up by input is data of
  unknown origin, not the request string itself);
- `Call`: a call the solver may resolve to a function of the project: it then uses that
  function's summary; otherwise the value is `fallback` (what the front-end judged the
  call returns: its arguments' taint, a source, a clean value).

A method's object state set by its constructor (`@term = term` in `initialize`) is
lowered as extra parameters (`Function.fields`), bound at `Service.new(x).run` calls to
the constructor's arguments (`Call.ctor_args`).

Statements: `Assign`, `Guard` (a condition that looked at some names: they count as
checked for guardable sinks), `Sink` (a dangerous argument), `Eval` (a resolvable call
whose summary may report), `Return`. What counts as a source, sink or sanitizer is data
per language (`checks/<lang>/flowdata.py`) that the front-end consults while lowering.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

CLEAN, DYNAMIC, INPUT = 0, 1, 2


@dataclass(frozen=True, slots=True)
class Const:
    pass


@dataclass(frozen=True, slots=True)
class Source:
    level: int = INPUT


@dataclass(frozen=True, slots=True)
class Var:
    name: str
    default: int = CLEAN  # the level of a name never assigned in this function
    tagged: bool = False  # an unassigned name that stands for a parameter (a constructor's ivar)


@dataclass(frozen=True, slots=True)
class Join:
    parts: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Cap:
    inner: Expr
    level: int = DYNAMIC


@dataclass(frozen=True, slots=True)
class Call:
    name: str  # the called name (method, function)
    receiver: str  # the receiver's text ("" for a bare call): resolution hints
    args: tuple[Expr, ...]
    fallback: Expr  # the value when the call resolves to no function of the project
    line: int = 0
    hint: str = ""  # a front-end hint for resolution (a class name the receiver holds)
    ctor_args: tuple[Expr, ...] = ()  # `Service.new(a).call(b)`: the constructor's arguments (a)


Expr = Const | Source | Var | Join | Cap | Call


@dataclass(frozen=True, slots=True)
class Assign:
    targets: tuple[str, ...]
    values: tuple[Expr, ...]  # one per target
    augment: bool = False  # `+=`, bindings into an existing value: keep what was there
    # Re-assigned from itself inside one branch of a conditional (`if high { uid = escape(uid) }`):
    # the span (start, end) of that branch, and where this assignment is. Inside the branch
    # the new value holds; after it, a value assigned before the branch is possible again,
    # since the other path skips the assignment.
    branch: tuple[int, int] | None = None
    at: int = 0


@dataclass(frozen=True, slots=True)
class Guard:
    names: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Sink:
    kind: str
    value: Expr
    min_level: int
    guardable: bool
    line: int
    node: Any = field(default=None, compare=False)  # the front-end's node, for the hit's span
    at: int = 0  # source offset (orders the statement against branches, see Assign.branch)


@dataclass(frozen=True, slots=True)
class Eval:
    call: Call
    node: Any = field(default=None, compare=False)
    at: int = 0


@dataclass(frozen=True, slots=True)
class Return:
    value: Expr
    at: int = 0


Stmt = Assign | Guard | Sink | Eval | Return


def join(parts: Iterable[Expr]) -> Expr:
    """The value built from `parts` (clean parts dropped; one part is itself)."""
    items = tuple(p for p in parts if not isinstance(p, Const))
    if not items:
        return Const()
    return items[0] if len(items) == 1 else Join(items)


@dataclass
class Function:
    """`key` names the function within its file (`Class#method`, `Class.method`, `Func`,
    `(*T).Method`); `initial` is each parameter's level inside the function (a string
    parameter of unknown origin is DYNAMIC, a controller's route parameter INPUT)."""

    key: str
    name: str
    params: tuple[str, ...]
    initial: tuple[int, ...]
    body: list[Stmt]
    line: int = 0
    owner: str = ""  # the class / receiver type the function belongs to
    summarise: bool = True  # False for scopes nobody calls (a file's top level)
    # Object state as parameters: the last len(fields) parameters are fields the constructor
    # set from its arguments (`@term = term`); fields[j] is that constructor argument's index.
    fields: tuple[int, ...] = ()

    def argument(self, call: Call, i: int) -> Expr | None:
        """The expression a call passes to parameter `i` (a field: the constructor's argument)."""
        positional = len(self.params) - len(self.fields)
        if i < positional:
            return call.args[i] if i < len(call.args) else None
        j = self.fields[i - positional]
        return call.ctor_args[j] if j < len(call.ctor_args) else None


@dataclass
class Module:
    """One lowered file: its functions, and the front-end's resolution facts (requires,
    imports, package) that its resolver reads."""

    path: str
    language: str
    functions: list[Function]
    facts: dict[str, Any] = field(default_factory=dict)

    _keys: dict[str, Function] | None = field(default=None, repr=False, compare=False)

    def by_key(self) -> dict[str, Function]:
        if self._keys is None:
            self._keys = {f.key: f for f in self.functions}
        return self._keys


def names_in(e: Expr) -> set[str]:
    """The variables whose taint flows into an expression."""
    if isinstance(e, Var):
        return {e.name}
    if isinstance(e, Join):
        return set().union(*(names_in(p) for p in e.parts))
    if isinstance(e, Cap):
        return names_in(e.inner)
    if isinstance(e, Call):
        return names_in(e.fallback)
    return set()


def branch_span(node: Any, scopes: frozenset[str], branches: frozenset[str],
                cases: frozenset[str] = frozenset()) -> tuple[int, int] | None:
    """The byte span of the branch a tree-sitter `node` sits in: a branch (not the condition)
    of one of `branches`, or one of `cases` (a `case`/`when` arm), within its function
    (`scopes` end the climb); None outside any. See `Assign.branch`."""
    n, child = node.parent, node
    while n is not None and n.type not in scopes:
        if n.type in cases:
            return n.start_byte, n.end_byte
        if n.type in branches and child.id not in {c.id for c in (n.child_by_field_name("condition"),
                                                                  n.child_by_field_name("initializer")) if c is not None}:
            return child.start_byte, child.end_byte
        n, child = n.parent, n
    return None

"""What every front-end's lowering shares: appending sinks and resolvable calls to the
function body being built, and turning the solver's flows of a file into a check's hits."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from auditor.scan.dataflow import ir
from auditor.scan.dataflow.solver import Flow, Frontend, file_flows


class Lowering:
    """Base of a front-end's per-function lowerer: `body` is the statement list in source order.

    `expr` is the entry point for lowering an expression: the depth guard, missing nodes and
    the grammar's `literals` (node types that carry no taint) are handled here once; every
    other node goes to the front-end's `lower_expr`."""

    literals: frozenset[str] = frozenset()
    max_depth = 40  # nested expressions followed; deeper ones are taken as clean

    def __init__(self) -> None:
        self.body: list[ir.Stmt] = []

    def expr(self, node: Any, depth: int = 0) -> ir.Expr:
        if node is None or depth > self.max_depth:
            return ir.Const()
        t = node.type
        if t in self.literals:
            return ir.Const()
        return self.lower_expr(node, t, depth)

    def lower_expr(self, node: Any, t: str, depth: int) -> ir.Expr:
        """The front-end's lowering of a node of type `t` (not a literal, within depth)."""
        raise NotImplementedError

    def sink(self, kind: str, value: ir.Expr, min_level: int, guardable: bool, node: Any) -> None:
        self.body.append(ir.Sink(kind, value, min_level, guardable, node.start_point[0] + 1, node, node.start_byte))

    def evaluate(self, value: ir.Expr, node: Any) -> None:
        """A call met as a statement: kept when it may run a project function (its summary may report)."""
        if isinstance(value, ir.Call):
            self.body.append(ir.Eval(value, node, node.start_byte))


def via_note(flow: Flow) -> str:
    """` (inside f() in other/file)` for a flow whose sink is inside a called function."""
    if flow.via is None:
        return ""
    name, path = flow.via
    return f" (inside {name}(){'' if path == flow.trace[0][0] else ' in ' + path})"


def file_hits(src: Any, frontend: Frontend, lower: Callable[[Any], ir.Module], to_hit: Callable[[Flow], Any]) -> list[Any]:
    """One hit per place and sink kind for the flows of `src`."""
    hits: dict[tuple[int, int, str], Any] = {}
    for flow in file_flows(src, frontend, lower):
        hit = to_hit(flow)
        hits.setdefault((hit.line, hit.column, flow.kind), hit)
    return list(hits.values())

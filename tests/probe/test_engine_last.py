"""The checks' end-of-run guesses (`PointCheck.last`): each confirmation is kept as it comes, a
budget spent among them ends the run with what they found before it, and a point already
confirmed for the category is not reported twice."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from auditor.probe.engine import ProbeRun, _last
from auditor.probe.interface import (
    Confirmation,
    Exchange,
    InjectionPoint,
    Param,
    PointCheck,
    ProbeContext,
    Route,
    Sender,
)
from auditor.probe.safety import BudgetExhausted, Limits, SafeClient
from auditor.probe.sender import PointSender

ROUTES = [Route("GET", f"/r{i}", [Param("q", "query")], source="code") for i in range(3)]


def _found(route: Route) -> Confirmation:
    ex = Exchange("GET", "http://127.0.0.1:9/" + route.path, {}, "", 200, [], "", 2.0)
    return Confirmation("sql-injection", "fake", "slow", ex, "x", InjectionPoint(route, route.params[0]))


class Guessing(PointCheck):
    name = "fake"
    category = "sql-injection"

    def run(self, sender: Sender, ctx: ProbeContext, point: InjectionPoint) -> Confirmation | None:
        return None

    def last(self, ctx: ProbeContext, sender: Sender) -> Iterator[Confirmation]:
        yield _found(ROUTES[0])
        yield _found(ROUTES[1])
        raise BudgetExhausted("request budget of 10 spent")


def test_a_budget_spent_among_the_guesses_keeps_what_they_found():
    run = ProbeRun("http://127.0.0.1:9")
    sender = PointSender(SafeClient("http://127.0.0.1:9", Limits()))
    confirmed = {("sql-injection", "GET", "/r1", "q")}  # found earlier by the point checks
    with pytest.raises(BudgetExhausted):
        _last(run, ProbeContext(run.base_url), sender, [Guessing()], confirmed)
    assert [c.endpoint for c in run.confirmations] == ["/r0"]  # /r1 was already confirmed
    assert ("sql-injection", "GET", "/r0", "q") in confirmed

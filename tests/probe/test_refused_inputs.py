"""Optional inputs a validator refuses as the probe fills them (`min_budget must not be less than
0`, `... must be a number`): a 400 baseline that names them is asked again without them, and where
that is answered they are left out of the route's requests, so the other inputs reach the code.
An input the 400 names because it is required stays (nothing is left out)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from auditor.probe.checks.xss import ReflectedXss
from auditor.probe.interface import InjectionPoint, Param, ProbeContext, Route
from auditor.probe.safety import Limits, SafeClient
from auditor.probe.sender import PointSender

from .standin import serve


def _search(min_required: bool):
    def handle(method, path, headers, body):
        args = {k: v[0] for k, v in parse_qs(urlsplit(path).query).items()}
        if "min_budget" in args and int(args["min_budget"]) < 5:
            return 400, {"Content-Type": "application/json"}, '{"message": ["min_budget must not be less than 5"]}'
        if min_required and "min_budget" not in args:
            return 400, {"Content-Type": "application/json"}, '{"message": ["min_budget is required"]}'
        return 200, {}, "<p>results for " + args.get("query", "") + "</p>"

    return handle


@pytest.mark.parametrize("min_required", [False, True])
def test_an_optional_input_a_validator_refuses_is_left_out(min_required: bool):
    route = Route("GET", "/search", [Param("query", "query"), Param("min_budget", "query")], "code")
    with serve(_search(min_required)) as url:
        client = SafeClient(url, Limits(rps=1000))
        sender = PointSender(client)
        point = InjectionPoint(route, route.params[0])
        sender.baseline(point)  # as the engine's profile asks it first
        found = ReflectedXss().run(sender, ProbeContext(client.base_url), point)
    assert (found is not None) is not min_required
    assert sender.omitted[route.key] == (frozenset() if min_required else frozenset({"min_budget"}))

"""Header names are case-insensitive: an input read in the code as `req.headers.authorization`
replaces the `Authorization` an identity sends, instead of travelling beside it (Node keeps the
first of two, so the probe's value never reached the handler: vuln-express-app's JWT route)."""

from __future__ import annotations

from auditor.probe.interface import InjectionPoint, Param, Route
from auditor.probe.safety import Limits, SafeClient
from auditor.probe.sender import PointSender

from .standin import serve


def test_a_lowercase_header_input_replaces_the_identity_header():
    seen: list[list[str]] = []

    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], str]:
        seen.append([v for k, v in headers.items() if k.lower() == "authorization"])
        return 200, {}, "ok"

    route = Route("GET", "/admin", [Param("authorization", "header")], source="code")
    with serve(handle) as url:
        client = SafeClient(url, Limits(rps=1000), identities=[{"Authorization": "Bearer mine"}])
        sender = PointSender(client, identity={"Authorization": "Bearer mine"})
        sender.send(InjectionPoint(route, route.params[0]), "Bearer forged")
        client.send("GET", url + "/other")
    assert seen == [["Bearer forged"], ["Bearer mine"]]  # one header each time: the input's, then the identity's

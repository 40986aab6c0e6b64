"""IDOR: with two identities (--as alice=... --as bob=...), an object bob creates (its text
holds a canary) is read with alice's credentials. Only create-then-read pairs are used, so the
object is known to be bob's and known to exist."""

from __future__ import annotations

from auditor.probe.checks.canary import token
from auditor.probe.checks.objects import body_of, create_read_pairs, created_id, read_path
from auditor.probe.interface import Confirmation, ProbeContext, Route, Sender, SiteCheck


class Idor(SiteCheck):
    name = "idor"

    def run(self, sender: Sender, ctx: ProbeContext, routes: list[Route]) -> list[Confirmation]:
        if len(ctx.identities) < 2:
            return []
        (_, alice), (_, bob) = ctx.identities[0], ctx.identities[1]
        for create, read in create_read_pairs(routes):
            if read is None:
                continue
            canary = token()
            body, is_json = body_of(create, {p.name: canary for p in create.params})
            made = sender.request("POST", create.path, headers=bob, json_body=body if is_json else None,
                                  body=None if is_json else {k: str(v) for k, v in body.items()})
            object_id = created_id(made, read, body)
            if object_id is None or made.status >= 400:
                continue
            path = read_path(read, object_id)
            own = sender.request("GET", path, headers=bob)
            other = sender.request("GET", path, headers=alice)
            if own.status == 200 and canary in own.text and other.status == 200 and canary in other.text:
                return [Confirmation("broken-access-control", self.name,
                                     f"IDOR: an object another user created is readable at {read.path} "
                                     "with the first identity's credentials", other, canary,
                                     endpoint=read.path, method="GET")]
        return []

"""Mass assignment: a create request with privileged fields the client should not set (role,
is_admin, owner) holding a canary; confirmed when the object, as returned or as re-read, has
that field with that canary."""

from __future__ import annotations

from auditor.probe.checks.canary import token
from auditor.probe.checks.objects import body_of, create_read_pairs, created_id, json_field, read_path
from auditor.probe.interface import Confirmation, ProbeContext, Route, Sender, SiteCheck

PRIVILEGED = ("role", "is_admin", "isAdmin", "admin", "owner", "owner_id", "permissions")


class MassAssignment(SiteCheck):
    name = "mass-assignment"

    def run(self, sender: Sender, ctx: ProbeContext, routes: list[Route]) -> list[Confirmation]:
        out: list[Confirmation] = []
        for create, read in create_read_pairs(routes):
            body, is_json = body_of(create, {})
            if not is_json:
                continue
            canary = token()
            extra = {k: canary for k in PRIVILEGED if k not in body}
            made = sender.request("POST", create.path, json_body={**body, **extra})
            if made.status >= 400:
                continue
            candidates = [made]
            object_id = created_id(made)
            if read is not None and object_id is not None:
                candidates.append(sender.request("GET", read_path(read, object_id)))
            for ex in candidates:
                hit = next((k for k in extra if json_field(ex, k) == canary), None)
                if hit is not None and ex.status < 400:
                    out.append(Confirmation("mass-assignment", self.name,
                                            f"mass assignment: {create.path} lets the client set {hit!r}", ex, canary,
                                            endpoint=create.path, method="POST"))
                    break
            if out:
                break
        return out

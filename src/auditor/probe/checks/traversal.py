"""Path traversal: read a file the probe knows, by a path that climbs out of the app's folder.

The only files named are the canary auditor created beside the app (with --start) or the app's
own static files. A relative payload climbs to `/` first and then names the file by its full
path, so from any working folder it resolves to that one file: a handler that opens the path
for writing can only touch the canary."""

from __future__ import annotations

import re

from auditor.probe.checks.canary import fresh
from auditor.probe.interface import Confirmation, InjectionPoint, PointCheck, ProbeContext, Sender
from auditor.probe.profile import PointProfile, plain_echo

CLIMB = 12
# A parameter named like a file gets every spelling even when the first is answered like any
# text: a filter (`../` stripped or refused) answers both alike.
FILE_NAMES = re.compile(r"file|path|page|doc|template|include|dir|folder|image|img|download|load|read|view|lang", re.I)


def payloads(absolute: str) -> list[str]:
    rel = absolute.lstrip("/")
    return [
        "../" * CLIMB + rel,
        absolute,
        "..%2f" * CLIMB + rel.replace("/", "%2f"),
        "..%252f" * CLIMB + rel.replace("/", "%252f"),  # for an app that decodes twice
        "....//" * CLIMB + rel,
        "..\\" * CLIMB + rel.replace("/", "\\"),
    ]


class PathTraversal(PointCheck):
    name = "traversal"
    category = "path-traversal"

    def worth(self, point: InjectionPoint, profile: PointProfile) -> bool:
        return True  # a missing file often answers like the baseline's: the first payload is always tried

    def run(self, sender: Sender, ctx: ProbeContext, point: InjectionPoint) -> Confirmation | None:
        if not ctx.traversal_targets:
            return None
        base = sender.baseline(point)
        profile = ctx.profile(point)
        for absolute, content in ctx.traversal_targets:
            for i, payload in enumerate(payloads(absolute)):
                ex = sender.send(point, payload)
                if fresh(ex, content, base):
                    return Confirmation(self.category, self.name,
                                        f"path traversal: {point.label} reads a file outside the app's folder",
                                        ex, content, point)
                if i == 0 and plain_echo(profile, ex, payload) and not FILE_NAMES.search(point.param.name):
                    break  # a path answers like the canary: the other spellings of it will too
        return None

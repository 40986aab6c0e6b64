"""Mass assignment shown by an answer that echoes the request proves nothing (weak-website's
POST /posts answers `{...post, ...body}` and keeps only `content`): a field of a random name
echoed too marks the answer as an echo, and then only the object's re-read counts."""

from __future__ import annotations

import json
import re

import pytest

from auditor.probe.checks.mass_assignment import MassAssignment
from auditor.probe.interface import Param, ProbeContext, Route
from auditor.probe.safety import Limits, SafeClient
from auditor.probe.sender import PointSender

from .standin import serve


def _app(mode: str):
    posts: dict[int, dict[str, object]] = {}

    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], str]:
        if method == "POST" and path == "/posts":
            sent = json.loads(body or b"{}")
            kept = {"id": len(posts) + 1, "content": sent.get("content")}
            if mode == "stores-role":
                kept["role"] = sent.get("role")
            posts[kept["id"]] = kept
            answer = {**sent, **kept} if mode in ("echo", "echo-and-store") else kept
            if mode == "echo-and-store":
                kept["role"] = sent.get("role")
            return 201, {}, json.dumps(answer)
        if method == "GET" and (m := re.fullmatch(r"/posts/(\d+)", path)) and int(m.group(1)) in posts:
            return 200, {}, json.dumps(posts[int(m.group(1))])
        return 404, {}, "{}"

    return handle


@pytest.mark.parametrize("mode,confirmed", [("echo", False), ("stores-role", True), ("echo-and-store", True)])
def test_an_echoing_answer_is_no_proof(mode: str, confirmed: bool):
    routes = [Route("POST", "/posts", [Param("content", "json")]), Route("GET", "/posts/{id}", [Param("id", "path")])]
    with serve(_app(mode), content_type="application/json") as url:
        client = SafeClient(url, Limits(rps=1000))
        found = MassAssignment().run(PointSender(client), ProbeContext(client.base_url), routes)
    assert bool(found) is confirmed

"""Stored XSS through an upload: an avatar form keeps the file under its own name and serves it
from /uploads/ with the type its name says (vulnerable), or as a download of plain bytes
(fixed: `application/octet-stream`). The upload redirects to a page that shows the stored copy."""

from __future__ import annotations

import re

import pytest

from auditor.probe.checks.upload import ActiveUpload
from auditor.probe.interface import Param, ProbeContext, Route
from auditor.probe.safety import Limits, SafeClient
from auditor.probe.sender import PointSender

from .standin import serve


def _avatars(vulnerable: bool):
    stored: dict[str, bytes] = {}

    def handle(method, path, headers, body):
        if path == "/avatar" and method == "POST":
            m = re.search(rb'filename="([^"]+)"\r\nContent-Type: [^\r]+\r\n\r\n(.*?)\r\n--', body, re.S)
            if not m:
                return 400, {}, "No files were uploaded."
            stored[m.group(1).decode()] = m.group(2)
            return 302, {"Location": "/profile"}, "Found. Redirecting to /profile"
        if path == "/profile":  # the page the upload redirects to shows the stored picture
            return 200, {}, "".join(f'<img src="/uploads/alice/{n}">' for n in stored)
        if path.startswith("/uploads/alice/") and path[15:] in stored:
            kind = "image/svg+xml" if vulnerable and path.endswith(".svg") else "application/octet-stream"
            return 200, {"Content-Type": kind}, stored[path[15:]]
        return 404, {}, "not found"

    return handle


@pytest.mark.parametrize("vulnerable", [True, False])
def test_an_uploaded_svg_served_as_svg_is_stored_xss(vulnerable: bool):
    route = Route("POST", "/avatar", [Param("profilePic", "file"), Param("note", "form")])
    with serve(_avatars(vulnerable)) as url:
        client = SafeClient(url, Limits(rps=1000))
        found = ActiveUpload().run(PointSender(client), ProbeContext(client.base_url), [route])
    assert bool(found) is vulnerable
    if found:
        assert found[0].endpoint == "/avatar" and found[0].point.param.name == "profilePic"
        assert "image/svg+xml" in found[0].message

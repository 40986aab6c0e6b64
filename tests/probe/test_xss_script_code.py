"""XSS through a value the page writes into a script block as code, behind a filter that strips
letters and digits (no tag canary survives it). A stand-in HTML-escapes the value (as a template
engine does) and prints it both in a paragraph and as a statement of an inline script; JSFuck's
six characters `[]()!+` pass both. Safe variants: the value inside a JavaScript string literal,
and a page that prints it in the paragraph only (no script changes: nothing more is sent)."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from urllib.parse import parse_qs

import pytest

from auditor.probe.checks.xss import ReflectedXss, in_code, jsfuck_canary, script_code
from auditor.probe.interface import InjectionPoint, Param, ProbeContext, Route
from auditor.probe.profile import point_key, profile_pair
from auditor.probe.safety import Limits, SafeClient
from auditor.probe.sender import PointSender

from .standin import serve


def _lab(where: str):
    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], str]:
        value = parse_qs(body.decode()).get("username", [""])[0]
        shown = html.escape(re.sub(r"[a-zA-Z0-9]", "", value))
        script = {"code": f"\n    // lab 3\n    {shown}\n",
                  "string": f"\n    var name = {json.dumps(shown)};\n",
                  "none": "\n    var ready = true;\n"}[where]
        return 200, {}, f"<html><body><p>{shown}</p><script>{script}</script></body></html>"

    return handle


def _run(where: str):
    route = Route("POST", "/xssL3", [Param("username", "form")], source="code")
    point = InjectionPoint(route, route.params[0])
    with serve(_lab(where)) as url:
        client = SafeClient(url, Limits(rps=1000))
        sender = PointSender(client)
        ctx = ProbeContext(client.base_url)
        profile, _ = profile_pair(sender, point, None)
        ctx.profiles[point_key(point)] = profile
        sent_before = len(client.log)
        found = ReflectedXss().run(sender, ctx, point)
        return found, len(client.log) - sent_before


@pytest.mark.parametrize("where", ["code", "string"])
def test_value_run_as_script_code(where):
    found, _ = _run(where)
    assert (found is not None) is (where == "code")
    if found is not None:
        assert set(found.canary) <= set("[]()!+") and "script" in found.message


def test_nothing_sent_where_no_script_changes():
    found, sent = _run("none")
    assert found is None and sent == 0  # no tag survives, no script changed: the profile said all


def test_in_code_reads_strings_comments_and_stops_at_a_slash():
    c = jsfuck_canary()
    assert in_code(f"// note\n{c}\n", c)
    assert in_code(f"var s = 'it\\'s'; {c}", c)
    assert not in_code(f"var s = '{c}';", c)
    assert not in_code(f"`${{x}} {c}`", c)
    assert not in_code(f"/* {c} */", c)
    assert not in_code(f"var r = 1 / 2; {c}", c)  # division or regex: not told apart, so no
    assert script_code('<script type="application/json">{}</script><script src="a.js"></script><script>x</script>') \
        == ["x"]


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_canary_is_valid_javascript():
    for _ in range(20):
        c = jsfuck_canary()
        out = subprocess.run(["node", "-e", f"new Function({json.dumps(c)})"], capture_output=True, timeout=30)
        assert out.returncode == 0, (c, out.stderr)

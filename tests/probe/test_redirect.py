"""Open redirect by meta refresh (no Location header): confirmed only when the host is the
probe's own."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from auditor.probe.checks.redirect import OpenRedirect
from auditor.probe.interface import InjectionPoint, Param, ProbeContext, Route
from auditor.probe.safety import Limits, SafeClient
from auditor.probe.sender import PointSender

from .standin import standin


def _refresh(vulnerable: bool):
    def respond(method: str, path: str) -> tuple[int, dict[str, str], bytes]:
        to = parse_qs(urlsplit(path).query).get("to", ["/"])[0]
        target = to if vulnerable else "/"
        return 200, {"Content-Type": "text/html"}, \
            f'<html><head><meta http-equiv="refresh" content="0; url={target}"></head></html>'.encode()

    return respond


@pytest.mark.parametrize("vulnerable", [True, False])
def test_meta_refresh_redirect_is_confirmed_and_a_fixed_one_is_not(vulnerable):
    with standin(_refresh(vulnerable)) as app:
        client = SafeClient(app.url, Limits(rps=1000))
        route = Route("GET", "/go", [Param("to", "query")])
        found = OpenRedirect().run(PointSender(client), ProbeContext(client.base_url),
                                   InjectionPoint(route, route.params[0]))
    assert (found is not None) is vulnerable


def test_redirect_back_to_the_referer_is_not_an_open_redirect():
    """Express's `res.redirect(req.get('Referrer') || '/')`: a page can only make the Referer name
    itself, so the victim is sent back where they came from. A `next` query input is judged."""
    from auditor.probe.checks.redirect import OpenRedirect
    from auditor.probe.interface import Exchange, InjectionPoint, Param, Route
    from auditor.probe.profile import PointProfile

    answer = Exchange("GET", "http://h:1/forget", {}, "", 302, [("Location", "aud1")], "", 0.0)
    profile = PointProfile("aud1", "aud1", answer, answer, reflected=False, in_header=True, influenced=True)
    for name, judged in (("Referrer", False), ("Referer", False), ("next", True)):
        where = "query" if name == "next" else "header"
        point = InjectionPoint(Route("GET", "/forget", [Param(name, where)]), Param(name, where))
        assert OpenRedirect().worth(point, profile) is judged


def _script(shape: str):
    """A page whose script sends the browser on (DSVPWA's `/jump`): `{to}` is the value as given
    (vulnerable), after a path of the app's own (fixed), or only shown as text."""

    def respond(method: str, path: str) -> tuple[int, dict[str, str], bytes]:
        to = parse_qs(urlsplit(path).query).get("to", ["/"])[0]
        script = {"vulnerable": f"window.location.replace('{to}');",
                  "href": f'document.location.href = "{to}";',
                  "own-prefix": f"location.href = '/go?to={to}';",
                  "text-only": f"var shown = '{to}';"}[shape]
        return 200, {"Content-Type": "text/html"}, f"<html><script>setTimeout(function() {{ {script} }}, 3000);" \
            f"</script><p>Leaving...</p></html>".encode()

    return respond


@pytest.mark.parametrize("shape,confirmed", [("vulnerable", True), ("href", True), ("own-prefix", False),
                                             ("text-only", False)])
def test_a_script_that_sends_the_browser_to_the_value(shape, confirmed):
    from auditor.probe.profile import _in_script_location

    with standin(_script(shape)) as app:
        client = SafeClient(app.url, Limits(rps=1000))
        route = Route("GET", "/jump", [Param("to", "query")])
        found = OpenRedirect().run(PointSender(client), ProbeContext(client.base_url),
                                   InjectionPoint(route, route.params[0]))
        page = client.send("GET", client.url_for("/jump?to=audtok1")).text
    assert (found is not None) is confirmed
    assert found is None or "where the page sends the browser" in found.message
    assert _in_script_location(page, "audtok1") is (shape != "text-only")  # worth trying: the check decides


@pytest.mark.parametrize("prefix,vulnerable", [("http://", True), ("/", False), ("/home?next=", False)])
def test_a_handler_that_writes_the_scheme_itself(prefix: str, vulnerable: bool):
    """dvws-node's `res.redirect('http://' + req.params.redirect)`: every full URL the probe sent
    became `http://https://...` (a host named `https`); a host alone is the flaw. The same value
    after a path of the app's own stays on the app."""

    def respond(method: str, path: str) -> tuple[int, dict[str, str], bytes]:
        to = parse_qs(urlsplit(path).query).get("to", [""])[0]
        return 302, {"Location": prefix + to}, b""

    with standin(respond) as app:
        client = SafeClient(app.url, Limits(rps=1000))
        route = Route("GET", "/logout", [Param("to", "query")])
        found = OpenRedirect().run(PointSender(client), ProbeContext(client.base_url),
                                   InjectionPoint(route, route.params[0]))
    assert (found is not None) is vulnerable

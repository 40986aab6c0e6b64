"""Mechanisms found on lets-be-bad-guys' first run (mpirnat/lets-be-bad-guys, Django 1.9 on
Python 2.7): views imported as `import app.views as alias`, a function view that answers GET and
POST, a redirect helper that refuses bare words, and an input the code base64-decodes before
`exec`. Stand-ins written here."""

from __future__ import annotations

import base64
import textwrap
from urllib.parse import parse_qs

import pytest

from auditor.probe.callback import CallbackServer
from auditor.probe.checks.code import CodeInjection
from auditor.probe.checks.redirect import OpenRedirect, follows_usual_url
from auditor.probe.interface import Exchange, InjectionPoint, Param, ProbeContext, Route
from auditor.probe.profile import PointProfile
from auditor.probe.routes import code_routes
from auditor.probe.routes.inputs import body_inputs
from auditor.probe.safety import Limits, SafeClient
from auditor.probe.sender import PointSender

from .standin import serve

URLS = """from django.conf.urls import url
import shop.views as exercises

urlpatterns = [
    url(r'^go$', exercises.go, name='go'),
    url(r'^run$', exercises.run_code, name='run'),
    url(r'^only-post$', exercises.only_post),
]
"""
VIEWS = """import base64
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST


def go(request):
    return redirect(request.GET.get('url'))


def run_code(request):
    first_name = ''
    if request.method == 'POST':
        first_name = request.POST.get('first_name', '')
        exec(base64.b64decode(first_name))
    return render(request, 'run.html', {'first_name': first_name})


@require_POST
def only_post(request):
    return render(request, 'x.html', {'n': request.POST.get('n')})
"""


def _project(tmp_path):
    (tmp_path / "manage.py").write_text("import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\n")
    (tmp_path / "shop").mkdir()
    (tmp_path / "shop" / "__init__.py").write_text("")
    (tmp_path / "shop" / "settings.py").write_text("ROOT_URLCONF = 'shop.urls'\n")
    (tmp_path / "shop" / "urls.py").write_text(URLS)
    (tmp_path / "shop" / "views.py").write_text(VIEWS)
    return tmp_path


def test_views_of_a_module_imported_under_an_alias(tmp_path):
    """`import shop.views as exercises` then `exercises.go`: the view's inputs are read. A view
    that handles its form under `if request.method == 'POST':` answers GET too; one marked
    `@require_POST` does not."""
    routes = {(r.method, r.path): r for r in code_routes(_project(tmp_path))}
    assert [(p.name, p.location) for p in routes[("GET", "/go")].params] == [("url", "query")]
    assert ("GET", "/run") in routes and ("POST", "/run") in routes
    run = routes[("POST", "/run")].params
    assert [(p.name, p.location, p.decoded) for p in run] == [("first_name", "form", "base64")]
    assert ("GET", "/only-post") not in routes and ("POST", "/only-post") in routes


@pytest.mark.parametrize("body,decoded", [
    ("    blob = base64.b64decode(request.form['blob'])\n", "base64"),
    ("    x = request.args.get('x')\n    return base64.b64encode(x)\n", ""),
])
def test_decoded_inputs_python(body, decoded):
    assert body_inputs(body, "python")[0].decoded == decoded


@pytest.mark.parametrize("body,decoded", [
    ("  const d = Buffer.from(req.query.data, 'base64').toString();\n", "base64"),
    ("  const x = req.body.data;\n  eval(atob(x));\n", "base64"),
    ("  const x = req.body.data;\n  res.send(btoa(x));\n", ""),
])
def test_decoded_inputs_javascript(body, decoded):
    assert body_inputs(body, "javascript")[0].decoded == decoded


def _exchange(status: int, location: str | None, url: str) -> Exchange:
    return Exchange("GET", url, {}, "", status, [("Location", location)] if location else [], "", 0.01)


@pytest.mark.parametrize("location,worth", [
    ("http://127.0.0.1:9999/", True),  # where the usual value said
    ("/elsewhere", False),  # a page of the app's own
    (None, False),
])
def test_a_redirect_to_the_usual_url_is_worth_the_check(location, worth):
    point = InjectionPoint(Route("GET", "/go", [Param("url", "query", "http://127.0.0.1:9999/", filled=True)]),
                           Param("url", "query", "http://127.0.0.1:9999/", filled=True))
    base = _exchange(302 if location else 500, location, "http://127.0.0.1:8000/go?url=http%3A%2F%2F127.0.0.1%3A9999%2F")
    profile = PointProfile("audx1", "audx1", _exchange(500, None, base.url), base, False, False, True)
    assert follows_usual_url(point, profile) is worth
    assert OpenRedirect().worth(point, profile) is worth


def _django_like_redirect(method, path, headers, body):
    """Django's redirect(): a bare word is taken for a view's name and fails; a URL is followed."""
    target = parse_qs(path.partition("?")[2]).get("url", [""])[0]
    if "/" not in target and "." not in target:
        return 500, {}, "<p>NoReverseMatch</p>"
    return 302, {"Location": target}, ""


def test_open_redirect_through_a_helper_that_refuses_bare_words():
    with serve(_django_like_redirect) as url:
        client = SafeClient(url, Limits(rps=1000))
        usual = "http://127.0.0.1:9/"
        param = Param("url", "query", usual, filled=True)
        point = InjectionPoint(Route("GET", "/go", [param]), param)
        found = OpenRedirect().run(PointSender(client), ProbeContext(client.base_url), point)
    assert found is not None and found.category == "open-redirect"


@pytest.mark.parametrize("vulnerable", [True, False])
def test_blind_exec_of_a_base64_input(tmp_path, vulnerable):
    """The form's value is base64-decoded and run by `exec`; nothing of it is shown. The probe
    sends its fetch of the callback server base64-encoded. The fixed form decodes and stores."""
    (tmp_path / "views.py").write_text(textwrap.dedent(VIEWS))
    received: list[str] = []

    def handle(method, path, headers, body):
        value = parse_qs(body.decode()).get("first_name", [""])[0]
        received.append(value)
        try:
            code = base64.b64decode(value)
            if vulnerable:
                exec(code)  # noqa: S102  (the flaw under test; the code is the probe's own)
        except Exception:  # noqa: BLE001  (the view swallows every error)
            pass
        return 200, {}, "<p>thanks</p>"

    with serve(handle) as url, CallbackServer() as callback:
        client = SafeClient(url, Limits(rps=1000))
        param = Param("first_name", "form", decoded="base64")
        route = Route("POST", "/run", [param], "code", "views.py", 10, "django", "python")
        ctx = ProbeContext(client.base_url, callback=callback, project=tmp_path)
        found = CodeInjection().run(PointSender(client), ctx, InjectionPoint(route, param))
    assert (found is not None) is vulnerable
    if found is not None:
        assert "base64" in found.message
    payloads = [v for v in received if v != "1"]  # the baseline's usual value goes as it is
    assert payloads and all(base64.b64decode(v, validate=True) for v in payloads)  # the payloads, encoded

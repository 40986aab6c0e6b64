"""A form its page posts by script (`action="javascript:getToken()"`, Tiredful-API's token page)
names no route, but its fields tell the code's routes what they need: the token endpoint of
`include('oauth2_provider.urls')` takes the client id the hidden field holds, and the client
secret beside it. With them the wrong passwords meet the password check (`invalid_grant`), and
the missing limit is shown; a page that shows no client leaves every answer `invalid_client`,
which proves nothing."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs

import pytest

from auditor.probe.engine import ProbeConfig, run_probe, with_shown_values
from auditor.probe.interface import Param, Route
from auditor.probe.safety import Limits

from .standin import serve

CLIENT, SECRET = "cid-4f1e9a", "csecret-77b2d0"
TOKEN_PAGE = ('<form method="POST" action="javascript:getToken()"><input name="username"><input type="password" '
              f'name="password"><input type="hidden" name="grant_type" value="password"><input type="hidden" '
              f'name="client_id" value="{CLIENT}"><input type="hidden" name="client_secret" value="{SECRET}">'
              '<input type="hidden" name="csrfmiddlewaretoken" value="abc123"></form>')


def _project(root: Path) -> Path:
    (root / "site").mkdir(parents=True)
    (root / "site" / "settings.py").write_text('ROOT_URLCONF = "site.urls"\n')
    (root / "site" / "urls.py").write_text('from django.urls import include, path\n'
                                           'urlpatterns = [path("o/", include("oauth2_provider.urls"))]\n')
    return root


@pytest.mark.parametrize("page_shows_client", [True, False])
def test_the_token_login_takes_the_client_its_page_shows(tmp_path: Path, page_shows_client: bool):
    tries: list[dict[str, list[str]]] = []

    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], str]:
        if path == "/":
            return 200, {}, '<a href="/token">get a token</a>'
        if path == "/token":
            return 200, {}, TOKEN_PAGE if page_shows_client else "<p>ask the admin for a client</p>"
        if path != "/o/token/" or method != "POST":
            return 404, {}, "not found"
        form = parse_qs(body.decode())
        tries.append(form)
        if form.get("client_id") != [CLIENT] or form.get("client_secret") != [SECRET]:
            return 401, {"Content-Type": "application/json"}, '{"error": "invalid_client"}'
        return 401, {"Content-Type": "application/json"}, \
            '{"error_description": "Invalid credentials given.", "error": "invalid_grant"}'

    with serve(handle) as url:
        run = run_probe(ProbeConfig(base_url=url, project=_project(tmp_path), checks=["ratelimit"],
                                    limits=Limits(rps=1000, max_requests=300, timeout=5)))
    found = [(c.category, c.endpoint) for c in run.confirmations]
    assert (("missing-rate-limiting", "/o/token/") in found) is page_shows_client
    assert tries


def test_only_a_route_whose_inputs_are_all_in_the_form_takes_its_other_fields():
    token = Route("POST", "/o/token/", [Param("username", "form"), Param("password", "form"),
                                         Param("client_id", "form")])
    search = Route("GET", "/search", [Param("q", "query"), Param("client_id", "query")])
    comment = Route("POST", "/comment", [Param("text", "json"), Param("username", "json")])
    with_shown_values([token, search, comment], [{"username": "", "password": "", "client_id": CLIENT,
                                                  "client_secret": SECRET, "csrfmiddlewaretoken": "t"}])
    assert {(p.name, p.example) for p in token.params} == {
        ("username", ""), ("password", ""), ("client_id", CLIENT), ("client_secret", SECRET)}
    assert ("client_id", CLIENT) in {(p.name, p.example) for p in search.params}  # the value alone
    assert {p.name for p in comment.params} == {"text", "username"}  # not all its inputs are the form's

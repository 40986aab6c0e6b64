"""Mechanisms found on django.nV's first run (nVisium/django.nV, Django 1.8): literal views
beside a template of the same shape, a stored value two redirects away, and a sign-out route's
open redirect. Stand-ins written here."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from auditor.probe.engine import ProbeConfig, run_probe
from auditor.probe.interface import InjectionPoint, Param, Route
from auditor.probe.routes import merge
from auditor.probe.safety import Limits, SafeClient
from auditor.probe.sender import PointSender

from .standin import serve


def test_views_read_from_code_never_merge():
    """`/taskManager/search/` is its own view beside `/taskManager/{project_id}/` (Django's
    `\\d+` is not kept in the template); a crawled `/taskManager/5/` still joins the template."""
    template = Route("GET", "/t/{project_id}/", [Param("project_id", "path")])
    search = Route("GET", "/t/search/", [Param("q", "query")])
    crawled = [Route("GET", "/t/5/", [Param("sort", "query")], "crawl"), Route("GET", "/t/search/", [], "crawl")]
    routes = {r.path: r for r in merge([template, search], crawled)}
    assert set(routes) == {"/t/{project_id}/", "/t/search/"}
    assert [p.name for p in routes["/t/search/"].params] == ["q"]
    assert "sort" in [p.name for p in routes["/t/{project_id}/"].params]


def test_a_stored_value_two_redirects_away_is_read():
    """POST /1/1/edit redirects to /1/1 (no slash), which Django redirects to /1/1/: the page
    that shows the stored title is two hops from the POST."""
    stored: list[str] = []

    def handle(method, path, headers, body):
        if method == "POST":
            stored.append(parse_qs(body.decode()).get("title", [""])[0])
            return 302, {"Location": "/1/1"}, ""
        if path == "/1/1":
            return 301, {"Location": "/1/1/"}, ""
        return 200, {}, f"<h1>{stored[-1] if stored else ''}</h1>"

    route = Route("POST", "/1/1/edit", [Param("title", "form")])
    with serve(handle) as url:
        ex = PointSender(SafeClient(url, Limits(rps=1000))).send(InjectionPoint(route, route.params[0]), "audx1")
    assert ex.followed == "/1/1/" and "<h1>audx1</h1>" in ex.text and ex.status == 302


APP = """from flask import Flask, redirect, request

app = Flask(__name__)


@app.route("/")
def home():
    return "home"


@app.route("/logout/")
def logout():
    return redirect(request.args.get("redirect", "/"))
"""


def test_a_sign_out_route_is_probed_as_a_visitor(tmp_path):
    """With a session held, `/logout/` is still probed (its `redirect` is an open redirect), but
    only as a first-time visitor: the session never reaches it, so it survives the run."""
    (tmp_path / "app.py").write_text(APP)
    with_session: list[str] = []

    def handle(method, path, headers, body):
        parts = urlsplit(path)
        if parts.path == "/logout/":
            if "sid=alive" in headers.get("Cookie", ""):
                with_session.append(path)
            return 302, {"Location": parse_qs(parts.query).get("redirect", ["/"])[0]}, ""
        return 200, {"Content-Type": "text/html"}, "<p>home</p>"

    with serve(handle) as url:
        cfg = ProbeConfig(base_url=url, project=tmp_path, identities=[("alice", {"Cookie": "sid=alive"})],
                          limits=Limits(rps=1000, max_requests=300), checks=["redirect"])
        run = run_probe(cfg)
    assert [(c.category, c.endpoint) for c in run.confirmations] == [("open-redirect", "/logout/")]
    assert with_session == []


def test_redirect_named_inputs_usually_hold_a_url():
    """django.nV's `?redirect=` held `1`, which Django's redirect() takes for a view's name and
    fails on: no redirect ever ran. Redirect-named inputs now usually hold a loopback URL."""
    from auditor.probe.routes.inputs import filler

    origin = "http://127.0.0.1:9"
    for name in ("redirect", "redirect_to", "next", "goto", "return_url"):
        assert filler(name, origin) == origin + "/"
    for name in ("nextPage", "page", "target"):
        assert filler(name, origin) == ""


def _multipart_app(seen: list[bytes]):
    """An upload view: it answers only a multipart POST that carries a file, and shows `name`."""
    from email.parser import BytesParser
    from email.policy import HTTP

    def handle(method, path, headers, body):
        if method != "POST":
            return 200, {"Content-Type": "text/html"}, (
                '<form method="post" enctype="multipart/form-data" action="/upload/">'
                '<input name="name"><input type="file" name="file"></form>')
        seen.append(body)
        ctype = headers.get("Content-Type", "")
        if not ctype.startswith("multipart/form-data"):
            return 400, {}, "<p>no file</p>"
        message = BytesParser(policy=HTTP).parsebytes(b"Content-Type: " + ctype.encode() + b"\r\n\r\n" + body)
        parts = {p.get_param("name", header="content-disposition"): p for p in message.iter_parts()}
        if "file" not in parts or not parts["file"].get_filename():
            return 400, {}, "<p>no file</p>"
        return 200, {"Content-Type": "text/html"}, f"<p>stored {parts['name'].get_content()}</p>"

    return handle


def test_a_form_with_a_file_input_is_sent_multipart():
    """django.nV's upload form: without a file the form is invalid and its `name` (a SQL
    injection and a shell command) is never used. The crawl keeps the file input; a request
    for `name` carries a small text file beside it."""
    from auditor.probe.routes.crawl import crawl

    seen: list[bytes] = []
    with serve(_multipart_app(seen)) as url:
        client = SafeClient(url, Limits(rps=1000))
        upload = next(r for r in crawl(client) if r.method == "POST")
        assert {(p.name, p.location) for p in upload.params} == {("name", "form"), ("file", "file")}
        name = next(p for p in upload.params if p.name == "name")
        ex = PointSender(client).send(InjectionPoint(upload, name), "audx42")
    assert ex.status == 200 and "stored audx42" in ex.text
    assert b"auditor probe upload" in seen[-1]


def test_a_view_reading_request_files_has_a_file_input(tmp_path):
    (tmp_path / "app.py").write_text(
        "from flask import Flask, request\napp = Flask(__name__)\n\n\n"
        "@app.route('/up', methods=['POST'])\ndef up():\n"
        "    f = request.files['doc']\n    return request.form['title']\n")
    from auditor.probe.routes import code_routes

    route = next(r for r in code_routes(tmp_path) if r.path == "/up")
    assert {(p.name, p.location) for p in route.params} == {("doc", "file"), ("title", "form")}


def test_a_whole_request_mapping_handed_to_a_page_reads_every_header():
    """django.nV's settings page renders `request.META` whole (and `|safe`): a header of the
    probe's own shows there, so the view reads "any header"."""
    from auditor.probe.interface import ITERATED_NAME
    from auditor.probe.routes.inputs import body_inputs

    whole = "    settings_list = request.META\n    return render(request, 's.html', {'settings': settings_list})\n"
    assert [(p.name, p.location) for p in body_inputs(whole, "python")] == [(ITERATED_NAME, "header")]
    one = "    h = request.headers\n    return render_template('x.html', ua=h['User-Agent'])\n"
    assert [(p.name, p.location) for p in body_inputs(one, "python")] == [("User-Agent", "header")]


def test_a_profile_form_keeps_its_password():
    """django.nV's profile form sets the password when one is given (`1`, the usual value), and
    Django then ends the session the rest of the run uses. Beside the input under test, a
    `password` on a form that neither signs in nor signs up is sent empty; a login keeps `1`."""
    bodies: list[dict[str, list[str]]] = []

    def handle(method, path, headers, body):
        bodies.append(parse_qs(body.decode(), keep_blank_values=True))
        return 200, {}, "ok"

    profile = Route("POST", "/profile/1", [Param("username", "form"), Param("email", "form"),
                                           Param("password", "form")])
    login = Route("POST", "/login", [Param("username", "form"), Param("password", "form")])
    with serve(handle) as url:
        sender = PointSender(SafeClient(url, Limits(rps=1000)))
        sender.send(InjectionPoint(profile, profile.params[0]), "audx7")
        sender.send(InjectionPoint(login, login.params[0]), "audx8")
    assert bodies[0]["password"] == [""] and bodies[0]["email"] == ["1"]
    assert bodies[1]["password"] == ["1"]


def _notes_app(checks_owner: bool):
    """Each user's dashboard links their own notes; a note's page shows its text to any
    signed-in user (vulnerable) or to its owner only (fixed); a visitor is sent to the login."""
    notes = {"11": ("alice", "alice shopping list"), "22": ("bob", "bob private diary entry")}
    sessions = {"sid=A": "alice", "sid=B": "bob"}

    def handle(method, path, headers, body):
        user = sessions.get(headers.get("Cookie", "").split(";")[0].strip())
        if path == "/" and user is None:  # the public home page links the published note
            return 200, {"Content-Type": "text/html"}, '<a href="/notes/33">news</a>'
        if path == "/notes/33":
            return 200, {"Content-Type": "text/html"}, "<pre>published release notes</pre>"
        if user is None:
            return 302, {"Location": "/login"}, ""
        if path == "/":
            links = "".join(f'<a href="/notes/{k}">note</a>' for k, (owner, _) in notes.items() if owner == user)
            links += '<a href="/notes/33">news</a>' if user == "bob" else ""  # bob's page links the public note too
            return 200, {"Content-Type": "text/html"}, f"<p>Signed in as {user}</p>{links}"
        if path.startswith("/notes/"):
            note = notes.get(path.rsplit("/", 1)[-1])
            if note is None:
                return 404, {"Content-Type": "text/html"}, "<p>No such note</p>"
            if checks_owner and note[0] != user:
                return 403, {"Content-Type": "text/html"}, "<p>Not yours</p>"
            return 200, {"Content-Type": "text/html"}, f"<p>Signed in as {user}</p><pre>{note[1]}</pre>"
        return 404, {}, ""

    return handle


@pytest.mark.parametrize("checks_owner", [False, True])
def test_another_users_linked_object_read_with_the_first_session(checks_owner):
    """django.nV's projects, tasks and notes are links on each user's pages, not an API's
    create/read pair: bob's note, linked only from bob's pages, shown to alice's session."""
    from auditor.probe.checks.idor import LinkedObjects
    from auditor.probe.interface import ProbeContext

    with serve(_notes_app(checks_owner)) as url:
        client = SafeClient(url, Limits(rps=1000))
        ctx = ProbeContext(client.base_url, identities=[("alice", {"Cookie": "sid=A"}), ("bob", {"Cookie": "sid=B"})],
                           pages=["/"])
        sender = PointSender(client, identity={"Cookie": "sid=A"})
        found = LinkedObjects().run(sender, ctx, [Route("GET", "/notes/{note_id}", [Param("note_id", "path")])])
    assert bool(found) is not checks_owner
    if found:
        assert found[0].endpoint == "/notes/{note_id}" and "bob private diary" in found[0].canary


def test_a_page_showing_request_metadata_tells_no_files_apart(tmp_path):
    """django.nV's settings page lists `request.META`: the header under test, and a file
    descriptor number that changes with the connection. A run of answers whose only change is
    that number, in the order of the canary and missing paths, is no proof of a file read."""
    from itertools import cycle

    from auditor.probe.checks.traversal import existence, payloads

    canary = tmp_path / "app" / "auditor-canary-0123456789abcdef.txt"
    canary.parent.mkdir()
    canary.write_text("x\n")
    fds = cycle([6, 7, 7, 6, 7, 6])

    def handle(method, path, headers, body):
        return 200, {"Content-Type": "text/html"}, f"<pre>HTTP_Q: {headers.get('q', '')} wsgi.input fd={next(fds)}</pre>"

    route = Route("GET", "/settings/", [Param("q", "header")])
    point = InjectionPoint(route, route.params[0])
    with serve(handle) as url:
        sender = PointSender(SafeClient(url, Limits(rps=1000)))
        first = sender.send(point, payloads(str(canary))[0])
        assert existence(sender, point, str(canary), first) is None


def test_a_profile_page_that_only_names_the_other_user_is_no_idor():
    """microblog's `/user/<username>` (and its send-a-message form) is linked from each user's
    own pages and shows the name to every signed-in user, by design: the name is who bob is
    (his pages greet him with it), not data of his."""
    from auditor.probe.checks.idor import LinkedObjects
    from auditor.probe.interface import ProbeContext

    sessions = {"sid=A": "audalice1", "sid=B": "audbob22"}

    def handle(method, path, headers, body):
        user = sessions.get(headers.get("Cookie", "").split(";")[0].strip())
        if user is None:
            return 302, {"Location": "/login"}, ""
        nav = f'<p>Hi, {user}!</p><a href="/user/{user}">Profile</a> <a href="/send_message/{user}">Messages</a>'
        if path == "/":
            return 200, {"Content-Type": "text/html"}, nav + "<h1>Your feed is empty</h1>"
        name = path.rstrip("/").rsplit("/", 1)[-1]
        if name not in sessions.values():
            return 404, {"Content-Type": "text/html"}, nav + "<p>Not found</p>"
        if path.startswith("/user/"):
            return 200, {"Content-Type": "text/html"}, nav + f"<h1>User: {name}</h1><p>0 followers, 0 following</p>"
        return 200, {"Content-Type": "text/html"}, nav + f"<h1>Send Message to {name}</h1><form></form>"

    with serve(handle) as url:
        client = SafeClient(url, Limits(rps=1000))
        ctx = ProbeContext(client.base_url, identities=[("alice", {"Cookie": "sid=A"}), ("bob", {"Cookie": "sid=B"})],
                           pages=["/", "/user/audalice1"])
        sender = PointSender(client, identity={"Cookie": "sid=A"})
        routes = [Route("GET", "/user/{username}", [Param("username", "path")]),
                  Route("GET", "/send_message/{recipient}", [Param("recipient", "path")])]
        assert LinkedObjects().run(sender, ctx, routes) == []

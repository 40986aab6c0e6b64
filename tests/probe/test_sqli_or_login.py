"""SQL injection in a login's password where the handler first requires the user to exist and
then builds `SELECT ... WHERE user='<name>' AND password='<pass>'` from strings (run here by
SQLite on a table with one account, admin). An AND on the password is false both ways; an OR
after the account's name finds the row. The OR is only sent where the scanner says the password
reaches SQL built from strings in the route's handler, and that handler builds nothing but
SELECTs: one that also builds an UPDATE, or binds its values, gets no OR payload at all."""

from __future__ import annotations

import html
import sqlite3
import threading
from pathlib import Path
from urllib.parse import parse_qs

import pytest

from auditor.probe.checks.sql_code import handler_statement_kinds
from auditor.probe.checks.sqli import SqlInjection
from auditor.probe.interface import InjectionPoint, Param, ProbeContext, Route
from auditor.probe.profile import point_key, profile_pair
from auditor.probe.safety import Limits, SafeClient
from auditor.probe.sender import PointSender
from auditor.probe.static import scan_handlers

from .standin import serve

READS_ONLY = '''from django.db import connection

from .models import login


def sql_lab(request):
    name = request.POST.get("name")
    password = request.POST.get("pass")
    if name and login.objects.filter(user=name):
        sql_query = "SELECT * FROM login WHERE user='" + name + "' AND password='" + password + "'"
        return render(request, "lab.html", {"rows": login.objects.raw(sql_query)})
    return render(request, "lab.html", {})


def other(request):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE login SET seen=1 WHERE user='" + request.POST["user"] + "'")
'''
ALSO_WRITES = '''from django.db import connection

from .models import login


def sql_lab(request):
    name = request.POST.get("name")
    password = request.POST.get("pass")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE login SET tries=tries+1 WHERE user='" + name + "'")
    sql_query = "SELECT * FROM login WHERE user='" + name + "' AND password='" + password + "'"
    return render(request, "lab.html", {"rows": login.objects.raw(sql_query)})
'''
# Bound values, and a string-built SELECT elsewhere in the file: the scanner finds nothing in
# this handler, so no OR (the stand-in behind it is vulnerable all the same).
BOUND = '''from .models import login


def sql_lab(request):
    name = request.POST.get("name")
    password = request.POST.get("pass")
    rows = login.objects.raw("SELECT * FROM login WHERE user=%s AND password=%s", [name, password])
    return render(request, "lab.html", {"rows": rows})


def report(request):
    return render(request, "r.html", {"rows": login.objects.raw("SELECT * FROM login WHERE user='" +
                                                              request.GET["user"] + "'")})
'''


def _lab(vulnerable: bool, bodies: list[str]):
    db = sqlite3.connect(":memory:", check_same_thread=False)
    db.execute('CREATE TABLE login(user TEXT, password TEXT)')
    db.execute("INSERT INTO login VALUES('admin', 'kq81-unguessable')")
    lock = threading.Lock()

    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], str]:
        bodies.append(body.decode())
        form = {k: v[0] for k, v in parse_qs(body.decode(), keep_blank_values=True).items()}
        name, password = form.get("name", ""), form.get("pass", "")
        with lock:
            if not db.execute("SELECT 1 FROM login WHERE user=?", (name,)).fetchone():
                return 200, {}, "<p>User not found</p>"
            query = f"SELECT user FROM login WHERE user='{name}' AND password='{password}'"
            try:
                rows = db.execute(query).fetchall() if vulnerable else \
                    db.execute("SELECT user FROM login WHERE user=? AND password=?", (name, password)).fetchall()
            except sqlite3.Error:
                rows = []
        if rows:
            return 200, {}, f"<p>Welcome {html.escape(rows[0][0])}</p>"
        return 200, {}, f"<p>Wrong password {html.escape(password)}</p>"

    return handle


def _run(project: Path, code: str, vulnerable: bool):
    project.mkdir()
    (project / "views.py").write_text(code)
    route = Route("POST", "/sql_lab", [Param("name", "form"), Param("pass", "form")], file="views.py",
                  line=code.splitlines().index("def sql_lab(request):") + 1)
    static = scan_handlers(project, [route])
    point = InjectionPoint(route, route.params[1])
    bodies: list[str] = []
    with serve(_lab(vulnerable, bodies)) as url:
        client = SafeClient(url, Limits(rps=1000))
        sender = PointSender(client)
        ctx = ProbeContext(client.base_url, project=project, delay=0, static=static)
        profile, _ = profile_pair(sender, point, None)
        ctx.profiles[point_key(point)] = profile
        check = SqlInjection()
        found = check.run(sender, ctx, point) if check.worth(point, profile) else None
    return found, bodies, route, static


@pytest.mark.parametrize("vulnerable", [True, False])
def test_or_after_an_existing_account_in_a_reading_handler(tmp_path, vulnerable):
    found, bodies, route, static = _run(tmp_path / "app", READS_ONLY, vulnerable)
    assert static.sql_reach(route, "pass") is True
    assert handler_statement_kinds(tmp_path / "app", route) == {"SELECT"}  # the UPDATE is another handler's
    assert (found is not None) is vulnerable
    assert any("name=admin" in b and "+OR+" in b for b in bodies)
    if vulnerable:
        assert "' OR '" in found.canary


def test_no_or_where_the_handler_also_writes(tmp_path):
    found, bodies, route, _ = _run(tmp_path / "app", ALSO_WRITES, True)
    assert handler_statement_kinds(tmp_path / "app", route) == {"SELECT", "UPDATE"}
    assert found is None
    assert not any("+OR+" in b for b in bodies)


def test_no_or_where_the_scanner_finds_no_sql_in_the_handler(tmp_path):
    found, bodies, route, static = _run(tmp_path / "app", BOUND, True)
    assert static.sql_reach(route, "pass") is False  # the string-built SELECT is another handler's
    assert found is None
    assert not any("+OR+" in b for b in bodies)

"""A sign-up's password confirmation is left unequal whatever a check sends beside the input it
probes: vulnshop's register made the account (and Django's login() after it ended the run's
session) when the traversal check sent `.` in every other input, the two passwords alike."""

from __future__ import annotations

from urllib.parse import parse_qs

from auditor.probe.checks.traversal import current_folder_beside
from auditor.probe.interface import InjectionPoint, Param, Route
from auditor.probe.safety import Limits, SafeClient
from auditor.probe.sender import PointSender

from .standin import serve

REGISTER = Route("POST", "/auth/register/", [Param("username", "form"), Param("email", "form"),
                                             Param("password", "form"), Param("password_confirm", "form")],
                 "code", "authentication/views.py", 135)


def test_the_confirmation_stays_unequal_beside_a_traversal():
    sent: list[dict[str, str]] = []

    def handle(method, path, headers, body):
        sent.append({k: v[0] for k, v in parse_qs(body.decode()).items()})
        return 200, {}, "<p>Passwords do not match.</p>"

    point = InjectionPoint(REGISTER, REGISTER.params[1])
    others = current_folder_beside(point)
    assert others["password"] == "." and others["password_confirm"] == "."
    with serve(handle) as url:
        PointSender(SafeClient(url, Limits(rps=1000))).send(point, "../../x", others=others)
    (form,) = sent
    assert form["email"] == "../../x" and form["password"] != form["password_confirm"]

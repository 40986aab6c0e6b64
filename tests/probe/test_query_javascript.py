"""NodeGoat's two shapes of code the value becomes, whose result never shows:

- `$where: "this.userId == 2 && this.stocks > '" + threshold + "'"`: JavaScript the database runs.
  A value that closes the string and adds `|| 'a'=='a'` lists every document; `&& 'a'=='b'` none,
  like a plain random value. Its fixed twin parses the number and uses `$gt`.
- `eval(req.body.preTax)` checked against a range: only the interpreter's error for a bare random
  name (`ReferenceError: aud.. is not defined`) shows that the value ran. Its fixed twin parses
  the number; an app that echoes the value in its own message proves nothing."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from auditor.probe.engine import ProbeConfig, run_probe
from auditor.probe.routes.signs import read_signs
from auditor.probe.safety import Limits

from .standin import serve

DOCS = [{"userId": 2, "stocks": "40"}, {"userId": 2, "stocks": "70"}, {"userId": 3, "stocks": "90"}]
DAO = "db.collection('allocations').find({$where: \"this.userId == \" + id + \" && this.stocks > '\" + t + \"'\"})\n"


def _allocations(vulnerable: bool):
    def where(threshold: str) -> list[dict[str, object]] | None:
        mine = [d for d in DOCS if d["userId"] == 2]
        if not vulnerable:  # parseInt(threshold), {$gt: n}
            m = re.match(r"\d+", threshold)
            return [d for d in mine if m and int(str(d["stocks"])) > int(m.group(0))]
        if m := re.fullmatch(r"(.*)' \|\| '(\d+)'=='(\d+)", threshold, re.S):  # (A && B) || C
            return list(DOCS) if m.group(2) == m.group(3) else [d for d in mine if str(d["stocks"]) > m.group(1)]
        if m := re.fullmatch(r"(.*)' && '(\d+)'=='(\d+)", threshold, re.S):
            return [d for d in mine if str(d["stocks"]) > m.group(1)] if m.group(2) == m.group(3) else []
        if "'" in threshold or "\\" in threshold:
            return None  # a syntax error in the JavaScript
        return [d for d in mine if str(d["stocks"]) > threshold]

    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], str]:
        parts = urlsplit(path)
        if parts.path == "/":
            return 200, {}, '<a href="/allocations?threshold=1">allocations</a>'
        if parts.path != "/allocations":
            return 404, {}, "not found"
        found = where(parse_qs(parts.query).get("threshold", [""])[0])
        if found is None:
            return 500, {}, "<pre>MongoError: SyntaxError: unterminated string literal</pre>"
        rows = "".join(f"<tr><td>{d['userId']}</td><td>{d['stocks']}</td></tr>" for d in found)
        return 200, {}, f"<table>{rows}</table>"

    return handle


@pytest.mark.parametrize("vulnerable", [True, False])
def test_a_value_in_a_where_clause(tmp_path: Path, vulnerable: bool):
    (tmp_path / "allocations-dao.js").write_text(DAO)
    with serve(_allocations(vulnerable)) as url:
        run = run_probe(ProbeConfig(base_url=url, project=tmp_path, checks=["nosql"],
                                    limits=Limits(rps=1000, max_requests=300, timeout=5)))
    found = [c for c in run.confirmations if c.category == "nosql-injection"]
    assert bool(found) is vulnerable
    if vulnerable:
        assert "$where" in found[0].message and "||" in found[0].canary


def test_only_a_project_whose_code_runs_javascript_in_a_query_is_sent_the_where_shapes(tmp_path: Path):
    (tmp_path / "dao.js").write_text(DAO)
    assert read_signs(tmp_path).query_javascript
    (tmp_path / "dao.js").write_text("db.collection('allocations').find({stocks: {$gt: n}})\n")
    assert not read_signs(tmp_path).query_javascript
    with serve(_allocations(True)) as url:  # the same flaw, but nothing in the code says so: not tried
        run = run_probe(ProbeConfig(base_url=url, project=tmp_path, checks=["nosql"],
                                    limits=Limits(rps=1000, max_requests=300, timeout=5)))
    assert not [c for c in run.confirmations if c.category == "nosql-injection"]


def _contributions(mode: str):
    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], str]:
        if method == "GET":
            return 200, {}, '<form method="post" action="/contributions"><input name="preTax"></form>'
        value = parse_qs(body.decode()).get("preTax", [""])[0]
        if mode == "echo":  # its own message, quoting the value
            return 200, {}, f"<p>{html.escape(value)} is not defined as a percentage</p>"
        if mode == "fixed" or not re.fullmatch(r"[A-Za-z_$][\w$]*|[\d\s*+]+", value):
            number = int(value) if value.isdigit() else None  # parseInt
            return 200, {}, "<p>Invalid contribution percentages</p>" if number is None else f"<p>{number}%</p>"
        if re.fullmatch(r"[\d\s*+]+", value):  # eval of arithmetic: only the range check shows
            return 200, {}, "<p>Contribution percentages cannot exceed 30 %</p>"
        return 500, {}, f"<pre>ReferenceError: {value} is not defined\n    at eval (eval at handleContributionsUpdate)</pre>"

    return handle


@pytest.mark.parametrize("mode,confirmed", [("eval", True), ("fixed", False), ("echo", False)])
def test_an_evaluated_value_named_by_the_interpreters_error(tmp_path: Path, mode: str, confirmed: bool):
    (tmp_path / "package.json").write_text(json.dumps({"dependencies": {"express": "4"}}))
    with serve(_contributions(mode)) as url:
        run = run_probe(ProbeConfig(base_url=url, project=tmp_path, checks=["code"],
                                    limits=Limits(rps=1000, max_requests=300, timeout=5)))
    found = [c for c in run.confirmations if c.category == "code-injection"]
    assert bool(found) is confirmed

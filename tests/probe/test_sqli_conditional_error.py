"""A statement whose answer shows only whether it failed (lab 11 of a Next.js SQL lab: the same
JSON, 200 when the statement runs, 500 when it errors): a condition that errors only when false
(PostgreSQL refuses to cast 'x' to an integer) tells true from false. Sent only where the code
names PostgreSQL. The stand-in answers as PostgreSQL would to each shape: a syntax error for an
unbalanced quote, the cast's error for the false CASE, the same page otherwise."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from auditor.probe.engine import ProbeConfig, run_probe
from auditor.probe.safety import Limits

from .standin import serve

ROUTE = """import { NextRequest, NextResponse } from "next/server";
import { Pool } from "pg";
const pool = new Pool();

export async function GET(req: NextRequest) {
  const id = req.nextUrl.searchParams.get("id");
  try {
    await pool.query(`SELECT * FROM products WHERE id = ${id}`);
    return NextResponse.json({ status: "processed" });
  } catch (error) {
    return NextResponse.json({ status: "processed" }, { status: 500 });
  }
}
"""


def _lab(injectable: bool):
    def handle(method, path, headers, body):
        value = parse_qs(urlsplit(path).query).get("id", ["1"])[0]
        fails = False
        if injectable:
            case = re.search(r"CASE WHEN (\d+)=(\d+) THEN '1' ELSE 'x' END", value)
            fails = value.count("'") % 2 == 1 or (case is not None and case[1] != case[2]) or \
                not re.fullmatch(r"[\w\s'=()*,]+", value.replace("CAST", "").replace("AS INT", ""))
        return (500 if fails else 200), {"Content-Type": "application/json"}, '{"status": "processed"}'

    return handle


@pytest.mark.parametrize("injectable", [True, False])
def test_a_condition_that_fails_only_when_false(tmp_path: Path, injectable: bool):
    (tmp_path / "app" / "api" / "lab11").mkdir(parents=True)
    (tmp_path / "app" / "api" / "lab11" / "route.ts").write_text(ROUTE)
    (tmp_path / "package.json").write_text('{"dependencies": {"next": "16", "pg": "8"}}')
    with serve(_lab(injectable)) as url:
        run = run_probe(ProbeConfig(base_url=url, project=tmp_path, limits=Limits(rps=0, timeout=5), openapi=False,
                                    crawl=False, checks=["sqli"]))
    found = [c for c in run.confirmations if c.category == "sql-injection"]
    assert [c.endpoint for c in found] == (["/api/lab11"] if injectable else [])
    if found:
        assert "CASE WHEN" in found[0].exchange.url or "CASE+WHEN" in found[0].exchange.url or \
            "CASE%20WHEN" in found[0].exchange.url

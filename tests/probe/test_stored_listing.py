"""A value stored by a POST and listed by the GET of the same path (`POST /comments` and
`GET /comments`, declared in the code, linked from no page): the list is read for stored values.
The POST answers JSON (the value echoed, which is no XSS); the list shows it raw, or escaped.
Thirty other pages come first in the code, so the list is past the discovery pages read again."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest

from auditor.probe.engine import ProbeConfig, run_probe
from auditor.probe.safety import Limits

from .standin import serve

SERVER = """const express = require('express');
const app = express();
app.use(express.json());
""" + "".join(f"app.get('/page{i}', (req, res) => res.render('page'));\n" for i in range(30)) + """app.post('/comments', async (req, res) => {
  const { author, content } = req.body;
  await pool.query('INSERT INTO comments (author, content) VALUES ($1, $2)', [author, content]);
  res.json({ success: true, author, content });
});
app.get('/comments', async (req, res) => {
  res.render('comments', { comments: (await pool.query('SELECT * FROM comments')).rows });
});
app.listen(3000);
"""


def _app(escapes: bool):
    comments: list[str] = []

    def handle(method, path, headers, body):
        if path == "/comments" and method == "POST":
            sent = json.loads(body or b"{}")
            comments.append(str(sent.get("content", "")))
            return 200, {"Content-Type": "application/json"}, json.dumps({"success": True, **sent})
        if path == "/comments":
            shown = "".join(f"<li>{html.escape(c) if escapes else c}</li>" for c in comments)
            return 200, {}, f"<html><body><ul>{shown}</ul></body></html>"
        if path == "/" or path.startswith("/page"):
            return 200, {}, "<html><body><h1>Shop</h1></body></html>"
        return 404, {}, "not found"
    return handle


@pytest.mark.parametrize("escapes", [False, True])
def test_a_value_stored_at_a_path_shows_on_its_listing(tmp_path: Path, escapes: bool):
    (tmp_path / "package.json").write_text('{"dependencies": {"express": "4.18.2"}}')
    (tmp_path / "server.js").write_text(SERVER)
    with serve(_app(escapes)) as url:
        cfg = ProbeConfig(base_url=url, project=tmp_path, limits=Limits(rps=1000, max_requests=600, timeout=5),
                          checks=["xss"])
        run = run_probe(cfg)
    stored = [c for c in run.confirmations if c.category == "xss" and "stored" in c.message]
    assert [(c.endpoint, c.point.param.name if c.point else None) for c in stored] == \
        ([] if escapes else [("/comments", "content")])


const express = require("express");
const escapeHtml = require("escape-html");
const { searchArticles } = require("./search");

const app = express();

function layout(title, body) {
  return `<!doctype html><html><head><title>${title}</title></head><body>${body}</body></html>`;
}

app.get("/search", async (req, res) => {
  const q = typeof req.query.q === "string" ? req.query.q : "";
  const results = await searchArticles(q);
  const items = results
    .map((a) => `<li><a href="/articles/${encodeURIComponent(a.id)}">${escapeHtml(a.title)}</a></li>`)
    .join("");
  res.send(layout("Search", `<h1>Results for "${escapeHtml(q)}"</h1><ul>${items}</ul>`));
});

app.listen(8080);

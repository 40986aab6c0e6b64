const express = require("express");
const { searchArticles } = require("./search");

const app = express();

function layout(title, body) {
  return `<!doctype html><html><head><title>${title}</title></head><body>${body}</body></html>`;
}

app.get("/search", async (req, res) => {
  const q = req.query.q || "";
  const results = await searchArticles(q);
  const items = results.map((a) => `<li><a href="/articles/${a.id}">${a.title}</a></li>`).join("");
  res.send(layout("Search", `<h1>Results for "${q}"</h1><ul>${items}</ul>`));
});

app.listen(8080);

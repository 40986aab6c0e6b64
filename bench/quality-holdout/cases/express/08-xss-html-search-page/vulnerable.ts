import express, { type Request, type Response } from "express";
import { searchArticles, type ArticleHit } from "./search";

const app = express();

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><title>${title} - Acme Docs</title></head>
  <body><main>${body}</main></body>
</html>`;
}

function renderHits(hits: ArticleHit[]): string {
  return hits.map((h) => `<li><a href="/docs/${encodeURIComponent(h.slug)}">${h.title}</a></li>`).join("");
}

app.get("/search", async (req: Request, res: Response) => {
  const query = typeof req.query.q === "string" ? req.query.q : "";
  const hits = query ? await searchArticles(query) : [];
  const heading = hits.length
    ? `<h1>${hits.length} results for "${query}"</h1>`
    : `<h1>No results for "${query}"</h1>`;
  res.type("html").send(layout(`Search: ${query}`, heading + `<ul>${renderHits(hits)}</ul>`));
});

export default app;

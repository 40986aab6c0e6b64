const express = require("express");
const axios = require("axios");
const cheerio = require("cheerio");

const app = express();
const ALLOWED_HOSTS = new Set(["www.youtube.com", "github.com", "medium.com"]);

function parseAllowedUrl(raw) {
  let u;
  try {
    u = new URL(raw);
  } catch {
    return null;
  }
  if (u.protocol !== "https:" || !ALLOWED_HOSTS.has(u.hostname)) return null;
  return u;
}
app.use(express.json());

app.post("/api/link-preview", async (req, res) => {
  const target = parseAllowedUrl(req.body.url);
  if (!target) {
    return res.status(400).json({ error: "URL not allowed" });
  }
  try {
    const response = await axios.get(target.href, { timeout: 5000, maxContentLength: 1_000_000, maxRedirects: 0 });
    const $ = cheerio.load(response.data);
    res.json({
      title: $("meta[property='og:title']").attr("content") || $("title").text(),
      image: $("meta[property='og:image']").attr("content") || null,
    });
  } catch (e) {
    res.status(502).json({ error: "Could not fetch preview" });
  }
});

app.listen(3000);

const express = require("express");
const axios = require("axios");
const cheerio = require("cheerio");

const app = express();
app.use(express.json());

app.post("/api/link-preview", async (req, res) => {
  const { url } = req.body;
  try {
    const response = await axios.get(url, { timeout: 5000, maxContentLength: 1_000_000 });
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

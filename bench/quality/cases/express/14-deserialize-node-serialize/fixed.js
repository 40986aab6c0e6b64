const express = require("express");
const cookieParser = require("cookie-parser");
const THEMES = new Set(["light", "dark"]);
const LANGS = new Set(["en", "de", "fr"]);

const app = express();
app.use(cookieParser());

app.get("/dashboard", (req, res) => {
  let prefs = { theme: "light", lang: "en" };
  if (req.cookies.prefs) {
    try {
      const parsed = JSON.parse(Buffer.from(req.cookies.prefs, "base64").toString("utf8"));
      if (THEMES.has(parsed.theme)) prefs.theme = parsed.theme;
      if (LANGS.has(parsed.lang)) prefs.lang = parsed.lang;
    } catch {
      // ignore a malformed cookie and keep the defaults
    }
  }
  res.render("dashboard", { prefs });
});

app.post("/preferences", express.urlencoded({ extended: false }), (req, res) => {
  const prefs = { theme: req.body.theme, lang: req.body.lang };
  res.cookie("prefs", Buffer.from(JSON.stringify(prefs)).toString("base64"), { httpOnly: true });
  res.redirect("/dashboard");
});

app.listen(3000);

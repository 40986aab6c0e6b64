const express = require("express");
const cookieParser = require("cookie-parser");
const serialize = require("node-serialize");

const app = express();
app.use(cookieParser());

app.get("/dashboard", (req, res) => {
  let prefs = { theme: "light", lang: "en" };
  if (req.cookies.prefs) {
    const raw = Buffer.from(req.cookies.prefs, "base64").toString("utf8");
    prefs = serialize.unserialize(raw);
  }
  res.render("dashboard", { prefs });
});

app.post("/preferences", express.urlencoded({ extended: false }), (req, res) => {
  const prefs = { theme: req.body.theme, lang: req.body.lang };
  res.cookie("prefs", Buffer.from(serialize.serialize(prefs)).toString("base64"), { httpOnly: true });
  res.redirect("/dashboard");
});

app.listen(3000);

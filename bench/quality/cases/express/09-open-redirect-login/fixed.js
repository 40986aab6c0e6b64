const express = require("express");
const passport = require("passport");

const router = express.Router();

function safeReturnPath(value) {
  if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//") || value.includes("\\")) {
    return "/dashboard";
  }
  return value;
}

router.get("/login", (req, res) => {
  res.render("login", { returnTo: safeReturnPath(req.query.returnTo) });
});

router.post("/login", passport.authenticate("local", { failureRedirect: "/login?error=1" }), (req, res) => {
  const returnTo = safeReturnPath(req.body.returnTo || req.query.returnTo);
  res.redirect(returnTo);
});

module.exports = router;

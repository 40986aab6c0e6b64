const express = require("express");
const passport = require("passport");

const router = express.Router();

router.get("/login", (req, res) => {
  res.render("login", { returnTo: req.query.returnTo || "/" });
});

router.post("/login", passport.authenticate("local", { failureRedirect: "/login?error=1" }), (req, res) => {
  const returnTo = req.body.returnTo || req.query.returnTo || "/dashboard";
  res.redirect(returnTo);
});

module.exports = router;

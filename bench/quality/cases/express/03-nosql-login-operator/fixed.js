const express = require("express");
const bcrypt = require("bcrypt");
const jwt = require("jsonwebtoken");
const User = require("../models/User");

const router = express.Router();

router.post("/login", async (req, res) => {
  const { username, password } = req.body;
  if (typeof username !== "string" || typeof password !== "string") {
    return res.status(400).json({ message: "Username and password are required" });
  }

  const user = await User.findOne({ username: { $eq: username } });
  if (!user || !(await bcrypt.compare(password, user.passwordHash))) {
    return res.status(401).json({ message: "Invalid credentials" });
  }

  const token = jwt.sign({ sub: user.id, role: user.role }, process.env.JWT_SECRET, { expiresIn: "1h" });
  res.json({ token });
});

router.get("/users/by-email", async (req, res) => {
  if (typeof req.query.email !== "string") {
    return res.status(400).json({ message: "email must be a string" });
  }
  const user = await User.findOne({ email: { $eq: req.query.email } }).select("username email");
  res.json(user);
});

module.exports = router;

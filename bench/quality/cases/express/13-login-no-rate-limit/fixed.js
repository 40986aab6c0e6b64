const express = require("express");
const bcrypt = require("bcrypt");
const session = require("express-session");
const { rateLimit } = require("express-rate-limit");
const { findUserByEmail } = require("./db");

const app = express();
app.use(express.json());
app.use(
  session({
    secret: process.env.SESSION_SECRET,
    resave: false,
    saveUninitialized: false,
    cookie: { httpOnly: true, secure: true, sameSite: "lax" },
  })
);

const loginLimiter = rateLimit({
  windowMs: 15 * 60 * 1000,
  limit: 10,
  standardHeaders: "draft-7",
  legacyHeaders: false,
});

app.post("/auth/login", loginLimiter, async (req, res) => {
  const { email, password } = req.body;
  const user = await findUserByEmail(String(email));
  if (!user || !(await bcrypt.compare(String(password), user.passwordHash))) {
    return res.status(401).json({ error: "Invalid email or password" });
  }
  req.session.regenerate(() => {
    req.session.userId = user.id;
    res.json({ ok: true });
  });
});

app.listen(3000);

const express = require("express");
const bcrypt = require("bcrypt");
const session = require("express-session");
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

app.post("/auth/login", async (req, res) => {
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

import { Router } from "express";
import argon2 from "argon2";
import { z } from "zod";
import { db } from "../db.js";

const LoginBody = z.object({ email: z.string().email(), password: z.string().min(1).max(256) });

export const authRouter = Router();

authRouter.post("/login", async (req, res) => {
  const parsed = LoginBody.safeParse(req.body);
  if (!parsed.success) return res.status(400).json({ error: "invalid body" });

  const { email, password } = parsed.data;
  const account = await db.account.findByEmail(email.toLowerCase());
  const ok = account ? await argon2.verify(account.passwordHash, password) : false;
  if (!ok) return res.status(401).json({ error: "invalid credentials" });

  await new Promise((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())));
  req.session.accountId = account.id;
  res.json({ id: account.id, email: account.email });
});

authRouter.post("/logout", (req, res) => {
  req.session.destroy(() => {
    res.clearCookie("sid");
    res.status(204).end();
  });
});

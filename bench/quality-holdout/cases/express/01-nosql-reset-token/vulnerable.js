const express = require("express");
const bcrypt = require("bcrypt");
const rateLimit = require("express-rate-limit");
const User = require("../models/User");

const router = express.Router();

const resetLimiter = rateLimit({ windowMs: 15 * 60 * 1000, limit: 10, standardHeaders: "draft-7", legacyHeaders: false });

router.post("/password/reset", resetLimiter, async (req, res, next) => {
  try {
    const { token, newPassword } = req.body;
    if (!token || typeof newPassword !== "string" || newPassword.length < 12) {
      return res.status(400).json({ error: "Invalid request" });
    }

    const criteria = {
      passwordResetToken: token,
      passwordResetExpires: { $gt: new Date() },
    };
    const user = await User.findOne(criteria);
    if (!user) {
      return res.status(400).json({ error: "Reset link is invalid or has expired" });
    }

    user.passwordHash = await bcrypt.hash(newPassword, 12);
    user.passwordResetToken = undefined;
    user.passwordResetExpires = undefined;
    await user.save();
    res.json({ ok: true });
  } catch (err) {
    next(err);
  }
});

module.exports = router;

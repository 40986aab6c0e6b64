import { Router, Response } from "express";
import { User } from "../models/user";
import { requireAuth, AuthedRequest } from "../middleware/auth";

const router = Router();

function pick<T extends object, K extends keyof T>(obj: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (k in obj) out[k] = obj[k];
  return out;
}

const PROFILE_FIELDS = ["displayName", "bio", "avatarUrl"] as const;

router.patch("/me", requireAuth, async (req: AuthedRequest, res: Response) => {
  const changes = pick(req.body ?? {}, PROFILE_FIELDS);
  const updated = await User.findByIdAndUpdate(req.user.id, changes, {
    new: true,
    runValidators: true,
  }).select("-passwordHash");
  res.json(updated);
});

router.post("/register", async (req, res) => {
  const { email, displayName, password } = req.body;
  const user = new User({ email, displayName });
  await user.setPassword(String(password));
  await user.save();
  res.status(201).json({ id: user.id });
});

export default router;

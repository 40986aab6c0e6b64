import { Router, Response } from "express";
import { User } from "../models/user";
import { requireAuth, AuthedRequest } from "../middleware/auth";

const router = Router();

router.patch("/me", requireAuth, async (req: AuthedRequest, res: Response) => {
  const updated = await User.findByIdAndUpdate(req.user.id, req.body, {
    new: true,
    runValidators: true,
  }).select("-passwordHash");
  res.json(updated);
});

router.post("/register", async (req, res) => {
  const user = new User(req.body);
  await user.save();
  res.status(201).json({ id: user.id });
});

export default router;

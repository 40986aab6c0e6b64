const express = require("express");
const Note = require("../models/Note");
const { requireAuth } = require("../middleware/auth");

const router = express.Router();
router.use(requireAuth);

router.get("/notes", async (req, res) => {
  const notes = await Note.find({ owner: req.user.id }).sort({ updatedAt: -1 });
  res.json(notes);
});

router.get("/notes/:id", async (req, res) => {
  const note = await Note.findById(req.params.id);
  if (!note) return res.sendStatus(404);
  res.json(note);
});

router.put("/notes/:id", async (req, res) => {
  const { title, body } = req.body;
  const note = await Note.findByIdAndUpdate(req.params.id, { title, body }, { new: true });
  if (!note) return res.sendStatus(404);
  res.json(note);
});

router.delete("/notes/:id", async (req, res) => {
  await Note.findByIdAndDelete(req.params.id);
  res.sendStatus(204);
});

module.exports = router;

const express = require("express");
const path = require("path");
const fs = require("fs/promises");

const router = express.Router();
const UPLOAD_DIR = path.join(__dirname, "..", "uploads");

router.get("/files/:name", async (req, res) => {
  const filePath = path.join(UPLOAD_DIR, req.params.name);
  try {
    const data = await fs.readFile(filePath);
    res.setHeader("Content-Disposition", `attachment; filename="${req.params.name}"`);
    res.send(data);
  } catch {
    res.status(404).send("File not found");
  }
});

module.exports = router;

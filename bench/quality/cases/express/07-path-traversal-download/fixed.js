const express = require("express");
const path = require("path");
const fs = require("fs/promises");

const router = express.Router();
const UPLOAD_DIR = path.join(__dirname, "..", "uploads");

router.get("/files/:name", async (req, res) => {
  const filePath = path.resolve(UPLOAD_DIR, req.params.name);
  if (!filePath.startsWith(UPLOAD_DIR + path.sep)) {
    return res.status(400).send("Invalid file name");
  }
  try {
    const data = await fs.readFile(filePath);
    res.attachment(path.basename(filePath));
    res.send(data);
  } catch {
    res.status(404).send("File not found");
  }
});

module.exports = router;

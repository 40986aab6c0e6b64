const express = require("express");
const multer = require("multer");
const { S3Client, PutObjectCommand } = require("@aws-sdk/client-s3");
const crypto = require("crypto");

const s3 = new S3Client({
  region: "eu-west-1",
  credentials: {
    accessKeyId: "AKIA4QZXHN7RT2KWPL3M",
    secretAccessKey: "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",
  },
});

const upload = multer({ limits: { fileSize: 5 * 1024 * 1024 } });
const router = express.Router();

router.post("/avatars", upload.single("file"), async (req, res) => {
  const key = `avatars/${crypto.randomUUID()}`;
  await s3.send(
    new PutObjectCommand({ Bucket: "acme-user-avatars", Key: key, Body: req.file.buffer, ContentType: "image/png" })
  );
  res.status(201).json({ key });
});

module.exports = router;

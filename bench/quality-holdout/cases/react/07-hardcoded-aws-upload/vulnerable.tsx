import { ChangeEvent, useState } from "react";
import { S3Client, PutObjectCommand } from "@aws-sdk/client-s3";

const s3 = new S3Client({
  region: "eu-west-1",
  credentials: {
    accessKeyId: "AKIAZ7QW3RTX5NB2KD4M",
    secretAccessKey: "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",
  },
});

const BUCKET = "acme-user-uploads";

export function AvatarUploader({ userId, onUploaded }: { userId: string; onUploaded: (url: string) => void }) {
  const [progress, setProgress] = useState<"idle" | "uploading" | "done" | "error">("idle");

  async function handleFile(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    if (!file) return;
    setProgress("uploading");
    const key = `avatars/${userId}/${crypto.randomUUID()}`;
    try {
      await s3.send(
        new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: file, ContentType: file.type }),
      );
      setProgress("done");
      onUploaded(`https://${BUCKET}.s3.eu-west-1.amazonaws.com/${key}`);
    } catch {
      setProgress("error");
    }
  }

  return (
    <label className="uploader">
      <input type="file" accept="image/png,image/jpeg" onChange={handleFile} />
      {progress === "uploading" && <span>Uploading...</span>}
      {progress === "error" && <span>Upload failed</span>}
    </label>
  );
}

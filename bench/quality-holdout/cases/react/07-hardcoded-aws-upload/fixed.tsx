import { ChangeEvent, useState } from "react";

type PresignedUpload = { uploadUrl: string; publicUrl: string };

/** The backend signs a short-lived PUT URL for the logged-in user; no AWS credentials in the browser. */
async function requestUploadUrl(contentType: string): Promise<PresignedUpload> {
  const res = await fetch("/api/uploads/avatar", {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ contentType }),
  });
  if (!res.ok) throw new Error("could not get upload URL");
  return res.json();
}

export function AvatarUploader({ onUploaded }: { onUploaded: (url: string) => void }) {
  const [progress, setProgress] = useState<"idle" | "uploading" | "done" | "error">("idle");

  async function handleFile(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    if (!file) return;
    setProgress("uploading");
    try {
      const { uploadUrl, publicUrl } = await requestUploadUrl(file.type);
      const put = await fetch(uploadUrl, { method: "PUT", body: file, headers: { "Content-Type": file.type } });
      if (!put.ok) throw new Error("upload failed");
      setProgress("done");
      onUploaded(publicUrl);
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

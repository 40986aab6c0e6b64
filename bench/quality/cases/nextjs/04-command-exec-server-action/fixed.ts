"use server";

import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { promisify } from "node:util";
import { writeFile } from "node:fs/promises";
import path from "node:path";

const run = promisify(execFile);
const UPLOADS = "/var/app/uploads";

export async function convertToWebp(formData: FormData) {
  const file = formData.get("image") as File;
  const quality = Math.min(Math.max(Number(formData.get("quality")) || 80, 1), 100);
  const input = path.join(UPLOADS, `${randomUUID()}.img`);
  await writeFile(input, Buffer.from(await file.arrayBuffer()));
  const output = input.replace(/\.img$/, ".webp");
  await run("cwebp", ["-q", String(quality), input, "-o", output]);
  return { output: path.basename(output) };
}

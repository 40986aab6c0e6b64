"use server";

import { exec } from "node:child_process";
import { promisify } from "node:util";
import { writeFile } from "node:fs/promises";
import path from "node:path";

const run = promisify(exec);
const UPLOADS = "/var/app/uploads";

export async function convertToWebp(formData: FormData) {
  const file = formData.get("image") as File;
  const quality = formData.get("quality") ?? "80";
  const input = path.join(UPLOADS, file.name);
  await writeFile(input, Buffer.from(await file.arrayBuffer()));
  const output = input.replace(/\.\w+$/, ".webp");
  await run(`cwebp -q ${quality} "${input}" -o "${output}"`);
  return { output: path.basename(output) };
}

import { NextResponse } from "next/server";
import { exec } from "node:child_process";
import { promisify } from "node:util";
import path from "node:path";
import { auth } from "@/auth";

const run = promisify(exec);
const MEDIA_ROOT = process.env.MEDIA_ROOT ?? "/var/media";

export const runtime = "nodejs";

interface ThumbnailRequest {
  videoKey: string;
  at: string; // e.g. "00:00:05"
}

export async function POST(request: Request) {
  const session = await auth();
  if (!session?.user) {
    return NextResponse.json({ error: "Unauthorized" }, { status: 401 });
  }

  const { videoKey, at } = (await request.json()) as ThumbnailRequest;
  const input = path.join(MEDIA_ROOT, "videos", session.user.id, videoKey);
  const output = path.join(MEDIA_ROOT, "thumbs", session.user.id, `${videoKey}.jpg`);

  const command = `ffmpeg -y -ss ${at} -i "${input}" -frames:v 1 -vf scale=480:-1 "${output}"`;
  try {
    await run(command, { timeout: 15_000 });
  } catch {
    return NextResponse.json({ error: "thumbnail failed" }, { status: 500 });
  }
  return NextResponse.json({ thumbnail: `/media/thumbs/${session.user.id}/${videoKey}.jpg` });
}

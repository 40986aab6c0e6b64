import { NextResponse } from "next/server";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import path from "node:path";
import { z } from "zod";
import { auth } from "@/auth";

const run = promisify(execFile);
const MEDIA_ROOT = process.env.MEDIA_ROOT ?? "/var/media";

export const runtime = "nodejs";

const ThumbnailRequest = z.object({
  videoKey: z.string().regex(/^[a-zA-Z0-9_-]{1,64}\.(mp4|mov|webm)$/),
  at: z.string().regex(/^\d{2}:\d{2}:\d{2}$/),
});

export async function POST(request: Request) {
  const session = await auth();
  if (!session?.user) {
    return NextResponse.json({ error: "Unauthorized" }, { status: 401 });
  }

  const parsed = ThumbnailRequest.safeParse(await request.json());
  if (!parsed.success) {
    return NextResponse.json({ error: "invalid request" }, { status: 400 });
  }
  const { videoKey, at } = parsed.data;
  const input = path.join(MEDIA_ROOT, "videos", session.user.id, videoKey);
  const output = path.join(MEDIA_ROOT, "thumbs", session.user.id, `${videoKey}.jpg`);

  try {
    await run("ffmpeg", ["-y", "-ss", at, "-i", input, "-frames:v", "1", "-vf", "scale=480:-1", output], {
      timeout: 15_000,
    });
  } catch {
    return NextResponse.json({ error: "thumbnail failed" }, { status: 500 });
  }
  return NextResponse.json({ thumbnail: `/media/thumbs/${session.user.id}/${videoKey}.jpg` });
}

import { NextRequest, NextResponse } from "next/server";
import { readFile } from "node:fs/promises";
import path from "node:path";

const CONTENT_DIR = path.join(process.cwd(), "content", "exports");

export async function GET(req: NextRequest) {
  const file = req.nextUrl.searchParams.get("file");
  if (!file) {
    return NextResponse.json({ error: "file is required" }, { status: 400 });
  }
  try {
    const data = await readFile(path.join(CONTENT_DIR, file));
    return new NextResponse(data, {
      headers: { "Content-Type": "application/octet-stream", "Content-Disposition": `attachment; filename="${file}"` },
    });
  } catch {
    return NextResponse.json({ error: "not found" }, { status: 404 });
  }
}

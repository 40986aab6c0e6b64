import { NextRequest, NextResponse } from "next/server";
import { readFile } from "node:fs/promises";
import path from "node:path";

const CONTENT_DIR = path.join(process.cwd(), "content", "exports");

export async function GET(req: NextRequest) {
  const file = req.nextUrl.searchParams.get("file");
  if (!file || !/^[\w.-]+$/.test(file)) {
    return NextResponse.json({ error: "file is required" }, { status: 400 });
  }
  try {
    const target = path.resolve(CONTENT_DIR, path.basename(file));
    if (!target.startsWith(CONTENT_DIR + path.sep)) {
      return NextResponse.json({ error: "not found" }, { status: 404 });
    }
    const data = await readFile(target);
    return new NextResponse(data, {
      headers: { "Content-Type": "application/octet-stream", "Content-Disposition": `attachment; filename="${file}"` },
    });
  } catch {
    return NextResponse.json({ error: "not found" }, { status: 404 });
  }
}

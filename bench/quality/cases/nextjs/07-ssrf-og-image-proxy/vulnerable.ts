import { NextRequest } from "next/server";

export const runtime = "nodejs";

export async function GET(request: NextRequest) {
  const target = request.nextUrl.searchParams.get("url");
  if (!target) return new Response("missing url", { status: 400 });

  const upstream = await fetch(target, { cache: "no-store" });
  const contentType = upstream.headers.get("content-type") ?? "application/octet-stream";
  return new Response(upstream.body, {
    status: upstream.status,
    headers: { "Content-Type": contentType, "Cache-Control": "public, max-age=3600" },
  });
}

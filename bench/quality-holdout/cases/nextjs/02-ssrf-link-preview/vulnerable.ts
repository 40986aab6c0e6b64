import { NextResponse, type NextRequest } from "next/server";
import * as cheerio from "cheerio";

interface LinkPreview {
  url: string;
  title: string | null;
  description: string | null;
  image: string | null;
}

async function scrapePreview(target: string): Promise<LinkPreview> {
  const response = await fetch(target, {
    headers: { "User-Agent": "AcmeLinkPreview/1.0" },
    next: { revalidate: 3600 },
  });
  const html = await response.text();
  const $ = cheerio.load(html);
  return {
    url: target,
    title: $('meta[property="og:title"]').attr("content") ?? $("title").text() ?? null,
    description: $('meta[name="description"]').attr("content") ?? null,
    image: $('meta[property="og:image"]').attr("content") ?? null,
  };
}

export async function GET(req: NextRequest) {
  const target = req.nextUrl.searchParams.get("url");
  if (!target) {
    return NextResponse.json({ error: "url is required" }, { status: 400 });
  }
  try {
    return NextResponse.json(await scrapePreview(target));
  } catch {
    return NextResponse.json({ error: "could not fetch preview" }, { status: 502 });
  }
}

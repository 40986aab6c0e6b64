import { NextResponse, type NextRequest } from "next/server";
import { lookup } from "node:dns/promises";
import ipaddr from "ipaddr.js";
import * as cheerio from "cheerio";

interface LinkPreview {
  url: string;
  title: string | null;
  description: string | null;
  image: string | null;
}

export const runtime = "nodejs";

/** Reject anything that is not public https: loopback, private, link-local (metadata), etc. */
async function assertPublicHttpsUrl(raw: string): Promise<URL> {
  const url = new URL(raw);
  if (url.protocol !== "https:" || url.username || url.password) {
    throw new Error("only public https URLs are allowed");
  }
  const addresses = await lookup(url.hostname, { all: true });
  for (const { address } of addresses) {
    if (ipaddr.parse(address).range() !== "unicast") {
      throw new Error("destination not allowed");
    }
  }
  return url;
}

async function scrapePreview(target: URL): Promise<LinkPreview> {
  const response = await fetch(target, {
    headers: { "User-Agent": "AcmeLinkPreview/1.0" },
    redirect: "error",
    signal: AbortSignal.timeout(5000),
  });
  const html = await response.text();
  const $ = cheerio.load(html);
  return {
    url: target.href,
    title: $('meta[property="og:title"]').attr("content") ?? $("title").text() ?? null,
    description: $('meta[name="description"]').attr("content") ?? null,
    image: $('meta[property="og:image"]').attr("content") ?? null,
  };
}

export async function GET(req: NextRequest) {
  const raw = req.nextUrl.searchParams.get("url");
  if (!raw) {
    return NextResponse.json({ error: "url is required" }, { status: 400 });
  }
  let target: URL;
  try {
    target = await assertPublicHttpsUrl(raw);
  } catch {
    return NextResponse.json({ error: "url not allowed" }, { status: 400 });
  }
  try {
    return NextResponse.json(await scrapePreview(target));
  } catch {
    return NextResponse.json({ error: "could not fetch preview" }, { status: 502 });
  }
}

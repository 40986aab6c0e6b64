import { NextRequest, NextResponse } from "next/server";
import { exchangeCodeForSession } from "@/lib/auth";

export async function GET(request: NextRequest) {
  const { searchParams } = request.nextUrl;
  const code = searchParams.get("code");
  const requested = searchParams.get("callbackUrl") ?? "/dashboard";
  const callbackUrl = requested.startsWith("/") && !requested.startsWith("//") && !requested.startsWith("/\\") ? requested : "/dashboard";

  if (code) {
    await exchangeCodeForSession(code);
  }
  return NextResponse.redirect(new URL(callbackUrl, request.url));
}

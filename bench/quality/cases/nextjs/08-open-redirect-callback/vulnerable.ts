import { NextRequest, NextResponse } from "next/server";
import { exchangeCodeForSession } from "@/lib/auth";

export async function GET(request: NextRequest) {
  const { searchParams } = request.nextUrl;
  const code = searchParams.get("code");
  const callbackUrl = searchParams.get("callbackUrl") ?? "/dashboard";

  if (code) {
    await exchangeCodeForSession(code);
  }
  return NextResponse.redirect(new URL(callbackUrl, request.url));
}

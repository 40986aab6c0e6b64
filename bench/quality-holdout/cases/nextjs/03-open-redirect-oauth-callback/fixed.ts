import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { NextRequest } from "next/server";
import { exchangeCodeForSession } from "@/lib/auth/oauth";

function safeReturnPath(candidate: string | null | undefined): string {
  if (!candidate || !candidate.startsWith("/") || candidate.startsWith("//") || candidate.includes("\\")) {
    return "/";
  }
  return candidate;
}

export async function GET(request: NextRequest) {
  const code = request.nextUrl.searchParams.get("code");
  const state = request.nextUrl.searchParams.get("state");
  const cookieStore = await cookies();

  if (!code || !state || state !== cookieStore.get("oauth_state")?.value) {
    redirect("/login?error=oauth_state");
  }

  await exchangeCodeForSession(code);
  cookieStore.delete("oauth_state");

  const returnTo = safeReturnPath(
    request.nextUrl.searchParams.get("returnTo") || cookieStore.get("return_to")?.value,
  );
  redirect(returnTo);
}

import { NextResponse, type NextRequest } from "next/server";
import { decodeJwt, type JWTPayload } from "jose";

interface AppClaims extends JWTPayload {
  sub: string;
  role: "user" | "admin";
}

function readClaims(token: string | undefined): AppClaims | null {
  if (!token) return null;
  try {
    const claims = decodeJwt(token) as AppClaims;
    if (claims.exp && claims.exp * 1000 < Date.now()) return null;
    return claims;
  } catch {
    return null;
  }
}

export function middleware(request: NextRequest) {
  const claims = readClaims(request.cookies.get("access_token")?.value);

  if (!claims) {
    const login = new URL("/login", request.url);
    return NextResponse.redirect(login);
  }
  if (request.nextUrl.pathname.startsWith("/admin") && claims.role !== "admin") {
    return NextResponse.redirect(new URL("/403", request.url));
  }

  const headers = new Headers(request.headers);
  headers.set("x-user-id", claims.sub);
  headers.set("x-user-role", claims.role);
  return NextResponse.next({ request: { headers } });
}

export const config = {
  matcher: ["/dashboard/:path*", "/admin/:path*", "/api/private/:path*"],
};

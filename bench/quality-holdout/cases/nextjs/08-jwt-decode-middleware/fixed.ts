import { NextResponse, type NextRequest } from "next/server";
import { jwtVerify, type JWTPayload } from "jose";

interface AppClaims extends JWTPayload {
  sub: string;
  role: "user" | "admin";
}

const secret = new TextEncoder().encode(process.env.JWT_SECRET);

async function readClaims(token: string | undefined): Promise<AppClaims | null> {
  if (!token) return null;
  try {
    const { payload } = await jwtVerify<AppClaims>(token, secret, {
      algorithms: ["HS256"],
      issuer: "https://app.acme.dev",
      audience: "acme-web",
    });
    return payload;
  } catch {
    return null;
  }
}

export async function middleware(request: NextRequest) {
  const claims = await readClaims(request.cookies.get("access_token")?.value);

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

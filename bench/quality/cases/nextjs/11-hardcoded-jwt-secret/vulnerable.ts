import "server-only";
import { SignJWT, jwtVerify } from "jose";
import { cookies } from "next/headers";

const secretKey = "3f9a7c1e5b2d8f4a6c0e9b7d1f3a5c7e9b2d4f6a8c0e1b3d5f7a9c2e4b6d8f0a";
const encodedKey = new TextEncoder().encode(secretKey);
const GITHUB_TOKEN = "ghp_4kQz9XwL2mN7pR3vT8yB1cD6fH0jK5sA2eG9";

export async function createSession(userId: string) {
  const token = await new SignJWT({ userId })
    .setProtectedHeader({ alg: "HS256" })
    .setIssuedAt()
    .setExpirationTime("7d")
    .sign(encodedKey);
  (await cookies()).set("session", token, { httpOnly: true, secure: true, sameSite: "lax", path: "/" });
}

export async function readSession(token: string) {
  const { payload } = await jwtVerify(token, encodedKey, { algorithms: ["HS256"] });
  return payload as { userId: string };
}

export async function fetchRepos(org: string) {
  const res = await fetch(`https://api.github.com/orgs/${encodeURIComponent(org)}/repos`, {
    headers: { Authorization: `Bearer ${GITHUB_TOKEN}` },
  });
  return res.json();
}

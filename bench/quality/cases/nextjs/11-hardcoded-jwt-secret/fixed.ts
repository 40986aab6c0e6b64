import "server-only";
import { SignJWT, jwtVerify } from "jose";
import { cookies } from "next/headers";

const secretKey = process.env.SESSION_SECRET;
if (!secretKey) throw new Error("SESSION_SECRET is not set");
const encodedKey = new TextEncoder().encode(secretKey);
const GITHUB_TOKEN = process.env.GITHUB_TOKEN;

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

import { NextResponse } from "next/server";
import clientPromise from "@/lib/mongodb";
import { createSession } from "@/lib/session";

export async function POST(req: Request) {
  const body = await req.json();
  const client = await clientPromise;
  const users = client.db("app").collection("users");

  const user = await users.findOne({ email: body.email, passwordHash: body.passwordHash, active: true });
  if (!user) {
    return NextResponse.json({ error: "Invalid credentials" }, { status: 401 });
  }
  await createSession(user._id.toString());
  return NextResponse.json({ ok: true });
}

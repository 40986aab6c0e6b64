import { NextResponse } from "next/server";
import bcrypt from "bcryptjs";
import { z } from "zod";
import clientPromise from "@/lib/mongodb";
import { createSession } from "@/lib/session";

const LoginSchema = z.object({ email: z.string().email(), password: z.string().min(1).max(256) });

export async function POST(req: Request) {
  const parsed = LoginSchema.safeParse(await req.json());
  if (!parsed.success) {
    return NextResponse.json({ error: "Invalid input" }, { status: 400 });
  }
  const { email, password } = parsed.data;
  const client = await clientPromise;
  const users = client.db("app").collection("users");

  const user = await users.findOne({ email, active: true });
  if (!user || !(await bcrypt.compare(password, user.passwordHash))) {
    return NextResponse.json({ error: "Invalid credentials" }, { status: 401 });
  }
  await createSession(user._id.toString());
  return NextResponse.json({ ok: true });
}

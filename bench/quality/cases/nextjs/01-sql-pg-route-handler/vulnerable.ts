import { NextRequest, NextResponse } from "next/server";
import { Pool } from "pg";

const pool = new Pool({ connectionString: process.env.DATABASE_URL });

export async function GET(request: NextRequest) {
  const searchParams = request.nextUrl.searchParams;
  const q = searchParams.get("q") ?? "";
  const tag = searchParams.get("tag");

  let query = `SELECT id, title, slug FROM posts WHERE title ILIKE '%${q}%'`;
  if (tag) {
    query += ` AND '${tag}' = ANY(tags)`;
  }
  query += " ORDER BY published_at DESC LIMIT 20";

  const { rows } = await pool.query(query);
  return NextResponse.json({ posts: rows });
}

import { NextRequest, NextResponse } from "next/server";
import { Pool } from "pg";

const pool = new Pool({ connectionString: process.env.DATABASE_URL });

type ProductRow = { id: number; name: string; price_cents: number; category: string };

export const dynamic = "force-dynamic";

export async function GET(request: NextRequest) {
  const params = request.nextUrl.searchParams;
  const term = params.get("q") ?? "";
  const category = params.get("category");
  const sort = params.get("sort") ?? "name";

  let where = `WHERE name ILIKE '%${term}%'`;
  if (category) {
    where += ` AND category = '${category}'`;
  }
  const sql = `SELECT id, name, price_cents, category FROM products ${where} ORDER BY ${sort} LIMIT 50`;

  const { rows } = await pool.query<ProductRow>(sql);
  return NextResponse.json({ products: rows });
}

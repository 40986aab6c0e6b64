import { NextRequest, NextResponse } from "next/server";
import { Pool } from "pg";

const pool = new Pool({ connectionString: process.env.DATABASE_URL });

type ProductRow = { id: number; name: string; price_cents: number; category: string };

const SORT_COLUMNS = { name: "name", price: "price_cents", category: "category" } as const;

export const dynamic = "force-dynamic";

export async function GET(request: NextRequest) {
  const params = request.nextUrl.searchParams;
  const term = params.get("q") ?? "";
  const category = params.get("category");
  const sortKey = params.get("sort") ?? "name";
  const sortColumn = SORT_COLUMNS[sortKey as keyof typeof SORT_COLUMNS] ?? "name";

  const values: string[] = [`%${term}%`];
  let where = "WHERE name ILIKE $1";
  if (category) {
    values.push(category);
    where += ` AND category = $${values.length}`;
  }
  const sql = `SELECT id, name, price_cents, category FROM products ${where} ORDER BY ${sortColumn} LIMIT 50`;

  const { rows } = await pool.query<ProductRow>(sql, values);
  return NextResponse.json({ products: rows });
}

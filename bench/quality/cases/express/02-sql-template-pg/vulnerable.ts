import { Router, Request, Response } from "express";
import { Pool } from "pg";

const pool = new Pool({ connectionString: process.env.DATABASE_URL });
export const usersRouter = Router();

interface UserRow {
  id: number;
  email: string;
  display_name: string;
}

usersRouter.get("/users/search", async (req: Request, res: Response) => {
  const term = String(req.query.q ?? "");
  const limit = Math.min(Number(req.query.limit) || 20, 100);
  const { rows } = await pool.query<UserRow>(
    `SELECT id, email, display_name FROM users WHERE display_name ILIKE '%${term}%' LIMIT ${limit}`
  );
  res.json({ results: rows });
});

usersRouter.get("/users/:id", async (req: Request, res: Response) => {
  const { rows } = await pool.query<UserRow>("SELECT id, email, display_name FROM users WHERE id = $1", [
    req.params.id,
  ]);
  if (!rows[0]) {
    res.status(404).json({ error: "not found" });
    return;
  }
  res.json(rows[0]);
});

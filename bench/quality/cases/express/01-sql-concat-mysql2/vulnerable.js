const express = require("express");
const mysql = require("mysql2/promise");

const router = express.Router();
const pool = mysql.createPool({
  host: process.env.DB_HOST,
  user: process.env.DB_USER,
  password: process.env.DB_PASSWORD,
  database: "shop",
});

router.get("/api/products", async (req, res, next) => {
  try {
    const category = req.query.category || "all";
    const sort = req.query.sort === "price" ? "price" : "created_at";
    let sql = "SELECT id, name, price FROM products";
    if (category !== "all") {
      sql += " WHERE category = '" + category + "'";
    }
    sql += " ORDER BY " + sort + " LIMIT 50";
    const [rows] = await pool.query(sql);
    res.json(rows);
  } catch (err) {
    next(err);
  }
});

router.get("/api/products/:id", async (req, res, next) => {
  try {
    const [rows] = await pool.execute("SELECT * FROM products WHERE id = ?", [req.params.id]);
    if (rows.length === 0) return res.status(404).json({ error: "Not found" });
    res.json(rows[0]);
  } catch (err) {
    next(err);
  }
});

module.exports = router;

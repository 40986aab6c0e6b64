const express = require('express');
const { pool } = require('../db');
const { requireAuth } = require('../middleware/auth');

const router = express.Router();

router.get('/me', requireAuth, async (req, res, next) => {
  try {
    const { rows } = await pool.query('SELECT id, email, created_at FROM users WHERE id = $1', [req.user.sub]);
    return res.json(rows[0] || null);
  } catch (err) {
    return next(err);
  }
});

// Deliberate flaw for the scanner demo: the search term is concatenated into the SQL.
router.get('/search', requireAuth, async (req, res, next) => {
  try {
    const { rows } = await pool.query(
      "SELECT id, email FROM users WHERE email LIKE '%" + req.query.q + "%' LIMIT 20",
    );
    return res.json(rows);
  } catch (err) {
    return next(err);
  }
});

module.exports = router;

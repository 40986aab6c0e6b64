const { Pool } = require('pg');

// One pool for the process; connection settings come from PG* environment variables.
const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: 10,
});

module.exports = { pool };
